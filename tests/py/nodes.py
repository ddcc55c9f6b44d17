"""Nodes for tests: a fast simulated market (a 1m candle every 20 ms) and a quote-only account."""

from __future__ import annotations

from typing import Any

import tradeengine as te


def fast_sim(**kw: Any) -> te.venues.Simulated:
    """A simulated venue whose 1m candles close every 20 ms of real time."""
    options = {"tick_ms": 20, "history_minutes": 10, "orders_limit_10s": 100000, **kw.pop("options", {})}
    kw.setdefault("speed", 3000)
    kw.setdefault("symbols", ("BTCUSDT", "ETHUSDT"))
    return te.venues.Simulated(options=options, **kw)


def sim_node(*strategies: te.Strategy, **kw: Any) -> te.Node:
    """A Node with the strategies on a fast simulated venue (``kw`` goes to the venue)."""
    node_kw = {k: kw.pop(k) for k in ("name", "engine", "risk", "log", "cancel_on_stop") if k in kw}
    return te.Node(venues=[fast_sim(**kw)], strategies=list(strategies), **node_kw)
