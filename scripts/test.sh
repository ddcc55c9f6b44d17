#!/usr/bin/env bash
# Runs the C++ suites (ctest) and then the Python suites (pytest) against one build
# tree; both always run so both summaries are printed. Exit status is non-zero if
# either failed.
# usage: scripts/test.sh BUILD_DIR [pytest args...]
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir=$1; shift
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 300
ctest_rc=$?
.venv/bin/python -m pytest "$@"
pytest_rc=$?
[ $ctest_rc -eq 0 ] && [ $pytest_rc -eq 0 ]
