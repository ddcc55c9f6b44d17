"""Venues: where a Node's market data comes from and where its orders go.

* ``Simulated``: the simulated Binance-compatible exchange, started in-process by the Node
  (the default for demos, tests and paper trading).
* ``Binance``: Binance Spot (the real exchange, its testnet, or a Binance-compatible server),
  and ``Credentials`` for its API keys.
* ``Backtest``: replayed data and the simulated exchange's matching engine in process, on a
  clock the data drives (``te.backtest()`` builds a Node with it).
* ``MarketDataConnector`` and ``CsvKlineReplay``: the interface for feeding a bare
  ``tradeengine.Engine`` from Python, and an example connector replaying a kline CSV.
"""

from tradeengine.venues.backtest import Backtest
from tradeengine.venues.base import MarketDataConnector, native_engine
from tradeengine.venues.binance import Binance, Credentials
from tradeengine.venues.csv_replay import CsvKlineReplay, load_kline_csv
from tradeengine.venues.simulated import Simulated

#: The venue kinds a configuration file may name (``kind = "simulated"``).
VENUE_KINDS = {"simulated": Simulated, "binance": Binance}

__all__ = [
    "Backtest",
    "Binance",
    "Credentials",
    "CsvKlineReplay",
    "MarketDataConnector",
    "Simulated",
    "VENUE_KINDS",
    "load_kline_csv",
    "native_engine",
]
