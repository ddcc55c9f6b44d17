"""Regenerates the sample data shipped in the package (python/tradeengine/research/sample_data):
synthetic 1m klines from the simulated exchange's seeded price path, fetched over its REST API
with `tradeengine data fetch`'s code. The same seed gives the same file."""

from __future__ import annotations

import sys
import datetime as dt
from pathlib import Path

from tradeengine.research.fetch import fetch_klines
from tradeengine.sim import SimExchange

OUT = Path(__file__).resolve().parent.parent / "python" / "tradeengine" / "research" / "sample_data"
START_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z: the end of the generated history
MINUTES = 5_000


def main() -> int:
    symbols = [{"symbol": "BTCUSDT", "base_asset": "BTC", "quote_asset": "USDT", "start_price": "42000",
                "volatility": 0.6}]  # fmt: skip
    ex = SimExchange(symbols=symbols, seed=2024, auto_tick=False, start_time_ms=START_MS, history_minutes=MINUTES,
                     max_kline_history=MINUTES + 10)  # fmt: skip
    with ex:
        iso = lambda ms: dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).isoformat()  # noqa: E731
        tmp = OUT / "tmp"
        result = fetch_klines("BTCUSDT", "1m", iso(START_MS - MINUTES * 60_000), iso(START_MS), tmp, base_url=ex.rest_url)
    target = OUT / "BTCUSDT-1m-sample.csv"
    result.path.replace(target)
    tmp.rmdir()
    print(f"{target}: {result.total} klines, {target.stat().st_size} bytes, gaps {result.gaps}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
