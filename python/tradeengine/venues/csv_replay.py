"""An example Python connector: replays a kline CSV as a live feed.

It shows the venue interface at work (see ``MarketDataConnector``): a thread of its own reads
the file and hands candles to the engine exactly as the C++ Binance client does. Each kline
is sent as an in-progress update (closed=False) and then as its final, closed candle; the
pace is one kline per ``1 / klines_per_second`` seconds of real time (0: as fast as the
engine takes them).

The CSV is Binance's kline export (12 columns) or any file whose first six columns are
open time (ms), open, high, low, close, volume; optional columns 7-9 are close time (ms),
quote volume and trade count. A header line is skipped. Every row is checked before the
replay starts: a bad row is a ConfigError naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tradeengine import _core
from tradeengine.venues.base import MarketDataConnector

__all__ = ["CsvKlineReplay", "load_kline_csv"]

_COLUMNS = ("open_time", "open", "high", "low", "close", "volume")


def _interval_ms(interval: str) -> int:
    open_ms = 1_700_000_000_000 - 1_700_000_000_000 % 86_400_000  # a day boundary
    return _core.next_open_time_ms(_core.interval_from_string(interval), open_ms) - open_ms


def load_kline_csv(
    path: str | Path, instrument_id: str | _core.InstrumentId, interval: str = "1m"
) -> list[_core.Candle]:
    """Reads and checks every row; ConfigError naming the line and the problem otherwise."""
    path = Path(path)
    try:
        iid = _core.InstrumentId(str(instrument_id))
    except ValueError as exc:
        raise _core.ConfigError(f"CsvKlineReplay: instrument_id: {exc}") from None
    try:
        step = _interval_ms(interval)
    except ValueError as exc:
        raise _core.ConfigError(f"CsvKlineReplay: interval: {exc}") from None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _core.ConfigError(f"CsvKlineReplay: cannot read '{path}': {exc.strerror}") from None
    candles: list[_core.Candle] = []
    for line_no, cols in enumerate(csv.reader(text.splitlines()), start=1):
        if not cols or not "".join(cols).strip():
            continue
        if line_no == 1 and not cols[0].strip().lstrip("-").isdigit():
            continue  # a header
        where = f"{path}:{line_no}"
        if len(cols) < 6:
            raise _core.ConfigError(
                f"CsvKlineReplay: {where}: expected at least 6 columns ({','.join(_COLUMNS)}), got {len(cols)}"
            )
        candles.append(_row_to_candle(cols, iid, interval, step, where))
    if not candles:
        raise _core.ConfigError(f"CsvKlineReplay: '{path}' has no klines")
    for before, after in zip(candles, candles[1:]):
        if after.open_time <= before.open_time:
            raise _core.ConfigError(
                f"CsvKlineReplay: '{path}': open times must increase "
                f"({after.open_time // 1_000_000} after {before.open_time // 1_000_000})"
            )
    return candles


def _row_to_candle(
    cols: list[str], iid: _core.InstrumentId, interval: str, step_ms: int, where: str
) -> _core.Candle:
    try:
        open_ms = int(cols[0])
    except ValueError:
        raise _core.ConfigError(f"CsvKlineReplay: {where}: open_time '{cols[0]}' is not an integer (ms)") from None
    prices = []
    for name, text in zip(_COLUMNS[1:5], cols[1:5]):
        try:
            prices.append(_core.Price(text.strip()))
        except (ValueError, TypeError) as exc:
            raise _core.ConfigError(f"CsvKlineReplay: {where}: {name}: {exc}") from None
    try:
        volume = _core.Quantity(cols[5].strip())
    except (ValueError, TypeError) as exc:
        raise _core.ConfigError(f"CsvKlineReplay: {where}: volume: {exc}") from None
    close_ms = open_ms + step_ms - 1
    quote_volume, trades = "0", 0
    try:
        if len(cols) > 6 and cols[6].strip():
            close_ms = int(cols[6])
        if len(cols) > 7 and cols[7].strip():
            quote_volume = cols[7].strip()
        if len(cols) > 8 and cols[8].strip():
            trades = int(cols[8])
    except ValueError as exc:
        raise _core.ConfigError(f"CsvKlineReplay: {where}: {exc}") from None
    o, h, low, c = prices
    try:
        return _core.Candle(
            iid, interval, open_ms * 1_000_000, close_ms * 1_000_000, o, h, low, c, volume,
            _core.Money(quote_volume), trades, True, close_ms * 1_000_000, 0,
        )  # fmt: skip
    except ValueError as exc:
        raise _core.ConfigError(f"CsvKlineReplay: {where}: {exc}") from None


def _in_progress(c: _core.Candle, ts_recv: int) -> _core.Candle:
    return _core.Candle(
        c.instrument_id, c.interval, c.open_time, c.close_time, c.open, c.high, c.low, c.close,
        c.volume, c.quote_volume, c.trade_count, False, c.open_time, ts_recv,
    )  # fmt: skip


def _closed(c: _core.Candle, ts_recv: int) -> _core.Candle:
    return _core.Candle(
        c.instrument_id, c.interval, c.open_time, c.close_time, c.open, c.high, c.low, c.close,
        c.volume, c.quote_volume, c.trade_count, True, c.close_time, ts_recv,
    )  # fmt: skip


class CsvKlineReplay(MarketDataConnector):
    """Replays a kline CSV into an engine as if it were a live venue.

    ``klines_per_second``: pace (0 = as fast as the engine accepts); ``updates``: send each
    kline as an in-progress update before its closed copy, as a venue does.
    """

    name = "csv-replay"

    def __init__(
        self,
        path: str | Path,
        instrument_id: str | _core.InstrumentId,
        interval: str = "1m",
        *,
        klines_per_second: float = 10.0,
        updates: bool = True,
    ) -> None:
        super().__init__()
        if not klines_per_second >= 0:
            raise ValueError(
                f"invalid klines_per_second {klines_per_second!r}: expected a number >= 0"
            )
        self.candles = load_kline_csv(path, instrument_id, interval)
        self.klines_per_second = float(klines_per_second)
        self.updates = updates
        self.sent = 0  # closed candles handed to the engine
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()

    @property
    def finished(self) -> bool:
        """True once every kline has been sent (or the replay was stopped)."""
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Blocks until the replay has sent everything; False on timeout."""
        return self._done.wait(timeout)

    def on_connect(self) -> None:
        self._thread = threading.Thread(target=self._run, name="te-csv-replay", daemon=True)
        self._thread.start()

    def on_disconnect(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _paced(self) -> Iterator[_core.Candle]:
        period = 1.0 / self.klines_per_second if self.klines_per_second > 0 else 0.0
        start = time.monotonic()
        for i, candle in enumerate(self.candles):
            if period:
                delay = start + i * period - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
            if self._stop.is_set():
                return
            yield candle

    def _run(self) -> None:
        try:
            for candle in self._paced():
                now = _core.now_ns()
                if self.updates:
                    self.emit_candle(_in_progress(candle, now))
                self.emit_candle(_closed(candle, now))
                self.sent += 1
        finally:
            self._done.set()
