"""The backtest venue: ``te.venues.Backtest(data=...)``.

A Node with this venue is a backtest: its market data is replayed from ``data`` and its orders
fill in the simulated exchange's matching engine, in process, on a clock the data drives. The
strategies, the order manager and the portfolio are the same code as live. ``te.backtest()``
builds such a Node for you; ``te.Node.from_toml(path, backtest=te.venues.Backtest(...))`` runs
a live configuration on it unchanged. See docs/guide/backtesting.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from tradeengine import _core

__all__ = ["BAR_PATHS", "Backtest"]

#: How a bar's high and low are ordered inside it: by its direction (a bar that closes up went
#: low first), or always open-high-low-close / open-low-high-close.
BAR_PATHS = ("adaptive", "ohlc", "olhc")

_ACCOUNT = {"api_key": "backtest", "secret": "backtest"}


def to_ns(value: Any, what: str) -> int | None:
    """A time (datetime, pandas Timestamp, ISO string, or integer ns) as ns since the epoch."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"invalid {what} {value!r}: expected a datetime, an ISO date or ns since the epoch")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"invalid {what} {value!r}: expected an ISO date like 2024-01-31 or 2024-01-31T12:00Z") from None
    if hasattr(value, "value") and hasattr(value, "tz_localize"):  # pandas Timestamp
        ts = value if value.tzinfo else value.tz_localize("UTC")
        return int(ts.value)  # type: ignore[no-any-return, unused-ignore]
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        micros: int = value.microsecond
        return int(value.timestamp()) * 1_000_000_000 + micros * 1_000
    if isinstance(value, dt.date):
        return to_ns(dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc), what)
    raise ValueError(f"invalid {what} {value!r}: expected a datetime, an ISO date or ns since the epoch")


def _amount(value: Any, where: str) -> str:
    if isinstance(value, float):
        raise TypeError(f"{where} {value!r}: amounts are exact, not float: write it as a string, like \"{value}\"")
    try:
        return str(Decimal(str(value)))
    except Exception:
        raise ValueError(f"{where} {value!r}: expected a decimal amount") from None


@dataclasses.dataclass(frozen=True)
class Backtest:
    """A backtest venue (see the module docstring).

    Args:
        data: what to replay (``tradeengine.research.data``: a kline CSV, Parquet, a directory,
            a DataFrame, a dict ``{symbol: ...}`` or a list of those).
        name: the venue's name; instruments are "BTCUSDT.<name>". A live config's venue names
            are kept when it is backtested.
        balances: the account at the start (asset -> amount, as strings or Decimals).
        maker_fee, taker_fee: fee rates (0.001 = 0.1 %), charged like Binance: a buy pays in the
            base asset, a sell in the quote asset.
        symbols: trading rules per symbol (``tick_size``, ``step_size``, ``min_qty``,
            ``max_qty``, ``min_notional``, ``base_asset``, ``quote_asset``, ``spread_ticks``,
            ``depth_levels``, ``level_qty``); the rest is inferred from the data (the tick from
            the prices' decimals, a step of 1e-8, no minimum notional).
        bar_path: "adaptive" (default), "ohlc" or "olhc" (see BAR_PATHS).
        order_latency: seconds from a strategy's order (or cancel) to the matching engine.
        data_latency: seconds from the market to the strategy (a candle arrives this long after
            its close).
        limit_fills_to_volume: resting orders fill at most the volume traded at each price.
        start, end: replay only data in [start, end) (datetime, ISO string or ns).
        seed: the matching engine's seed (order ids).
        equity_interval: seconds between equity samples (0: every candle close).
        valuation_asset: the asset equity is counted in ("": the first symbol's quote asset).
    """

    data: Any = None
    name: str = "BACKTEST"
    balances: Mapping[str, Any] = dataclasses.field(default_factory=lambda: {"USDT": "10000"})
    maker_fee: Any = "0.001"
    taker_fee: Any = "0.001"
    symbols: Mapping[str, Mapping[str, Any]] | None = None
    bar_path: str = "adaptive"
    order_latency: float = 0.0
    data_latency: float = 0.0
    limit_fills_to_volume: bool = False
    start: Any = None
    end: Any = None
    seed: int = 1
    equity_interval: float = 0.0
    valuation_asset: str = ""

    kind: ClassVar[str] = "backtest"

    def __post_init__(self) -> None:
        if self.data is None:
            raise _core.ConfigError("te.venues.Backtest: data is required (a kline CSV, a DataFrame, ...)")
        if self.bar_path not in BAR_PATHS:
            raise _core.ConfigError(f"te.venues.Backtest: invalid bar_path {self.bar_path!r}: expected one of {BAR_PATHS}")
        for name in ("order_latency", "data_latency", "equity_interval"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise _core.ConfigError(f"te.venues.Backtest: invalid {name} {v!r}: expected seconds >= 0")
        start, end = to_ns(self.start, "start"), to_ns(self.end, "end")
        if start is not None and end is not None and end <= start:
            raise _core.ConfigError(f"te.venues.Backtest: end {self.end!r} is not after start {self.start!r}")

    def renamed(self, name: str) -> Backtest:
        """The same backtest venue under another name (a live config's venue name)."""
        return dataclasses.replace(self, name=name)

    def _symbol_config(self, symbol: str, prices: list[str]) -> dict[str, Any]:
        from tradeengine.research.data import split_symbol, tick_of

        rules = dict((self.symbols or {}).get(symbol, {}))
        if "base_asset" not in rules or "quote_asset" not in rules:
            base, quote = split_symbol(symbol)
            rules.setdefault("base_asset", base)
            rules.setdefault("quote_asset", quote)
        tick = Decimal(str(rules.get("tick_size", tick_of(prices))))
        first = next((Decimal(p) for p in prices if p), Decimal(1))
        config = {"symbol": symbol, "tick_size": str(tick), "min_price": str(tick), "max_price": "1000000000000000",
                  "step_size": "0.00000001", "min_qty": "0.00000001", "max_qty": "1000000000000000",
                  "min_notional": "0", "max_notional": "100000000000000000", "start_price": str(first),
                  "spread_ticks": 1, "depth_levels": 5, "level_qty": "1000000000000000"}  # fmt: skip
        for key, value in rules.items():
            config[key] = value if isinstance(value, int) and not isinstance(value, bool) else str(value)
        return config

    def native(self) -> _core.BacktestVenue:
        """The C++ venue with its sources (the data is opened, not read, here)."""
        from tradeengine.research.data import feeds_of

        feeds = feeds_of(self.data)
        symbols: dict[str, dict[str, Any]] = {}
        for feed in feeds:
            if feed.symbol not in symbols:
                symbols[feed.symbol] = self._symbol_config(feed.symbol, feed.sample_prices())
        account = dict(_ACCOUNT, balances={a: _amount(v, f"balances[{a!r}]") for a, v in self.balances.items()})
        exchange = {"symbols": list(symbols.values()), "accounts": [account], "seed": int(self.seed),
                    "maker_fee": _amount(self.maker_fee, "maker_fee"), "taker_fee": _amount(self.taker_fee, "taker_fee")}  # fmt: skip
        settings = {"bar_path": self.bar_path, "order_latency": float(self.order_latency),
                    "data_latency": float(self.data_latency), "limit_fills_to_volume": bool(self.limit_fills_to_volume),
                    "start": to_ns(self.start, "start"), "end": to_ns(self.end, "end"),
                    "equity_interval": float(self.equity_interval), "valuation_asset": self.valuation_asset}  # fmt: skip
        try:
            venue = _core.BacktestVenue(self.name, json.dumps(exchange), settings)
        except ValueError as exc:
            raise _core.ConfigError(f"te.venues.Backtest: {exc}") from None
        for feed in feeds:
            feed.add_to(venue, self.name)
        return venue
