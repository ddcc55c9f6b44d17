# The commands people type. Every target installs what it needs first (scripts/setup.sh).
SHELL := /bin/bash
JOBS ?= 2
PY := .venv/bin/python

.PHONY: setup build test asan tsan bench fuzz format demo stubs clean

setup:
	@scripts/setup.sh

# Incremental: ninja rebuilds what changed, then the extension is re-installed into the
# editable tree that .venv imports from.
build: setup
	@cmake --build build/py -j$(JOBS)
	@cmake --install build/py --prefix build/editable >/dev/null

test: build
	@scripts/test.sh build/py

# ASan + UBSan: C++ suites, then pytest against the sanitized extension.
asan: setup
	@scripts/sanitized.sh asan "address,undefined"

tsan: setup
	@scripts/sanitized.sh tsan thread

bench: setup
	@cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRADEENGINE_BUILD_BENCH=ON \
	  -DTRADEENGINE_BUILD_PYTHON=OFF >/dev/null
	@cmake --build build/bench -j$(JOBS)
	@scripts/bench.sh build/bench

# libFuzzer targets (tests/fuzz), each run for FUZZ_SECONDS with the fixtures as seed corpus.
# Installs clang from Debian when missing; `make test` never needs it.
FUZZ_SECONDS ?= 60
fuzz: setup
	@scripts/fuzz.sh $(FUZZ_SECONDS)

stubs: build
	@$(PY) -m pybind11_stubgen tradeengine._core -o build/stubs --exit-code >/dev/null
	@cp build/stubs/tradeengine/_core.pyi python/tradeengine/_core.pyi
	@echo "stubs: python/tradeengine/_core.pyi regenerated"

format:
	@command -v clang-format >/dev/null || { sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
	  $$sudo apt-get install -y -qq clang-format >/dev/null; }
	@git ls-files 'cpp/*.hpp' 'cpp/*.cpp' 'tests/cpp/*.cpp' 'bench/*.cpp' | xargs clang-format -i

# The SMA-crossover example on the embedded simulated exchange (DEMO_ARGS: see tradeengine demo --help).
DEMO_ARGS ?=
demo: build
	@$(PY) -m tradeengine.cli demo $(DEMO_ARGS)

clean:
	rm -rf build compile_commands.json
