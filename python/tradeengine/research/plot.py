"""A backtest at a glance: prices with the fills, the equity curve and the drawdown.

::

    from tradeengine.research.plot import plot_backtest

    fig = plot_backtest(result.prices, result.fills, result.equity, title="SmaCross 5/20")
    fig.savefig("run.png")              # or show it as a notebook cell's value

The figure is a plain ``matplotlib.figure.Figure``, not registered with pyplot: it needs no
display (it renders with Agg), leaves no global state behind and need not be closed, so a
sweep can draw thousands. Decimals are converted to float for drawing only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["plot_backtest"]

_BUY_COLOR = "tab:green"
_SELL_COLOR = "tab:red"


def plot_backtest(
    prices: pd.DataFrame,
    fills: pd.DataFrame,
    equity: pd.DataFrame,
    *,
    title: str | None = None,
) -> Figure:
    """Stacked panes sharing the time axis (UTC): one price pane per instrument (the columns
    of ``prices``, then any instrument that only ``fills`` names), each with its buys (green
    ``^``) and sells (red ``v``) at the fill's time and price; the equity; and the drawdown (%
    below the running peak, a filled area). One instrument gives three panes.

    ``prices`` has one close column per instrument; a fill's instrument matches a column by
    its full name ("BTCUSDT.BACKTEST") or its symbol ("BTCUSDT"). ``fills`` and ``prices`` may
    be empty; ``equity`` needs its ``equity`` column.
    """
    columns = [str(c) for c in prices.columns]
    panes = _panes(columns, fills)
    heights = [3.0] * len(panes) + [2.0, 1.2]
    fig = Figure(figsize=(11.0, 2.2 * sum(heights) / 2.0 + 1.0), layout="constrained")
    axes: Sequence[Axes] = fig.subplots(len(heights), 1, sharex=True,
                                        gridspec_kw={"height_ratios": heights})  # fmt: skip
    if title is not None:
        fig.suptitle(title)

    for ax, (label, fill_rows) in zip(axes, panes.items()):
        if label in columns:
            series = prices[prices.columns[columns.index(label)]]
            ax.plot(_times(series.index), _floats(series), color="tab:blue", linewidth=1.0,
                    label=label)  # fmt: skip
        if len(fill_rows):
            _draw_fills(ax, fills.iloc[fill_rows])
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", fontsize="small")

    values = _floats(equity["equity"]) if "equity" in equity.columns else np.array([])
    times = _times(equity.index)
    ax_eq, ax_dd = axes[-2], axes[-1]
    ax_eq.plot(times, values, color="tab:purple", linewidth=1.0)
    ax_eq.set_ylabel("equity")
    ax_eq.grid(True, alpha=0.3)

    drawdown = _drawdown_pct(values)
    ax_dd.fill_between(times, drawdown, 0.0, color="tab:red", alpha=0.35, linewidth=0.0)
    ax_dd.plot(times, drawdown, color="tab:red", linewidth=0.8)
    ax_dd.set_ylabel("drawdown %")
    ax_dd.set_xlabel("time (UTC)")
    ax_dd.grid(True, alpha=0.3)
    return fig


def _panes(columns: list[str], fills: pd.DataFrame) -> dict[str, list[int]]:
    """Price pane label -> positions of the fills drawn in it: one pane per prices column, in
    order, then one per instrument of the fills that matches no column. A fill goes to the
    column named like its instrument, else to the column with its symbol (the part before the
    "."), else to its own pane."""
    panes: dict[str, list[int]] = {c: [] for c in columns}
    by_symbol: dict[str, str] = {}
    for c in columns:
        by_symbol.setdefault(c.split(".", 1)[0], c)
    if len(fills) and "instrument" in fills.columns:
        for i, instrument in enumerate(str(v) for v in fills["instrument"]):
            if instrument in panes:
                pane = instrument
            else:
                pane = by_symbol.get(instrument.split(".", 1)[0], instrument)
            panes.setdefault(pane, []).append(i)
    return panes or {"price": []}


def _draw_fills(ax: Axes, fills: pd.DataFrame) -> None:
    sides = [str(getattr(s, "name", s)).upper() for s in fills["side"]]
    for side, marker, color in (("BUY", "^", _BUY_COLOR), ("SELL", "v", _SELL_COLOR)):
        these = fills[[s == side for s in sides]]
        if len(these):
            ax.scatter(_times(these.index), _floats(these["price"]), marker=marker, color=color,
                       s=40, zorder=3, label=f"{side.lower()} ({len(these)})")  # fmt: skip


def _times(index: pd.Index) -> np.ndarray:
    """Naive UTC datetime64 values (matplotlib's date axis needs no timezone then)."""
    times = pd.DatetimeIndex(index)
    if times.tz is not None:
        times = times.tz_convert("UTC").tz_localize(None)
    return np.asarray(times.to_numpy())


def _floats(values: Iterable[object]) -> np.ndarray:
    """Decimals (or anything numeric) as floats; None and NaN stay missing."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(np.nan)
        elif isinstance(v, (Decimal, int, float, np.number)):
            out.append(float(v))
        else:
            out.append(float(str(v)))
    return np.array(out, dtype=float)


def _drawdown_pct(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return values
    peaks = np.fmax.accumulate(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(peaks > 0, (values / peaks - 1.0) * 100.0, 0.0)
