"""``te.backtest()``: one deterministic backtest of strategies on replayed data.

::

    import tradeengine as te
    from tradeengine.strategies import SmaCross

    result = te.backtest(SmaCross(symbols=("BTCUSDT",), fast=5, slow=20, quantity="0.01"),
                         data=te.research.sample_data_path("BTCUSDT"), balances={"USDT": "10000"})
    result.stats           # BacktestStats (print it for a table)
    result.fills           # pandas DataFrames indexed by time; money columns are Decimal
    result.plot()          # price with buy/sell markers, equity, drawdown

The backtest is a Node (the same strategies, order manager and portfolio as live) whose venue is
the simulated exchange's matching engine fed by the data, on a clock the data drives: the same
data, configuration and seed give byte-identical orders and fills. A strategy that raises ends
the run (its traceback is in ``result.error``); what ran until then is kept.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradeengine import _core
from tradeengine.config import LogSettings
from tradeengine.venues.backtest import Backtest

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from tradeengine.node import Node, RunSummary
    from tradeengine.research.stats import BacktestStats
    from tradeengine.strategy import Strategy

__all__ = ["BacktestResult", "backtest", "run"]


def _times(ns: Iterable[int]) -> pd.DatetimeIndex:
    import pandas as pd

    return pd.DatetimeIndex(pd.to_datetime(list(ns), unit="ns", utc=True), name="time")


@dataclasses.dataclass
class BacktestResult:
    """What one backtest produced. Frames are built on first access (a long run's frames cost
    more than the run itself); every money column holds ``decimal.Decimal``.

    Attributes:
        replay: what was replayed (candles, trades, gaps, data outside start/end, wall time)
            and whether it stopped early, and why.
        summary: the run's figures (orders by outcome, fills, PnL, fees), as ``node.run()``.
        error: the failing strategy's error and traceback, or None.
        node: the stopped Node (orders, portfolio, status), for anything else.
    """

    replay: _core.BacktestReport
    summary: RunSummary
    error: str | None
    node: Node
    _venue: _core.BacktestVenue

    @property
    def strategies(self) -> list[Strategy]:
        """The strategies, as they ended (their own counters and state)."""
        return self.node.strategies

    @functools.cached_property
    def orders(self) -> pd.DataFrame:
        """One row per order (index: the time it was created): client_order_id, strategy,
        instrument, side, type, status, quantity, price, filled_quantity, avg_fill_price,
        reason."""
        import pandas as pd

        rows = []
        for o in self.node.orders():
            r = o.request
            rows.append({"client_order_id": o.client_order_id, "strategy": o.strategy, "instrument": str(o.instrument_id),
                         "side": o.side.name, "type": r.type.name, "status": o.status.name,
                         "quantity": r.quantity.as_decimal(),
                         "price": r.price.as_decimal() if r.price is not None else None,
                         "filled_quantity": o.filled_quantity.as_decimal(),
                         "avg_fill_price": o.avg_fill_price.as_decimal() if o.filled_quantity > _core.Quantity("0") else None,
                         "reason": o.reason, "time": o.ts_init})  # fmt: skip
        frame = pd.DataFrame(rows, columns=["client_order_id", "strategy", "instrument", "side", "type", "status",
                                            "quantity", "price", "filled_quantity", "avg_fill_price", "reason", "time"])  # fmt: skip
        frame.index = _times(frame.pop("time"))
        return frame

    @functools.cached_property
    def fills(self) -> pd.DataFrame:
        """One row per fill (index: its time): client_order_id, strategy, instrument, side, price,
        quantity, quote_quantity, commission, commission_asset, liquidity (MAKER/TAKER)."""
        import pandas as pd

        owners = {o.client_order_id: o.strategy for o in self.node.orders()}
        rows = []
        for f in self._venue.fills():
            price, qty = f.price.as_decimal(), f.quantity.as_decimal()
            rows.append({"client_order_id": f.client_order_id, "strategy": owners.get(f.client_order_id, ""),
                         "instrument": str(f.instrument_id), "side": f.side.name, "price": price, "quantity": qty,
                         "quote_quantity": price * qty, "commission": f.commission.as_decimal(),
                         "commission_asset": f.commission_asset, "liquidity": "MAKER" if f.maker else "TAKER",
                         "time": f.ts_event})  # fmt: skip
        frame = pd.DataFrame(rows, columns=["client_order_id", "strategy", "instrument", "side", "price", "quantity",
                                            "quote_quantity", "commission", "commission_asset", "liquidity", "time"])  # fmt: skip
        frame.index = _times(frame.pop("time"))
        return frame

    @functools.cached_property
    def positions(self) -> pd.DataFrame:
        """The position of each instrument after each fill (index: the fill's time): instrument,
        quantity (signed, Decimal; base-asset commissions deducted as the venue does)."""
        import pandas as pd

        held: dict[str, Decimal] = {}
        rows = []
        for t, f in self.fills.iterrows():
            q = f["quantity"] if f["side"] == "BUY" else -f["quantity"]
            base = f["instrument"].split(".")[0]
            if f["commission_asset"] and base.startswith(f["commission_asset"]):
                q -= f["commission"]
            held[f["instrument"]] = held.get(f["instrument"], Decimal(0)) + q
            rows.append({"time": t, "instrument": f["instrument"], "quantity": held[f["instrument"]]})
        frame = pd.DataFrame(rows, columns=["time", "instrument", "quantity"])
        return frame.set_index(pd.DatetimeIndex(frame.pop("time"), name="time"))

    @functools.cached_property
    def _samples(self) -> tuple[Any, ...]:
        return tuple(self._venue.equity())

    @functools.cached_property
    def equity(self) -> pd.DataFrame:
        """The account's value after each candle close (index: the close time), in the
        valuation asset: equity = cash + position_value, all Decimal."""
        import pandas as pd

        times, cash, positions, _ = self._samples
        c = [Decimal(x) for x in cash]
        p = [Decimal(x) for x in positions]
        return pd.DataFrame({"equity": [a + b for a, b in zip(c, p)], "cash": c, "position_value": p},
                            index=_times(times))  # fmt: skip

    @functools.cached_property
    def prices(self) -> pd.DataFrame:
        """The last price of every instrument at each equity sample (one column per instrument, Decimal)."""
        import pandas as pd

        times, _, _, marks = self._samples
        names = [str(i.id) for i in self._venue.instruments()]
        return pd.DataFrame({n: [Decimal(x) for x in col] for n, col in zip(names, marks)}, index=_times(times))

    @functools.cached_property
    def stats(self) -> BacktestStats:
        """Total return, CAGR, Sharpe, Sortino, max drawdown and its duration, win rate, profit
        factor, exposure, trades and fees (formulas: docs/guide/backtesting.md)."""
        from tradeengine.research.stats import compute_stats

        # What is too small to sell counts as flat (a base-asset commission's leftover), per instrument.
        dust = {str(i.id): max(i.step_size.as_decimal(), i.min_quantity.as_decimal()) for i in self._venue.instruments()}
        return compute_stats(self.equity, self.fills, dust=dust)

    def plot(self, title: str | None = None) -> Figure:
        """Price with buy/sell markers, equity and drawdown (matplotlib)."""
        from tradeengine.research.plot import plot_backtest

        return plot_backtest(self.prices, self.fills, self.equity, title=title)

    def report(self, path: str | Path, title: str | None = None) -> Path:
        """Writes an HTML report (stats, plot, fills) or a PNG of the plot, by the suffix."""
        from tradeengine.research.report import write_report

        return write_report(path, self.stats, self.plot(title), self.fills, title=title or "Backtest")

    def __repr__(self) -> str:
        r = self.replay
        end = f", stopped early: {r.stop_reason}" if r.stopped_early else ""
        return f"BacktestResult({r.candles} candles, {self.summary.fills} fills, net {self.summary.net}{end})"


class _Progress:
    """A tqdm bar (terminal and notebook), only when someone is watching: it counts the items
    replayed (candles, trades, quotes; the replay reports them every 65,536 actions and at the
    end) and shows the data time reached, with the share of [start, end) when both are given."""

    def __init__(self, enabled: bool | None, start: int | None, end: int | None) -> None:
        self.bar = None
        if enabled is None:
            enabled = sys.stderr.isatty() or "ipykernel" in sys.modules
        if not enabled:
            return
        from tqdm.auto import tqdm

        self.start, self.end = start, end
        self.bar = tqdm(desc="backtest", unit=" items", leave=False)

    def __call__(self, items: int, data_time: int) -> None:
        if self.bar is None:
            return
        self.bar.update(max(0, items - self.bar.n))
        at = f"at {_core.format_iso8601(data_time)[:16]}"
        if self.start is not None and self.end is not None and self.end > self.start:
            at += f" ({min(100.0, max(0.0, 100 * (data_time - self.start) / (self.end - self.start))):.0f}%)"
        self.bar.set_postfix_str(at, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def backtest(
    strategies: Strategy | Iterable[Strategy],
    data: Any,
    *,
    balances: Mapping[str, Any] | None = None,
    fees: Mapping[str, Any] | None = None,
    start: Any = None,
    end: Any = None,
    venue: Backtest | None = None,
    progress: bool | None = None,
    log: LogSettings | None = None,
    **options: Any,
) -> BacktestResult:
    """Backtests ``strategies`` on ``data`` and returns the result (see the module docstring).

    Args:
        strategies: one te.Strategy or several (each runs once: build new ones per backtest).
        data: kline CSV path(s), Parquet, a directory, DataFrame(s), or {symbol: ...}
            (tradeengine.research.data).
        balances: the account at the start (default {"USDT": "10000"}).
        fees: {"maker": "0.001", "taker": "0.001"} (the default: Binance's base rate).
        start, end: replay only [start, end).
        venue: a te.venues.Backtest to start from (its data is replaced by ``data``).
        progress: a progress bar (None: when stderr is a terminal or in a notebook).
        log: logging for the run (default: warnings and errors only).
        options: any other te.venues.Backtest setting (bar_path, order_latency,
            data_latency, limit_fills_to_volume, symbols, seed, equity_interval,
            valuation_asset, name).
    """
    from tradeengine.node import Node
    from tradeengine.strategy import Strategy

    strategy_list = [strategies] if isinstance(strategies, Strategy) else list(strategies)
    if not strategy_list:
        raise _core.ConfigError("te.backtest: no strategy given")
    settings: dict[str, Any] = dict(options)
    if balances is not None:
        settings["balances"] = balances
    if fees is not None:
        unknown = set(fees) - {"maker", "taker"}
        if unknown:
            raise _core.ConfigError(f"te.backtest: invalid fees keys {sorted(unknown)}: expected 'maker' and 'taker'")
        if "maker" in fees:
            settings["maker_fee"] = fees["maker"]
        if "taker" in fees:
            settings["taker_fee"] = fees["taker"]
    if start is not None:
        settings["start"] = start
    if end is not None:
        settings["end"] = end
    try:
        config = dataclasses.replace(venue, data=data, **settings) if venue else Backtest(data=data, **settings)
    except TypeError as exc:
        raise _core.ConfigError(f"te.backtest: {exc}") from None
    # Strategies' info lines (every cross, every order) would flood a notebook: warnings only,
    # unless the caller chose a level (log=te.LogSettings(level="info")).
    node = Node(venues=[config], strategies=strategy_list, name="backtest", log=log or LogSettings(level="warn"))
    from tradeengine.venues.backtest import to_ns

    return run(node, progress, start=to_ns(config.start, "start"), end=to_ns(config.end, "end"))


def run(node: Node, progress: bool | None = None, *, start: int | None = None, end: int | None = None) -> BacktestResult:
    """Runs a backtest node (one whose venue is a te.venues.Backtest) and returns its result:
    what ``tradeengine backtest`` does with a configuration file's node."""
    bar = _Progress(progress, start, end)
    try:
        summary = node.run_backtest(bar if bar.bar is not None else None)
    finally:
        bar.close()
    report = node.backtest_report
    assert report is not None
    error = None
    if report.stopped_early:
        # Ctrl-C lands in whichever Python code runs: usually a strategy's callback, which the
        # runtime reports as that strategy's error. It is the user's interrupt, not a failure.
        if any(s.last_error.startswith("KeyboardInterrupt") for s in node.status().strategies):
            raise KeyboardInterrupt(f"backtest interrupted at {_core.format_iso8601(report.last_time)}")
        tracebacks = [s.last_traceback for s in node.status().strategies if s.last_traceback]
        error = report.stop_reason + ("\n" + tracebacks[0] if tracebacks else "")
    assert node._backtest is not None
    return BacktestResult(report, summary, error, node, node._backtest)
