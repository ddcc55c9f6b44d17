"""Strategies: the Python API a quant writes against.

::

    @dataclass
    class SmaConfig(te.StrategyConfig):
        fast: int = 5
        slow: int = 20
        quantity: te.Quantity = te.Quantity("0.001")

    class SmaCross(te.Strategy):
        Config = SmaConfig

        def on_start(self):
            for s in self.config.symbols:
                self.subscribe_candles(s, self.config.interval)

        def on_candle(self, candle):
            ...
            self.buy(candle.instrument_id.symbol, self.config.quantity)   # a market order

    node = te.Node(venues=[te.venues.Simulated()], strategies=[SmaCross(symbols=("BTCUSDT",))])
    node.run(duration=60)

Strategies run on the node's strategy runtime, in C++: it routes to each strategy only what it
subscribed to and its own orders (only those calls take the GIL), applies the error policy,
timers and order budget, and calls C++ and Python strategies the same way.

Callbacks (sync ``def`` or ``async def``): ``on_start``, ``on_stop``, ``on_candle`` (closed
candles), ``on_trade``, ``on_quote``, ``on_order_update`` (an ``OrderUpdate`` after the order
manager applied it), ``on_fill``, ``on_timer(name)``, ``on_error(exc)``. A strategy never sees
two of its callbacks at once: sync callbacks (on_start and on_stop included) run on the
engine's dispatcher thread; a strategy with any ``async def`` callback has all of them run,
one at a time, on an asyncio loop. A callback that raises is logged with its traceback and
counted; the default policy pauses the strategy (no more market data or timers), cancels its
open orders and raises an ALERT; the engine and the other strategies go on.

Threads: a strategy's actions (orders, subscriptions, timers) may be called from its callbacks
or from any other thread (a notebook cell): they are handed to the runtime safely.

Configuration is a dataclass separate from the code (``Config``), built from keyword
arguments or a TOML table and validated at start: every missing, unknown or invalid
parameter is listed in one ConfigError.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import threading
import traceback
import types
import typing
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from tradeengine import _core

if TYPE_CHECKING:
    from tradeengine.node import Node, Portfolio

__all__ = ["OrderHandle", "Strategy", "StrategyConfig", "build_config"]

_CALLBACKS = ("on_start", "on_stop", "on_candle", "on_trade", "on_quote", "on_order_update", "on_fill",
              "on_timer", "on_error")  # fmt: skip


@dataclasses.dataclass
class StrategyConfig:
    """Parameters every strategy has; subclass it (a dataclass) to add your own.

    ``validate()`` may return extra problems (e.g. ``fast`` must be below ``slow``)."""

    symbols: tuple[str, ...] = ()
    interval: str = "1m"

    def validate(self) -> list[str]:
        """Cross-field checks; each string is one problem."""
        return []


def _convert(value: Any, kind: Any, name: str) -> Any:
    """Converts a TOML/kwarg value to a field's declared type, exactly; ValueError naming it."""
    origin = typing.get_origin(kind)
    if kind in (Any, object) or kind is inspect.Parameter.empty:
        return value
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None:
            return None
        return _convert(value, args[0], name) if len(args) == 1 else value
    if origin in (tuple, list):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{name} {value!r}: expected a list")
        (inner, *_) = typing.get_args(kind) or (Any,)
        items = [_convert(v, inner, f"{name}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if kind in (_core.Price, _core.Quantity, _core.Money):
        if isinstance(value, kind):
            return value
        if isinstance(value, float):
            raise ValueError(f"{name} {value!r}: money and quantities are exact: write it as a string, like \"{value}\"")
        try:
            return kind(str(value))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{name} {value!r}: {exc}") from None
    if kind is Decimal:
        if isinstance(value, float):
            raise ValueError(f"{name} {value!r}: write decimals as strings")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{name} {value!r}: expected a decimal number") from None
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} {value!r}: expected true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} {value!r}: expected an integer")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{name} {value!r}: expected a number")
        return float(value)
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{name} {value!r}: expected a string")
        return value
    return value


def build_config(config_class: type, params: Mapping[str, Any], owner: str = "strategy") -> Any:
    """A config dataclass from parameters; ConfigError listing every problem."""
    problems: list[str] = []
    fields = {f.name: f for f in dataclasses.fields(config_class)}
    hints = typing.get_type_hints(config_class)
    unknown = sorted(set(params) - set(fields))
    if unknown:
        problems.append(f"unknown parameter(s) {', '.join(unknown)} (known: {', '.join(sorted(fields))})")
    values: dict[str, Any] = {}
    complete = True  # every field has a value (given, or its default): validate() can run
    for name, field in fields.items():
        has_default = field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
        if name in params:
            try:
                values[name] = _convert(params[name], hints.get(name, Any), name)
            except ValueError as exc:
                problems.append(str(exc))
                complete = complete and has_default  # check the rest with the default in its place
        elif not has_default:
            complete = False
            problems.append(f"missing parameter {name} ({getattr(hints.get(name), '__name__', hints.get(name))})")
    config = None
    if complete:
        config = config_class(**values)
        for sym in getattr(config, "symbols", ()):
            if not isinstance(sym, str) or not sym or not (sym.replace(".", "").replace("_", "").isalnum()):
                problems.append(f"symbol {sym!r}: expected a name like 'BTCUSDT'")
        interval = getattr(config, "interval", None)
        if interval is not None:
            try:
                _core.interval_from_string(interval)
            except (ValueError, TypeError):
                problems.append(f"interval {interval!r}: expected one of 1s 1m 3m 5m 15m 30m 1h ... 1M")
        try:
            problems.extend(config.validate())
        except Exception as exc:  # noqa: BLE001 - a validate() that trips on a bad value
            problems.append(f"validate() raised {type(exc).__name__}: {exc}")
    if problems:
        raise _core.ConfigError(f"invalid configuration of {owner}: " + "; ".join(problems))
    return config


class OrderHandle:
    """An order a strategy sent: its id, and its state as the order manager holds it now."""

    __slots__ = ("_node", "client_order_id")

    def __init__(self, node: Node, client_order_id: str) -> None:
        self._node = weakref.ref(node)
        self.client_order_id = client_order_id

    @property
    def view(self) -> _core.OrderView | None:
        """The order manager's view (status, filled quantity, average price, reason); None
        once the order has left memory (finished orders are kept for an hour by default)."""
        node = self._node()
        return node.order(self.client_order_id) if node is not None else None

    @property
    def status(self) -> _core.OrderStatus:
        """The current status."""
        v = self.view
        return v.status if v is not None else _core.OrderStatus.INITIALIZED

    @property
    def reason(self) -> str:
        """Why it was rejected or expired ('' otherwise)."""
        v = self.view
        return v.reason if v is not None else ""

    @property
    def is_open(self) -> bool:
        """Working at the venue (or possibly so)."""
        v = self.view
        return bool(v is not None and v.is_open)

    def __repr__(self) -> str:
        return f"OrderHandle({self.client_order_id!r}, {self.status.name})"


_ERROR_POLICIES = ("pause", "continue", "stop")


class Strategy:
    """Base class of strategies (see the module docstring)."""

    #: The configuration dataclass; a subclass of StrategyConfig.
    Config: ClassVar[type] = StrategyConfig
    #: What happens when a callback raises: "pause" (default: no more market data or timers,
    #: open orders canceled, ALERT), "continue" (log and count only) or "stop" (pause, then on_stop).
    on_error_policy: ClassVar[str] = "pause"
    #: The order budget: orders per second sustained, and at once. Beyond it an order is
    #: REJECTED locally ("order rate budget ... exceeded"), so one strategy's burst cannot use
    #: up the venue's order limit for every strategy of the node.
    order_rate: ClassVar[float] = 5.0
    order_burst: ClassVar[float] = 20.0
    #: A callback taking longer than this (seconds) is reported with the strategy's name: every
    #: other strategy waits for it.
    callback_budget: ClassVar[float] = 0.1

    def __init__(self, config: Any = None, *, name: str | None = None, **params: Any) -> None:
        if config is not None and params:
            raise TypeError("give a config object or keyword parameters, not both")
        self._params = dict(params)
        self.config: Any = config
        self.name = name or type(self).__name__
        self._node_ref: weakref.ReferenceType[Node] | None = None
        self._ctx: _core.StrategyContext | None = None
        self._serial: _Serial | None = None

    # ---- wiring (the Node calls these) --------------------------------------------------------

    def _configure(self) -> None:
        """Builds and checks the configuration (ConfigError listing every problem)."""
        if self.config is None:
            self.config = build_config(self.Config, self._params, owner=f"strategy {self.name}")
        else:
            problems = self.config.validate() if hasattr(self.config, "validate") else []
            if problems:
                raise _core.ConfigError(f"invalid configuration of strategy {self.name}: " + "; ".join(problems))
        if type(self).on_error_policy not in _ERROR_POLICIES:
            raise _core.ConfigError(f"strategy {self.name}: on_error_policy {type(self).on_error_policy!r}: "
                                    f"expected one of {', '.join(_ERROR_POLICIES)}")  # fmt: skip

    def _callbacks(self) -> dict[str, Callable[..., Any] | None]:
        """The callbacks the runtime calls: those this class overrides (the others are never
        called); for a strategy with ``async def`` callbacks, schedulers onto its loop."""
        out: dict[str, Callable[..., Any] | None] = {}
        for name in _CALLBACKS:
            if getattr(type(self), name) is getattr(Strategy, name):
                out[name] = None
                continue
            fn = getattr(self, name)
            if name == "on_error":
                out[name] = (lambda _callback, exc, fn=fn: fn(exc)) if self._serial is None else None
            elif self._serial is not None:
                out[name] = self._serial.scheduler(self, name, fn)
            else:
                out[name] = fn
        return out

    def is_async(self) -> bool:
        """True if any callback is ``async def`` (then all run on an asyncio loop)."""
        return any(inspect.iscoroutinefunction(getattr(self, n)) for n in _CALLBACKS)

    def _attach(self, node: Node, loop: asyncio.AbstractEventLoop | None) -> None:
        if self._node_ref is not None:
            raise _core.ConfigError(f"strategy {self.name} is already added to a node; create one per node")
        self._configure()
        if self.is_async():
            if loop is None:
                raise _core.ConfigError(f"strategy {self.name} has async callbacks but no asyncio loop to run on")
            self._serial = _Serial(loop)
        native = node._native
        sid = native.add_strategy(self, self._callbacks(), self.name, on_error=type(self).on_error_policy,
                                  order_rate=float(type(self).order_rate), order_burst=float(type(self).order_burst),
                                  callback_budget=float(type(self).callback_budget))  # fmt: skip
        self._ctx = _core.StrategyContext(native, sid)
        self._node_ref = weakref.ref(node)

    @property
    def node(self) -> Node:
        """The Node running this strategy (EngineNotRunningError before it is added)."""
        if self._node_ref is None:
            raise _core.EngineNotRunningError(f"strategy {self.name} is not added to a node yet")
        node = self._node_ref()
        if node is None:
            raise _core.EngineNotRunningError(f"strategy {self.name} is stopped: its node is gone")
        return node

    @property
    def _context(self) -> _core.StrategyContext:
        if self._ctx is None:
            raise _core.EngineNotRunningError(f"strategy {self.name} is not added to a node yet")
        return self._ctx

    # ---- callbacks (override) ---------------------------------------------------------------

    def on_start(self) -> Any:
        """Called once when the strategy starts: subscribe here."""

    def on_stop(self) -> Any:
        """Called once when it stops (its open orders are already being canceled)."""

    def on_candle(self, candle: _core.Candle) -> Any:
        """A closed candle of a subscribed (symbol, interval)."""

    def on_trade(self, trade: _core.Trade) -> Any:
        """A trade of a subscribed symbol."""

    def on_quote(self, quote: _core.Quote) -> Any:
        """Best bid/ask of a subscribed symbol."""

    def on_order_update(self, update: _core.OrderUpdate) -> Any:
        """One of this strategy's orders changed (the order manager's state is already updated)."""

    def on_fill(self, fill: _core.Fill) -> Any:
        """One of this strategy's orders (partly) filled; the portfolio already includes it."""

    def on_timer(self, name: str) -> Any:
        """A timer set with set_timer fired."""

    def on_error(self, error: BaseException) -> Any:
        """One of this strategy's callbacks raised ``error`` (before the policy applies)."""

    # ---- subscriptions ----------------------------------------------------------------------

    def instrument_id(self, symbol: str | _core.InstrumentId) -> _core.InstrumentId:
        """'BTCUSDT' -> the id on the one venue listing it (BTCUSDT.SIM); 'BTCUSDT.SIM' is
        checked. ConfigError when no venue (or more than one) lists it."""
        if isinstance(symbol, _core.InstrumentId):
            return symbol
        return self.node._native.resolve(str(symbol))

    def subscribe_candles(self, symbol: str, interval: str = "1m") -> None:
        """Receive closed candles of ``symbol`` at ``interval`` in on_candle (the venue
        subscribes the stream if it is not flowing yet)."""
        self._context.subscribe("candles", self.instrument_id(symbol), _core.interval_from_string(interval))

    def subscribe_trades(self, symbol: str) -> None:
        """Receive trades of ``symbol`` in on_trade."""
        self._context.subscribe("trades", self.instrument_id(symbol), _core.Interval.M1)

    def subscribe_quotes(self, symbol: str) -> None:
        """Receive best bid/ask of ``symbol`` in on_quote."""
        self._context.subscribe("quotes", self.instrument_id(symbol), _core.Interval.M1)

    def unsubscribe_candles(self, symbol: str, interval: str = "1m") -> None:
        """Stop receiving those candles (the venue unsubscribes when no strategy wants them)."""
        self._context.unsubscribe("candles", self.instrument_id(symbol), _core.interval_from_string(interval))

    def unsubscribe_trades(self, symbol: str) -> None:
        """Stop receiving trades of ``symbol``."""
        self._context.unsubscribe("trades", self.instrument_id(symbol), _core.Interval.M1)

    def unsubscribe_quotes(self, symbol: str) -> None:
        """Stop receiving quotes of ``symbol``."""
        self._context.unsubscribe("quotes", self.instrument_id(symbol), _core.Interval.M1)

    # ---- actions ----------------------------------------------------------------------------

    def buy(self, symbol: str, quantity: Any, price: Any = None, **kw: Any) -> OrderHandle:
        """A buy order: market without ``price``, limit with it (``type=OrderType.LIMIT_MAKER``,
        ``time_in_force=TimeInForce.IOC`` ...). Returns at once; a refused order comes back
        REJECTED with the reason (handle.status, on_order_update)."""
        return self._order(_core.Side.BUY, symbol, quantity, price, **kw)

    def sell(self, symbol: str, quantity: Any, price: Any = None, **kw: Any) -> OrderHandle:
        """A sell order (see buy)."""
        return self._order(_core.Side.SELL, symbol, quantity, price, **kw)

    def _order(self, side: _core.Side, symbol: str, quantity: Any, price: Any, **kw: Any) -> OrderHandle:
        for what, value in (("quantity", quantity), ("price", price)):
            if isinstance(value, float):
                raise TypeError(f"invalid {what} {value!r}: quantities and prices are exact: pass a str, "
                                f"like '{value}', or a te.{what.capitalize()}")  # fmt: skip
        qty = quantity if isinstance(quantity, _core.Quantity) else _core.Quantity(str(quantity))
        iid = self.instrument_id(symbol)
        if price is None:
            kw.setdefault("type", _core.OrderType.MARKET)
            request = _core.OrderRequest(iid, side, qty, **kw)
        else:
            p = price if isinstance(price, _core.Price) else _core.Price(str(price))
            request = _core.OrderRequest(iid, side, qty, price=p, **kw)
        return OrderHandle(self.node, self._context.submit(request))

    def cancel(self, order: OrderHandle | str) -> bool:
        """Cancel one of this strategy's orders; False if it is not one, or finished."""
        oid = order.client_order_id if isinstance(order, OrderHandle) else str(order)
        return bool(self._context.cancel(oid))

    def cancel_all(self, symbol: str | None = None) -> int:
        """Cancel this strategy's open orders (of one symbol, or all); how many."""
        return int(self._context.cancel_all(self.instrument_id(symbol) if symbol else None))

    def replace(self, order: OrderHandle | str, price: Any = None, quantity: Any = None) -> OrderHandle | None:
        """Cancel an open order and send a new one of the same side and type at ``price`` and
        ``quantity`` (the old ones when not given); None if the order is no longer open."""
        oid = order.client_order_id if isinstance(order, OrderHandle) else str(order)
        view = self.node.order(oid)
        if view is None or not view.is_open or view.strategy != self.name:
            return None
        if not self.cancel(oid):
            return None
        r = view.request
        kw: dict[str, Any] = {"type": r.type, "time_in_force": r.time_in_force}
        new_price = price if price is not None else r.price
        return self._order(r.side, str(r.instrument_id), quantity if quantity is not None else r.quantity,
                           new_price, **kw)  # fmt: skip

    def close_position(self, symbol: str) -> OrderHandle | None:
        """A market order closing what can be closed of the position in ``symbol`` (rounded to
        the step size; dust below it stays, as at the venue); None when already flat."""
        iid = self.instrument_id(symbol)
        qty = self._context.closable(iid)
        if qty == _core.Quantity("0"):
            return None
        side = _core.Side.SELL if qty > _core.Quantity("0") else _core.Side.BUY
        return self._order(side, str(iid), qty if qty > _core.Quantity("0") else -qty, None)

    def set_timer(self, name: str, interval: float, *, once: bool = False) -> None:
        """Call on_timer(name) every ``interval`` seconds (or once, after it); replaces a timer
        of that name."""
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not interval > 0:
            raise ValueError(f"invalid timer interval {interval!r}: expected seconds > 0")
        self._context.set_timer(str(name), float(interval), once)

    def cancel_timer(self, name: str) -> bool:
        """Stop a timer; False if unknown."""
        return bool(self._context.cancel_timer(str(name)))

    # ---- reading ----------------------------------------------------------------------------

    def position(self, symbol: str) -> _core.Position:
        """The position in ``symbol``: what the account holds (commissions charged in the base
        asset already taken off)."""
        return self._context.position(self.instrument_id(symbol))

    def is_flat(self, symbol: str) -> bool:
        """Nothing of ``symbol`` left to close: no position, or only dust below the step size."""
        return bool(self._context.closable(self.instrument_id(symbol)) == _core.Quantity("0"))

    def open_orders(self, symbol: str | None = None) -> list[_core.OrderView]:
        """This strategy's open orders."""
        return list(self._context.open_orders(self.instrument_id(symbol) if symbol else None))

    def last_price(self, symbol: str) -> _core.Price | None:
        """The last price seen for ``symbol`` (candle close, trade, or mid quote)."""
        return self.node._native.last_price(self.instrument_id(symbol))

    def instrument(self, symbol: str) -> _core.Instrument | None:
        """The instrument's trading rules (tick, step, minimum notional), or None for a venue
        that gives none (a data-only venue)."""
        return self.node._native.instrument(self.instrument_id(symbol))

    @property
    def portfolio(self) -> Portfolio:
        """Balances, positions, fees and PnL of the node (shared by its strategies)."""
        return self.node.portfolio

    @property
    def status(self) -> _core.StrategyStatus:
        """This strategy's state, errors, budget and subscriptions."""
        return self._context.status()

    @property
    def paused(self) -> bool:
        """True after the error policy paused it."""
        return bool(self._ctx is not None and self._ctx.status().paused)

    def resume(self) -> None:
        """Un-pause a strategy the error policy paused."""
        self._context.resume()

    def log(self, message: str, level: str = "info", **fields: Any) -> None:
        """A line in the engine's log, tagged with this strategy's name."""
        _core.log(level, f"strategy.{self.name}", message, **{k: str(v) for k, v in fields.items()})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class _Serial:
    """Runs one strategy's callbacks one at a time on an asyncio loop (for strategies with
    ``async def`` callbacks): a queue drained by one task. A failure is reported to the runtime,
    which applies the error policy."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: deque[tuple[Strategy, str, Callable[..., Any], tuple[Any, ...]]] = deque()
        self.lock = threading.Lock()
        self.running = False
        self.idle = threading.Event()
        self.idle.set()

    def scheduler(self, strategy: Strategy, name: str, fn: Callable[..., Any]) -> Callable[..., None]:
        """A callable for the runtime: queues the call and returns."""
        def schedule(*args: Any) -> None:
            self.push(strategy, name, fn, args)
        return schedule

    def push(self, strategy: Strategy, name: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        with self.lock:
            self.queue.append((strategy, name, fn, args))
            self.idle.clear()
            start = not self.running
            self.running = True
        if start:
            try:
                self.loop.call_soon_threadsafe(lambda: self.loop.create_task(self._drain()))
            except RuntimeError:  # the loop is closed: nothing can run these any more
                with self.lock:
                    self.queue.clear()
                    self.running = False
                    self.idle.set()

    async def _drain(self) -> None:
        while True:
            with self.lock:
                if not self.queue:
                    self.running = False
                    self.idle.set()
                    return
                strategy, name, fn, args = self.queue.popleft()
            try:
                result = fn(*args)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:  # noqa: BLE001 - isolate the strategy, never the loop
                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
                try:
                    strategy.on_error(exc) if name != "on_error" else None
                except Exception:  # noqa: BLE001
                    pass
                if strategy._ctx is not None:
                    strategy._ctx.report_error(name, type(exc).__name__, str(exc), tb)


def strategies_in(namespace: Mapping[str, Any]) -> list[type[Strategy]]:
    """The Strategy subclasses defined in a module's namespace (for the runner)."""
    return [v for v in namespace.values()
            if isinstance(v, type) and issubclass(v, Strategy) and v is not Strategy
            and v.__module__ == namespace.get("__name__")]  # fmt: skip
