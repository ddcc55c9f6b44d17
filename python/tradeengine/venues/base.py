"""The venue interface: how a connector, in C++ or in Python, feeds a TradingEngine.

A market-data connector is wired to a *running* engine (the start-up order: engine, components,
run, wait_until_ready, then collectors, then connect) and pushes what it receives through the
engine's thread-safe entry points: ``on_candle_received``, ``on_trade_received`` and
``on_quote_received``. The engine treats every connector alike: the same lanes, the same
policies, the same metrics. ``connect`` registers a stop hook, so ``engine.stop()`` stops the
connector before it drains the bus (no event arrives after the drain has begun).
"""

from __future__ import annotations

import abc
import threading
from typing import Any

from tradeengine import _core

__all__ = ["MarketDataConnector", "native_engine"]


def native_engine(engine: Any) -> _core.TradingEngine:
    """The ``_core.TradingEngine`` behind an ``Engine`` façade (or the native engine itself)."""
    native = getattr(engine, "native", engine)
    if not isinstance(native, _core.TradingEngine):
        raise TypeError(
            f"invalid engine {engine!r}: expected a tradeengine.Engine or tradeengine.TradingEngine"
        )
    return native


class MarketDataConnector(abc.ABC):
    """Base class of market-data connectors.

    Subclasses implement ``on_connect()`` (start receiving; return quickly, run your own
    thread or IO if needed) and ``on_disconnect()`` (stop and join; called once), and hand
    what they receive to ``emit_candle``, ``emit_trade`` and ``emit_quote`` from any thread.
    The emit methods never raise: outside RUNNING, or when the data lane stays full, the
    event is dropped and counted in the engine's metrics, exactly as for the C++ connectors.
    """

    #: Shown in logs and as the name of the engine stop hook.
    name: str = "connector"

    def __init__(self) -> None:
        self._engine: _core.TradingEngine | None = None
        self._lock = threading.Lock()
        self._connected = False

    @property
    def connected(self) -> bool:
        """True between connect() and disconnect()."""
        return self._connected

    @property
    def engine(self) -> _core.TradingEngine | None:
        """The engine this connector feeds (None before connect())."""
        return self._engine

    def connect(self, engine: Any) -> None:
        """Start feeding ``engine``, which must be RUNNING (EngineNotRunningError otherwise)."""
        native = native_engine(engine)
        with self._lock:
            if self._connected:
                raise _core.StateTransitionError(f"{self.name}: already connected")
            if native.state != _core.EngineState.RUNNING:
                raise _core.EngineNotRunningError(
                    f"{self.name}: connect after the engine is RUNNING (it is {native.state.name}); "
                    "start-up order: run(), wait_until_ready(), then connect"
                )
            self._engine = native
            native.add_stop_hook(self.name, self.disconnect)
            self.on_connect()
            self._connected = True

    def disconnect(self) -> None:
        """Stop feeding the engine. Idempotent; engine.stop() calls it first."""
        with self._lock:
            if not self._connected:
                return
            self._connected = False
        self.on_disconnect()

    def __enter__(self) -> MarketDataConnector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()

    # ---- for subclasses -----------------------------------------------------------------------

    @abc.abstractmethod
    def on_connect(self) -> None:
        """Start receiving (the engine is set and RUNNING)."""

    @abc.abstractmethod
    def on_disconnect(self) -> None:
        """Stop receiving and join any thread started by on_connect()."""

    def emit_candle(self, candle: _core.Candle) -> None:
        """Hand a candle (in progress or closed) to the engine; never raises."""
        engine = self._engine
        if engine is not None:
            engine.on_candle_received(candle)

    def emit_trade(self, trade: _core.Trade) -> None:
        """Hand a trade to the engine (data lane); never raises."""
        engine = self._engine
        if engine is not None:
            engine.on_trade_received(trade)

    def emit_quote(self, quote: _core.Quote) -> None:
        """Hand a best bid/ask to the engine (data lane); never raises."""
        engine = self._engine
        if engine is not None:
            engine.on_quote_received(quote)
