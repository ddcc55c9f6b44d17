"""tradeengine: a live trading engine with a C++20 core, used from Python.

Exact money types (Price, Quantity, Money), market data values, clocks, enums, the error
hierarchy and logging are importable from here. See docs/index.md.
"""

from __future__ import annotations

try:
    from tradeengine import _core
except ImportError as exc:  # pragma: no cover - only without a build
    raise ImportError(
        "tradeengine's C++ extension (tradeengine._core) is missing or failed to load: "
        "did you forget to compile? Run `make build` (or `pip install .`). "
        f"Original error: {exc}"
    ) from exc

from tradeengine._core import (
    AlertInfo,
    AuthenticationError,
    Balance,
    Candle,
    Clock,
    ConfigError,
    ConnectionLostError,
    EngineNotRunningError,
    EngineState,
    ErrorInfo,
    Event,
    Fill,
    EventType,
    Instrument,
    InstrumentId,
    Interval,
    Lane,
    LiveClock,
    Money,
    OrderRejectedError,
    OrderRequest,
    OrderStatus,
    OrderType,
    OrderUpdate,
    Price,
    Quantity,
    QueueFullError,
    Quote,
    RateLimitedError,
    Rounding,
    ScheduledTrigger,
    Side,
    StateTransitionError,
    TestClock,
    TimeInForce,
    Trade,
    TradeEngineError,
    TradingEngine,
    VenueError,
    add_secret,
    configure_logging,
    flush_logs,
    format_iso8601,
    get_log_level,
    interval_from_string,
    interval_to_string,
    log,
    next_open_time_ms,
    now_ns,
    redact,
    set_log_level,
    SimServer,
)
from tradeengine.engine import Engine, EventBus
from tradeengine.sim import SimExchange
from tradeengine import venues
from tradeengine.oms import BrokerAdapter, OrderManager
from tradeengine.strategy import OrderHandle, Strategy, StrategyConfig, StrategyHost

__version__ = "0.1.0"

__all__ = [
    "AlertInfo",
    "AuthenticationError",
    "Balance",
    "BrokerAdapter",
    "Candle",
    "Clock",
    "ConfigError",
    "ConnectionLostError",
    "EngineNotRunningError",
    "Engine",
    "EngineState",
    "ErrorInfo",
    "Event",
    "EventBus",
    "EventType",
    "Fill",
    "Instrument",
    "InstrumentId",
    "Interval",
    "Lane",
    "LiveClock",
    "Money",
    "OrderHandle",
    "OrderManager",
    "OrderRejectedError",
    "OrderRequest",
    "OrderStatus",
    "OrderType",
    "OrderUpdate",
    "Price",
    "Quantity",
    "QueueFullError",
    "Quote",
    "RateLimitedError",
    "Rounding",
    "ScheduledTrigger",
    "Side",
    "StateTransitionError",
    "Strategy",
    "StrategyConfig",
    "StrategyHost",
    "TestClock",
    "TimeInForce",
    "Trade",
    "TradeEngineError",
    "TradingEngine",
    "VenueError",
    "__version__",
    "add_secret",
    "configure_logging",
    "flush_logs",
    "format_iso8601",
    "get_log_level",
    "interval_from_string",
    "interval_to_string",
    "log",
    "next_open_time_ms",
    "now_ns",
    "redact",
    "set_log_level",
    "SimExchange",
    "SimServer",
    "venues",
]
