#!/usr/bin/env bash
# Installs everything the agent needs on a fresh Debian machine, idempotently:
#   system packages (redis-server; chromium for the browser tests with --with-browser),
#   a Python 3.11 virtualenv with the locked dependencies, Rasa 3.6.21 and this project.
# Sourced by ./run.sh and ./test.sh; prints each step so a first install shows its progress.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${INTAKE_VENV:-$ROOT/.venv}"
WITH_BROWSER=0
for arg in "$@"; do
  [ "$arg" = "--with-browser" ] && WITH_BROWSER=1
done

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

apt_packages=()
command -v redis-server >/dev/null || apt_packages+=(redis-server)
if [ "$WITH_BROWSER" = 1 ] && ! command -v chromium >/dev/null; then
  apt_packages+=(chromium fonts-noto-cjk)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  step "installing system packages: ${apt_packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${apt_packages[@]}"
fi

PY="${INTAKE_PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "Python 3.11 is required (found $("$PY" --version 2>&1) at $PY); set INTAKE_PYTHON" >&2
  exit 1
fi

# The virtualenv is reinstalled only when the lock file or the project metadata changed.
stamp="$VENV/.intake-installed"
want="$(cat "$ROOT/install/requirements.lock" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  started=$SECONDS
  [ -x "$VENV/bin/python" ] || { step "creating virtualenv $VENV"; "$PY" -m venv "$VENV"; }
  step "installing locked Python dependencies ($(grep -vc '^#' "$ROOT/install/requirements.lock") packages)"
  # --no-compile, then compileall on every core below: pip compiles one file after another, which
  # was half of this step (PYTHONDONTWRITEBYTECODE may be set, so the files must be compiled here).
  "$VENV/bin/pip" install --disable-pip-version-check --no-deps --no-compile --progress-bar on \
    -r "$ROOT/install/requirements.lock"
  # Rasa 3.6 declares Requires-Python <3.11; its dependencies come from the lock (see README).
  step "installing rasa 3.6.21 and rasa-sdk 3.6.2"
  "$VENV/bin/pip" install --disable-pip-version-check --no-deps --no-compile --ignore-requires-python \
    rasa==3.6.21 rasa-sdk==3.6.2
  step "compiling the installed Python files ($(nproc) cores)"
  # a few files inside packages are Python 2 examples that no import reaches; pip skips them too
  "$VENV/bin/python" -m compileall -q -j 0 "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    >/dev/null 2>&1 || true
  step "installing the intake project"
  "$VENV/bin/pip" install --disable-pip-version-check --no-deps -q -e "$ROOT"
  step "checking the environment (pip check)"
  "$ROOT/install/pip_check.sh" "$VENV/bin/pip"
  echo "$want" > "$stamp"
  step "Python environment ready in $((SECONDS - started)) s"
fi
export PATH="$VENV/bin:$PATH"
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
