#!/usr/bin/env bash
# The demo in one command, from a fresh clone with Python 3.11:
#   bash scripts/demo.sh            then open http://127.0.0.1:8000/
# Creates .venv, installs requirements.txt, prepares the SQLite database (db.sqlite3), loads the
# Xiangtan demo once (a second run keeps the data) and serves on 0.0.0.0:$PORT (default 8000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

ensure_venv requirements.txt
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-zhidao.settings.dev}
port=${PORT:-8000}
if [ -z "${ALLOWED_HOSTS:-}" ]; then
  # Also answer on this machine's IPv4 addresses, so colleagues on the LAN can try it.
  ALLOWED_HOSTS="localhost,127.0.0.1,[::1]"
  for address in $(hostname -I 2>/dev/null || true); do
    case $address in *.*) ALLOWED_HOSTS="$ALLOWED_HOSTS,$address" ;; esac
  done
  export ALLOWED_HOSTS
fi

manage() { .venv/bin/python manage.py "$@"; }
echo "==> Preparing the database"
manage migrate --noinput -v 0
manage collectstatic --noinput -v 0
# The compiled catalogues (.mo) are committed; with msgfmt, refresh them from the .po files.
if command -v msgfmt >/dev/null 2>&1; then
  manage compilemessages -v 0 --ignore .venv --ignore staticfiles ||
    echo "note: compilemessages failed; using the committed translations"
fi
manage load_demo
echo
echo "==> zhidao demo on http://127.0.0.1:$port/ (admin site: /admin/, API docs: /api/docs/)"
echo "    Stop it with Ctrl-C. Start again with the same command; the data stays."
exec .venv/bin/python manage.py serve_demo "0.0.0.0:$port"
