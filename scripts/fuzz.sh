#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*.cpp) with clang + ASan in build/fuzz and runs each
# for SECONDS seconds, seeded with the protocol fixtures. Installs clang and its runtime
# (libFuzzer) from Debian when missing. Exit status is non-zero if any target found a crash.
# usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_install() {
  echo "fuzz: installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v clang++ >/dev/null || apt_install clang
major=$(clang++ -dumpversion | cut -d. -f1)
dpkg-query -W -f='${Status}' "libclang-rt-$major-dev" 2>/dev/null | grep -q "install ok installed" \
  || apt_install "libclang-rt-$major-dev"

CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTRADEENGINE_BUILD_FUZZ=ON -DTRADEENGINE_BUILD_PYTHON=OFF -DTRADEENGINE_BUILD_TESTS=OFF >/dev/null
cmake --build build/fuzz -j"${JOBS:-2}"

failed=()
for src in tests/fuzz/*.cpp; do
  name=$(basename "$src" .cpp)
  corpus=build/fuzz/corpus/$name
  artifacts=build/fuzz/artifacts
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $name for ${seconds}s"
  # New inputs go to $corpus (kept between runs); the fixtures are read-only seeds.
  if ! build/fuzz/"$name" "$corpus" tests/fixtures/binance -dict=tests/fuzz/binance.dict \
       -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$artifacts/$name-" -print_final_stats=1 2>build/fuzz/"$name".log; then
    failed+=("$name")
    tail -40 build/fuzz/"$name".log
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" build/fuzz/"$name".log | tr '\n' ' '; echo
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in build/fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a finding"
