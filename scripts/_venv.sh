# Sourced by demo.sh and test.sh: find Python 3.11, create .venv, install the lock files.
# Installs again only when a lock file changed since the last install into this .venv.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3 python; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_venv LOCKFILE...
ensure_venv() {
  local python stamp=.venv/.zhidao-installed
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python) || {
      echo "error: zhidao needs Python 3.11 (python3.11 or python3); set PYTHON=/path/to/python3.11" >&2
      exit 1
    }
    echo "==> Creating .venv with $python"
    "$python" -m venv .venv
  fi
  if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "error: .venv is not Python 3.11; remove it (rm -r .venv) and run this again" >&2
    exit 1
  fi
  local file missing=() args=()
  for file in "$@"; do
    grep -qxF "$(sha256sum "$file")" "$stamp" 2>/dev/null || missing+=("$file")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing ${missing[*]} into .venv (the first time takes a few minutes)"
    for file in "$@"; do args+=(-r "$file"); done
    PIP_NO_INPUT=1 .venv/bin/python -m pip install --disable-pip-version-check -q "${args[@]}"
    for file in "${missing[@]}"; do sha256sum "$file" >>"$stamp"; done
  fi
}
