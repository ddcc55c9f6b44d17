"""Live/backtest parity: the same strategy on the same candles makes the same decisions (sides,
sizes, candle times) in a backtest and live on the simulated exchange replaying the file at
speed; fill prices differ only by the fill model (docs/guide/backtesting.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from polling import eventually

import tradeengine as te

ROWS = 60


class Target(te.Strategy):
    """Holds 0.01 BTC after an up candle and nothing after a down one: each decision depends on
    the candle and the position the previous decision left, so both runs agree from the second
    candle they share."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.decisions: list[tuple[int, str, Decimal]] = []
        self.candles: list[tuple[int, Decimal]] = []

    def on_start(self) -> None:
        self.subscribe_candles("BTCUSDT", "1m")

    def on_candle(self, candle: te.Candle) -> None:
        self.candles.append((candle.open_time, candle.close.as_decimal()))
        held = self.position("BTCUSDT").quantity.as_decimal()
        if self.open_orders("BTCUSDT"):
            return
        if candle.close > candle.open and self.is_flat("BTCUSDT"):
            self.buy("BTCUSDT", te.Quantity("0.01"))
            self.decisions.append((candle.open_time, "BUY", Decimal("0.01")))
        elif candle.close < candle.open and not self.is_flat("BTCUSDT"):
            self.sell("BTCUSDT", te.Quantity(str(held)))
            self.decisions.append((candle.open_time, "SELL", held))


def sample_slice(tmp_path: Path) -> tuple[Path, int]:
    lines = te.research.sample_data_path("BTCUSDT").read_text().splitlines()[:ROWS]
    path = tmp_path / "BTCUSDT-1m-slice.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, int(lines[0].split(",")[0])


def test_the_same_candles_give_the_same_decisions_live_and_in_a_backtest(tmp_path: Path) -> None:
    path, first_open_ms = sample_slice(tmp_path)
    back = Target()
    te.backtest(back, data=path, progress=False)

    live = Target()
    venue = te.venues.Simulated(symbols=({"symbol": "BTCUSDT", "kline_csv": str(path)},), speed=300,
                                balances={"USDT": "10000"}, options={"start_time_ms": first_open_ms})  # fmt: skip
    node = te.Node(venues=[venue], strategies=[live], log=te.LogSettings(level="warn"))
    node.start()
    try:
        assert eventually(lambda: len(live.candles) >= ROWS // 2, timeout=60)
    finally:
        node.stop()

    # Live saw the file's own candles (the replayed 1m klines are the file's rows) ...
    file_closes = dict(back.candles)
    assert live.candles and all(file_closes[t] == c for t, c in live.candles), "live candles are the file's"
    # ... and, from the second candle both saw, made the same decisions.
    start = live.candles[1][0]
    end = live.candles[-1][0]
    in_both = lambda ds: [d for d in ds if start <= d[0] <= end]  # noqa: E731
    assert len(in_both(back.decisions)) >= 4
    assert in_both(live.decisions) == in_both(back.decisions)
