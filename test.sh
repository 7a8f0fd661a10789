#!/usr/bin/env bash
# Runs the test suite: the same installation as ./run.sh plus Debian chromium for the browser
# tests, trains the models if needed, then pytest over the real stack. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
source install/bootstrap.sh --with-browser
intake train
exec python -m pytest "$@"
