#!/usr/bin/env bash
# Builds the library, C++ tests and extension with sanitizers in build/NAME, runs ctest, then
# pytest against the sanitized extension (staged in build/NAME/stage, bypassing the editable
# install). usage: scripts/sanitized.sh NAME SANITIZERS   e.g. asan address,undefined
set -uo pipefail
cd "$(dirname "$0")/.."
name=$1
sanitizers=$2
dir=build/$name
py=.venv/bin/python

cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRADEENGINE_SANITIZE="$sanitizers" \
  -DTRADEENGINE_BUILD_TESTS=ON -DPython_EXECUTABLE="$PWD/$py" \
  -Dpybind11_DIR="$($py -m pybind11 --cmakedir)" >/dev/null || exit 1
cmake --build "$dir" -j"${JOBS:-2}" || exit 1

stage=$dir/stage
rm -rf "$stage" && mkdir -p "$stage"
cp -r python/tradeengine "$stage/"
find "$stage" -name '_core*.so' -delete
cmake --install "$dir" --prefix "$stage" >/dev/null || exit 1

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
ctest --test-dir "$dir" --output-on-failure -j2 --timeout 600
ctest_rc=$?

# CPython itself is not instrumented: preload the runtime (and libstdc++, so the runtime's
# __cxa_throw interceptor finds the real one), and skip leak checks of the interpreter.
case "$sanitizers" in
  *address*) runtime=$(g++ -print-file-name=libasan.so); export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 ;;
  *thread*) runtime=$(g++ -print-file-name=libtsan.so) ;;
  *) runtime="" ;;
esac
[ -n "$runtime" ] && runtime="$runtime $(g++ -print-file-name=libstdc++.so)"
LD_PRELOAD="$runtime" TRADEENGINE_SANITIZED="$name" $py scripts/pytest_staged.py "$stage" -q -p no:cacheprovider \
  --ignore=notebooks  # kernels would import the editable build, not the sanitized one
pytest_rc=$?
[ $ctest_rc -eq 0 ] && [ $pytest_rc -eq 0 ]
