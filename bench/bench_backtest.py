"""Backtest throughput, side by side in one run (medians of BENCH_RUNS, default 3):

* te.backtest: a Python strategy summing closes in on_candle over 1,000,000 1m bars read from a
  Binance kline CSV, with bar execution (each bar through the matching engine). Target >= 400,000
  bars/s (NautilusTrader measured on this machine: 36,555 with bar execution, 125,485 without).
  The closes summed as te.Price and as decimal.Decimal.
* the earlier path: CsvKlineReplay (a Python loader and connector) into a bare Engine with a
  Python handler summing closes (the same count of candles would take too long: 100,000).
* memory: a 10,000,000-bar backtest streamed from disk, its peak RSS (target <= 1 GB), in a
  subprocess (BENCH_SKIP_10M=1 skips it).
* a sweep of 16 parameter sets on a LocalCluster of 2 worker processes against 1 (target >= 1.8x).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import tradeengine as te

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def write_klines(path: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    cents, t0 = 4_000_000, 1_704_067_200_000
    with open(path, "w") as f:
        for i in range(n):
            o = cents
            cents = max(100_000, cents + rng.randint(-1000, 1000))
            h, low = max(o, cents) + 500, min(o, cents) - 500
            t = t0 + i * 60_000
            f.write(f"{t},{o / 100:.2f},{h / 100:.2f},{low / 100:.2f},{cents / 100:.2f},12.5,{t + 59_999},"
                    f"500000,50,6,250000,0\n")  # fmt: skip
    return path


class SumPrice(te.Strategy):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.total = te.Price("0")

    def on_start(self) -> None:
        self.subscribe_candles("BTCUSDT", "1m")

    def on_candle(self, candle: te.Candle) -> None:
        self.total += candle.close


class SumDecimal(SumPrice):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)
        self.dtotal = Decimal(0)

    def on_candle(self, candle: te.Candle) -> None:
        self.dtotal += candle.close.as_decimal()


def backtest_rate(cls: type, path: Path) -> float:
    result = te.backtest(cls(), data=path, progress=False, equity_interval=86_400)
    return result.replay.candles / result.replay.wall_seconds


def old_path_rate(path: Path, n: int) -> float:
    from tradeengine.venues import CsvKlineReplay

    t0 = time.perf_counter()
    engine = te.Engine(name="old-path")
    total = [Decimal(0), 0]

    def on_closed(event: te.Event) -> None:
        total[0] += event.payload.close.as_decimal()
        total[1] += 1

    engine.subscribe(te.EventType.CANDLE_CLOSED, on_closed)
    engine.run()
    replay = CsvKlineReplay(path, "BTCUSDT.CSV", "1m", klines_per_second=0, updates=False)
    replay.connect(engine)
    replay.wait(600)
    while total[1] < n and time.perf_counter() - t0 < 600:
        time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    engine.stop()
    return total[1] / elapsed


def rss_of_10m(tmp: Path) -> str:
    path = write_klines(tmp / "BTCUSDT-1m-10m.csv", 10_000_000)
    code = (f"import tradeengine as te, resource, sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
            "from bench_backtest import SumPrice;"
            f"r = te.backtest(SumPrice(), data={str(path)!r}, progress=False, equity_interval=86400);"
            "print(r.replay.candles, r.replay.wall_seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1800).stdout.split()
    path.unlink()
    candles, wall, rss_kb = int(out[0]), float(out[1]), int(out[2])
    return f"{candles:,} bars in {wall:.1f} s ({candles / wall:,.0f} bars/s), peak RSS {rss_kb / 1024:,.0f} MiB"


def sweep_speedup(path: Path) -> str:
    from tradeengine.strategies import SmaCross

    grid = {"fast": [3, 5, 8, 13], "slow": [21, 34, 55, 89]}
    times = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        te.sweep(SmaCross, grid=grid, data=path, workers=workers, progress=False, symbols=("BTCUSDT",),
                 quantity="0.01", backtest={"equity_interval": 3600})  # fmt: skip
        times[workers] = time.perf_counter() - t0
    return (f"16 sets x 100,000 bars: 1 worker {times[1]:.1f} s, 2 workers {times[2]:.1f} s, "
            f"speed-up {times[1] / times[2]:.2f}x")


def main() -> None:
    te.set_log_level("warn")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        big = write_klines(tmp / "BTCUSDT-1m-1m.csv", 1_000_000)
        small = write_klines(tmp / "BTCUSDT-1m-100k.csv", 100_000)
        price = statistics.median(backtest_rate(SumPrice, big) for _ in range(RUNS))
        dec = statistics.median(backtest_rate(SumDecimal, big) for _ in range(RUNS))
        old = statistics.median(old_path_rate(small, 100_000) for _ in range(RUNS))
        print(f"te.backtest, 1,000,000 1m bars, Python on_candle summing closes (te.Price): {price:,.0f} bars/s")
        print(f"te.backtest, same, summing decimal.Decimal:                               {dec:,.0f} bars/s")
        print(f"earlier path: CsvKlineReplay -> Engine -> Python handler, 100,000 bars:     {old:,.0f} bars/s"
              f"  (te.backtest {price / old:.1f}x)")
        print(f"sweep: {sweep_speedup(small)}")
        if not os.environ.get("BENCH_SKIP_10M"):
            print(f"10,000,000-bar backtest from disk: {rss_of_10m(tmp)}")
        print(f"(this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)")


if __name__ == "__main__":
    main()
