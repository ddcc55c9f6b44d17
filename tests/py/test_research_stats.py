"""tradeengine.research.stats: every statistic against numbers computed by hand."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from tradeengine.research.stats import BacktestStats, compute_stats, round_trips

D = Decimal
T0 = pd.Timestamp("2024-01-01 00:00", tz="UTC")
BTC = "BTCUSDT.BACKTEST"
ETH = "ETHUSDT.BACKTEST"


def equity_frame(values: list[Any], *, freq: str = "1h", start: pd.Timestamp = T0) -> pd.DataFrame:
    index = pd.date_range(start, periods=len(values), freq=freq)
    eq = [D(str(v)) for v in values]
    return pd.DataFrame({"equity": eq, "cash": eq, "position_value": [D(0)] * len(eq)}, index=index)


def fill_frame(rows: list[tuple[str, str, str, str, str, str, str]]) -> pd.DataFrame:
    """rows: (time offset, instrument, side, price, quantity, commission, commission asset)."""
    index = pd.DatetimeIndex([T0 + pd.Timedelta(r[0]) for r in rows])
    return pd.DataFrame(
        {
            "client_order_id": [f"o{i}" for i in range(len(rows))],
            "strategy": ["test"] * len(rows),
            "instrument": [r[1] for r in rows],
            "side": [r[2] for r in rows],
            "price": [D(r[3]) for r in rows],
            "quantity": [D(r[4]) for r in rows],
            "quote_quantity": [D(r[3]) * D(r[4]) for r in rows],
            "commission": [D(r[5]) for r in rows],
            "commission_asset": [r[6] for r in rows],
            "liquidity": ["TAKER"] * len(rows),
        },
        index=index,
    )


NO_FILLS = fill_frame([])


# --- the equity path ------------------------------------------------------------------------


def test_known_equity_path_by_hand() -> None:
    # Hourly bars 100 -> 110 -> 99 -> 108.9: returns +10 %, -10 %, +10 %.
    stats = compute_stats(equity_frame([100, 110, 99, "108.9"]), NO_FILLS)
    assert stats.start == T0 and stats.end == T0 + pd.Timedelta(hours=3)
    assert stats.duration == pd.Timedelta(hours=3)
    assert stats.start_equity == D(100) and stats.end_equity == D("108.9")
    assert stats.pnl == D("8.9")
    assert stats.total_return == pytest.approx(0.089)
    assert stats.cagr is None  # under one day
    # Peak 110 at 01:00, trough 99: 11 / 110 = 10 %; never back at 110: 01:00 -> 03:00.
    assert stats.max_drawdown == pytest.approx(0.10)
    assert stats.max_drawdown_duration == pd.Timedelta(hours=2)

    # Sharpe: mean 0.1/3, sample std sqrt(((0.2/3)^2 * 2 + (0.4/3)^2) / 2), 8760 hours a year.
    mean = 0.1 / 3
    std = math.sqrt(((0.2 / 3) ** 2 * 2 + (0.4 / 3) ** 2) / 2)
    assert stats.periods_per_year == pytest.approx(8760)
    assert stats.sharpe == pytest.approx(mean / std * math.sqrt(8760))
    assert stats.sharpe == pytest.approx(27.0185, rel=1e-5)
    # Sortino: downside deviation sqrt((0 + 0.01 + 0) / 3).
    assert stats.sortino == pytest.approx(mean / math.sqrt(0.01 / 3) * math.sqrt(8760))
    assert isinstance(stats.sharpe, float) and isinstance(stats.sortino, float)


def test_drawdown_duration_is_the_longest_time_below_a_peak() -> None:
    # 100 peak at 00:00, under water until 03:00 (back at 100): 3 h; new peak 120 at 04:00,
    # 60 at 05:00 (50 %), back to 120 at 06:00: 2 h.
    stats = compute_stats(equity_frame([100, 90, 95, 100, 120, 60, 120, 121]), NO_FILLS)
    assert stats.max_drawdown == pytest.approx(0.5)
    assert stats.max_drawdown_duration == pd.Timedelta(hours=3)


def test_a_rising_curve_has_no_drawdown() -> None:
    stats = compute_stats(equity_frame([100, 101, 103, 103, 110]), NO_FILLS)
    assert stats.max_drawdown == 0.0
    assert stats.max_drawdown_duration == pd.Timedelta(0)
    assert stats.sortino == math.inf  # no return below zero


def test_flat_equity_has_sharpe_zero() -> None:
    stats = compute_stats(equity_frame([100] * 10), NO_FILLS)
    assert stats.sharpe == 0.0 and stats.sortino == 0.0
    assert stats.total_return == 0.0 and stats.pnl == D(0)


def test_constant_returns_have_sharpe_zero_despite_rounding() -> None:
    stats = compute_stats(equity_frame([100 * 1.01**i for i in range(20)]), NO_FILLS)
    assert stats.sharpe == 0.0


def test_one_bar_run() -> None:
    stats = compute_stats(equity_frame([100]), NO_FILLS)
    assert stats.duration == pd.Timedelta(0)
    assert stats.sharpe == 0.0 and stats.total_return == 0.0 and stats.cagr is None
    assert stats.max_drawdown == 0.0


def test_risk_free_rate_is_subtracted_per_period() -> None:
    eq = equity_frame([100, 110, 99, "108.9"])
    stats = compute_stats(eq, NO_FILLS, risk_free_rate=0.05)
    rf = 1.05 ** (1 / 8760) - 1
    r = [0.1 - rf, -0.1 - rf, 0.1 - rf]
    mean = sum(r) / 3
    std = math.sqrt(sum((x - mean) ** 2 for x in r) / 2)
    assert stats.sharpe == pytest.approx(mean / std * math.sqrt(8760))


def test_long_runs_use_daily_closes_and_cagr() -> None:
    # 6-hourly bars over 40 days; the equity at each day's midnight close alternates 100, 102.
    index = pd.date_range(T0, T0 + pd.Timedelta(days=40), freq="6h")
    values = [D(100) if (t - T0).days % 2 == 0 else D(102) for t in index]
    eq = pd.DataFrame({"equity": values, "cash": values, "position_value": [D(0)] * len(values)},
                      index=index)  # fmt: skip
    stats = compute_stats(eq, NO_FILLS)
    assert stats.periods_per_year == 365.0
    # A day's close is its last bar at or before the next midnight (the midnight bar closes
    # the day before it): 100, 102, 100, ... returns +2 %, -1.96 %, ... over 40 days.
    closes = [100.0] + [102.0 if d % 2 else 100.0 for d in range(1, 41)]
    r = [b / a - 1 for a, b in itertools.pairwise(closes)]
    mean = sum(r) / len(r)
    std = math.sqrt(sum((x - mean) ** 2 for x in r) / (len(r) - 1))
    assert stats.sharpe == pytest.approx(mean / std * math.sqrt(365))
    assert stats.duration == pd.Timedelta(days=40)
    assert stats.cagr == pytest.approx(0.0)  # 100 -> 100
    grown = compute_stats(equity_frame([100, 110], freq="73D"), NO_FILLS)  # a fifth of a year
    assert grown.cagr == pytest.approx(1.1**5 - 1)
    assert compute_stats(equity_frame([100, 1000], freq="1D"), NO_FILLS).cagr == math.inf


def test_daily_returns_carry_the_close_over_days_without_bars() -> None:
    eq = equity_frame([100, 110, 121], freq="20D")  # bars on day 0, 20 and 40
    stats = compute_stats(eq, NO_FILLS)
    closes = [100.0] + [100.0] * 19 + [110.0] * 20 + [121.0]
    r = [b / a - 1 for a, b in itertools.pairwise(closes)]
    mean = sum(r) / len(r)
    std = math.sqrt(sum((x - mean) ** 2 for x in r) / (len(r) - 1))
    assert stats.sharpe == pytest.approx(mean / std * math.sqrt(365))


def test_equity_must_be_a_sorted_utc_series_starting_above_zero() -> None:
    with pytest.raises(ValueError, match="empty"):
        compute_stats(equity_frame([]), NO_FILLS)
    with pytest.raises(ValueError, match="tz-aware"):
        compute_stats(equity_frame([100, 101]).tz_localize(None), NO_FILLS)
    with pytest.raises(ValueError, match="sorted"):
        compute_stats(equity_frame([100, 101]).iloc[::-1], NO_FILLS)
    with pytest.raises(ValueError, match="above zero"):
        compute_stats(equity_frame([0, 101]), NO_FILLS)
    floats = equity_frame([100, 101])
    floats["equity"] = [100.0, 101.0]
    with pytest.raises(TypeError, match="Decimal"):
        compute_stats(floats, NO_FILLS)


def test_a_wiped_out_account() -> None:
    stats = compute_stats(equity_frame([100, 50, 0, 0], freq="1D"), NO_FILLS)
    assert stats.total_return == -1.0
    assert stats.max_drawdown == pytest.approx(1.0)
    assert stats.cagr == -1.0
    assert math.isfinite(stats.sharpe)


# --- round trips ----------------------------------------------------------------------------


def test_round_trip_with_partial_exits_and_fees() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "2", "0.2", "USDT"),
        ("2min", BTC, "SELL", "110", "1", "0.11", "USDT"),
        ("3min", BTC, "SELL", "120", "1", "0.12", "USDT"),
    ])  # fmt: skip
    trips = round_trips(fills)
    assert len(trips) == 1
    t = trips.iloc[0]
    assert t["instrument"] == BTC and t["side"] == "LONG"
    assert t["entry_time"] == T0 + pd.Timedelta("1min")
    assert t["exit_time"] == T0 + pd.Timedelta("3min")
    assert t["quantity"] == D(2)
    assert t["entry_price"] == D(100) and t["exit_price"] == D(115)
    # (110 + 120) - 200 - (0.2 + 0.11 + 0.12) = 29.57
    assert t["pnl"] == D("29.57") and isinstance(t["pnl"], Decimal)
    assert t["fees"] == D("0.43")
    assert t["return"] == pytest.approx(29.57 / 200)
    assert t["fills"] == 3


def test_a_fill_through_zero_closes_one_trip_and_opens_the_next() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0.1", "USDT"),
        ("2min", BTC, "SELL", "110", "3", "0.3", "USDT"),   # closes 1, opens a 2 short
        ("3min", BTC, "BUY", "100", "2", "0.2", "USDT"),
    ])  # fmt: skip
    trips = round_trips(fills)
    assert list(trips["side"]) == ["LONG", "SHORT"]
    # Long: 110 - 100 - 0.1 - 0.1 (a third of the 0.3 commission).
    assert trips.iloc[0]["pnl"] == D("9.8")
    # Short 2 at 110, covered at 100: 20 - 0.2 - 0.2.
    assert trips.iloc[1]["pnl"] == D("19.6")
    assert trips.iloc[1]["quantity"] == D(2)
    assert trips.iloc[1]["entry_time"] == T0 + pd.Timedelta("2min")


def test_fills_at_the_same_time_keep_their_order() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("1min", BTC, "BUY", "102", "1", "0", "USDT"),       # one order, two executions
        ("5min", BTC, "SELL", "110", "1.5", "0", "USDT"),
        ("5min", BTC, "SELL", "111", "0.5", "0", "USDT"),
    ])  # fmt: skip
    trip = round_trips(fills.iloc[[2, 0, 3, 1]]).iloc[0]  # sorted by time, stable
    assert trip["entry_price"] == D(101) and trip["exit_price"] == D("110.25")
    assert trip["pnl"] == D("18.5")


def test_base_asset_fees_come_off_the_position_and_other_assets_are_left_out() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0.001", "BTC"),    # holds 0.999 (0.1 USDT of fee)
        ("2min", BTC, "SELL", "120", "0.999", "0.5", "BNB"),  # no BNB price: not in pnl
    ])  # fmt: skip
    trip = round_trips(fills).iloc[0]
    assert trip["quantity"] == D(1) and trip["exit_price"] == D(120)
    # Cash in - cash out: 0.999 * 120 - 100; the BTC fee is the 0.001 BTC not sold.
    assert trip["pnl"] == D("19.88")
    assert trip["fees"] == D("0.1")
    stats = compute_stats(equity_frame([100, 100, 100]), fills)
    assert stats.trades == 1
    assert stats.fees == {"BTC": D("0.001"), "BNB": D("0.5")}


def test_the_guide_example() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0.001", "BTC"),
        ("2min", BTC, "SELL", "120", "0.999", "0.12", "USDT"),
    ])  # fmt: skip
    trip = round_trips(fills).iloc[0]
    assert (trip["pnl"], trip["fees"]) == (D("19.76"), D("0.22"))
    assert trip["return"] == pytest.approx(0.1976)


def test_selling_more_than_the_account_holds_opens_a_short() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0.001", "BTC"),    # holds 0.999
        ("2min", BTC, "SELL", "120", "1", "0.12", "USDT"),   # 0.999 closes, 0.001 goes short
    ])  # fmt: skip
    trips = round_trips(fills)
    assert len(trips) == 1
    assert trips.iloc[0]["pnl"] == D("119.88") - D(100) - D("0.11988")
    stats = compute_stats(equity_frame([100, 100, 100]), fills)
    assert stats.exposure == pytest.approx(2 / 3)  # the short of 0.001 is still open


def test_dust_left_by_base_asset_fees_closes_the_trip_and_carries_over() -> None:
    # As on the simulated venue: a BUY is charged in the base asset, and only whole steps
    # (0.00001 BTC) can be sold, so 0.000009 BTC of dust stays behind.
    fills = fill_frame([
        ("10min", BTC, "BUY", "100", "0.001", "0.000001", "BTC"),    # holds 0.000999
        ("20min", BTC, "SELL", "110", "0.00099", "0.0001089", "USDT"),
        ("70min", BTC, "BUY", "100", "0.001", "0.000001", "BTC"),    # holds 0.001008
        ("80min", BTC, "SELL", "90", "0.00100", "0.00009", "USDT"),   # 0.000008 left
    ])  # fmt: skip
    trips = round_trips(fills)
    assert len(trips) == 2
    assert trips.iloc[0]["pnl"] == D("0.1089") - D("0.1") - D("0.0001089")
    assert trips.iloc[1]["pnl"] == D("0.09") - D("0.1") - D("0.00009")
    assert trips.iloc[1]["exit_time"] == T0 + pd.Timedelta("80min")
    stats = compute_stats(equity_frame([100, 100, 100, 100]), fills)
    assert stats.trades == 2 and stats.win_rate == 0.5
    assert stats.exposure == 0.0  # dust is not a position: no bar closes inside a trip
    # The quantity below which a position is dust, given per instrument (here: smaller than
    # the dust, so the trips stay open).
    assert len(round_trips(fills, dust={"BTCUSDT": D("0.000001")})) == 0
    assert compute_stats(equity_frame([100] * 4), fills, dust={BTC: D("0.000001")}).exposure == 0.75


def test_without_base_asset_fees_only_zero_is_flat_unless_dust_is_given() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "0.001", "0.0001", "USDT"),
        ("2min", BTC, "SELL", "110", "0.00095", "0.0001", "USDT"),  # 0.00005 still held
    ])  # fmt: skip
    assert len(round_trips(fills)) == 0
    trips = round_trips(fills, dust={BTC: D("0.0001")})
    assert len(trips) == 1 and trips.iloc[0]["quantity"] == D("0.001")


def test_instruments_are_tracked_separately_and_open_positions_are_not_trips() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("2min", ETH, "SELL", "50", "2", "0", "USDT"),
        ("3min", BTC, "SELL", "90", "1", "0", "USDT"),
        ("4min", ETH, "BUY", "40", "1", "0", "USDT"),        # ETH still short 1
    ])  # fmt: skip
    trips = round_trips(fills)
    assert list(trips["instrument"]) == [BTC]
    assert trips.iloc[0]["pnl"] == D(-10)


def test_round_trips_of_no_fills() -> None:
    for empty in (NO_FILLS, pd.DataFrame()):
        trips = round_trips(empty)
        assert len(trips) == 0
        assert list(trips.columns) == ["instrument", "entry_time", "exit_time", "side", "quantity",
                                       "entry_price", "exit_price", "pnl", "return", "fees",
                                       "fills"]  # fmt: skip


# --- trade statistics -----------------------------------------------------------------------


def _three_trips() -> pd.DataFrame:
    return fill_frame([
        ("10min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("20min", BTC, "SELL", "110", "1", "0", "USDT"),   # +10
        ("70min", BTC, "SELL", "100", "1", "0", "USDT"),
        ("80min", BTC, "BUY", "104", "1", "0", "USDT"),    # -4
        ("130min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("140min", BTC, "SELL", "106", "1", "0", "USDT"),  # +6
    ])  # fmt: skip


def test_win_rate_profit_factor_exposure_and_counts() -> None:
    fills = _three_trips()
    stats = compute_stats(equity_frame([100, 110, 106, 112]), fills)
    assert stats.trades == 3 and stats.fills == 6
    assert stats.win_rate == pytest.approx(2 / 3)
    assert stats.profit_factor == pytest.approx(16 / 4)
    # Positions open at a bar close: none (every trip opens and closes between two bars).
    assert stats.exposure == 0.0


def test_exposure_counts_bars_closing_with_an_open_position() -> None:
    fills = fill_frame([
        ("30min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("150min", BTC, "SELL", "100", "1", "0", "USDT"),
        ("180min", ETH, "SELL", "10", "1", "0", "USDT"),  # exactly at the 03:00 close
    ])  # fmt: skip
    stats = compute_stats(equity_frame([100] * 5), fills)
    # Bars 00:00..04:00: open at 01:00 and 02:00 (BTC), 03:00 and 04:00 (ETH).
    assert stats.exposure == pytest.approx(4 / 5)


def test_no_losing_trade_gives_an_infinite_profit_factor() -> None:
    fills = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("2min", BTC, "SELL", "110", "1", "0", "USDT"),
    ])  # fmt: skip
    stats = compute_stats(equity_frame([100, 110]), fills)
    assert stats.win_rate == 1.0
    assert stats.profit_factor == math.inf
    breakeven = fill_frame([
        ("1min", BTC, "BUY", "100", "1", "0", "USDT"),
        ("2min", BTC, "SELL", "100", "1", "0", "USDT"),
    ])  # fmt: skip
    stats = compute_stats(equity_frame([100, 100]), breakeven)
    assert stats.win_rate == 0.0 and stats.profit_factor is None


def test_a_run_without_fills() -> None:
    for empty in (NO_FILLS, pd.DataFrame()):
        stats = compute_stats(equity_frame([100, 101, 102]), empty)
        assert stats.trades == 0 and stats.fills == 0
        assert stats.win_rate is None and stats.profit_factor is None
        assert stats.exposure == 0.0
        assert stats.fees == {}
        assert "n/a" in str(stats)


def test_money_fields_stay_decimal() -> None:
    stats = compute_stats(equity_frame(["100.10", "100.30"]), _three_trips())
    for value in (stats.start_equity, stats.end_equity, stats.pnl):
        assert isinstance(value, Decimal)
    assert stats.pnl == D("0.20")  # exactly; 100.30 - 100.10 in float is 0.19999999999999
    assert all(isinstance(v, Decimal) for v in stats.fees.values())
    trips = round_trips(_three_trips())
    for column in ("quantity", "entry_price", "exit_price", "pnl", "fees"):
        assert all(isinstance(v, Decimal) for v in trips[column])


# --- presentation ---------------------------------------------------------------------------


def test_to_series_and_str() -> None:
    fills = _three_trips()
    fills.loc[fills.index[0], "commission"] = D("0.5")
    stats = compute_stats(equity_frame([100, 110, 106, 112]), fills)
    s = stats.to_series(name="run-1")
    assert s.name == "run-1"
    assert s["pnl"] == D(12) and isinstance(s["pnl"], Decimal)
    assert s["fees_USDT"] == D("0.5")
    assert "fees" not in s.index
    runs = pd.DataFrame([s, compute_stats(equity_frame([100, 90]), NO_FILLS).to_series()])
    assert list(runs["trades"]) == [3, 0]

    text = str(stats)
    lines = text.splitlines()
    assert lines[0].startswith("start ") and "2024-01-01 00:00:00+00:00" in lines[0]
    assert any(line.split() == ["total", "return", "12.00", "%"] for line in lines)
    # Trips +9.5 (10 less the 0.5 commission), -4, +6: (9.5 + 6) / 4.
    assert any(line.split() == ["profit", "factor", "3.88"] for line in lines)
    assert any(line.split() == ["fees", "USDT", "0.5"] for line in lines)
    # The values start in one column.
    column = lines[0].index("2024")
    assert all(line[column - 2 : column] == "  " for line in lines)


def test_stats_are_frozen() -> None:
    stats = compute_stats(equity_frame([100, 101]), NO_FILLS)
    assert isinstance(stats, BacktestStats)
    with pytest.raises(AttributeError):
        stats.pnl = D(0)  # type: ignore[misc]
