"""C++ producer -> Python handlers, and the pure-Python asyncio baseline (seed 002 §3).

Prints medians over repetitions:
  1. native bus, native handler (C++ -> C++) events/s, and the asyncio baseline on the same
     workload (one counting handler on the data lane): the ratio.
  2. native producer thread -> Python sync handler: events/s, publish->delivery p50/p99 (batched).
  3. native producer thread -> Python coroutine handler on an asyncio loop: events/s.
  4. paced (50k events/s) native producer -> Python sync handler: latency p50/p99/p99.9.

Run: .venv/bin/python bench/bench_bus_python.py [--quick]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "baselines"))

import asyncio_event_bus
import tradeengine as te
from tradeengine import _core

QUICK = "--quick" in sys.argv
REPS = 3 if QUICK else 5
N = 200_000 if QUICK else 1_000_000


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def wait_for(pred, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark did not finish")
        time.sleep(0.0005)


def python_sync(n: int, batch_size: int = 64) -> tuple[float, dict]:
    bus = te.EventBus(batch_size=batch_size)
    count = 0

    def handler(e: te.Event) -> None:
        nonlocal count
        count += 1

    bus.subscribe("CANDLE_CLOSED", handler)
    bus.start()
    t0 = time.perf_counter()
    _core._bench_produce(bus, n)
    wait_for(lambda: count + bus.stats()["data"]["dropped"] >= n)
    elapsed = time.perf_counter() - t0
    stats = bus.stats()
    bus.shutdown(1.0)
    return n / elapsed, stats


def python_paced(n: int, rate: float, busy_thread: bool = False) -> dict:
    bus = te.EventBus()
    count = 0

    def handler(e: te.Event) -> None:
        nonlocal count
        count += 1

    bus.subscribe("CANDLE_CLOSED", handler)
    bus.start()
    stop = threading.Event()

    def busy() -> None:  # pure-Python work holding the GIL between switch intervals
        x = 0
        while not stop.is_set():
            for i in range(1000):
                x += i

    spinner = threading.Thread(target=busy)
    if busy_thread:
        spinner.start()
    _core._bench_produce(bus, n, rate=rate)
    wait_for(lambda: count >= n)
    stop.set()
    if busy_thread:
        spinner.join()
    stats = bus.stats()
    bus.shutdown(1.0)
    return stats["latency"]


async def python_coroutine(n: int) -> float:
    bus = te.EventBus()
    count = 0
    done = asyncio.Event()

    async def handler(e: te.Event) -> None:
        nonlocal count
        count += 1
        if count == n:
            done.set()

    bus.subscribe("CANDLE_CLOSED", handler)
    bus.start()
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()
    producer = loop.run_in_executor(None, _core._bench_produce, bus, n)
    await producer
    await asyncio.wait_for(done.wait(), 120)
    elapsed = time.perf_counter() - t0
    await loop.run_in_executor(None, bus.shutdown, 1.0)
    return n / elapsed


def main() -> None:
    te.set_log_level("error")
    print(f"# bench_bus_python: {REPS} repetitions, medians; N={N:,}")

    base_n = N // 5
    baseline = [asyncio.run(asyncio_event_bus.throughput(base_n)) for _ in range(REPS)]
    native = [_core._bench_cpp_bus(N, 1) for _ in range(REPS)]
    native4 = [_core._bench_cpp_bus(N, 4) for _ in range(REPS)]
    print(f"asyncio baseline (seed 002 §3), python handler : {median(baseline):>12,.0f} events/s")
    print(f"native bus, C++ handler, 1 producer            : {median(native):>12,.0f} events/s")
    print(f"native bus, C++ handler, 4 producers           : {median(native4):>12,.0f} events/s")
    print(
        f"ratio native(1 producer) / asyncio baseline    : {median(native) / median(baseline):>12.1f} x"
    )

    runs = [python_sync(N) for _ in range(REPS)]
    rates = [r for r, _ in runs]
    p50 = median([s["latency"]["p50_us"] for _, s in runs])
    p99 = median([s["latency"]["p99_us"] for _, s in runs])
    dropped = sum(s["data"]["dropped"] for _, s in runs)
    print(
        f"C++ producer -> Python sync handler            : {median(rates):>12,.0f} events/s "
        f"(publish->delivery p50 {p50:.1f} us, p99 {p99:.1f} us, saturated; dropped {dropped})"
    )
    print(
        f"ratio Python-handler native / asyncio baseline : {median(rates) / median(baseline):>12.1f} x"
    )

    lat = [python_paced(20_000 if QUICK else 50_000, 50_000.0) for _ in range(REPS)]
    print(
        f"C++ producer -> Python sync handler, 50k/s paced: p50 {median([x['p50_us'] for x in lat]):.1f} us, "
        f"p99 {median([x['p99_us'] for x in lat]):.1f} us, p99.9 {median([x['p999_us'] for x in lat]):.1f} us"
    )

    busy = [
        python_paced(5_000 if QUICK else 20_000, 10_000.0, busy_thread=True) for _ in range(REPS)
    ]
    print(
        f"  same at 10k/s with a busy Python thread (GIL) : p50 {median([x['p50_us'] for x in busy]):.1f} us, "
        f"p99 {median([x['p99_us'] for x in busy]):.1f} us, p99.9 {median([x['p999_us'] for x in busy]):.1f} us"
        f"  (sys.getswitchinterval() = {sys.getswitchinterval() * 1e3:.0f} ms)"
    )

    coro = [asyncio.run(python_coroutine(N // 5)) for _ in range(REPS)]
    print(f"C++ producer -> Python coroutine handler       : {median(coro):>12,.0f} events/s")


if __name__ == "__main__":
    main()
