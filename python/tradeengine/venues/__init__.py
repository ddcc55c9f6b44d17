"""Venues: where an engine's market data comes from and where its orders go.

* ``MarketDataConnector``: the interface a connector implements, in Python or C++; it feeds
  the engine through the same thread-safe entry points either way.
* ``BinanceMarketData``, ``BinanceExecution``, ``BinanceConfig``, ``Credentials``: Binance
  Spot (the real exchange, its testnet, or the simulated exchange).
* ``CsvKlineReplay``: an example Python connector that replays a kline CSV as a live feed.
"""

from tradeengine.venues.base import MarketDataConnector, native_engine
from tradeengine.venues.binance import BinanceConfig, BinanceExecution, BinanceMarketData, Credentials
from tradeengine.venues.csv_replay import CsvKlineReplay, load_kline_csv

__all__ = [
    "BinanceConfig",
    "BinanceExecution",
    "BinanceMarketData",
    "Credentials",
    "CsvKlineReplay",
    "MarketDataConnector",
    "load_kline_csv",
    "native_engine",
]
