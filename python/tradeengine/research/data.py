"""Backtest data: what ``te.backtest(data=...)`` accepts, and the sample data set.

``data`` may be:

* a path to a Binance kline CSV (12 columns, header or not, ms or µs timestamps; the symbol and
  interval come from a Binance file name like ``BTCUSDT-1m-2024-01.csv``, else pass a dict);
* a path to a Binance trades or aggTrades CSV (named like ``BTCUSDT-aggTrades-2024-01.csv`` or
  ``BTCUSDT-trades-2024-01.csv``): every trade is a point of the matching engine and reaches
  strategies that subscribed trades;
* a path to a Parquet file or a directory of ``*.csv`` / ``*.parquet`` files;
* a pandas DataFrame of candles: a ``DatetimeIndex`` or an ``open_time`` column (datetime, or
  integer ms / µs / ns), ``open``, ``high``, ``low``, ``close``, ``volume`` (str, Decimal or
  float: floats are read by their shortest decimal text, so 0.1 is 0.1), optionally
  ``close_time`` and a ``symbol`` column for several symbols in one frame;
* a pandas DataFrame of quotes (best bid/ask): a ``DatetimeIndex`` or a ``time`` column, ``bid``,
  ``bid_size``, ``ask``, ``ask_size``: each row sets the book's top (market orders fill at it,
  resting orders it crosses fill) and reaches strategies that subscribed quotes;
* a pandas DataFrame of books (depth snapshots): a ``DatetimeIndex`` or a ``time`` column and,
  for levels K = 0, 1, ... (best first), ``bid_price_K``, ``bid_size_K``, ``ask_price_K``,
  ``ask_size_K`` (None or NaN where a row has fewer levels): each row becomes the matching
  engine's book (market orders walk its levels; resting orders fill as against its best bid and
  ask) and reaches strategies that subscribed quotes as its best bid and ask;
* a dict ``{symbol: any of the above}``, or a list of any of the above.

Every source is replayed in time order and merged with the others. Bad data raises
``te.DataError`` naming the file and line (or the DataFrame row).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from tradeengine import _core

__all__ = ["Feed", "SAMPLE_DATA", "feeds_of", "sample_data_path", "split_symbol"]

#: Quote assets recognised at the end of a symbol ("BTCUSDT" -> BTC / USDT), longest first.
QUOTE_ASSETS = ("FDUSD", "USDT", "USDC", "TUSD", "BUSD", "EUR", "TRY", "BTC", "ETH", "BNB", "USD", "IDR", "BRL")

#: The sample data set shipped in the package (synthetic, see its README).
SAMPLE_DATA = Path(__file__).with_name("sample_data")

_BINANCE_NAME = re.compile(r"^([A-Z0-9]+)-(\d+[smhdwM])-")
_TRADES_NAME = re.compile(r"^([A-Z0-9]+)-(aggTrades|trades)-")
_INTERVAL_ONLY = re.compile(r"^[A-Z0-9]+-(\d+[smhdwM])")


def sample_data_path(symbol: str = "BTCUSDT") -> Path:
    """The shipped synthetic 1m klines of ``symbol`` (BTCUSDT or ETHUSDT)."""
    path = SAMPLE_DATA / f"{symbol.upper()}-1m-sample.csv"
    if not path.exists():
        raise _core.DataError(f"no sample data for {symbol}: expected one of "
                              f"{sorted(p.name for p in SAMPLE_DATA.glob('*.csv'))}")  # fmt: skip
    return path


def split_symbol(symbol: str) -> tuple[str, str]:
    """'BTCUSDT' -> ('BTC', 'USDT'); 'BTC/USDT' also works. DataError when no known quote asset ends it."""
    if "/" in symbol:
        base, quote = symbol.split("/", 1)
        return base, quote
    for quote in QUOTE_ASSETS:
        if symbol.endswith(quote) and len(symbol) > len(quote):
            return symbol[: -len(quote)], quote
    raise _core.DataError(f"cannot split symbol {symbol!r} into base and quote assets: give its rules "
                          f"(symbols={{'{symbol}': {{'base_asset': ..., 'quote_asset': ...}}}})")  # fmt: skip


@dataclasses.dataclass
class Feed:
    """One source of candles for one symbol (or several, for a DataFrame with a symbol column)."""

    symbol: str
    interval: str | None = None
    path: Path | None = None
    frame: Any = None  # a pandas DataFrame
    kind: str = "candles"  # "trades" (a trades / aggTrades CSV), "quotes" (bid/ask) or "books" (levels)

    def describe(self) -> str:
        """The source in messages."""
        return str(self.path) if self.path is not None else f"DataFrame {self.symbol}"

    def sample_prices(self) -> list[str]:
        """Prices from the start of the source (for the tick size and the start price)."""
        if self.path is not None:
            out: list[str] = []
            with open(self.path, encoding="utf-8", errors="replace") as f:
                for i, line in enumerate(f):
                    if i > 2000:
                        break
                    cols = line.strip().split(",")
                    if self.kind == "trades" and len(cols) >= 2 and cols[0][:1].isdigit():
                        out.append(cols[1].strip())
                    elif len(cols) >= 5 and cols[0][:1].isdigit():
                        out.extend(c.strip() for c in cols[1:5])
            return out
        frame = self.frame.head(2000)
        if self.kind == "quotes":
            return [str(v) for col in ("bid", "ask") if col in frame.columns for v in frame[col].tolist()]
        if self.kind == "books":
            return [str(v) for col in _level_columns(frame, "bid_price") + _level_columns(frame, "ask_price")
                    for v in frame[col].tolist() if v is not None and v == v]  # fmt: skip
        return [str(v) for col in ("open", "high", "low", "close") if col in frame.columns for v in frame[col].tolist()]

    def add_to(self, venue: _core.BacktestVenue, venue_name: str) -> None:
        """Adds this source to a native backtest venue."""
        iid = _core.InstrumentId.of(self.symbol, venue_name)
        if self.frame is not None and self.kind == "quotes":
            _add_quotes(venue, self.frame, iid, self.describe())
            return
        if self.frame is not None and self.kind == "books":
            _add_books(venue, self.frame, iid, self.describe())
            return
        if self.path is not None and self.kind == "trades":
            venue.add_trade_csv(str(self.path), iid)
            return
        if self.path is not None:
            interval = _core.interval_from_string(self.interval) if self.interval else None
            venue.add_kline_csv(str(self.path), iid, interval)
            return
        _add_frame(venue, self.frame, iid, self.interval, self.describe())


def _decimals(text: str) -> int:
    if "." not in text:
        return 0
    return len(text.split(".", 1)[1].rstrip("0"))


def tick_of(prices: Iterable[str]) -> Decimal:
    """The finest price increment the prices use (0.01 for 42000.01; at least 1e-8)."""
    d = max((_decimals(p) for p in prices if p), default=2)
    return Decimal(1).scaleb(-min(max(d, 0), 8))


def _times_ns(values: Any, where: str) -> list[int]:
    import pandas as pd

    series = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series):
        if series.dt.tz is None:
            series = series.dt.tz_localize("UTC")
        return [int(v) for v in series.dt.tz_convert("UTC").dt.as_unit("ns").astype("int64").tolist()]
    if pd.api.types.is_integer_dtype(series):
        out = []
        for v in series.tolist():
            v = int(v)
            # ms (13 digits today), µs (16) or ns (19): by magnitude.
            out.append(v * 1_000_000 if v < 10**14 else v * 1_000 if v < 10**17 else v)
        return out
    raise _core.DataError(f"{where}: open_time must be datetimes or integer ms/µs/ns, got {series.dtype}")


def _frame_times(frame: Any, column: str, where: str) -> list[int]:
    """A frame's times in ns: its ``column``, else its DatetimeIndex."""
    import pandas as pd

    if column in frame.columns:
        return _times_ns(frame[column], where)
    if isinstance(frame.index, pd.DatetimeIndex):
        return _times_ns(frame.index.to_series(), where)
    raise _core.DataError(f"{where}: no times: expected a DatetimeIndex or a {column} column")


def _add_quotes(venue: _core.BacktestVenue, frame: Any, iid: _core.InstrumentId, where: str) -> None:
    missing = [c for c in ("bid", "bid_size", "ask", "ask_size") if c not in frame.columns]
    if missing:
        raise _core.DataError(f"{where}: missing quote columns {missing} (expected bid, bid_size, ask, ask_size)")
    times = _frame_times(frame, "time", where)
    venue.add_quotes(where, iid, times, frame["bid"].tolist(), frame["bid_size"].tolist(), frame["ask"].tolist(),
                     frame["ask_size"].tolist())  # fmt: skip


def _level_columns(frame: Any, prefix: str) -> list[str]:
    """``prefix_0``, ``prefix_1``, ... as far as the frame has them."""
    out: list[str] = []
    while f"{prefix}_{len(out)}" in frame.columns:
        out.append(f"{prefix}_{len(out)}")
    return out


def _add_books(venue: _core.BacktestVenue, frame: Any, iid: _core.InstrumentId, where: str) -> None:
    columns = {name: _level_columns(frame, name) for name in ("bid_price", "bid_size", "ask_price", "ask_size")}
    levels = {name: len(cols) for name, cols in columns.items()}
    if 0 in levels.values() or levels["bid_price"] != levels["bid_size"] or levels["ask_price"] != levels["ask_size"]:
        raise _core.DataError(f"{where}: book columns do not pair up ({levels} levels): expected bid_price_K, "
                              "bid_size_K, ask_price_K, ask_size_K for K = 0, 1, ...")  # fmt: skip
    times = _frame_times(frame, "time", where)
    venue.add_books(where, iid, times, *([frame[c].tolist() for c in columns[name]] for name in columns))


def _add_frame(venue: _core.BacktestVenue, frame: Any, iid: _core.InstrumentId, interval: str | None,
               where: str) -> None:  # fmt: skip
    missing = [c for c in ("open", "high", "low", "close", "volume") if c not in frame.columns]
    if missing:
        raise _core.DataError(f"{where}: missing columns {missing} (expected open, high, low, close, volume and a "
                              "DatetimeIndex or an open_time column)")  # fmt: skip
    opens = _frame_times(frame, "open_time", where)
    if interval is None:
        interval = _infer_interval(opens, where)
    step = _core.next_open_time_ms(_core.interval_from_string(interval), 0) * 1_000_000
    if "close_time" in frame.columns:
        closes = _times_ns(frame["close_time"], where)
    else:
        closes = [t + step - 1_000_000 for t in opens]  # Binance's close_time: the last ms of the bar
    venue.add_candles(where, iid, _core.interval_from_string(interval), opens, closes, frame["open"].tolist(),
                      frame["high"].tolist(), frame["low"].tolist(), frame["close"].tolist(),
                      frame["volume"].tolist())  # fmt: skip


def _infer_interval(opens: list[int], where: str) -> str:
    if len(opens) < 2:
        return "1m"
    times = sorted(set(opens))  # out-of-order or repeated rows are reported later, by row
    steps = [b - a for a, b in zip(times, times[1:])]
    if not steps:
        return "1m"
    step_ms = min(steps) // 1_000_000
    names = {60_000: "1m", 180_000: "3m", 300_000: "5m", 900_000: "15m", 1_800_000: "30m", 3_600_000: "1h",
             7_200_000: "2h", 14_400_000: "4h", 21_600_000: "6h", 28_800_000: "8h", 43_200_000: "12h",
             86_400_000: "1d", 1_000: "1s"}  # fmt: skip
    if step_ms not in names:
        raise _core.DataError(f"{where}: cannot tell the interval from rows {step_ms} ms apart: pass interval=")
    return names[step_ms]


def _feeds_of_path(path: Path, symbol: str | None) -> list[Feed]:
    if not path.exists():
        raise _core.DataError(f"data {str(path)!r}: no such file or directory")
    if path.is_dir():
        files = sorted([*path.glob("*.csv"), *path.glob("*.parquet")])
        if not files:
            raise _core.DataError(f"data directory {str(path)!r} holds no .csv or .parquet file")
        return [f for p in files for f in _feeds_of_path(p, symbol)]
    trades = _TRADES_NAME.match(path.name)
    if trades and path.suffix == ".csv":
        return [Feed((symbol or trades.group(1)).upper(), None, path=path, kind="trades")]
    name = _BINANCE_NAME.match(path.name)
    interval = name.group(2) if name else None
    sym = symbol or (name.group(1) if name else None)
    if path.suffix == ".parquet":
        import pandas as pd

        return _feeds_of_frame(pd.read_parquet(path), sym, interval, str(path))
    if path.suffix != ".csv":
        raise _core.DataError(f"data {str(path)!r}: expected a .csv (Binance klines) or .parquet file")
    if sym is None:
        raise _core.DataError(f"data {str(path)!r}: which symbol is it? Name the file like BTCUSDT-1m-2024-01.csv "
                              f"or pass data={{'BTCUSDT': '{path}'}}")  # fmt: skip
    return [Feed(sym.upper(), interval, path=path)]


def _feeds_of_frame(frame: Any, symbol: str | None, interval: str | None, where: str) -> list[Feed]:
    if "symbol" in frame.columns:
        out = []
        for sym, part in frame.groupby("symbol", sort=True):
            kind = _frame_kind(part)
            out.append(Feed(str(sym).upper(), interval, frame=part.drop(columns=["symbol"]), kind=kind))
        return out
    if symbol is None:
        raise _core.DataError(f"{where}: which symbol is it? Add a 'symbol' column or pass data={{'BTCUSDT': frame}}")
    return [Feed(symbol.upper(), interval, frame=frame, kind=_frame_kind(frame))]


def _frame_kind(frame: Any) -> str:
    if "bid_price_0" in frame.columns or "ask_price_0" in frame.columns:
        return "books"
    return "quotes" if "bid" in frame.columns and "ask" in frame.columns else "candles"


def feeds_of(data: Any, symbol: str | None = None) -> list[Feed]:
    """The sources ``data`` names (see the module docstring); DataError when it names none."""
    if isinstance(data, (str, Path)):
        return _feeds_of_path(Path(data), symbol)
    if isinstance(data, Mapping):
        return [f for sym, d in data.items() for f in feeds_of(d, str(sym))]
    if hasattr(data, "columns") and hasattr(data, "index"):  # a DataFrame
        return _feeds_of_frame(data, symbol, None, f"DataFrame {symbol or ''}".strip())
    if isinstance(data, Iterable):
        out = [f for d in data for f in feeds_of(d, symbol)]
        if not out:
            raise _core.DataError("data is an empty list: give at least one file or DataFrame")
        return out
    raise _core.DataError(f"invalid data {data!r}: expected a path, a DataFrame, a dict of them or a list")
