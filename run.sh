#!/usr/bin/env bash
# Runs the intake agent: installs what is missing (Redis, Python 3.11 virtualenv, Rasa), trains
# the models if needed, starts Redis, the action server, the app server and Rasa, prints the URLs.
# Ctrl-C stops everything. Options: ./run.sh --help (ports, ticket database URL).
set -euo pipefail
cd "$(dirname "$0")"
source install/bootstrap.sh
exec intake run "$@"
