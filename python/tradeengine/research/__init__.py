"""Research: backtests and what comes out of them.

* ``te.backtest()`` (``research.backtest``): one deterministic backtest, a ``BacktestResult``
  with DataFrames, statistics, a plot and a report.
* ``te.sweep()`` (``research.sweep``): one backtest per parameter set, on Dask.
* ``research.data``: the data ``backtest`` accepts; ``sample_data_path()`` the shipped
  (synthetic) sample. ``research.fetch``: klines over a venue's REST API.
* ``research.stats``, ``research.plot``, ``research.report``: pure pandas on the frames.

See docs/guide/backtesting.md.
"""

from tradeengine.research.data import sample_data_path

__all__ = ["sample_data_path"]
