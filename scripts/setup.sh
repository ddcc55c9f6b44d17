#!/usr/bin/env bash
# Installs everything tradeengine needs on a fresh Debian/Ubuntu machine, idempotently:
# missing apt packages, the .venv, and the package itself (editable, with test extras).
# Quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(g++ cmake ninja-build make python3-venv python3-dev
              libboost1.81-dev libboost-json1.81-dev libssl-dev libsimdjson-dev
              libspdlog-dev libsqlite3-dev libgtest-dev libbenchmark-dev)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || { echo "setup: Python >= 3.10 is required (found $("$PYTHON" --version))" >&2; exit 1; }
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the packaging inputs change or the build tree is gone.
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
key=$(cat pyproject.toml CMakeLists.txt | sha256sum | cut -c1-16)-$werror
stamp=.venv/.tradeengine-$key
if [ ! -f "$stamp" ] || [ ! -f build/py/build.ninja ]; then
  echo "setup: installing tradeengine (editable) into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "scikit-build-core>=0.11" "pybind11>=3.0"
  .venv/bin/python -m pip install -q --no-build-isolation -e ".[test]" \
    -Ccmake.define.TRADEENGINE_BUILD_TESTS=ON \
    -Ccmake.define.TRADEENGINE_WERROR=$werror \
    -Cbuild.tool-args=-j2
  rm -f .venv/.tradeengine-*
  touch "$stamp"
  ln -sf build/py/compile_commands.json compile_commands.json
fi
