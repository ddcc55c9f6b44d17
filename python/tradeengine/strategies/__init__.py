"""Example strategies written against the public Strategy API (docs/guide/writing-strategies.md).

* ``SmaCross``: a simple moving-average crossover on closed candles, trading at market.
* ``MarketMaker``: passive two-sided quotes around the book-ticker mid, inventory-bounded.

Both are meant to be read and copied as much as run; neither is a trading recommendation.
"""

from tradeengine.strategies.market_maker import MarketMaker, MarketMakerConfig, tick_size_of
from tradeengine.strategies.sma_cross import SmaCross, SmaCrossConfig

__all__ = ["MarketMaker", "MarketMakerConfig", "SmaCross", "SmaCrossConfig", "tick_size_of"]
