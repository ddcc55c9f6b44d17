"""te.sweep(): one deterministic backtest per parameter set on a Dask LocalCluster, one row per
set; a set the strategy refuses is a row with its error, not a failed sweep."""

from __future__ import annotations

import pytest

import tradeengine as te
from tradeengine.research.sweep import parameter_sets
from tradeengine.strategies import SmaCross

DATA = te.research.sample_data_path("BTCUSDT")


def test_a_sweep_gives_one_deterministic_row_per_parameter_set() -> None:
    grid = {"fast": [5, 10], "slow": [10, 40]}
    runs = te.sweep(SmaCross, grid=grid, data=DATA, workers=2, progress=False, symbols=("BTCUSDT",), quantity="0.05")
    assert list(zip(runs["fast"], runs["slow"])) == [(5, 10), (5, 40), (10, 10), (10, 40)]
    refused = runs[(runs["fast"] == 10) & (runs["slow"] == 10)]
    assert "fast 10 must be below slow 10" in refused["error"].iloc[0]
    ok = runs[runs["error"].isna()]
    assert len(ok) == 3 and (ok["candles"] == 5000).all()
    assert {"sharpe", "total_return", "max_drawdown", "trades", "fills"} <= set(runs.columns)
    # The same set in one backtest gives the same figures as in the sweep.
    one = te.backtest(SmaCross(symbols=("BTCUSDT",), fast=5, slow=40, quantity="0.05"), data=DATA, progress=False)
    row = ok[(ok["fast"] == 5) & (ok["slow"] == 40)].iloc[0]
    assert row["pnl"] == one.stats.pnl and row["trades"] == one.stats.trades


def test_bad_grids_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="at least one parameter"):
        parameter_sets({})
    with pytest.raises(ValueError, match="'fast' has no value"):
        parameter_sets({"fast": []})
    assert parameter_sets({"a": [1, 2], "b": "x"}) == [{"a": 1, "b": "x"}, {"a": 2, "b": "x"}]
