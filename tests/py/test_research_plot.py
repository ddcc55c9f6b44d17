"""tradeengine.research.plot and .report: the figure's panes and markers, and the report files.

The figures are plain matplotlib Figures (no pyplot): they render without a display."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from tradeengine.research.plot import plot_backtest
from tradeengine.research.report import write_report
from tradeengine.research.stats import compute_stats

D = Decimal
T0 = pd.Timestamp("2024-01-01 00:00", tz="UTC")
BTC = "BTCUSDT.BACKTEST"
ETH = "ETHUSDT.BACKTEST"


def make_run(
    n_bars: int = 60, instruments: tuple[str, ...] = (BTC,), n_fills: int = 6
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    index = pd.date_range(T0, periods=n_bars, freq="1min")
    prices = pd.DataFrame(
        {
            inst: [D(100 + (i % 7) + 10 * k) for i in range(n_bars)]
            for k, inst in enumerate(instruments)
        },
        index=index,
    )
    eq = [D(1000) + D(i % 5) - D(i % 3) for i in range(n_bars)]
    equity = pd.DataFrame(
        {"equity": eq, "cash": eq, "position_value": [D(0)] * n_bars}, index=index
    )
    rows = []
    for i in range(n_fills):
        inst = instruments[i % len(instruments)]
        side = "BUY" if (i // len(instruments)) % 2 == 0 else "SELL"
        rows.append((index[3 + 5 * i] + pd.Timedelta("10s"), inst, side, D(100 + i), D("0.5")))
    fills = pd.DataFrame(
        {
            "client_order_id": [f"o{i}<&>" for i in range(len(rows))],
            "strategy": ["<b>sma</b>"] * len(rows),
            "instrument": [r[1] for r in rows],
            "side": [r[2] for r in rows],
            "price": [r[3] for r in rows],
            "quantity": [r[4] for r in rows],
            "quote_quantity": [r[3] * r[4] for r in rows],
            "commission": [D("0.05")] * len(rows),
            "commission_asset": ["USDT"] * len(rows),
            "liquidity": ["TAKER"] * len(rows),
        },
        index=pd.DatetimeIndex([r[0] for r in rows]),
    )
    return prices, fills, equity


def markers(fig: Figure) -> int:
    return sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections
               if isinstance(c, PathCollection))  # fmt: skip


def test_three_panes_sharing_time_and_one_marker_per_fill() -> None:
    prices, fills, equity = make_run()
    fig = plot_backtest(prices, fills, equity, title="SMA <5/20>")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    price_ax, equity_ax, dd_ax = fig.axes
    assert price_ax.get_shared_x_axes().joined(price_ax, dd_ax)
    assert equity_ax.get_ylabel() == "equity" and dd_ax.get_ylabel() == "drawdown %"
    assert markers(fig) == len(fills)
    buys = [c for c in price_ax.collections if c.get_label().startswith("buy")]
    sells = [c for c in price_ax.collections if c.get_label().startswith("sell")]
    assert len(buys[0].get_offsets()) == 3 and len(sells[0].get_offsets()) == 3
    if hasattr(fig, "get_suptitle"):  # matplotlib >= 3.8
        assert fig.get_suptitle() == "SMA <5/20>"
    # The drawdown pane is at or below zero (a % below the running peak).
    assert dd_ax.get_ylim()[0] < 0 and max(line.get_ydata().max() for line in dd_ax.lines) <= 0


def test_empty_fills() -> None:
    prices, fills, equity = make_run(n_fills=0)
    for empty in (fills, pd.DataFrame()):
        fig = plot_backtest(prices, empty, equity)
        assert len(fig.axes) == 3
        assert markers(fig) == 0
        fig.savefig(Path("/dev/null"), format="png")  # renders


def test_one_price_pane_per_instrument() -> None:
    prices, fills, equity = make_run(instruments=(BTC, ETH), n_fills=8)
    fig = plot_backtest(prices, fills, equity)
    assert len(fig.axes) == 4  # BTC, ETH, equity, drawdown
    assert markers(fig) == len(fills)
    assert [len(c.get_offsets()) for c in fig.axes[0].collections] == [2, 2]
    assert fig.axes[1].get_ylabel() == ETH


def test_fills_of_an_instrument_without_prices_get_their_own_pane() -> None:
    prices, fills, equity = make_run(instruments=(BTC, ETH), n_fills=4)
    fig = plot_backtest(prices[[BTC]], fills, equity)
    assert len(fig.axes) == 4
    assert markers(fig) == len(fills)
    # A column named by the bare symbol matches fills on "BTCUSDT.BACKTEST".
    fig = plot_backtest(prices.rename(columns={BTC: "BTCUSDT", ETH: "ETHUSDT"}), fills, equity)
    assert len(fig.axes) == 4 and markers(fig) == len(fills)


# --- reports --------------------------------------------------------------------------------


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    prices, fills, equity = make_run()
    stats = compute_stats(equity, fills)
    fig = plot_backtest(prices, fills, equity)
    out = write_report(tmp_path / "run.html", stats, fig, fills, title="SMA <5/20> & co")
    assert out == tmp_path / "run.html"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "http" not in text and 'src="data:image/png;base64,' in text
    assert "<script" not in text and "<link" not in text
    assert "SMA &lt;5/20&gt; &amp; co" in text and "<5/20>" not in text
    for label, value in stats.rows():
        assert f'<th>{label}</th><td class="num">{value}</td>' in text
    assert "&lt;b&gt;sma&lt;/b&gt;" in text and "<b>sma</b>" not in text
    assert text.count("<td>o") == len(fills)


def test_html_report_lists_the_first_200_fills(tmp_path: Path) -> None:
    prices, fills, equity = make_run(n_bars=1300, n_fills=250)
    stats = compute_stats(equity, fills)
    out = write_report(tmp_path / "big.HTML", stats, plot_backtest(prices, fills, equity), fills,
                       title="big")  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.count("<td>o") == 200
    assert "The first 200 of 250 fills." in text
    assert "<td>o199&lt;&amp;&gt;</td>" in text and "o200&lt;" not in text


def test_html_report_of_a_run_without_fills(tmp_path: Path) -> None:
    prices, fills, equity = make_run(n_fills=0)
    stats = compute_stats(equity, fills)
    out = write_report(str(tmp_path / "none.html"), stats, plot_backtest(prices, fills, equity),
                       fills, title="idle")  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "No fills." in text and "n/a" in text


def test_png_report_is_a_png(tmp_path: Path) -> None:
    prices, fills, equity = make_run()
    stats = compute_stats(equity, fills)
    out = write_report(tmp_path / "run.png", stats, plot_backtest(prices, fills, equity), fills,
                       title="run")  # fmt: skip
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["run.pdf", "run", "run.htm", "run.html.gz"])
def test_bad_suffix_raises_and_writes_nothing(tmp_path: Path, name: str) -> None:
    prices, fills, equity = make_run()
    stats = compute_stats(equity, fills)
    fig = plot_backtest(prices, fills, equity)
    with pytest.raises(ValueError, match=r"\.html or \.png") as err:
        write_report(tmp_path / name, stats, fig, fills, title="run")
    assert name in str(err.value)
    assert list(tmp_path.iterdir()) == []
