"""``te.sweep()``: one backtest per parameter set, on every core or on a Dask cluster.

::

    frame = te.sweep(SmaCross, grid={"fast": [3, 5, 8], "slow": [20, 30]}, data="BTCUSDT-1m-2024-01.csv",
                     symbols=("BTCUSDT",), quantity="0.01")
    frame.sort_values("sharpe", ascending=False).head()

Each parameter set is one deterministic backtest (the same set gives the same row). The sets
run as Dask tasks: on a LocalCluster of one single-threaded worker process per core by default
(a backtest holds the GIL while Python strategies run, so processes, not threads), or on the
cluster at ``address`` ("tcp://scheduler:8786") when research outgrows one machine. The
strategy class travels by value (cloudpickle), so one defined in a notebook works; the data
travels as given (paths must be readable by the workers).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tradeengine import _core

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["parameter_sets", "sweep"]


def parameter_sets(grid: Mapping[str, Iterable[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, in the grid's order (ValueError for an empty axis)."""
    if not grid:
        raise ValueError("invalid grid {}: give at least one parameter and its values")
    axes = {}
    for name, values in grid.items():
        vals = list(values) if not isinstance(values, (str, bytes)) else [values]
        if not vals:
            raise ValueError(f"invalid grid: parameter {name!r} has no value")
        axes[name] = vals
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]


def _one(strategy_cls: type, params: dict[str, Any], fixed: dict[str, Any], data: Any,
         backtest_kw: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """One parameter set's backtest, as a row: the parameters, then the stats (or the error)."""
    from tradeengine.research.backtest import backtest

    row: dict[str, Any] = dict(params)
    try:
        strategy = strategy_cls(**fixed, **params)
        result = backtest(strategy, data, progress=False, **backtest_kw)
    except _core.ConfigError as exc:  # a parameter set the strategy refuses (fast >= slow)
        row["error"] = str(exc)
        return row
    row.update({str(k): v for k, v in result.stats.to_series().to_dict().items()})
    row["candles"] = result.replay.candles
    row["error"] = result.error
    return row


def sweep(
    strategy_cls: type,
    grid: Mapping[str, Iterable[Any]],
    data: Any,
    *,
    address: str | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    backtest: Mapping[str, Any] | None = None,
    **params: Any,
) -> pd.DataFrame:
    """Backtests ``strategy_cls(**params, **one_set)`` for every set of the grid; one row per
    set (its parameters, then the BacktestStats fields, candles and error), in grid order.

    Args:
        strategy_cls: a te.Strategy subclass.
        grid: parameter -> values to try.
        data: as te.backtest's (paths are read by the workers).
        address: a Dask scheduler to run on; None starts a LocalCluster for the sweep.
        workers: the LocalCluster's worker processes (default: every core).
        progress: a progress bar (None: when stderr is a terminal or in a notebook).
        backtest: te.backtest keyword arguments (balances, fees, start, end, ...).
        params: fixed strategy parameters (symbols, quantity, ...).
    """
    import pandas as pd
    from dask.distributed import Client, LocalCluster, as_completed

    sets = parameter_sets(grid)
    kw = dict(backtest or {})
    cluster = None
    if address is None:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=min(n, len(sets)), threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
    client = Client(address if address is not None else cluster)
    try:
        futures = {client.submit(_one, strategy_cls, p, params, data, kw, pure=False): i for i, p in enumerate(sets)}
        rows: list[dict[str, Any] | None] = [None] * len(sets)
        bar = None
        if progress or (progress is None and (sys.stderr.isatty() or "ipykernel" in sys.modules)):
            from tqdm.auto import tqdm

            bar = tqdm(total=len(sets), desc="sweep", unit="backtest")
        for future in as_completed(futures):
            rows[futures[future]] = future.result()
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return pd.DataFrame(rows)
