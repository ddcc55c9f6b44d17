"""The Python venue interface, through its example connector: a kline CSV replayed as a live
feed reaches the engine exactly as the C++ connectors' data does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import tradeengine as te
from tradeengine.venues import CsvKlineReplay, MarketDataConnector, load_kline_csv

MINUTE_MS = 60_000


def write_csv(path: Path, n: int, header: bool = True, start_ms: int = 1_700_000_040_000) -> Path:
    rows = ["open_time,open,high,low,close,volume,close_time,quote_volume,trades"] if header else []
    for i in range(n):
        o = 100 + i
        rows.append(f"{start_ms + i * MINUTE_MS},{o}.5,{o + 2},{o - 1}.25,{o + 1},{i + 1}.125,"
                    f"{start_ms + (i + 1) * MINUTE_MS - 1},{(i + 1) * 100},{10 + i}")
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
def engine() -> Iterator[te.Engine]:
    e = te.Engine(name="csv-replay")
    e.run()
    yield e
    if e.state == te.EngineState.RUNNING:
        e.stop()


def test_every_kline_is_replayed_in_order_with_its_update_first(tmp_path: Path, engine: te.Engine) -> None:
    path = write_csv(tmp_path / "btc.csv", 50)
    closed: list[te.Candle] = []
    updates: list[te.Candle] = []
    engine.subscribe(te.EventType.CANDLE_CLOSED, lambda e: closed.append(e.payload))
    engine.subscribe(te.EventType.CANDLE_UPDATE, lambda e: updates.append(e.payload))
    replay = CsvKlineReplay(path, "BTCUSDT.CSV", "1m", klines_per_second=0)
    replay.connect(engine)
    assert replay.wait(10)
    deadline = time.monotonic() + 5
    while len(closed) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [c.open_time for c in closed] == [c.open_time for c in replay.candles]
    assert len(updates) == 50 and not any(u.closed for u in updates)
    first = closed[0]
    assert first.instrument_id == te.InstrumentId("BTCUSDT.CSV")
    assert (first.open, first.high, first.low, first.close) == (
        te.Price("100.5"), te.Price("102"), te.Price("99.25"), te.Price("101"))
    assert first.volume == te.Quantity("1.125") and first.quote_volume == te.Money("100") and first.trade_count == 10
    assert first.close_time - first.open_time == (MINUTE_MS - 1) * 1_000_000
    assert engine.metrics()["candles_received"] == 100
    assert replay.sent == 50


def test_the_pace_is_kept(tmp_path: Path, engine: te.Engine) -> None:
    replay = CsvKlineReplay(write_csv(tmp_path / "k.csv", 6), "BTCUSDT.CSV", klines_per_second=20)
    t0 = time.monotonic()
    replay.connect(engine)
    assert replay.wait(5)
    assert time.monotonic() - t0 >= 5 / 20 * 0.9


def test_engine_stop_stops_the_replay_first(tmp_path: Path) -> None:
    engine = te.Engine(name="csv-stop")
    engine.run()
    replay = CsvKlineReplay(write_csv(tmp_path / "k.csv", 1000), "BTCUSDT.CSV", klines_per_second=50)
    replay.connect(engine)
    time.sleep(0.1)
    engine.stop()
    assert not replay.connected and replay.finished
    assert 0 < replay.sent < 1000
    assert engine.metrics()["candles_dropped_not_running"] == 0, "nothing arrived after the drain began"


def test_a_headerless_binance_export_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("1700000040000,1.0,2.0,0.5,1.5,10,1700000099999,15,7,5,7.5,0\n")
    (c,) = load_kline_csv(path, "ETHUSDT.BINANCE", "1m")
    assert c.close == te.Price("1.5") and c.trade_count == 7 and c.closed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("open_time,open\n", "has no klines"),
        ("1700000040000,1,2,0.5\n", r"k.csv:1: expected at least 6 columns"),
        ("1700000040000,1,2,0.5,1.5,10\nxx,1,2,0.5,1.5,10\n", r"k.csv:2: open_time 'xx' is not an integer"),
        ("1700000040000,1,2,abc,1.5,10\n", r"k.csv:1: low"),
        ("1700000040000,1,2,0.5,1.5,-3\n", r"k.csv:1"),
        ("1700000040000,1,2,3,1.5,10\n", r"k.csv:1: .*high 2 < low 3"),
        ("1700000100000,1,2,0.5,1.5,10\n1700000040000,1,2,0.5,1.5,10\n", "open times must increase"),
        ("1700000040000,1,2,0.5,1.5,10,1700000099999,15,many\n", r"k.csv:1"),
    ],
)
def test_bad_csv_rows_are_config_errors_naming_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "k.csv"
    path.write_text(content)
    with pytest.raises(te.ConfigError, match=message):
        CsvKlineReplay(path, "BTCUSDT.CSV")


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", 2)
    with pytest.raises(te.ConfigError, match="cannot read"):
        CsvKlineReplay(tmp_path / "missing.csv", "BTCUSDT.CSV")
    with pytest.raises(te.ConfigError, match="interval"):
        CsvKlineReplay(path, "BTCUSDT.CSV", "7m")
    with pytest.raises(te.ConfigError, match="instrument_id"):
        CsvKlineReplay(path, "no-venue")
    with pytest.raises(ValueError, match="klines_per_second"):
        CsvKlineReplay(path, "BTCUSDT.CSV", klines_per_second=-1)


def test_connecting_twice_or_before_run_is_refused(tmp_path: Path, engine: te.Engine) -> None:
    path = write_csv(tmp_path / "k.csv", 2)
    with pytest.raises(te.EngineNotRunningError):
        CsvKlineReplay(path, "BTCUSDT.CSV").connect(te.Engine(name="idle"))
    replay = CsvKlineReplay(path, "BTCUSDT.CSV", klines_per_second=0)
    replay.connect(engine)
    with pytest.raises(te.StateTransitionError, match="already connected"):
        replay.connect(engine)
    with pytest.raises(TypeError, match="expected a tradeengine.Engine"):
        CsvKlineReplay(path, "BTCUSDT.CSV").connect(object())


def test_a_hand_written_connector_feeds_trades_and_quotes(engine: te.Engine) -> None:
    class Ticker(MarketDataConnector):
        name = "ticker"

        def on_connect(self) -> None:
            self.thread = threading.Thread(target=self.run)
            self.thread.start()

        def run(self) -> None:
            iid = te.InstrumentId("BTCUSDT.TEST")
            for i in range(100):
                self.emit_trade(te.Trade(iid, te.Price("100"), te.Quantity("1"), trade_id=i))
                self.emit_quote(te.Quote(iid, te.Price("99"), te.Quantity("1"), te.Price("101"), te.Quantity("2")))

        def on_disconnect(self) -> None:
            self.thread.join()

    trades: list[int] = []
    quotes: list[te.Quote] = []
    engine.subscribe(te.EventType.TRADE, lambda e: trades.append(e.payload.trade_id))
    engine.subscribe(te.EventType.QUOTE, lambda e: quotes.append(e.payload))
    t = Ticker()
    t.connect(engine)
    t.thread.join()
    deadline = time.monotonic() + 5
    while (len(trades) < 100 or len(quotes) < 100) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert trades == list(range(100)) and len(quotes) == 100
    m = engine.metrics()
    assert m["trades_received"] == 100 and m["quotes_received"] == 100
