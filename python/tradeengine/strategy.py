"""Strategies: the Python API a quant writes against (ARCHITECTURE §9).

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

Callbacks (sync ``def`` or ``async def``): ``on_start``, ``on_stop``, ``on_candle`` (closed
candles), ``on_trade``, ``on_quote``, ``on_order_update`` (an ``OrderUpdate`` after the order
manager applied it), ``on_fill``, ``on_timer(name)``, ``on_error(exc)``. A strategy never sees
two of its callbacks at once: sync callbacks run on the engine's dispatcher thread; a
strategy with any ``async def`` callback has all of them run, one at a time, on the asyncio
loop. A callback that raises is logged with its traceback and counted; the default policy
pauses the strategy (no more market data), cancels its open orders and raises an ALERT; the
engine and the other strategies go on.

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
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from tradeengine import _core

__all__ = ["OrderHandle", "Strategy", "StrategyConfig", "StrategyHost", "build_config"]

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

    __slots__ = ("_host", "client_order_id")

    def __init__(self, host: StrategyHost, client_order_id: str) -> None:
        self._host = host
        self.client_order_id = client_order_id

    @property
    def view(self) -> _core.OrderView | None:
        """The order manager's view (status, filled quantity, average price, reason)."""
        return self._host.oms.order(self.client_order_id)

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

    def cancel(self) -> bool:
        """Cancel it; False if already finished."""
        return self._host.oms.cancel(self.client_order_id)

    def __repr__(self) -> str:
        return f"OrderHandle({self.client_order_id!r}, {self.status.name})"


class Strategy:
    """Base class of strategies (see the module docstring)."""

    #: The configuration dataclass; a subclass of StrategyConfig.
    Config: ClassVar[type] = StrategyConfig
    #: What happens when a callback raises: "pause" (default: no more market data, open orders
    #: canceled, ALERT), "continue" (log and count only) or "stop" (pause, then on_stop).
    on_error_policy: ClassVar[str] = "pause"

    def __init__(self, config: Any = None, *, name: str | None = None, **params: Any) -> None:
        if config is not None and params:
            raise TypeError("give a config object or keyword parameters, not both")
        self._params = dict(params)
        self.config = config if config is not None else None
        self.name = name or type(self).__name__
        self._host: StrategyHost | None = None
        self.paused = False
        self.stopped = False
        self.error_count = 0
        self.last_error: BaseException | None = None
        # Held around every sync callback: on_start/on_stop run on the caller's thread, the
        # rest on the dispatcher; never two at once.
        self._callback_lock = threading.RLock()

    # ---- wiring -----------------------------------------------------------------------------

    def _bind(self, host: StrategyHost) -> None:
        if self.config is None:
            self.config = build_config(self.Config, self._params, owner=f"strategy {self.name}")
        else:
            problems = self.config.validate() if hasattr(self.config, "validate") else []
            if problems:
                raise _core.ConfigError(f"invalid configuration of strategy {self.name}: " + "; ".join(problems))
        self._host = host

    @property
    def host(self) -> StrategyHost:
        """The StrategyHost running this strategy (RuntimeError before it is added)."""
        if self._host is None:
            raise RuntimeError(f"strategy {self.name} is not added to an engine yet")
        return self._host

    # ---- callbacks (override) ---------------------------------------------------------------

    def on_start(self) -> Any:
        """Called once when the strategy starts: subscribe here."""

    def on_stop(self) -> Any:
        """Called once when it stops."""

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

    def subscribe_candles(self, symbol: str, interval: str = "1m") -> None:
        """Receive closed candles of ``symbol`` at ``interval`` in on_candle."""
        self.host._subscribe(self, "candle", symbol, interval)

    def subscribe_trades(self, symbol: str) -> None:
        """Receive trades of ``symbol`` in on_trade."""
        self.host._subscribe(self, "trade", symbol, None)

    def subscribe_quotes(self, symbol: str) -> None:
        """Receive best bid/ask of ``symbol`` in on_quote."""
        self.host._subscribe(self, "quote", symbol, None)

    # ---- actions ----------------------------------------------------------------------------

    def buy(self, symbol: str, quantity: Any, price: Any = None, **kw: Any) -> OrderHandle:
        """A buy order: market without ``price``, limit with it (``type=OrderType.LIMIT_MAKER``,
        ``time_in_force=TimeInForce.IOC`` ...). Returns at once; a refused order comes back
        REJECTED with the reason (handle.status, on_order_update)."""
        return self.host._order(self, _core.Side.BUY, symbol, quantity, price, **kw)

    def sell(self, symbol: str, quantity: Any, price: Any = None, **kw: Any) -> OrderHandle:
        """A sell order (see buy)."""
        return self.host._order(self, _core.Side.SELL, symbol, quantity, price, **kw)

    def cancel(self, order: OrderHandle | str) -> bool:
        """Cancel one of this strategy's orders."""
        oid = order.client_order_id if isinstance(order, OrderHandle) else str(order)
        return self.host.oms.cancel(oid)

    def cancel_all(self, symbol: str | None = None) -> int:
        """Cancel this strategy's open orders (of one symbol, or all)."""
        iid = self.host.instrument_id(symbol) if symbol else None
        return self.host.oms.cancel_all(self.name, iid)

    def close_position(self, symbol: str) -> OrderHandle | None:
        """A market order that flattens the position in ``symbol`` (None if already flat)."""
        pos = self.position(symbol)
        if pos.is_flat:
            return None
        qty = pos.quantity if pos.quantity > _core.Quantity("0") else -pos.quantity
        side = _core.Side.SELL if pos.quantity > _core.Quantity("0") else _core.Side.BUY
        return self.host._order(self, side, symbol, qty, None)

    def set_timer(self, name: str, interval: float, *, once: bool = False) -> None:
        """Call on_timer(name) every ``interval`` seconds (or once, after it)."""
        self.host._set_timer(self, name, interval, once)

    def cancel_timer(self, name: str) -> bool:
        """Stop a timer; False if unknown."""
        return self.host._cancel_timer(self, name)

    # ---- reading ----------------------------------------------------------------------------

    def position(self, symbol: str) -> _core.Position:
        """The position in ``symbol``."""
        return self.host.oms.position(self.host.instrument_id(symbol))

    def open_orders(self, symbol: str | None = None) -> list[_core.OrderView]:
        """This strategy's open orders."""
        iid = self.host.instrument_id(symbol) if symbol else None
        return self.host.oms.orders(self.name, True, iid)

    def last_price(self, symbol: str) -> _core.Price | None:
        """The last price seen for ``symbol`` (candle close, trade, or mid quote)."""
        return self.host.oms.last_price(self.host.instrument_id(symbol))

    @property
    def portfolio(self) -> dict[str, Any]:
        """Balances, positions and fees (shared by every strategy of the engine)."""
        return self.host.oms.portfolio()

    def log(self, message: str, level: str = "info", **fields: Any) -> None:
        """A line in the engine's log, tagged with this strategy's name."""
        _core.log(level, f"strategy.{self.name}", message, **{k: str(v) for k, v in fields.items()})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, paused={self.paused})"


class _Serial:
    """Runs one strategy's callbacks one at a time on an asyncio loop (for strategies with
    ``async def`` callbacks): a queue drained by one task."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: deque[tuple[Callable[..., Any], tuple[Any, ...]]] = deque()
        self.lock = threading.Lock()
        self.running = False
        self.idle = threading.Event()
        self.idle.set()

    def push(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        with self.lock:
            self.queue.append((fn, args))
            self.idle.clear()
            start = not self.running
            self.running = True
        if start:
            self.loop.call_soon_threadsafe(lambda: self.loop.create_task(self._drain()))

    async def _drain(self) -> None:
        while True:
            with self.lock:
                if not self.queue:
                    self.running = False
                    self.idle.set()
                    return
                fn, args = self.queue.popleft()
            result = fn(*args)
            if inspect.isawaitable(result):
                await result


class StrategyHost:
    """Runs strategies on an engine with an order manager: routes market data, order events
    and timers to each strategy's callbacks, applies the error policy, starts and stops them.

    ``engine`` is a tradeengine.Engine (RUNNING before strategies start); ``oms`` a
    tradeengine.oms.OrderManager; ``venue`` the venue part of instrument ids ("BINANCE").
    """

    def __init__(self, engine: Any, oms: Any, *, venue: str = "BINANCE",
                 loop: asyncio.AbstractEventLoop | None = None) -> None:  # fmt: skip
        self.engine = engine
        self.oms = oms
        self.venue = venue
        self.loop = loop
        self.strategies: dict[str, Strategy] = {}
        self._candles: dict[tuple[str, str], list[Strategy]] = {}
        self._trades: dict[str, list[Strategy]] = {}
        self._quotes: dict[str, list[Strategy]] = {}
        self._timers: dict[int, tuple[Strategy, str, bool]] = {}
        self._timer_ids: dict[tuple[str, str], int] = {}
        self._serial: dict[str, _Serial] = {}
        self._subscriptions: list[int] = []
        self._started = False
        self.errors = 0

    # ---- set-up -----------------------------------------------------------------------------

    def instrument_id(self, symbol: str) -> _core.InstrumentId:
        """'BTCUSDT' -> BTCUSDT.<venue>; a full id passes through."""
        text = str(symbol)
        return _core.InstrumentId(text if "." in text else f"{text}.{self.venue}")

    def add(self, strategy: Strategy) -> Strategy:
        """Validates the strategy's configuration (ConfigError listing every problem) and adds it."""
        if not isinstance(strategy, Strategy):
            raise TypeError(f"invalid strategy {strategy!r}: expected a tradeengine.Strategy")
        if strategy.name in self.strategies:
            raise ValueError(f"a strategy named {strategy.name!r} is already added")
        strategy._bind(self)
        if any(inspect.iscoroutinefunction(getattr(strategy, n)) for n in _CALLBACKS):
            loop = self.loop or getattr(self.engine, "loop", None)
            if loop is None:
                try:
                    loop = asyncio.get_running_loop()
                except RuntimeError:
                    raise RuntimeError(
                        f"strategy {strategy.name} has async callbacks: add it from async code "
                        "(a running asyncio loop) or pass loop= to StrategyHost"
                    ) from None
            self._serial[strategy.name] = _Serial(loop)
        self.strategies[strategy.name] = strategy
        return strategy

    def start(self) -> None:
        """Subscribes the router on the engine and calls every strategy's on_start."""
        if self._started:
            return
        self._started = True
        sub = self.engine.subscribe
        E = _core.EventType
        self._subscriptions += [
            sub(E.CANDLE_CLOSED, self._on_candle, "strategies.candle"),
            sub(E.TRADE, self._on_trade, "strategies.trade"),
            sub(E.QUOTE, self._on_quote, "strategies.quote"),
            sub(E.ORDER_UPDATE, self._on_order_update, "strategies.order_update"),
            sub(E.ORDER_REJECT, self._on_order_update, "strategies.order_reject"),
            sub(E.ORDER_FILL, self._on_fill, "strategies.fill"),
            sub(E.SCHEDULED_TRIGGER, self._on_timer, "strategies.timer"),
        ]
        for s in list(self.strategies.values()):
            self._call(s, "on_start")

    def stop(self, cancel_orders: bool = True, timeout: float = 5.0) -> None:
        """Stops every strategy: no more market data or timers, no new orders, their open orders
        canceled (the cancel-on-stop policy), then on_stop. Order updates keep flowing."""
        if not self._started:
            return
        self._started = False
        for s in self.strategies.values():
            with s._callback_lock:  # after the callback running now, if any
                s.stopped = True
        for s in self.strategies.values():
            if cancel_orders:
                self.oms.cancel_all(s.name)
            self._call(s, "on_stop", force=True)
        on_a_loop = False
        try:
            running = asyncio.get_running_loop()
            on_a_loop = any(serial.loop is running for serial in self._serial.values())
        except RuntimeError:
            pass
        if not on_a_loop:  # waiting on the loop's own thread would block the callbacks waited for
            for serial in self._serial.values():
                serial.idle.wait(timeout)
        for sid in self._subscriptions:
            self.engine.unsubscribe(sid)
        self._subscriptions.clear()
        for tid in list(self._timers):
            self.engine.cancel_timer(tid)
        self._timers.clear()

    # ---- called by Strategy -----------------------------------------------------------------

    def _subscribe(self, s: Strategy, kind: str, symbol: str, interval: str | None) -> None:
        iid = str(self.instrument_id(symbol))
        if kind == "candle":
            _core.interval_from_string(interval)
            subscribers = self._candles.setdefault((iid, str(interval)), [])
        elif kind == "trade":
            subscribers = self._trades.setdefault(iid, [])
        else:
            subscribers = self._quotes.setdefault(iid, [])
        if s not in subscribers:  # subscribing twice delivers once
            subscribers.append(s)

    def _order(self, s: Strategy, side: _core.Side, symbol: str, quantity: Any, price: Any,
               **kw: Any) -> OrderHandle:  # fmt: skip
        if s.stopped:
            raise _core.EngineNotRunningError(f"strategy {s.name} is stopped: no new orders")
        for what, value in (("quantity", quantity), ("price", price)):
            if isinstance(value, float):
                raise TypeError(f"invalid {what} {value!r}: quantities and prices are exact: pass a str, "
                                f"like '{value}', or a te.{what.capitalize()}")  # fmt: skip
        qty = quantity if isinstance(quantity, _core.Quantity) else _core.Quantity(str(quantity))
        if price is None:
            kw.setdefault("type", _core.OrderType.MARKET)
            request = _core.OrderRequest(self.instrument_id(symbol), side, qty, **kw)
        else:
            p = price if isinstance(price, _core.Price) else _core.Price(str(price))
            request = _core.OrderRequest(self.instrument_id(symbol), side, qty, price=p, **kw)
        return OrderHandle(self, self.oms.submit(s.name, request))

    def _set_timer(self, s: Strategy, name: str, interval: float, once: bool) -> None:
        if not interval > 0:
            raise ValueError(f"invalid timer interval {interval!r}: expected seconds > 0")
        self._cancel_timer(s, name)
        ns = int(interval * 1e9)
        tid = (self.engine.schedule_once(f"{s.name}.{name}", self._clock_now() + ns) if once
               else self.engine.schedule_periodic(f"{s.name}.{name}", ns))  # fmt: skip
        self._timers[tid] = (s, name, once)
        self._timer_ids[(s.name, name)] = tid

    def _clock_now(self) -> int:
        clock = getattr(self.engine, "clock", None)
        return clock.now_ns() if clock is not None else _core.now_ns()

    def _cancel_timer(self, s: Strategy, name: str) -> bool:
        tid = self._timer_ids.pop((s.name, name), None)
        if tid is None:
            return False
        self._timers.pop(tid, None)
        return bool(self.engine.cancel_timer(tid))

    # ---- routing (dispatcher thread) --------------------------------------------------------

    def _on_candle(self, event: _core.Event) -> None:
        c = event.payload
        for s in self._candles.get((str(c.instrument_id), _core.interval_to_string(c.interval)), ()):
            self._call(s, "on_candle", c)

    def _on_trade(self, event: _core.Event) -> None:
        t = event.payload
        for s in self._trades.get(str(t.instrument_id), ()):
            self._call(s, "on_trade", t)

    def _on_quote(self, event: _core.Event) -> None:
        q = event.payload
        for s in self._quotes.get(str(q.instrument_id), ()):
            self._call(s, "on_quote", q)

    def _owner(self, client_order_id: str) -> Strategy | None:
        view = self.oms.order(client_order_id)
        return self.strategies.get(view.strategy) if view is not None else None

    def _on_order_update(self, event: _core.Event) -> None:
        u = event.payload
        s = self._owner(u.client_order_id)
        if s is not None:
            self._call(s, "on_order_update", u, force=True)

    def _on_fill(self, event: _core.Event) -> None:
        f = event.payload
        s = self._owner(f.client_order_id)
        if s is not None:
            self._call(s, "on_fill", f, force=True)

    def _on_timer(self, event: _core.Event) -> None:
        t = event.payload
        entry = self._timers.get(t.timer_id)
        if entry is None:
            return
        s, name, once = entry
        if once:
            self._timers.pop(t.timer_id, None)
            self._timer_ids.pop((s.name, name), None)
        self._call(s, "on_timer", name)

    # ---- invoking callbacks -----------------------------------------------------------------

    def _call(self, s: Strategy, callback: str, *args: Any, force: bool = False) -> None:
        """Runs one callback under the error policy; paused strategies get order events only."""
        if (s.paused or s.stopped) and not force:
            return
        fn = getattr(s, callback)
        serial = self._serial.get(s.name)
        if serial is not None:
            serial.push(self._guarded_async, (s, callback, fn, args))
            return
        with s._callback_lock:
            if s.stopped and not force:
                return
            try:
                fn(*args)
            except Exception as exc:  # noqa: BLE001 - isolate the strategy, never the engine
                self._failed(s, callback, exc)

    async def _guarded_async(self, s: Strategy, callback: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        if (s.paused or s.stopped) and callback not in ("on_order_update", "on_fill", "on_stop", "on_error"):
            return
        try:
            result = fn(*args)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # noqa: BLE001
            self._failed(s, callback, exc)

    def _failed(self, s: Strategy, callback: str, exc: BaseException) -> None:
        s.error_count += 1
        s.last_error = exc
        self.errors += 1
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
        _core.log("error", "strategy", f"{s.name}.{callback} raised {type(exc).__name__}: {exc}",
                  strategy=s.name, callback=callback, traceback=tb)  # fmt: skip
        if callback != "on_error":
            try:
                s.on_error(exc)
            except Exception as inner:  # noqa: BLE001
                _core.log("error", "strategy", f"{s.name}.on_error raised {type(inner).__name__}: {inner}")
        policy = type(s).on_error_policy
        if policy == "continue" or s.paused:
            return
        s.paused = True
        canceled = self.oms.cancel_all(s.name)
        _core.log("warn", "strategy", f"strategy {s.name} paused after an error; {canceled} open order(s) canceled",
                  strategy=s.name, policy=policy)  # fmt: skip
        try:
            self.engine.publish(_core.EventType.ALERT, {"kind": "strategy_error", "strategy": s.name,
                                                        "callback": callback, "error": f"{type(exc).__name__}: {exc}"},
                                block=False)  # fmt: skip
        except Exception:  # noqa: BLE001 - an alert must never make things worse
            pass
        if policy == "stop":
            self._call(s, "on_stop", force=True)

    def resume(self, name: str) -> None:
        """Un-pause a strategy paused by the error policy."""
        self.strategies[name].paused = False


def strategies_in(namespace: Mapping[str, Any]) -> list[type[Strategy]]:
    """The Strategy subclasses defined in a module's namespace (for the runner)."""
    return [v for v in namespace.values()
            if isinstance(v, type) and issubclass(v, Strategy) and v is not Strategy
            and v.__module__ == namespace.get("__name__")]  # fmt: skip
