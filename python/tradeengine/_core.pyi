"""
tradeengine's C++ core. Import `tradeengine`, not this module.
"""
from __future__ import annotations
import collections.abc
import enum
import typing
__all__: list[str] = ['AlertInfo', 'AuthenticationError', 'BacktestReport', 'BacktestVenue', 'Balance', 'Candle', 'Clock', 'ComponentState', 'ComponentStatus', 'ConfigError', 'ConnectionLostError', 'DataError', 'DataGap', 'EngineNotRunningError', 'EngineState', 'ErrorInfo', 'Event', 'EventBus', 'EventType', 'FeedStatus', 'Fill', 'Instrument', 'InstrumentId', 'Interval', 'Lane', 'LaneStats', 'LiveClock', 'Money', 'Node', 'NodeStatus', 'OrderManager', 'OrderRejectedError', 'OrderRequest', 'OrderStatus', 'OrderType', 'OrderUpdate', 'OrderView', 'PortfolioSnapshot', 'Position', 'Price', 'Quantity', 'QueueFullError', 'Quote', 'RateLimitedError', 'Rounding', 'ScheduledTrigger', 'Side', 'SimServer', 'StateTransitionError', 'StrategyContext', 'StrategyPnl', 'StrategyStatus', 'StreamKey', 'TestClock', 'TimeInForce', 'Trade', 'TradeEngineError', 'TradingEngine', 'VenueError', 'add_secret', 'configure_logging', 'flush_logs', 'format_iso8601', 'get_log_level', 'interval_from_string', 'interval_to_string', 'log', 'next_open_time_ms', 'now_ns', 'redact', 'set_log_level', 'set_status_line', 'suppressed_log_lines']
class TradeEngineError(Exception):
    """
    Base class of every tradeengine error.
    """
class StateTransitionError(TradeEngineError):
    """
    An engine or order state change that the state machine does not allow.
    """
class EngineNotRunningError(TradeEngineError):
    """
    The engine is not RUNNING (e.g. wait_until_ready timed out).
    """
class QueueFullError(TradeEngineError):
    """
    A bounded lane stayed full for longer than its publish timeout.
    """
class ConfigError(TradeEngineError):
    """
    Invalid or missing configuration, reported before anything starts.
    """
class DataError(ConfigError):
    """
    Bad input data (a backtest's CSV, Parquet or DataFrame): the message names the file and line, or the bar.
    """
class VenueError(TradeEngineError):
    """
    An error reported by, or while talking to, a venue: .code (the venue's error code, 0 if none), .http_status (0 without an HTTP answer) and .venue_message (the venue's own words).
    """
class OrderRejectedError(VenueError):
    """
    The venue or a pre-trade check rejected an order.
    """
class RateLimitedError(VenueError):
    """
    The venue's rate limit was hit (HTTP 429/418).
    """
class AuthenticationError(VenueError):
    """
    The venue refused the API key or signature.
    """
class ConnectionLostError(VenueError):
    """
    The connection to the venue was lost.
    """
class Side(enum.Enum):
    """
    Order side: BUY or SELL.
    """
    BUY: typing.ClassVar[Side]
    SELL: typing.ClassVar[Side]
    @classmethod
    def __new__(cls, value):
        ...
class OrderType(enum.Enum):
    """
    Order types, with Binance's names.
    """
    LIMIT: typing.ClassVar[OrderType]
    LIMIT_MAKER: typing.ClassVar[OrderType]
    MARKET: typing.ClassVar[OrderType]
    STOP_LOSS_LIMIT: typing.ClassVar[OrderType]
    TAKE_PROFIT_LIMIT: typing.ClassVar[OrderType]
    @classmethod
    def __new__(cls, value):
        ...
class TimeInForce(enum.Enum):
    """
    GTC (good till canceled), IOC (immediate or cancel), FOK (fill or kill).
    """
    FOK: typing.ClassVar[TimeInForce]
    GTC: typing.ClassVar[TimeInForce]
    IOC: typing.ClassVar[TimeInForce]
    @classmethod
    def __new__(cls, value):
        ...
class OrderStatus(enum.Enum):
    """
    States of the order state machine (docs/architecture/live-trading.md).
    """
    ACCEPTED: typing.ClassVar[OrderStatus]
    CANCELED: typing.ClassVar[OrderStatus]
    EXPIRED: typing.ClassVar[OrderStatus]
    FILLED: typing.ClassVar[OrderStatus]
    INITIALIZED: typing.ClassVar[OrderStatus]
    PARTIALLY_FILLED: typing.ClassVar[OrderStatus]
    PENDING_CANCEL: typing.ClassVar[OrderStatus]
    REJECTED: typing.ClassVar[OrderStatus]
    SUBMITTED: typing.ClassVar[OrderStatus]
    @classmethod
    def __new__(cls, value):
        ...
class EngineState(enum.Enum):
    """
    CREATED -> INITIALIZED -> RUNNING -> STOPPING -> STOPPED.
    """
    CREATED: typing.ClassVar[EngineState]
    INITIALIZED: typing.ClassVar[EngineState]
    RUNNING: typing.ClassVar[EngineState]
    STOPPED: typing.ClassVar[EngineState]
    STOPPING: typing.ClassVar[EngineState]
    @classmethod
    def __new__(cls, value):
        ...
class ComponentState(enum.Enum):
    """
    A component's lifecycle: READY -> STARTING -> RUNNING -> STOPPING -> STOPPED, plus DEGRADED (impaired but working) and FAULTED (failed).
    """
    DEGRADED: typing.ClassVar[ComponentState]
    FAULTED: typing.ClassVar[ComponentState]
    READY: typing.ClassVar[ComponentState]
    RUNNING: typing.ClassVar[ComponentState]
    STARTING: typing.ClassVar[ComponentState]
    STOPPED: typing.ClassVar[ComponentState]
    STOPPING: typing.ClassVar[ComponentState]
    @classmethod
    def __new__(cls, value):
        ...
class Lane(enum.Enum):
    """
    EventBus lanes in priority order: ORDER > SIGNAL > DATA.
    """
    DATA: typing.ClassVar[Lane]
    ORDER: typing.ClassVar[Lane]
    SIGNAL: typing.ClassVar[Lane]
    @classmethod
    def __new__(cls, value):
        ...
class EventType(enum.Enum):
    """
    Types of the events that travel through the EventBus.
    """
    ALERT: typing.ClassVar[EventType]
    BALANCE_UPDATE: typing.ClassVar[EventType]
    CANDLE_CLOSED: typing.ClassVar[EventType]
    CANDLE_UPDATE: typing.ClassVar[EventType]
    COMMAND: typing.ClassVar[EventType]
    CUSTOM: typing.ClassVar[EventType]
    ERROR: typing.ClassVar[EventType]
    ORDER_CREATED: typing.ClassVar[EventType]
    ORDER_FILL: typing.ClassVar[EventType]
    ORDER_REJECT: typing.ClassVar[EventType]
    ORDER_UPDATE: typing.ClassVar[EventType]
    QUOTE: typing.ClassVar[EventType]
    SCHEDULED_TRIGGER: typing.ClassVar[EventType]
    SIGNAL: typing.ClassVar[EventType]
    TRADE: typing.ClassVar[EventType]
    VENUE_FILL: typing.ClassVar[EventType]
    VENUE_ORDER_UPDATE: typing.ClassVar[EventType]
    @classmethod
    def __new__(cls, value):
        ...
class Interval(enum.Enum):
    """
    Kline intervals. Interval.M1 is '1m', Interval.MO1 is '1M' (a month); interval_from_string('15m') and interval_to_string() convert.
    """
    D1: typing.ClassVar[Interval]
    D3: typing.ClassVar[Interval]
    H1: typing.ClassVar[Interval]
    H12: typing.ClassVar[Interval]
    H2: typing.ClassVar[Interval]
    H4: typing.ClassVar[Interval]
    H6: typing.ClassVar[Interval]
    H8: typing.ClassVar[Interval]
    M1: typing.ClassVar[Interval]
    M15: typing.ClassVar[Interval]
    M3: typing.ClassVar[Interval]
    M30: typing.ClassVar[Interval]
    M5: typing.ClassVar[Interval]
    MO1: typing.ClassVar[Interval]
    S1: typing.ClassVar[Interval]
    W1: typing.ClassVar[Interval]
    @classmethod
    def __new__(cls, value):
        ...
class Rounding(enum.Enum):
    """
    Rounding modes, as in Python's decimal module: DOWN is toward zero, UP away from zero, FLOOR toward -inf, CEILING toward +inf.
    """
    CEILING: typing.ClassVar[Rounding]
    DOWN: typing.ClassVar[Rounding]
    FLOOR: typing.ClassVar[Rounding]
    HALF_EVEN: typing.ClassVar[Rounding]
    HALF_UP: typing.ClassVar[Rounding]
    UP: typing.ClassVar[Rounding]
    @classmethod
    def __new__(cls, value):
        ...
class Price:
    """
    An exact price: fixed-point with 9 decimal places.
    """
    @staticmethod
    def from_float(value: typing.SupportsFloat | typing.SupportsIndex) -> Price:
        """
        Convert a float through its shortest round-trip text (0.1 -> '0.1').
        """
    @staticmethod
    def from_raw(raw: int) -> Price:
        """
        From the 128-bit mantissa (value = raw / 1e9).
        """
    @staticmethod
    def from_str(text: str, rounding: Rounding | None = None) -> Price:
        """
        Parse text; with a rounding mode, digits beyond the 9th decimal place are rounded instead of refused.
        """
    def __abs__(self) -> Price:
        ...
    def __add__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __bool__(self) -> bool:
        ...
    def __copy__(self) -> Price:
        ...
    def __deepcopy__(self, arg0: typing.Any) -> Price:
        ...
    def __eq__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __float__(self) -> float:
        ...
    def __format__(self, arg0: str) -> typing.Any:
        ...
    def __ge__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __getstate__(self) -> tuple[int]:
        ...
    def __gt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, value: typing.Any) -> None:
        """
        Exact value from a str ('1.10'), an int or a decimal.Decimal. Floats are refused (use from_float); text with more than 9 decimal places is refused (use from_str with a rounding mode).
        """
    def __int__(self) -> int:
        ...
    def __le__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __lt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __mul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __ne__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __neg__(self) -> Price:
        ...
    def __pos__(self) -> Price:
        ...
    def __radd__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def __rmul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def __str__(self) -> str:
        ...
    def __sub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __truediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def as_decimal(self) -> typing.Any:
        """
        The exact value as a decimal.Decimal.
        """
    def is_multiple_of(self, increment: Price) -> bool:
        """
        True if an exact multiple of increment.
        """
    def round_to(self, increment: Price, rounding: Rounding = ...) -> Price:
        """
        The nearest multiple of increment (a tick or step size) in the given rounding direction.
        """
    def to_float(self) -> float:
        """
        The nearest float (explicit: floats are inexact).
        """
    def to_string_fixed(self, decimals: typing.SupportsInt | typing.SupportsIndex) -> str:
        """
        Text with exactly `decimals` places ('1.50' for decimals=2); raises if that would round.
        """
    @property
    def decimal_places(self) -> int:
        """
        Decimal places needed to write the value exactly (0..9).
        """
    @property
    def raw(self) -> int:
        """
        The 128-bit mantissa: value = raw / 1e9.
        """
class Quantity:
    """
    An exact quantity (base asset): fixed-point with 9 decimal places.
    """
    @staticmethod
    def from_float(value: typing.SupportsFloat | typing.SupportsIndex) -> Quantity:
        """
        Convert a float through its shortest round-trip text (0.1 -> '0.1').
        """
    @staticmethod
    def from_raw(raw: int) -> Quantity:
        """
        From the 128-bit mantissa (value = raw / 1e9).
        """
    @staticmethod
    def from_str(text: str, rounding: Rounding | None = None) -> Quantity:
        """
        Parse text; with a rounding mode, digits beyond the 9th decimal place are rounded instead of refused.
        """
    def __abs__(self) -> Quantity:
        ...
    def __add__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __bool__(self) -> bool:
        ...
    def __copy__(self) -> Quantity:
        ...
    def __deepcopy__(self, arg0: typing.Any) -> Quantity:
        ...
    def __eq__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __float__(self) -> float:
        ...
    def __format__(self, arg0: str) -> typing.Any:
        ...
    def __ge__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __getstate__(self) -> tuple[int]:
        ...
    def __gt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, value: typing.Any) -> None:
        """
        Exact value from a str ('1.10'), an int or a decimal.Decimal. Floats are refused (use from_float); text with more than 9 decimal places is refused (use from_str with a rounding mode).
        """
    def __int__(self) -> int:
        ...
    def __le__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __lt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __mul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __ne__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __neg__(self) -> Quantity:
        ...
    def __pos__(self) -> Quantity:
        ...
    def __radd__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def __rmul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def __str__(self) -> str:
        ...
    def __sub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __truediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def as_decimal(self) -> typing.Any:
        """
        The exact value as a decimal.Decimal.
        """
    def is_multiple_of(self, increment: Quantity) -> bool:
        """
        True if an exact multiple of increment.
        """
    def round_to(self, increment: Quantity, rounding: Rounding = ...) -> Quantity:
        """
        The nearest multiple of increment (a tick or step size) in the given rounding direction.
        """
    def to_float(self) -> float:
        """
        The nearest float (explicit: floats are inexact).
        """
    def to_string_fixed(self, decimals: typing.SupportsInt | typing.SupportsIndex) -> str:
        """
        Text with exactly `decimals` places ('1.50' for decimals=2); raises if that would round.
        """
    @property
    def decimal_places(self) -> int:
        """
        Decimal places needed to write the value exactly (0..9).
        """
    @property
    def raw(self) -> int:
        """
        The 128-bit mantissa: value = raw / 1e9.
        """
class Money:
    """
    An exact amount of money (quote asset), e.g. Price * Quantity: fixed-point with 9 decimal places.
    """
    @staticmethod
    def from_float(value: typing.SupportsFloat | typing.SupportsIndex) -> Money:
        """
        Convert a float through its shortest round-trip text (0.1 -> '0.1').
        """
    @staticmethod
    def from_raw(raw: int) -> Money:
        """
        From the 128-bit mantissa (value = raw / 1e9).
        """
    @staticmethod
    def from_str(text: str, rounding: Rounding | None = None) -> Money:
        """
        Parse text; with a rounding mode, digits beyond the 9th decimal place are rounded instead of refused.
        """
    def __abs__(self) -> Money:
        ...
    def __add__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __bool__(self) -> bool:
        ...
    def __copy__(self) -> Money:
        ...
    def __deepcopy__(self, arg0: typing.Any) -> Money:
        ...
    def __eq__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __float__(self) -> float:
        ...
    def __format__(self, arg0: str) -> typing.Any:
        ...
    def __ge__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __getstate__(self) -> tuple[int]:
        ...
    def __gt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, value: typing.Any) -> None:
        """
        Exact value from a str ('1.10'), an int or a decimal.Decimal. Floats are refused (use from_float); text with more than 9 decimal places is refused (use from_str with a rounding mode).
        """
    def __int__(self) -> int:
        ...
    def __le__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __lt__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __mul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __ne__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __neg__(self) -> Money:
        ...
    def __pos__(self) -> Money:
        ...
    def __radd__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def __rmul__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def __str__(self) -> str:
        ...
    def __sub__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __truediv__(self, arg0: typing.Any) -> typing.Any:
        ...
    def as_decimal(self) -> typing.Any:
        """
        The exact value as a decimal.Decimal.
        """
    def is_multiple_of(self, increment: Money) -> bool:
        """
        True if an exact multiple of increment.
        """
    def round_to(self, increment: Money, rounding: Rounding = ...) -> Money:
        """
        The nearest multiple of increment (a tick or step size) in the given rounding direction.
        """
    def to_float(self) -> float:
        """
        The nearest float (explicit: floats are inexact).
        """
    def to_string_fixed(self, decimals: typing.SupportsInt | typing.SupportsIndex) -> str:
        """
        Text with exactly `decimals` places ('1.50' for decimals=2); raises if that would round.
        """
    @property
    def decimal_places(self) -> int:
        """
        Decimal places needed to write the value exactly (0..9).
        """
    @property
    def raw(self) -> int:
        """
        The 128-bit mantissa: value = raw / 1e9.
        """
class Clock:
    """
    Source of the current time in Unix nanoseconds.
    """
    def now_ns(self) -> int:
        """
        Now, in nanoseconds since the Unix epoch.
        """
class LiveClock(Clock):
    """
    The system's wall clock.
    """
    def __init__(self) -> None:
        ...
class TestClock(Clock):
    """
    A clock set by hand, for deterministic tests and replay. Time never goes backwards.
    """
    def __init__(self, start_ns: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def advance(self, delta_ns: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Move forward by delta_ns (>= 0).
        """
    def set_time(self, t_ns: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Move to t_ns (>= now).
        """
class InstrumentId:
    """
    SYMBOL.VENUE, e.g. InstrumentId('BTCUSDT.BINANCE').
    """
    @staticmethod
    def of(symbol: str, venue: str) -> InstrumentId:
        ...
    def __eq__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __getstate__(self) -> tuple[str]:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, text: str) -> None:
        ...
    def __lt__(self, arg0: InstrumentId) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def symbol(self) -> str:
        ...
    @property
    def venue(self) -> str:
        ...
class Instrument:
    """
    An instrument's trading rules and the rounding helpers orders need.
    """
    def __init__(self, id: typing.Any, base_asset: str, quote_asset: str, tick_size: Price, step_size: Quantity, min_quantity: Quantity, max_quantity: Quantity, min_notional: Money, price_precision: typing.SupportsInt | typing.SupportsIndex | None = None, quantity_precision: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def check_order(self, price: Price | None, quantity: Quantity) -> str | None:
        """
        Why an order would break the instrument's filters, or None if it passes (price None: market order).
        """
    def round_price(self, price: Price, rounding: Rounding = ...) -> Price:
        """
        Round to the tick size (half-even by default).
        """
    def round_quantity(self, quantity: Quantity, rounding: Rounding = ...) -> Quantity:
        """
        Round to the step size (down by default: never more than asked).
        """
    @property
    def base_asset(self) -> str:
        ...
    @property
    def id(self) -> InstrumentId:
        ...
    @property
    def max_quantity(self) -> Quantity:
        ...
    @property
    def min_notional(self) -> Money:
        ...
    @property
    def min_quantity(self) -> Quantity:
        ...
    @property
    def price_precision(self) -> int:
        ...
    @property
    def quantity_precision(self) -> int:
        ...
    @property
    def quote_asset(self) -> str:
        ...
    @property
    def step_size(self) -> Quantity:
        ...
    @property
    def tick_size(self) -> Price:
        ...
class Candle:
    """
    An OHLCV bar (kline). closed=False for an in-progress update.
    """
    def __init__(self, instrument_id: typing.Any, interval: typing.Any, open_time: typing.SupportsInt | typing.SupportsIndex, close_time: typing.SupportsInt | typing.SupportsIndex, open: Price, high: Price, low: Price, close: Price, volume: Quantity, quote_volume: Money = ..., trade_count: typing.SupportsInt | typing.SupportsIndex = 0, closed: bool = True, ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def close(self) -> Price:
        ...
    @property
    def close_time(self) -> int:
        """
        Unix nanoseconds.
        """
    @property
    def closed(self) -> bool:
        ...
    @property
    def high(self) -> Price:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def interval(self) -> Interval:
        ...
    @property
    def low(self) -> Price:
        ...
    @property
    def open(self) -> Price:
        ...
    @property
    def open_time(self) -> int:
        """
        Unix nanoseconds.
        """
    @property
    def quote_volume(self) -> Money:
        ...
    @property
    def trade_count(self) -> int:
        ...
    @property
    def ts_event(self) -> int:
        ...
    @property
    def ts_recv(self) -> int:
        ...
    @property
    def volume(self) -> Quantity:
        ...
class Trade:
    """
    A trade printed by the venue.
    """
    def __init__(self, instrument_id: typing.Any, price: Price, quantity: Quantity, trade_id: typing.SupportsInt | typing.SupportsIndex = 0, aggressor_side: Side = ..., ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def aggressor_side(self) -> Side:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def price(self) -> Price:
        ...
    @property
    def quantity(self) -> Quantity:
        ...
    @property
    def trade_id(self) -> int:
        ...
    @property
    def ts_event(self) -> int:
        ...
    @property
    def ts_recv(self) -> int:
        ...
class Quote:
    """
    Best bid and ask (Binance bookTicker).
    """
    def __init__(self, instrument_id: typing.Any, bid_price: Price, bid_size: Quantity, ask_price: Price, ask_size: Quantity, ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def ask_price(self) -> Price:
        ...
    @property
    def ask_size(self) -> Quantity:
        ...
    @property
    def bid_price(self) -> Price:
        ...
    @property
    def bid_size(self) -> Quantity:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def ts_event(self) -> int:
        ...
    @property
    def ts_recv(self) -> int:
        ...
class OrderRequest:
    """
    One new order, as it will be sent. Limit-type orders need a price; a MARKET order is sized by quantity or by quote_quantity. An empty client_order_id lets the venue layer assign one.
    """
    def __init__(self, instrument_id: InstrumentId, side: Side, quantity: Quantity = ..., type: OrderType = ..., price: Price | None = None, time_in_force: TimeInForce = ..., client_order_id: str = '', quote_quantity: Money | None = None) -> None:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def client_order_id(self) -> str:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def price(self) -> Price | None:
        """
        None for market orders.
        """
    @property
    def quantity(self) -> Quantity:
        ...
    @property
    def quote_quantity(self) -> Money | None:
        """
        None unless sized in the quote asset.
        """
    @property
    def side(self) -> Side:
        ...
    @property
    def time_in_force(self) -> TimeInForce:
        ...
    @property
    def type(self) -> OrderType:
        ...
class OrderUpdate:
    """
    What a venue says about one order, in the engine's order vocabulary.
    """
    def __init__(self, instrument_id: InstrumentId, client_order_id: str, status: OrderStatus, side: Side, quantity: Quantity, filled_quantity: Quantity = ..., filled_quote: Money = ..., price: Price | None = None, type: OrderType = ..., time_in_force: TimeInForce = ..., venue_order_id: typing.SupportsInt | typing.SupportsIndex = 0, reason: str = '', ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        For broker adapters written in Python: what the venue said (cumulative filled quantity).
        """
    def __repr__(self) -> str:
        ...
    @property
    def client_order_id(self) -> str:
        ...
    @property
    def filled_quantity(self) -> Quantity:
        ...
    @property
    def filled_quote(self) -> Money:
        """
        Cumulative quote quantity of the fills.
        """
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def price(self) -> Price:
        ...
    @property
    def quantity(self) -> Quantity:
        ...
    @property
    def reason(self) -> str:
        """
        Why it was rejected or expired ('' otherwise).
        """
    @property
    def side(self) -> Side:
        ...
    @property
    def status(self) -> OrderStatus:
        ...
    @property
    def time_in_force(self) -> TimeInForce:
        ...
    @property
    def ts_event(self) -> int:
        """
        Venue time, Unix ns.
        """
    @property
    def ts_recv(self) -> int:
        """
        Local receive time, Unix ns.
        """
    @property
    def type(self) -> OrderType:
        ...
    @property
    def venue_order_id(self) -> int:
        ...
class Fill:
    """
    One execution of (part of) an order.
    """
    def __init__(self, instrument_id: InstrumentId, client_order_id: str, trade_id: typing.SupportsInt | typing.SupportsIndex, side: Side, price: Price, quantity: Quantity, commission: Money = ..., commission_asset: str = '', maker: bool = False, venue_order_id: typing.SupportsInt | typing.SupportsIndex = 0, ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        For broker adapters written in Python: one execution (trade_id unique per instrument).
        """
    def __repr__(self) -> str:
        ...
    @property
    def client_order_id(self) -> str:
        ...
    @property
    def commission(self) -> Money:
        ...
    @property
    def commission_asset(self) -> str:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def maker(self) -> bool:
        ...
    @property
    def price(self) -> Price:
        ...
    @property
    def quantity(self) -> Quantity:
        ...
    @property
    def side(self) -> Side:
        ...
    @property
    def trade_id(self) -> int:
        """
        Unique per instrument at the venue.
        """
    @property
    def ts_event(self) -> int:
        ...
    @property
    def ts_recv(self) -> int:
        ...
    @property
    def venue_order_id(self) -> int:
        ...
class Balance:
    """
    One asset's balance: free and locked.
    """
    def __repr__(self) -> str:
        ...
    @property
    def asset(self) -> str:
        ...
    @property
    def free(self) -> Quantity:
        ...
    @property
    def locked(self) -> Quantity:
        ...
    @property
    def ts_event(self) -> int:
        ...
class AlertInfo:
    """
    Something a person should know: a ban, a lost stream, rejected keys.
    """
    def __repr__(self) -> str:
        ...
    @property
    def kind(self) -> str:
        """
        A short tag: 'banned', 'auth', 'user_stream', ...
        """
    @property
    def message(self) -> str:
        ...
    @property
    def ts(self) -> int:
        """
        Unix ns.
        """
class ScheduledTrigger:
    """
    A timer firing: the payload of SCHEDULED_TRIGGER events.
    """
    def __repr__(self) -> str:
        ...
    @property
    def actual_time(self) -> int:
        """
        When it fired (Unix ns, engine clock).
        """
    @property
    def scheduled_time(self) -> int:
        """
        When it was due (Unix ns, engine clock).
        """
    @property
    def timer_id(self) -> int:
        """
        The id returned by schedule_once/schedule_periodic.
        """
    @property
    def trigger_type(self) -> str:
        """
        The timer's name.
        """
class ErrorInfo:
    """
    The payload of ERROR events: which handler failed on what (truncated; the log has the traceback).
    """
    def __repr__(self) -> str:
        ...
    @property
    def error_type(self) -> str:
        """
        Exception type name.
        """
    @property
    def event_type(self) -> EventType:
        """
        Type of the event being handled.
        """
    @property
    def handler(self) -> str:
        """
        The failing handler's name (its end if long).
        """
    @property
    def lane(self) -> Lane:
        """
        Lane of the event being handled.
        """
    @property
    def message(self) -> str:
        """
        Exception message (truncated).
        """
class Event:
    """
    An event on the EventBus: type, lane, timestamps and a payload.
    """
    def __init__(self, event_type: typing.Any, payload: typing.Any = None, lane: typing.Any = None, ts_event: typing.SupportsInt | typing.SupportsIndex = 0, ts_recv: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        Event(event_type, payload=None, lane=None): the lane defaults to the type's lane. A Candle, Trade or Quote payload travels natively; any other object is carried as is.
        """
    def __repr__(self) -> str:
        ...
    @property
    def data(self) -> typing.Any:
        """
        Alias of payload (event.data).
        """
    @property
    def lane(self) -> Lane:
        """
        The Lane it travels on.
        """
    @property
    def payload(self) -> typing.Any:
        """
        Candle, Trade, Quote, ScheduledTrigger, ErrorInfo, OrderUpdate, Fill, Balance, AlertInfo, any object or None.
        """
    @property
    def ts_event(self) -> int:
        """
        Venue time (Unix ns).
        """
    @property
    def ts_publish(self) -> int:
        """
        Monotonic ns at publish (0 before publishing).
        """
    @property
    def ts_recv(self) -> int:
        """
        Local receive time (Unix ns).
        """
    @property
    def type(self) -> EventType:
        """
        The EventType.
        """
class EventBus:
    """
    Three bounded lanes (order 50 never dropped, signal 100 waits 5 s then QueueFullError, data 1000 waits 1 s then drops) served by one native dispatcher thread in priority order order > signal > data.
    """
    def __init__(self, *, name: str = 'bus', data_capacity: typing.SupportsInt | typing.SupportsIndex = 1000, data_timeout: typing.SupportsFloat | typing.SupportsIndex = 1.0, signal_capacity: typing.SupportsInt | typing.SupportsIndex = 100, signal_timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0, order_capacity: typing.SupportsInt | typing.SupportsIndex = 50, batch_size: typing.SupportsInt | typing.SupportsIndex = 64, spin_us: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> None:
        ...
    def handler_count(self, event_type: typing.Any) -> int:
        """
        How many handlers an event type has.
        """
    def handlers(self) -> list:
        """
        Every subscription with its call and error counts.
        """
    def on_dispatcher_thread(self) -> bool:
        """
        True when called from a handler.
        """
    def publish(self, event: typing.Any, payload: typing.Any = None, lane: typing.Any = None, *, block: bool = True) -> bool:
        """
        publish(Event) or publish(event_type, payload=None, lane=None). True if queued, False if dropped (data lane full for its timeout). Raises QueueFullError (signal lane full for its timeout) and EngineNotRunningError (bus shut down). block=False never waits. Releases the GIL while waiting.
        """
    def report_handler_error(self, subscription_id: typing.SupportsInt | typing.SupportsIndex, event_type: typing.Any, lane: typing.Any, error_type: str, message: str, traceback: str = '') -> None:
        """
        Reports the failure of a handler that finished elsewhere (a coroutine on an asyncio loop): logged, counted for the handler and the lane, and published as an ERROR event.
        """
    def reset_latency(self) -> None:
        """
        Clears the latency histogram.
        """
    def shutdown(self, timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> dict:
        """
        Drains and closes: the order lane always fully; the other lanes until timeout. Returns what was left: {'left': {...}, 'total_left', 'left_events', 'duration_seconds', 'timed_out'}.
        """
    def start(self) -> None:
        """
        Starts the dispatcher thread.
        """
    def stats(self) -> dict:
        """
        Per-lane depth, high_water, published, delivered, dropped, left_at_shutdown, overflowed, handler_errors, blocked_seconds; publish->delivery latency p50/p99/p99.9.
        """
    def stop(self) -> None:
        """
        Stops the dispatcher after its current batch; queued events stay queued.
        """
    def subscribe(self, event_type: typing.Any, handler: typing.Any, name: typing.Any = None) -> int:
        """
        Calls handler(event) for every event of this type, after the handlers subscribed before it. Returns a subscription id for unsubscribe(). Takes effect from the next event.
        """
    def unsubscribe(self, subscription_id: typing.SupportsInt | typing.SupportsIndex) -> bool:
        """
        Removes a subscription; False if unknown.
        """
    @property
    def depth(self) -> int:
        """
        Events waiting in all lanes.
        """
    @property
    def is_shut_down(self) -> bool:
        """
        True once shutdown() completed.
        """
    @property
    def running(self) -> bool:
        """
        True while the dispatcher thread runs.
        """
class TradingEngine:
    """
    The native engine: owns its EventBus and timers, runs CREATED -> INITIALIZED -> RUNNING -> STOPPING -> STOPPED. Most code uses tradeengine.Engine, the asyncio-friendly facade around it.
    """
    def __init__(self, *, name: str = 'engine', clock: Clock = None, data_capacity: typing.SupportsInt | typing.SupportsIndex = 1000, data_timeout: typing.SupportsFloat | typing.SupportsIndex = 1.0, signal_capacity: typing.SupportsInt | typing.SupportsIndex = 100, signal_timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0, order_capacity: typing.SupportsInt | typing.SupportsIndex = 50, batch_size: typing.SupportsInt | typing.SupportsIndex = 64, spin_us: typing.SupportsFloat | typing.SupportsIndex = 5.0, scheduler_thread: bool = True) -> None:
        ...
    def add_stop_hook(self, name: str, hook: typing.Any) -> None:
        """
        Called first by stop(), newest first: stop your data collectors here.
        """
    def cancel_timer(self, timer_id: typing.SupportsInt | typing.SupportsIndex) -> bool:
        """
        Cancels a timer; False if unknown.
        """
    def health_check(self) -> dict:
        """
        status 'healthy'/'unhealthy', event_loop_running, eventbus_depth, drop_rate, uptime.
        """
    def metrics(self) -> dict:
        """
        A consistent snapshot: candles_received, events_published, events_dropped, callback_errors, publish_latency_p50/p99 (ms), state, uptime_seconds, state_transitions, lane_depth, bus stats.
        """
    def on_candle_received(self, candle: Candle) -> None:
        """
        Thread-safe, never raises. Publishes the candle when RUNNING; otherwise drops and counts it.
        """
    def on_quote_received(self, quote: Quote) -> None:
        """
        Thread-safe, never raises. Publishes a QUOTE event on the data lane when RUNNING; otherwise drops and counts it.
        """
    def on_trade_received(self, trade: Trade) -> None:
        """
        Thread-safe, never raises. Publishes a TRADE event on the data lane when RUNNING; otherwise drops and counts it.
        """
    def on_venue_fill(self, fill: Fill) -> None:
        """
        For broker adapters: one execution (VENUE_FILL). Thread-safe, never raises.
        """
    def on_venue_order_update(self, update: OrderUpdate) -> None:
        """
        For broker adapters: what the venue said about an order (VENUE_ORDER_UPDATE, applied by the order manager). Thread-safe, never raises.
        """
    def poll_timers(self) -> int:
        """
        Fires the timers due on the engine clock (a TestClock engine fires timers only here).
        """
    def run(self) -> None:
        """
        INITIALIZED -> RUNNING: starts the dispatcher and timers, then the components. Returns at once.
        """
    def schedule_once(self, trigger_type: str, at_ns: typing.SupportsInt | typing.SupportsIndex) -> int:
        """
        A SCHEDULED_TRIGGER event at at_ns (engine clock). Returns a timer id.
        """
    def schedule_periodic(self, trigger_type: str, interval_ns: typing.SupportsInt | typing.SupportsIndex, first_ns: typing.SupportsInt | typing.SupportsIndex | None = None) -> int:
        """
        A SCHEDULED_TRIGGER event every interval_ns, first at first_ns (default now + interval).
        """
    def set_components(self, strategies: collections.abc.Iterable = [], risk_manager: typing.Any = None) -> None:
        """
        CREATED -> INITIALIZED. Strategies and the risk manager may define on_start() and on_stop().
        """
    def stop(self, timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> dict:
        """
        RUNNING -> STOPPING -> STOPPED: stop hooks, timers, drain the bus (order lane fully), components. Returns the bus's shutdown report.
        """
    def wait_until_ready(self, timeout: typing.SupportsFloat | typing.SupportsIndex = 5.0) -> None:
        """
        Blocks until RUNNING; EngineNotRunningError after timeout seconds.
        """
    @property
    def bus(self) -> EventBus:
        """
        The engine's EventBus.
        """
    @property
    def name(self) -> str:
        """
        The engine's name (log component).
        """
    @property
    def pending_timers(self) -> int:
        """
        How many timers are scheduled.
        """
    @property
    def state(self) -> EngineState:
        """
        The current EngineState.
        """
class SimServer:
    """
    A simulated Binance Spot exchange on loopback (REST, streams, WebSocket API). Use tradeengine.sim.SimExchange.
    """
    def __init__(self, config_json: str = '{}') -> None:
        """
        Build from a JSON configuration (see docs/sim-exchange.md).
        """
    def announce_shutdown(self) -> int:
        """
        Send Binance's serverShutdown event to every stream client (connections stay open); returns how many.
        """
    def balances(self, account: typing.SupportsInt | typing.SupportsIndex = 0) -> str:
        """
        Balances as JSON.
        """
    def book(self, symbol: str) -> str:
        """
        Order book of a symbol as JSON.
        """
    def deposit(self, account: typing.SupportsInt | typing.SupportsIndex, asset: str, amount: str) -> None:
        """
        Credit (or debit, if negative) an asset: a deposit, with its user-data events.
        """
    def drop_connections(self) -> None:
        """
        Drop every WebSocket connection now.
        """
    def drop_stream(self, stream: str) -> int:
        """
        Drop the connections subscribed to one stream; returns how many.
        """
    def faults(self) -> str:
        """
        Current faults as JSON.
        """
    def inject(self, stream: str, payload: str) -> int:
        """
        Send a JSON event to a stream's subscribers as if the market had produced it (from the IO thread; '${now_ns}' becomes the send time in Unix ns); returns how many connections are subscribed.
        """
    def now_ms(self) -> int:
        """
        Server time in ms (wall clock plus the clock-skew fault).
        """
    def open_orders(self, account: typing.SupportsInt | typing.SupportsIndex = 0) -> str:
        """
        Open orders as JSON.
        """
    def order_accepted_ns(self, client_order_id: str) -> int | None:
        """
        When the order entered the matching engine (wall-clock Unix ns), or None.
        """
    def restart(self, downtime_ms: typing.SupportsInt | typing.SupportsIndex) -> None:
        """
        Drop every connection, stop listening for downtime_ms, listen again on the same port.
        """
    def set_faults(self, faults_json: str) -> None:
        """
        Change faults (JSON object; keys not given are kept).
        """
    def start(self) -> None:
        """
        Bind (a free port unless one was configured) and start serving.
        """
    def stats(self) -> str:
        """
        Connection and message counters as JSON.
        """
    def step(self, ticks: typing.SupportsInt | typing.SupportsIndex = 1) -> None:
        """
        Advance the market by this many ticks now.
        """
    def stop(self) -> None:
        """
        Send serverShutdown to stream clients, close everything, stop.
        """
    @property
    def market_time_ms(self) -> int:
        """
        Simulated market time in ms.
        """
    @property
    def port(self) -> int:
        """
        The TCP port it listens on.
        """
    @property
    def running(self) -> bool:
        """
        True while serving.
        """
class Position:
    """
    A position in one instrument (signed quantity: long > 0, short < 0).
    """
    def __repr__(self) -> str:
        ...
    def unrealized_pnl(self, mark: Price) -> Money:
        """
        (mark - entry) * quantity.
        """
    @property
    def avg_entry_price(self) -> Price:
        ...
    @property
    def fees(self) -> Money:
        """
        What the fills cost in the quote asset (commissions in the base asset valued at the fill price).
        """
    @property
    def fill_count(self) -> int:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def is_flat(self) -> bool:
        ...
    @property
    def net_pnl(self) -> Money:
        """
        realized_pnl - fees (quote asset).
        """
    @property
    def other_fees(self) -> dict:
        """
        Commissions in any other asset (BNB): asset -> Money.
        """
    @property
    def quantity(self) -> Quantity:
        ...
    @property
    def realized_pnl(self) -> Money:
        """
        In the quote asset; fees not included.
        """
class OrderView:
    """
    A snapshot of one order as the order manager holds it.
    """
    def __repr__(self) -> str:
        ...
    @property
    def avg_fill_price(self) -> Price:
        ...
    @property
    def client_order_id(self) -> str:
        ...
    @property
    def cumulative_quote(self) -> Money:
        ...
    @property
    def filled_quantity(self) -> Quantity:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def is_open(self) -> bool:
        ...
    @property
    def leaves_quantity(self) -> Quantity:
        ...
    @property
    def reason(self) -> str:
        ...
    @property
    def request(self) -> OrderRequest:
        ...
    @property
    def side(self) -> Side:
        ...
    @property
    def status(self) -> OrderStatus:
        ...
    @property
    def strategy(self) -> str:
        ...
    @property
    def ts_init(self) -> int:
        ...
    @property
    def ts_last(self) -> int:
        ...
    @property
    def venue_order_id(self) -> int:
        ...
class StrategyPnl:
    """
    What one strategy's own fills made and cost, per instrument.
    """
    @property
    def fills(self) -> int:
        ...
    @property
    def positions(self) -> list[Position]:
        ...
    @property
    def strategy(self) -> str:
        ...
class PortfolioSnapshot:
    """
    Balances, positions and fees at one moment.
    """
    @property
    def balances(self) -> dict:
        """
        asset -> Balance
        """
    @property
    def fees(self) -> dict:
        """
        asset -> Money: commissions paid, in the asset they were charged in
        """
    @property
    def positions(self) -> dict:
        """
        instrument id -> Position
        """
class OrderManager:
    """
    Orders checked, sent and tracked in C++: state machines and portfolio updated from the venue before ORDER_UPDATE / ORDER_FILL / ORDER_REJECT are published. Use tradeengine.oms.OrderManager.
    """
    def __init__(self, engine: TradingEngine, venue: typing.Any, id_prefix: str = '', max_order_notional: Money | None = None, max_position: collections.abc.Mapping[str, Quantity] = {}, ack_timeout: typing.SupportsFloat | typing.SupportsIndex = 30.0) -> None:
        ...
    def cancel(self, client_order_id: str) -> bool:
        """
        Cancel one open order; False if unknown or finished.
        """
    def cancel_all(self, strategy: str = '', instrument_id: typing.Any = None) -> int:
        """
        Cancel the open orders of a strategy ('' = all) on an instrument (None = all); how many.
        """
    def check_timeouts(self) -> int:
        """
        Query orders with no answer after ack_timeout (a 1 s engine timer does this); how many.
        """
    def last_price(self, instrument_id: InstrumentId) -> Price | None:
        """
        The last candle close, trade or mid quote seen, or None.
        """
    def order(self, client_order_id: str) -> OrderView | None:
        """
        The order's OrderView, or None.
        """
    def orders(self, strategy: str = '', open_only: bool = False, instrument_id: typing.Any = None) -> list[OrderView]:
        """
        OrderViews, filtered by strategy, openness and instrument.
        """
    def portfolio(self) -> PortfolioSnapshot:
        """
        Balances, positions and fees (a PortfolioSnapshot).
        """
    def position(self, instrument_id: InstrumentId) -> Position:
        ...
    def realized_pnl(self, instrument_id: InstrumentId) -> Money:
        ...
    def replace(self, client_order_id: str, price: Price | None = None, quantity: Quantity | None = None) -> str:
        """
        Cancel and send a new order with the same side and type; the new id ('' if not open).
        """
    def set_balance(self, asset: str, free: Quantity, locked: Quantity = ...) -> None:
        """
        The venue's balance of an asset (at start); fills move it from there.
        """
    def stats(self) -> dict:
        """
        Counters.
        """
    def submit(self, strategy: str, request: OrderRequest) -> str:
        """
        Check, record, publish ORDER_CREATED and send; the client order id. A failed check gives a REJECTED order (ORDER_REJECT with the reason), not an exception.
        """
    def unrealized_pnl(self, instrument_id: InstrumentId) -> Money:
        """
        At the last price seen; zero without one.
        """
    @property
    def id_prefix(self) -> str:
        ...
class StreamKey:
    """
    One market-data stream: candles (at an interval), trades or quotes of an instrument.
    """
    def __repr__(self) -> str:
        ...
    def __str__(self) -> str:
        ...
    @property
    def instrument_id(self) -> InstrumentId:
        ...
    @property
    def interval(self) -> Interval:
        """
        The candles' interval (meaningless for trades and quotes).
        """
    @property
    def kind(self) -> str:
        """
        'CANDLES', 'TRADES' or 'QUOTES'.
        """
class FeedStatus:
    """
    How fresh one subscribed stream is.
    """
    def __repr__(self) -> str:
        ...
    @property
    def messages(self) -> int:
        ...
    @property
    def staleness(self) -> float | None:
        """
        Seconds since the stream's last message; None before the first.
        """
    @property
    def stream(self) -> StreamKey:
        ...
class ComponentStatus:
    """
    One component's lifecycle state and details.
    """
    def __repr__(self) -> str:
        ...
    @property
    def details(self) -> dict:
        """
        What a person wants to know, as text (connections, counters).
        """
    @property
    def kind(self) -> str:
        """
        'engine', 'venue', 'order_manager', ...
        """
    @property
    def name(self) -> str:
        ...
    @property
    def reason(self) -> str:
        """
        Why it is in its state ('' when there is nothing to say).
        """
    @property
    def since(self) -> float:
        """
        Seconds in this state.
        """
    @property
    def state(self) -> ComponentState:
        ...
    @property
    def transitions(self) -> int:
        ...
class StrategyStatus:
    """
    One strategy's state, errors, budget and subscriptions.
    """
    def __repr__(self) -> str:
        ...
    @property
    def callbacks(self) -> int:
        ...
    @property
    def errors(self) -> int:
        ...
    @property
    def last_error(self) -> str:
        ...
    @property
    def last_traceback(self) -> str:
        """
        The traceback of the last error ('' when the callback gave none).
        """
    @property
    def name(self) -> str:
        ...
    @property
    def orders_refused_budget(self) -> int:
        """
        Orders refused by the strategy's order-rate budget.
        """
    @property
    def orders_submitted(self) -> int:
        ...
    @property
    def paused(self) -> bool:
        ...
    @property
    def slow_callbacks(self) -> int:
        """
        Callbacks that took longer than the budget.
        """
    @property
    def slowest_callback_ms(self) -> float:
        ...
    @property
    def state(self) -> ComponentState:
        """
        RUNNING, DEGRADED (paused by an error), STOPPED, or FAULTED (stopped by an error).
        """
    @property
    def subscriptions(self) -> list[StreamKey]:
        ...
    @property
    def timers(self) -> int:
        ...
class LaneStats:
    """
    One EventBus lane's counters.
    """
    @property
    def capacity(self) -> int:
        ...
    @property
    def delivered(self) -> int:
        ...
    @property
    def depth(self) -> int:
        ...
    @property
    def dropped(self) -> int:
        ...
    @property
    def handler_errors(self) -> int:
        ...
    @property
    def high_water(self) -> int:
        ...
    @property
    def lane(self) -> Lane:
        ...
    @property
    def published(self) -> int:
        ...
class NodeStatus:
    """
    Every component of a node: its state, venues' feeds, lanes and strategies.
    """
    def __repr__(self) -> str:
        ...
    def component(self, name: str) -> ComponentStatus | None:
        """
        The component of that name, or None.
        """
    @property
    def components(self) -> list[ComponentStatus]:
        ...
    @property
    def feeds(self) -> dict:
        """
        venue -> [FeedStatus] of its subscribed streams.
        """
    @property
    def lanes(self) -> list[LaneStats]:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def state(self) -> ComponentState:
        ...
    @property
    def strategies(self) -> list[StrategyStatus]:
        ...
    @property
    def uptime(self) -> float:
        """
        Seconds since start().
        """
class Node:
    """
    The assembled engine. Use tradeengine.Node.
    """
    def __init__(self, settings: dict = {}) -> None:
        ...
    def account(self, venue: str) -> PortfolioSnapshot:
        ...
    def add_backtest_venue(self, venue: BacktestVenue) -> None:
        """
        Adds a backtest venue (before start).
        """
    def add_binance_venue(self, name: str, market_data: dict, execution: dict | None = None, connection: dict = {}) -> None:
        ...
    def add_simulated_venue(self, name: str, exchange_json: str, account: typing.SupportsInt | typing.SupportsIndex = 0, connection: dict = {}) -> None:
        ...
    def add_strategy(self, strategy: typing.Any, callbacks: dict, name: str, on_error: str = 'pause', order_rate: typing.SupportsFloat | typing.SupportsIndex = 5.0, order_burst: typing.SupportsFloat | typing.SupportsIndex = 20.0, callback_budget: typing.SupportsFloat | typing.SupportsIndex = 0.1) -> int:
        ...
    def failed_strategies(self) -> int:
        ...
    def instrument(self, instrument_id: InstrumentId) -> Instrument | None:
        ...
    def instruments(self, venue: str = '') -> list[Instrument]:
        ...
    def interrupt(self) -> None:
        """
        Abort a start() in progress (Ctrl-C).
        """
    def last_price(self, instrument_id: InstrumentId) -> Price | None:
        ...
    def oms_stats(self) -> dict:
        """
        The order manager's counters.
        """
    def order(self, client_order_id: str) -> OrderView | None:
        ...
    def orders(self, strategy: str = '', open_only: bool = False, instrument_id: typing.Any = None) -> list[OrderView]:
        ...
    def portfolio(self) -> PortfolioSnapshot:
        ...
    def position(self, instrument_id: InstrumentId) -> Position:
        ...
    def quote(self, instrument_id: InstrumentId) -> Quote | None:
        ...
    def request_stop(self) -> None:
        """
        Ask for a stop without waiting (any thread, a callback included).
        """
    def resolve(self, instrument: str) -> InstrumentId:
        """
        'BTCUSDT' -> the InstrumentId of the one venue listing it; 'BTCUSDT.SIM' is checked.
        """
    def sim_server(self, venue: str) -> SimServer:
        """
        The SimServer of a simulated venue (faults, inspection).
        """
    def start(self) -> None:
        """
        Start every component in order; on failure stop what started and raise.
        """
    def status(self) -> NodeStatus:
        ...
    def stop(self) -> None:
        """
        Stop every component in order (see docs/architecture/node.md).
        """
    def strategy_pnl(self) -> list[StrategyPnl]:
        ...
    def strategy_status(self) -> list[StrategyStatus]:
        ...
    def venue_instruments(self, venue: str) -> list[Instrument]:
        ...
    def venue_stats(self, venue: str) -> dict:
        """
        The venue clients' counters.
        """
    def wait_for_stop(self, timeout: typing.SupportsFloat | typing.SupportsIndex) -> bool:
        """
        Block until a stop is requested or the timeout; True if one was.
        """
    @property
    def engine(self) -> TradingEngine:
        """
        The node's TradingEngine (bus, timers, metrics).
        """
    @property
    def name(self) -> str:
        ...
    @property
    def state(self) -> ComponentState:
        ...
    @property
    def stop_requested(self) -> bool:
        ...
    @property
    def venue_names(self) -> list[str]:
        ...
class StrategyContext:
    """
    A strategy's handle on the node's strategy runtime (internal).
    """
    def __init__(self, node: Node, strategy_id: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def cancel(self, client_order_id: str) -> bool:
        ...
    def cancel_all(self, instrument_id: InstrumentId | None = None) -> int:
        ...
    def cancel_timer(self, name: str) -> bool:
        ...
    def closable(self, instrument_id: InstrumentId) -> Quantity:
        ...
    def open_orders(self, instrument_id: InstrumentId | None = None) -> list[OrderView]:
        ...
    def position(self, instrument_id: InstrumentId) -> Position:
        ...
    def report_error(self, callback: str, error_type: str, message: str, traceback: str = '') -> None:
        ...
    def resume(self) -> None:
        ...
    def set_timer(self, name: str, seconds: typing.SupportsFloat | typing.SupportsIndex, once: bool = False) -> None:
        ...
    def status(self) -> StrategyStatus:
        ...
    def submit(self, request: OrderRequest) -> str:
        ...
    def subscribe(self, kind: str, instrument_id: InstrumentId, interval: Interval) -> None:
        ...
    def unsubscribe(self, kind: str, instrument_id: InstrumentId, interval: Interval) -> None:
        ...
    @property
    def id(self) -> int:
        ...
    @property
    def name(self) -> str:
        ...
class DataGap:
    """
    Bars missing between two consecutive rows of a source.
    """
    def __repr__(self) -> str:
        ...
    @property
    def after_open(self) -> int:
        """
        Open time (ns) of the bar before the gap.
        """
    @property
    def line(self) -> int:
        """
        The row after the gap (1-based).
        """
    @property
    def missing_bars(self) -> int:
        ...
    @property
    def next_open(self) -> int:
        """
        Open time (ns) of the bar after it.
        """
    @property
    def source(self) -> str:
        ...
class BacktestReport:
    """
    What one backtest run replayed, and how it ended.
    """
    def __repr__(self) -> str:
        ...
    @property
    def books(self) -> int:
        ...
    @property
    def candles(self) -> int:
        ...
    @property
    def events_dispatched(self) -> int:
        ...
    @property
    def first_time(self) -> int:
        """
        Data time (ns) of the first item.
        """
    @property
    def gaps(self) -> list[DataGap]:
        ...
    @property
    def last_time(self) -> int:
        """
        Data time (ns) when the run ended.
        """
    @property
    def quotes(self) -> int:
        ...
    @property
    def skipped_after_end(self) -> int:
        ...
    @property
    def skipped_before_start(self) -> int:
        ...
    @property
    def stop_reason(self) -> str:
        ...
    @property
    def stopped_early(self) -> bool:
        ...
    @property
    def timers_fired(self) -> int:
        ...
    @property
    def trades(self) -> int:
        ...
    @property
    def wall_seconds(self) -> float:
        ...
class BacktestVenue:
    """
    The in-process matching engine fed by replayed data (internal: use tradeengine.backtest).
    """
    def __init__(self, name: str, exchange_json: str, settings: dict = {}) -> None:
        ...
    def add_books(self, description: str, instrument_id: InstrumentId, time: collections.abc.Sequence, bid_prices: collections.abc.Sequence, bid_sizes: collections.abc.Sequence, ask_prices: collections.abc.Sequence, ask_sizes: collections.abc.Sequence) -> None:
        """
        Books from columns: times in ns, then per side one column per level (best first; None or NaN: no level there).
        """
    def add_candles(self, description: str, instrument_id: InstrumentId, interval: Interval, open_time: collections.abc.Sequence, close_time: collections.abc.Sequence, open: collections.abc.Sequence, high: collections.abc.Sequence, low: collections.abc.Sequence, close: collections.abc.Sequence, volume: collections.abc.Sequence) -> None:
        """
        Candles from columns (times in ns; prices as str, Decimal or float).
        """
    def add_kline_csv(self, path: str, instrument_id: InstrumentId, interval: Interval | None = None) -> None:
        """
        A Binance kline CSV, streamed while the backtest runs (interval None: from the rows).
        """
    def add_quotes(self, description: str, instrument_id: InstrumentId, time: collections.abc.Sequence, bid: collections.abc.Sequence, bid_size: collections.abc.Sequence, ask: collections.abc.Sequence, ask_size: collections.abc.Sequence) -> None:
        """
        Best bid/ask quotes from columns (times in ns).
        """
    def add_trade_csv(self, path: str, instrument_id: InstrumentId) -> None:
        """
        A Binance trades or aggTrades CSV, streamed.
        """
    def equity(self) -> tuple[list[int], list[str], list[str], list[list[str]]]:
        """
        (times ns, cash, positions value, [last prices per symbol]) of the equity samples, amounts as exact decimal strings.
        """
    def fills(self) -> list[Fill]:
        """
        Every fill of the run, in order.
        """
    def instruments(self) -> list[Instrument]:
        """
        The listed instruments, in the order of the equity marks.
        """
    def run(self, node: Node, progress: typing.Any = None, every: typing.SupportsInt | typing.SupportsIndex = 65536) -> BacktestReport:
        """
        Runs the whole backtest on this thread (the GIL released; callbacks take it; Ctrl-C stops it).
        """
    @property
    def name(self) -> str:
        ...
    @property
    def valuation_asset(self) -> str:
        ...
def _bench_cpp_bus(count: typing.SupportsInt | typing.SupportsIndex, producers: typing.SupportsInt | typing.SupportsIndex = 1) -> float:
    """
    Benchmark helper: events/s of a native bus with a native counting handler.
    """
def _bench_produce(bus: EventBus, count: typing.SupportsInt | typing.SupportsIndex, event_type: typing.Any = 'CANDLE_CLOSED', threads: typing.SupportsInt | typing.SupportsIndex = 1, rate: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> float:
    """
    Benchmark helper: native threads publish `count` candle events (optionally paced).
    """
def _stop_all_at_exit() -> None:
    """
    Stops every bus and engine created from Python (registered with atexit).
    """
def add_secret(secret: str) -> None:
    """
    Register a secret (API key, signing secret) so that it is replaced by '***' in every log line.
    """
def configure_logging(level: str = 'info', json: bool = False, file: str | None = None) -> None:
    """
    Set the engine's log level ('trace'..'off'), format (human-readable, or JSON lines with json=True) and destination (a file path, or standard error when None).
    """
def flush_logs() -> None:
    """
    Flush buffered log output.
    """
def format_iso8601(t_ns: typing.SupportsInt | typing.SupportsIndex) -> str:
    """
    Unix nanoseconds as UTC ISO-8601 text: '2026-11-23T18:12:05.123456789Z'.
    """
def get_log_level() -> str:
    """
    The current log level's name.
    """
def interval_from_string(text: str) -> Interval:
    """
    Parse Binance's interval spelling ('1s', '1m', ... '1w', '1M').
    """
def interval_to_string(interval: Interval) -> str:
    """
    Binance's spelling of an interval ('1m').
    """
def log(level: str, component: str, msg: str, **kwargs) -> None:
    """
    Write one structured log line from Python: log('info', 'strategy', 'entered', qty='0.1').
    """
def next_open_time_ms(interval: Interval, open_ms: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    Open time (ms) of the interval after the one opening at open_ms; calendar months for 1M.
    """
def now_ns() -> int:
    """
    The wall-clock time in Unix nanoseconds.
    """
def redact(text: str) -> str:
    """
    The text with every registered secret replaced by '***'.
    """
def set_log_level(level: str) -> None:
    """
    Change the log level: trace, debug, info, warn, error, critical or off.
    """
def set_status_line(shown: bool) -> None:
    """
    While a terminal status line is shown, log lines on standard error erase it first (they print above it).
    """
def suppressed_log_lines() -> int:
    """
    Log lines dropped since the start because the same message repeated beyond its budget (20 at once, then 10 a second).
    """
