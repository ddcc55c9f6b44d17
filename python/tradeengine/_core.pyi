"""
tradeengine's C++ core. Import `tradeengine`, not this module.
"""
from __future__ import annotations
import enum
import typing
__all__: list[str] = ['AuthenticationError', 'Candle', 'Clock', 'ConfigError', 'ConnectionLostError', 'EngineNotRunningError', 'EngineState', 'EventType', 'Instrument', 'InstrumentId', 'Interval', 'Lane', 'LiveClock', 'Money', 'OrderRejectedError', 'OrderStatus', 'OrderType', 'Price', 'Quantity', 'QueueFullError', 'Quote', 'RateLimitedError', 'Rounding', 'Side', 'SimServer', 'StateTransitionError', 'TestClock', 'TimeInForce', 'Trade', 'TradeEngineError', 'VenueError', 'add_secret', 'configure_logging', 'flush_logs', 'format_iso8601', 'get_log_level', 'interval_from_string', 'interval_to_string', 'log', 'next_open_time_ms', 'now_ns', 'redact', 'set_log_level']
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
class VenueError(TradeEngineError):
    """
    An error reported by, or while talking to, a venue.
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
    CANDLE_CLOSED: typing.ClassVar[EventType]
    CANDLE_UPDATE: typing.ClassVar[EventType]
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
    def from_raw(raw: typing.SupportsInt | typing.SupportsIndex) -> Price:
        """
        From the int64 mantissa (value = raw / 1e9).
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
        The int64 mantissa: value = raw / 1e9.
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
    def from_raw(raw: typing.SupportsInt | typing.SupportsIndex) -> Quantity:
        """
        From the int64 mantissa (value = raw / 1e9).
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
        The int64 mantissa: value = raw / 1e9.
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
    def from_raw(raw: typing.SupportsInt | typing.SupportsIndex) -> Money:
        """
        From the int64 mantissa (value = raw / 1e9).
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
        The int64 mantissa: value = raw / 1e9.
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
class SimServer:
    """
    A simulated Binance Spot exchange on loopback (REST, streams, WebSocket API). Use tradeengine.sim.SimExchange.
    """
    def __init__(self, config_json: str = '{}') -> None:
        """
        Build from a JSON configuration (see docs/sim-exchange.md).
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
    def now_ms(self) -> int:
        """
        Server time in ms (wall clock plus the clock-skew fault).
        """
    def open_orders(self, account: typing.SupportsInt | typing.SupportsIndex = 0) -> str:
        """
        Open orders as JSON.
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
