"""tradeengine: a live trading engine with a C++20 core, used from Python.

::

    import tradeengine as te
    node = te.Node(venues=[te.venues.Simulated()], strategies=[MyStrategy(symbols=("BTCUSDT",))])
    node.run(duration=60)

    result = te.backtest(MyStrategy(symbols=("BTCUSDT",)), data="BTCUSDT-1m-2024-01.csv")
    result.stats, result.fills, result.plot()

The Node, the Strategy base class, venues (``te.venues``), exact money types (Price, Quantity,
Money), market data values, clocks, enums, the error hierarchy and logging are importable
from here. See docs/index.md.
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
    ComponentState,
    ComponentStatus,
    ConfigError,
    ConnectionLostError,
    DataError,
    EngineNotRunningError,
    EngineState,
    ErrorInfo,
    Event,
    FeedStatus,
    Fill,
    EventType,
    Instrument,
    InstrumentId,
    Interval,
    Lane,
    LiveClock,
    Money,
    NodeStatus,
    OrderRejectedError,
    OrderRequest,
    OrderStatus,
    OrderType,
    OrderUpdate,
    OrderView,
    Position,
    PortfolioSnapshot,
    Price,
    Quantity,
    QueueFullError,
    Quote,
    RateLimitedError,
    Rounding,
    ScheduledTrigger,
    Side,
    StateTransitionError,
    StrategyStatus,
    StreamKey,
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
    set_status_line,
    suppressed_log_lines,
    SimServer,
)
from tradeengine.engine import Engine, EventBus
from tradeengine.sim import SimExchange
from tradeengine import venues
from tradeengine.oms import BrokerAdapter, OrderManager
from tradeengine.strategy import OrderHandle, Strategy, StrategyConfig
from tradeengine.config import EngineSettings, LogSettings, NodeConfig, RiskSettings, StrategySpec, load_config
from tradeengine.node import Node, NodeMetrics, Portfolio, RunSummary, StrategyPnl
from tradeengine import research
from tradeengine.research.backtest import BacktestResult, backtest
from tradeengine.research.sweep import sweep

__version__ = "0.1.0"

__all__ = [
    "AlertInfo",
    "AuthenticationError",
    "BacktestResult",
    "Balance",
    "BrokerAdapter",
    "Candle",
    "Clock",
    "ComponentState",
    "ComponentStatus",
    "ConfigError",
    "ConnectionLostError",
    "DataError",
    "EngineNotRunningError",
    "Engine",
    "EngineSettings",
    "EngineState",
    "ErrorInfo",
    "Event",
    "EventBus",
    "EventType",
    "FeedStatus",
    "Fill",
    "Instrument",
    "InstrumentId",
    "Interval",
    "Lane",
    "LiveClock",
    "LogSettings",
    "Money",
    "Node",
    "NodeConfig",
    "NodeMetrics",
    "NodeStatus",
    "OrderHandle",
    "OrderManager",
    "OrderRejectedError",
    "OrderRequest",
    "OrderStatus",
    "OrderType",
    "OrderUpdate",
    "OrderView",
    "Portfolio",
    "PortfolioSnapshot",
    "Position",
    "Price",
    "Quantity",
    "QueueFullError",
    "Quote",
    "RateLimitedError",
    "RiskSettings",
    "Rounding",
    "RunSummary",
    "ScheduledTrigger",
    "Side",
    "StateTransitionError",
    "Strategy",
    "StrategyConfig",
    "StrategyPnl",
    "StrategySpec",
    "StrategyStatus",
    "StreamKey",
    "TestClock",
    "TimeInForce",
    "Trade",
    "TradeEngineError",
    "TradingEngine",
    "VenueError",
    "__version__",
    "add_secret",
    "backtest",
    "configure_logging",
    "flush_logs",
    "format_iso8601",
    "get_log_level",
    "interval_from_string",
    "interval_to_string",
    "load_config",
    "log",
    "next_open_time_ms",
    "now_ns",
    "redact",
    "research",
    "set_log_level",
    "set_status_line",
    "suppressed_log_lines",
    "sweep",
    "SimExchange",
    "SimServer",
    "venues",
]
