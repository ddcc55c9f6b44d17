"""Research tools on top of backtest results: statistics (``research.stats``), plots
(``research.plot``) and reports (``research.report``), all pure pandas on the DataFrames a
backtest produces."""
