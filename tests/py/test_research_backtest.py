"""te.backtest(): the same strategy code on replayed data, deterministic, with its results as
DataFrames, stats and a plot; a live configuration backtested unchanged; and the bad inputs
(bad data, a strategy that raises) as clear errors that keep what ran."""

from __future__ import annotations

import os
import pty
import random
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tradeengine as te
from tradeengine.strategies import SmaCross

START = pd.Timestamp("2024-01-01", tz="UTC")
N_LONG = 70_000  # candles: more than 65,536 replay actions


def candles(n: int, seed: int = 7, symbol: str | None = None) -> pd.DataFrame:
    """A seeded random walk of 1m candles with exact two-decimal prices (as strings)."""
    rng = random.Random(seed)
    price = Decimal("40000")
    rows = []
    for i in range(n):
        o = price
        c = (o + Decimal(rng.randint(-3000, 3000)) / 100).quantize(Decimal("0.01"))
        h = max(o, c) + Decimal(rng.randint(0, 2000)) / 100
        low = min(o, c) - Decimal(rng.randint(0, 2000)) / 100
        rows.append({"open_time": START + pd.Timedelta(minutes=i), "open": str(o), "high": str(h), "low": str(low),
                     "close": str(c), "volume": "12.5"})  # fmt: skip
        price = c
    frame = pd.DataFrame(rows)
    if symbol:
        frame["symbol"] = symbol
    return frame


class CloseSum(te.Strategy):
    """Sums the closes it sees: the throughput benchmark's strategy, and a replay check."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.total = Decimal(0)
        self.count = 0
        self.times: list[int] = []

    def on_start(self) -> None:
        self.subscribe_candles("BTCUSDT", "1m")

    def on_candle(self, candle: te.Candle) -> None:
        self.total += candle.close.as_decimal()
        self.count += 1
        self.times.append(candle.close_time)


def sma(**kw: Any) -> SmaCross:
    return SmaCross(symbols=("BTCUSDT",), fast=3, slow=8, quantity=te.Quantity("0.05"), **kw)


def test_te_backtest_returns_all_frames_stats_and_a_plot() -> None:
    result = te.backtest(sma(), data={"BTCUSDT": candles(600)}, balances={"USDT": "10000"}, progress=False)
    assert result.replay.candles == 600
    assert not result.replay.stopped_early and result.error is None
    assert len(result.fills) > 4
    for frame in (result.orders, result.fills, result.equity, result.positions, result.prices):
        assert isinstance(frame.index, pd.DatetimeIndex) and str(frame.index.tz) == "UTC"
    assert set(result.fills.columns) >= {"side", "price", "quantity", "commission", "liquidity", "strategy"}
    assert all(isinstance(v, Decimal) for v in result.fills["price"])
    assert all(isinstance(v, Decimal) for v in result.equity["equity"])
    assert len(result.equity) == 600
    assert result.equity["equity"].iloc[0] == Decimal("10000")
    assert (result.fills["strategy"] == "SmaCross").all()
    stats = result.stats
    assert stats.fills == len(result.fills)
    assert "USDT" in stats.fees or "BTC" in stats.fees
    fig = result.plot()
    assert len(fig.axes) == 3


def test_fills_are_stamped_with_data_time_and_at_the_file_prices() -> None:
    data = candles(300)
    result = te.backtest(sma(), data={"BTCUSDT": data}, progress=False)
    closes = {START + pd.Timedelta(minutes=i, seconds=59.999): Decimal(c) for i, c in enumerate(data["close"])}
    market = result.fills[result.fills["liquidity"] == "TAKER"]
    assert len(market) > 0
    for t, f in market.iterrows():
        assert START <= t < START + pd.Timedelta(minutes=300), "data time, not the wall clock"
        if f["side"] == "BUY":  # a market buy meets the ask, which is the last price
            assert f["price"] == closes[t]
        else:  # a sell the bid, one tick below
            assert f["price"] == closes[t] - Decimal("0.01")


def test_the_same_data_config_and_seed_give_byte_identical_orders_and_fills() -> None:
    data = {"BTCUSDT": candles(1500, seed=3)}
    a = te.backtest(sma(), data=data, progress=False)
    b = te.backtest(sma(), data=data, progress=False)
    assert len(a.fills) > 10
    assert a.fills.to_csv() == b.fills.to_csv()
    assert a.orders.to_csv() == b.orders.to_csv()
    assert a.equity.to_csv() == b.equity.to_csv()


def test_every_candle_reaches_the_strategy_once_in_time_order() -> None:
    s = CloseSum()
    data = candles(1000)
    result = te.backtest(s, data={"BTCUSDT": data}, progress=False)
    assert s.count == 1000 == result.replay.candles
    assert s.total == sum(Decimal(c) for c in data["close"])
    assert s.times == sorted(s.times) and len(set(s.times)) == 1000


def test_start_and_end_select_the_data() -> None:
    s = CloseSum()
    result = te.backtest(s, data={"BTCUSDT": candles(120)}, start=START + pd.Timedelta(minutes=30),
                         end="2024-01-01T01:30:00Z", progress=False)  # fmt: skip
    assert s.count == 60
    assert result.replay.skipped_before_start == 30 and result.replay.skipped_after_end == 30


def test_a_live_config_backtests_unchanged(tmp_path: Path) -> None:
    config = tmp_path / "live.toml"
    config.write_text(
        'name = "live"\n[[venues]]\nkind = "simulated"\nname = "SIM"\n'
        '[[strategies]]\nname = "sma"\nclass = "SmaCross"\nsymbols = ["BTCUSDT"]\n'
        'params = { fast = 3, slow = 8, quantity = "0.05" }\n'
    )
    node = te.Node.from_toml(config, backtest=te.venues.Backtest(data={"BTCUSDT": candles(400)}))
    assert node.is_backtest and node._native.venue_names == ["SIM"]
    summary = node.run()
    assert node.backtest_report is not None and node.backtest_report.candles == 400
    assert summary.fills > 0
    assert all(str(o.instrument_id) == "BTCUSDT.SIM" for o in node.orders())
    with pytest.raises(te.StateTransitionError, match="backtest"):
        node.start()


class FailsAt(CloseSum):
    def __init__(self, at: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.at = at

    def on_candle(self, candle: te.Candle) -> None:
        super().on_candle(candle)
        if self.count == 3:
            self.buy("BTCUSDT", te.Quantity("0.01"))
        if self.count == self.at:
            raise ValueError(f"broken on bar {self.count}")


def test_a_strategy_that_raises_ends_the_backtest_with_its_traceback_and_partial_results() -> None:
    result = te.backtest(FailsAt(10_000), data={"BTCUSDT": candles(12_000)}, progress=False)
    assert result.replay.stopped_early
    assert "broken on bar 10000" in result.error
    assert "Traceback" in result.error and "on_candle" in result.error
    assert 10_000 <= result.replay.candles < 10_010
    assert len(result.fills) == 1, "what ran before the failure is kept"
    assert len(result.equity) >= 9_999


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda f: f.drop(columns=["close"]), "missing columns"),
        (lambda f: f.iloc[[0, 2, 1, 3]], "row 2"),
        (lambda f: pd.concat([f.iloc[:2], f.iloc[1:2]]), "the same as"),
        (lambda f: f.assign(high=["1"] * len(f)), "high 1 and low"),
        (lambda f: f.assign(close=["abc"] * len(f)), "close"),
    ],
    ids=["missing column", "unsorted", "duplicated", "high below", "not a number"],
)
def test_bad_dataframes_are_data_errors_naming_the_row(mutate: Any, message: str) -> None:
    with pytest.raises(te.DataError, match=message):
        te.backtest(CloseSum(), data={"BTCUSDT": mutate(candles(4))}, progress=False)


def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(te.DataError, match="split symbol"):
        te.backtest(CloseSum(), data={"XYZ": candles(4)}, progress=False)
    with pytest.raises(te.ConfigError, match="bar_path"):
        te.backtest(CloseSum(), data={"BTCUSDT": candles(4)}, bar_path="sideways", progress=False)
    with pytest.raises(te.ConfigError, match="fees"):
        te.backtest(CloseSum(), data={"BTCUSDT": candles(4)}, fees={"maker": "0", "tacker": "0"}, progress=False)
    with pytest.raises(te.DataError, match="no such file"):
        te.backtest(CloseSum(), data="missing/BTCUSDT-1m-2024-01.csv", progress=False)
    with pytest.raises(te.ConfigError, match="not after start"):
        te.backtest(CloseSum(), data={"BTCUSDT": candles(4)}, start="2024-01-02", end="2024-01-01", progress=False)
    with pytest.raises(ValueError, match="ISO date"):
        te.backtest(CloseSum(), data={"BTCUSDT": candles(4)}, start="yesterday", progress=False)


def test_a_gap_is_reported_not_fatal() -> None:
    data = candles(50).drop(index=range(20, 25))
    result = te.backtest(CloseSum(), data={"BTCUSDT": data}, progress=False)
    assert result.replay.candles == 45
    assert [g.missing_bars for g in result.replay.gaps] == [5]


class TradeTaker(te.Strategy):
    """Rests a buy below the first trade; counts the trades it sees."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.trades = 0

    def on_start(self) -> None:
        self.subscribe_trades("BTCUSDT")

    def on_trade(self, trade: te.Trade) -> None:
        self.trades += 1
        if self.trades == 1:
            self.buy("BTCUSDT", te.Quantity("0.1"), te.Price("41990"))


def test_an_aggtrades_csv_replays_trade_by_trade_and_fills_resting_orders_at_their_price(tmp_path: Path) -> None:
    path = tmp_path / "BTCUSDT-aggTrades-2024-01.csv"
    t0 = 1_704_067_200_000
    prices = ["42000.00", "41995.50", "41989.00", "41992.10", "42001.00"]
    path.write_text("".join(f"{i + 1},{p},0.5,{i + 1},{i + 1},{t0 + 1000 * i},false,true\n" for i, p in enumerate(prices)))
    s = TradeTaker()
    result = te.backtest(s, data=path, progress=False)
    assert s.trades == 5 == result.replay.trades
    (fill,) = result.fills.itertuples()
    assert fill.price == Decimal("41990") and fill.liquidity == "MAKER"
    assert fill.Index == pd.Timestamp(t0 + 2000, unit="ms", tz="UTC"), "at the trade that crossed it"


def test_a_parquet_file_backtests_like_its_dataframe(tmp_path: Path) -> None:
    frame = candles(300)
    frame.to_parquet(tmp_path / "BTCUSDT-1m-2024-01.parquet")
    a = te.backtest(sma(), data=tmp_path / "BTCUSDT-1m-2024-01.parquet", progress=False)
    b = te.backtest(sma(), data={"BTCUSDT": frame}, progress=False)
    assert a.replay.candles == 300 and a.fills.to_csv() == b.fills.to_csv()


class QuoteTaker(te.Strategy):
    """Buys at market on the second quote, then rests a sell above the ask."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.quotes = 0

    def on_start(self) -> None:
        self.subscribe_quotes("BTCUSDT")

    def on_quote(self, quote: te.Quote) -> None:
        self.quotes += 1
        if self.quotes == 2:
            self.buy("BTCUSDT", te.Quantity("0.1"))
        if self.quotes == 3:
            self.sell("BTCUSDT", te.Quantity("0.05"), te.Price("42010"))


def test_quotes_set_the_book_market_orders_fill_at_the_ask_and_resting_orders_at_their_price() -> None:
    times = pd.date_range("2024-01-01", periods=5, freq="1s", tz="UTC")
    quotes = pd.DataFrame({"bid": ["41999", "42000", "42001", "42005", "42011"], "bid_size": ["1"] * 5,
                           "ask": ["42000", "42001", "42002", "42006", "42012"], "ask_size": ["1"] * 5},
                          index=times)  # fmt: skip
    s = QuoteTaker()
    result = te.backtest(s, data={"BTCUSDT": quotes}, progress=False)
    assert s.quotes == 5 == result.replay.quotes
    buy, sell = result.fills.itertuples()
    assert (buy.side, buy.price, buy.liquidity) == ("BUY", Decimal("42001"), "TAKER"), "the ask of quote 2"
    assert (sell.side, sell.price, sell.liquidity) == ("SELL", Decimal("42010"), "MAKER")
    assert sell.Index == times[4], "when the bid reached it"
    with pytest.raises(te.DataError, match="bid 42001 and ask 42000"):
        te.backtest(QuoteTaker(), data={"BTCUSDT": quotes.assign(ask=["42000"] * 5, bid=["42001"] * 5)}, progress=False)


def books(n: int = 5, levels: int = 3) -> pd.DataFrame:
    """n books 1 s apart, ``levels`` levels a side 1 apart, best bid 42000 + row, sizes 0.04, 0.05, ..."""
    rows: dict[str, list[str]] = {}
    for k in range(levels):
        rows[f"bid_price_{k}"] = [str(42000 + i - k) for i in range(n)]
        rows[f"bid_size_{k}"] = [f"0.0{4 + k}"] * n
        rows[f"ask_price_{k}"] = [str(42001 + i + k) for i in range(n)]
        rows[f"ask_size_{k}"] = [f"0.0{4 + k}"] * n
    return pd.DataFrame(rows, index=pd.date_range("2024-01-01", periods=n, freq="1s", tz="UTC"))


class BookTaker(QuoteTaker):
    """QuoteTaker, keeping the best bid and ask of every quote it got."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.seen: list[tuple[Decimal, Decimal]] = []

    def on_quote(self, quote: te.Quote) -> None:
        self.seen.append((quote.bid_price.as_decimal(), quote.ask_price.as_decimal()))
        super().on_quote(quote)


def test_books_where_given_market_orders_walk_their_levels_and_strategies_see_the_best_bid_and_ask() -> None:
    s = BookTaker()  # buys 0.1 at market on the 2nd book, rests a sell of 0.05 at 42010 on the 3rd
    result = te.backtest(s, data={"BTCUSDT": books(12)}, progress=False)
    assert result.replay.books == 12 and result.replay.quotes == 0 and s.quotes == 12
    assert s.seen[:2] == [(Decimal(42000), Decimal(42001)), (Decimal(42001), Decimal(42002))], "level 0 of each book"
    buys = result.fills[result.fills.side == "BUY"]
    # 0.1 against the 2nd book's asks 42002 x 0.04, 42003 x 0.05, 42004 x 0.06: three levels deep.
    assert [(f.price, f.quantity) for f in buys.itertuples()] == [
        (Decimal("42002"), Decimal("0.04")), (Decimal("42003"), Decimal("0.05")), (Decimal("42004"), Decimal("0.01"))]
    assert set(buys.liquidity) == {"TAKER"}
    (sell,) = result.fills[result.fills.side == "SELL"].itertuples()
    assert (sell.price, sell.liquidity) == (Decimal("42010"), "MAKER")
    assert sell.Index == buys.index[0] + pd.Timedelta("9s"), "when a book's best bid reached it (book 11: bid 42010)"


def test_a_book_with_fewer_levels_in_some_rows_and_one_symbol_column() -> None:
    frame = books(4, levels=2)
    frame.loc[frame.index[1], ["bid_price_1", "bid_size_1"]] = None
    frame["symbol"] = "BTCUSDT"
    assert te.backtest(QuoteTaker(), data=frame, progress=False).replay.books == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(ask_price_0=["41000"] * len(f)), "row 0: best bid 42000 above best ask 41000"),
        (lambda f: f.assign(bid_price_1=["42001"] * len(f)), r"row 0: bid_price_1 42001 after 42000: expected falling bid prices"),
        (lambda f: f.assign(ask_price_1=["42001"] * len(f)), r"ask_price_1 42001 after 42001: expected rising ask prices"),
        (lambda f: f.assign(bid_price_0=[None] * len(f)), r"row 0: bid_price_1 is given but a better level is not"),
        (lambda f: f.assign(ask_size_2=["0"] * len(f)), r"ask_price_2 42003 with size 0: expected price and size > 0"),
        (lambda f: f.assign(bid_size_1=["lots"] * len(f)), r"row 0: bid_size_1"),
        (lambda f: f.drop(columns=["ask_size_2"]), r"book columns do not pair up"),
        (lambda f: f.drop(columns=[c for c in f.columns if c.startswith("ask")]), r"book columns do not pair up"),
    ],
)
def test_bad_books_are_data_errors_naming_the_row_and_column(change: Any, message: str) -> None:
    with pytest.raises(te.DataError, match=message):
        te.backtest(QuoteTaker(), data={"BTCUSDT": change(books(3))}, progress=False)


class Slow(CloseSum):
    def on_candle(self, candle: te.Candle) -> None:
        import time

        super().on_candle(candle)
        if self.count == 1:
            print("running", flush=True)
        time.sleep(0.001)


@pytest.mark.skipif(bool(__import__("os").environ.get("TRADEENGINE_SANITIZED")), reason="a subprocess imports the editable build")
def test_ctrl_c_stops_a_long_backtest_with_keyboard_interrupt(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "import tradeengine as te\n"
        "from test_research_backtest import Slow, candles\n"
        "try:\n"
        "    te.backtest(Slow(), data={'BTCUSDT': candles(20_000)}, progress=False)\n"
        "    print('finished')\n"
        "except KeyboardInterrupt as exc:\n"
        "    print('interrupted', exc)\n"
    ) % str(Path(__file__).parent)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "running"
    time.sleep(0.3)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert out.startswith("interrupted backtest interrupted at 2024-01-01"), out
    assert time.monotonic() - t0 < 10
    assert proc.returncode == 0


# ---- the progress bar ---------------------------------------------------------------------


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every tqdm bar te.backtest makes, with the count after each update (``.counts``)."""
    import tqdm.auto

    made: list[Any] = []

    class Recorded(tqdm.auto.tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kw: Any) -> None:
            self.counts: list[float] = []
            super().__init__(*args, **kw)
            made.append(self)

        def update(self, n: float | None = 1) -> bool | None:
            shown = super().update(n)
            self.counts.append(self.n)
            return shown

    monkeypatch.setattr(tqdm.auto, "tqdm", Recorded)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)  # not in a notebook
    return made


def test_progress_bar_is_shown_when_stderr_is_a_terminal(monkeypatch: pytest.MonkeyPatch, bars: list[Any]) -> None:
    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "w") as terminal, monkeypatch.context() as m:
            m.setattr(sys, "stderr", terminal)
            result = te.backtest(CloseSum(), data={"BTCUSDT": candles(300)})  # progress=None: decide
    finally:
        os.close(master)
    assert len(bars) == 1 and bars[0].n == result.replay.candles == 300


def test_progress_bar_is_off_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str], bars: list[Any]) -> None:
    assert not sys.stderr.isatty()
    result = te.backtest(CloseSum(), data={"BTCUSDT": candles(300)})  # progress=None
    assert result.replay.candles == 300
    assert bars == [] and capsys.readouterr().err == ""


def test_progress_bar_can_be_forced_on_and_off(capsys: pytest.CaptureFixture[str], bars: list[Any]) -> None:
    te.backtest(CloseSum(), data={"BTCUSDT": candles(300)}, progress=True)
    assert len(bars) == 1 and "backtest:" in capsys.readouterr().err
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal, pytest.MonkeyPatch.context() as m:
        m.setattr(sys, "stderr", terminal)
        te.backtest(CloseSum(), data={"BTCUSDT": candles(300)}, progress=False)
    os.close(master)
    assert len(bars) == 1, "progress=False: no bar, even on a terminal"


def test_progress_bar_is_shown_in_a_notebook_kernel(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], bars: list[Any]
) -> None:
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    te.backtest(CloseSum(), data={"BTCUSDT": candles(300)})
    assert len(bars) == 1


def test_progress_bar_counts_up_during_the_run_and_ends_at_the_items_replayed(
    capsys: pytest.CaptureFixture[str], bars: list[Any]
) -> None:
    # No start or end given (the usual call), and long enough for reports during the run (every
    # 65,536 actions), not only the one at the end.
    result = te.backtest(CloseSum(), data={"BTCUSDT": candles(N_LONG)}, progress=True)
    (bar,) = bars
    assert len(bar.counts) >= 2, bar.counts
    assert bar.counts == sorted(bar.counts) and 0 < bar.counts[0] < N_LONG
    assert bar.n == result.replay.candles == N_LONG
    assert bar.postfix.startswith(f"at {te.format_iso8601(result.replay.last_time)[:16]}")


def test_progress_bar_with_start_and_end_shows_the_share_of_the_range(
    capsys: pytest.CaptureFixture[str], bars: list[Any]
) -> None:
    data = {"BTCUSDT": candles(600)}
    result = te.backtest(CloseSum(), data=data, start="2024-01-01T01:00:00Z", end="2024-01-01T11:00:00Z", progress=True)
    (bar,) = bars
    assert bar.n == result.replay.candles == 540
    assert bar.postfix.endswith("(90%)"), bar.postfix  # the data ends at 10:00, 9 of the 10 hours
