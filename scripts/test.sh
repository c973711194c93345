#!/usr/bin/env bash
# The checks in one command, from a fresh clone with Python 3.11:
#   bash scripts/test.sh                 ruff, import-linter, mypy, bandit and the translation check, then
#                                        pytest on SQLite (or on $DATABASE_URL if set)
#   bash scripts/test.sh --postgres      the same on a throwaway PostgreSQL database on
#                                        127.0.0.1:5432 (user postgres), dropped afterwards
#   bash scripts/test.sh --postgres --replica
#                                        and a streaming standby of that cluster on 127.0.0.1:5433
#                                        (scripts/pg_replica.py start, as root) as
#                                        DATABASE_REPLICA_URL: the read-replica tests run on it
# More options: --no-browser (leave out the Chromium tests), --no-lint; anything else goes to
# pytest (e.g. tests/demo -k credit). PYTEST_WORKERS=N sets the parallel workers (0: none).
# Browser tests (marker "browser") run when Chromium is at /usr/bin/chromium and save
# screenshots in artifacts/screenshots/. With CI=true a missing Chromium or PostgreSQL fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_venv.sh

postgres=false browser=true lint=true replica=false
pytest_args=()
for arg in "$@"; do
  case $arg in
    --postgres) postgres=true ;;
    --replica) replica=true postgres=true ;;
    --no-browser) browser=false ;;
    --no-lint) lint=false ;;
    *) pytest_args+=("$arg") ;;
  esac
done
in_ci=false
[ "${CI:-}" = true ] && in_ci=true

ensure_venv requirements.txt requirements-dev.txt
py=.venv/bin/python

if $lint; then
  echo "==> ruff check"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  echo "==> import-linter (the rooms' layers)"
  .venv/bin/lint-imports --no-cache
  echo "==> mypy (services and selectors; pyproject.toml [tool.mypy])"
  .venv/bin/mypy
  echo "==> bandit (no medium or high finding; exceptions are '# nosec BXXX  # reason' lines)"
  "$py" -m bandit -c pyproject.toml -r zhidao -ll -q
  echo "==> translations (one per message and context across the apps' catalogues)"
  "$py" scripts/check_translations.py
fi

select=()
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if ! $browser; then
  select=(-m "not browser")
elif [ ! -x "$chromium" ]; then
  if $in_ci; then
    echo "error: Chromium is missing at $chromium; CI runs the browser tests (apt-get install chromium)" >&2
    exit 1
  fi
  echo "note: no Chromium at $chromium, so the browser tests are left out (apt-get install chromium)"
  select=(-m "not browser")
fi
mkdir -p artifacts/screenshots
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$PWD/artifacts/screenshots}

if $postgres; then
  database=zhidao_throwaway_$(date +%s)_$$
  "$py" scripts/pg_throwaway.py create "$database"
  trap '"$py" scripts/pg_throwaway.py drop "$database"' EXIT
  admin_url=${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
  export DATABASE_URL=${admin_url%/*}/$database
  echo "==> pytest on PostgreSQL (throwaway database $database)"
  if $replica; then
    echo "==> a streaming replica of the cluster on 127.0.0.1:5433 (scripts/pg_replica.py)"
    python3 scripts/pg_replica.py start || { echo "error: the replica did not start" >&2; exit 1; }
    # A standby left running replays every later write of the machine's cluster (a benchmark
    # tier's 2 GB): stop it with the run.
    trap 'python3 scripts/pg_replica.py stop; "$py" scripts/pg_throwaway.py drop "$database"' EXIT
    replica_url=${PG_REPLICA_URL:-postgresql://postgres@127.0.0.1:5433/postgres}
    export DATABASE_REPLICA_URL=${replica_url%/*}/$database
  fi
elif [ -n "${DATABASE_URL:-}" ]; then
  echo "==> pytest on \$DATABASE_URL (${DATABASE_URL%%:*})"
else
  echo "==> pytest on SQLite"
fi

workers=${PYTEST_WORKERS:-2}
parallel=()
[ "$workers" != 0 ] && parallel=(-n "$workers")
set +e
"$py" -m pytest -q -ra "${parallel[@]}" "${select[@]}" "${pytest_args[@]}"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "error: pytest collected no tests" >&2
fi
exit "$status"
