#!/usr/bin/env bash
# Runs every benchmark: the C++ binaries built in BUILD_DIR (Google Benchmark, medians of
# repetitions) and the Python scripts bench/*.py. Each prints its own figures.
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir=$1
rc=0
for bin in "$build_dir"/bench_*; do
  [ -x "$bin" ] || continue
  echo "== $(basename "$bin")"
  "$bin" --benchmark_repetitions="${BENCH_REPETITIONS:-5}" --benchmark_report_aggregates_only=true \
    --benchmark_display_aggregates_only=true ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"} || rc=1
done
for script in bench/*.py; do
  [ -f "$script" ] || continue
  echo "== $script"
  .venv/bin/python "$script" || rc=1
done
exit $rc
