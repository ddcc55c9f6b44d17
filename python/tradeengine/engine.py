"""The Python façade of the native engine: asyncio, coroutine handlers, clean exits.

The C++ core (``tradeengine._core``) runs the EventBus dispatcher on its own thread and
calls Python handlers with the GIL taken once per batch. This module adds what only Python
can do:

* ``Engine``: ``await engine.start()`` captures the running asyncio loop,
  ``await engine.wait_until_ready()``, ``async with Engine(...) as engine:``, and a blocking
  API for plain scripts (``with Engine(...) as engine:``, ``engine.run()``, ``engine.stop()``).
* coroutine handlers (``async def``) scheduled on that loop from the dispatcher thread, one
  ``call_soon_threadsafe`` per batch; their exceptions are logged, counted per handler and
  published as ERROR events like any other handler failure.
* an ``atexit`` hook that stops every running engine before the interpreter finalises.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import functools
import inspect
import math
import traceback
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from tradeengine import _core

__all__ = ["Engine", "EventBus"]

Handler = Callable[[Any], Any]


def _is_coroutine_handler(handler: object) -> bool:
    if inspect.iscoroutinefunction(handler):
        return True
    call = getattr(handler, "__call__", None)  # noqa: B004 - an object with `async def __call__`
    return call is not None and inspect.iscoroutinefunction(call)


def _callable_name(handler: object) -> str:
    qual = getattr(handler, "__qualname__", None) or type(handler).__qualname__
    mod = getattr(handler, "__module__", None)
    return f"{mod}.{qual}" if mod else str(qual)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class _CoroutineDelivery:
    """Runs ``async def`` handlers on an asyncio loop, fed from the dispatcher thread.

    Called on the dispatcher (GIL held) it only creates the coroutine object and queues it;
    the first delivery of a batch schedules one flush with ``loop.call_soon_threadsafe``, the
    flush creates the tasks on the loop. Failures are reported back to the bus.
    """

    def __init__(self, bus_of: Callable[[], _core.EventBus | None], handler: Handler,
                 loop: asyncio.AbstractEventLoop):  # fmt: skip
        # How to reach the bus when a coroutine fails: through a weak reference to an object
        # that lives as long as the bus (the Engine's native engine, or the EventBus itself).
        # Not the bus wrapper passed to subscribe(): Engine.bus hands out a new one each time,
        # and a weak reference to that temporary dies at once (the error was lost, silently).
        self._bus_of = bus_of
        self._handler = handler
        self._loop = loop
        self._pending: collections.deque[tuple[Any, Any]] = collections.deque()
        self._scheduled = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.subscription_id = 0
        self.__qualname__ = _callable_name(handler)

    def __call__(self, event: Any) -> None:
        if self._loop.is_closed():
            raise _core.EngineNotRunningError(
                f"asyncio loop of coroutine handler {self.__qualname__} is closed; event not delivered"
            )
        coro = self._handler(event)
        self._pending.append((coro, event))
        if not self._scheduled:
            self._scheduled = True
            try:
                self._loop.call_soon_threadsafe(self._flush)
            except RuntimeError:  # the loop closed meanwhile
                self._scheduled = False
                self._discard()
                raise

    def _discard(self) -> None:
        while self._pending:
            coro, _ = self._pending.popleft()
            coro.close()

    def _flush(self) -> None:
        self._scheduled = False  # before draining: a delivery racing with us schedules again
        while self._pending:
            coro, event = self._pending.popleft()
            task = self._loop.create_task(coro)
            self._tasks.add(task)
            task.add_done_callback(functools.partial(self._done, event))

    def _done(self, event: Any, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        bus = self._bus_of()
        if bus is None:
            return
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
        bus.report_handler_error(
            self.subscription_id, event.type, event.lane, type(exc).__name__, str(exc), tb
        )


def _subscribe(
    bus_of: Callable[[], _core.EventBus | None],
    subscribe: Callable[..., int],
    event_type: Any,
    handler: Handler,
    name: str | None,
    loop: asyncio.AbstractEventLoop | None,
) -> int:
    if not callable(handler):
        raise TypeError(f"invalid handler {handler!r}: expected a callable taking one Event")
    if not _is_coroutine_handler(handler):
        return subscribe(event_type, handler, name)
    loop = loop or _running_loop()
    if loop is None:
        raise _core.ConfigError(
            f"coroutine handler {_callable_name(handler)} needs an asyncio loop: subscribe it from "
            "async code (a running loop), after `await engine.start()`, or pass loop=..."
        )
    if loop.is_closed():
        raise _core.EngineNotRunningError(
            f"coroutine handler {_callable_name(handler)}: the asyncio loop is closed"
        )
    delivery = _CoroutineDelivery(bus_of, handler, loop)
    sid = subscribe(event_type, delivery, name or _callable_name(handler))
    delivery.subscription_id = sid
    return sid


class EventBus(_core.EventBus):
    """The native EventBus, accepting ``async def`` handlers too.

    Three bounded lanes served by one native dispatcher thread in strict priority order
    (order > signal > data). Sync handlers run on the dispatcher thread; coroutine handlers
    run on the asyncio loop that was running when they were subscribed (or ``loop=``).
    """

    def subscribe(
        self,
        event_type: Any,
        handler: Handler,
        name: str | None = None,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> int:
        """Calls ``handler(event)`` for every event of ``event_type``; returns a subscription id.

        A coroutine function is scheduled on ``loop`` (default: the running loop; without
        one, RuntimeError). Handlers of one type run in subscription order.
        """
        me = weakref.ref(self)
        return _subscribe(me, super().subscribe, event_type, handler, name, loop)


_live: weakref.WeakSet[Engine] = weakref.WeakSet()


class Engine:
    """A trading engine usable from asyncio, Jupyter and plain scripts.

    asyncio::

        async with Engine(strategies=[MyStrategy()]) as engine:
            engine.subscribe("CANDLE_CLOSED", on_candle)       # sync or async def
            collector = Collector(callback=engine.on_candle_received)
            ...

    scripts::

        with Engine() as engine:          # set_components + run, stop on exit
            engine.on_candle_received(candle)

    The native engine runs on its own threads; every blocking call releases the GIL, and an
    atexit hook stops a running engine before the interpreter finalises.
    """

    def __init__(
        self,
        *,
        name: str = "engine",
        clock: _core.Clock | None = None,
        strategies: Iterable[Any] | None = None,
        risk_manager: Any = None,
        data_capacity: int = 1000,
        data_timeout: float = 1.0,
        signal_capacity: int = 100,
        signal_timeout: float = 5.0,
        order_capacity: int = 50,
        batch_size: int = 64,
        spin_us: float = 5.0,
        scheduler_thread: bool = True,
    ) -> None:
        self._core = _core.TradingEngine(
            name=name,
            clock=clock,
            data_capacity=data_capacity,
            data_timeout=data_timeout,
            signal_capacity=signal_capacity,
            signal_timeout=signal_timeout,
            order_capacity=order_capacity,
            batch_size=batch_size,
            spin_us=spin_us,
            scheduler_thread=scheduler_thread,
        )
        self._strategies = list(strategies or [])
        self._risk_manager = risk_manager
        self._clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        _live.add(self)

    # ---- state and components ------------------------------------------------------------

    @property
    def native(self) -> _core.TradingEngine:
        """The underlying tradeengine._core.TradingEngine."""
        return self._core

    @property
    def bus(self) -> _core.EventBus:
        """The engine's EventBus (use Engine.subscribe for coroutine handlers)."""
        return self._core.bus

    @property
    def state(self) -> _core.EngineState:
        """The current EngineState."""
        return self._core.state

    @property
    def clock(self) -> _core.Clock | None:
        """The clock given at construction (None: the live clock)."""
        return self._clock

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The asyncio loop captured by start() (None for the blocking API)."""
        return self._loop

    def set_components(self, strategies: Iterable[Any] = (), risk_manager: Any = None) -> None:
        """CREATED -> INITIALIZED with these strategies and risk manager.

        Each may define ``on_start()`` and ``on_stop()``; the engine references nothing else.
        """
        self._strategies = list(strategies)
        self._risk_manager = risk_manager
        self._core.set_components(self._strategies, risk_manager)

    def subscribe(self, event_type: Any, handler: Handler, name: str | None = None) -> int:
        """Subscribes a sync or ``async def`` handler on the engine's bus.

        Coroutine handlers run on the loop captured by start() (or the running loop).
        """
        native = weakref.ref(self._core)

        def bus_of() -> _core.EventBus | None:
            engine = native()
            return engine.bus if engine is not None else None

        return _subscribe(bus_of, self.bus.subscribe, event_type, handler, name, self._loop)

    def unsubscribe(self, subscription_id: int) -> bool:
        """Removes a subscription; False if unknown."""
        return self.bus.unsubscribe(subscription_id)

    def publish(
        self, event: Any, payload: Any = None, lane: Any = None, *, block: bool = True
    ) -> bool:
        """Publishes on the engine's bus (see EventBus.publish)."""
        return self.bus.publish(event, payload, lane, block=block)

    def on_candle_received(self, candle: _core.Candle) -> None:
        """The data collectors' callback: thread-safe, never raises (outside RUNNING the candle is dropped and counted)."""
        self._core.on_candle_received(candle)

    # ---- blocking API ---------------------------------------------------------------------

    def _ensure_initialized(self) -> None:
        if self._core.state == _core.EngineState.CREATED:
            self._core.set_components(self._strategies, self._risk_manager)

    def run(self) -> None:
        """INITIALIZED -> RUNNING (set_components first if still CREATED); returns at once.

        Raises StateTransitionError if already running or stopped.
        """
        if self._core.state == _core.EngineState.CREATED:
            self._ensure_initialized()
        elif self._core.state != _core.EngineState.INITIALIZED:
            self._core.run()  # raises the precise StateTransitionError
        if self._loop is None:
            self._loop = _running_loop()
        self._core.run()

    def wait_until_ready_blocking(self, timeout: float = 5.0) -> None:
        """Blocks until RUNNING; EngineNotRunningError after ``timeout`` seconds."""
        self._core.wait_until_ready(timeout)

    def stop(self, timeout: float = 5.0) -> dict[str, Any]:
        """RUNNING -> STOPPED, draining the bus (order lane fully). Blocks; releases the GIL.

        Returns the shutdown report. Raises StateTransitionError unless RUNNING.
        """
        return self._core.stop(timeout)

    def __enter__(self) -> Engine:
        self.run()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._core.state == _core.EngineState.RUNNING:
            self.stop()

    # ---- asyncio API -----------------------------------------------------------------------

    async def start(self, timeout: float = 5.0) -> None:
        """Captures the running loop, starts the engine and waits until it is ready."""
        self._loop = asyncio.get_running_loop()
        self.run()
        await self.wait_until_ready(timeout)

    async def wait_until_ready(self, timeout: float = 5.0) -> None:
        """Returns once RUNNING; EngineNotRunningError after ``timeout`` seconds.

        Waits in a worker thread, so the loop keeps running meanwhile.
        """
        if math.isnan(timeout) or timeout < 0:  # the same ValueError as the core
            self._core.wait_until_ready(timeout)
        if self._core.state == _core.EngineState.RUNNING:
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._core.wait_until_ready, timeout)

    async def stop_async(self, timeout: float = 5.0) -> dict[str, Any]:
        """stop() in a worker thread: the loop keeps serving coroutine handlers while draining."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._core.stop, timeout)

    async def run_for(self, seconds: float) -> None:
        """Keeps the engine running for ``seconds`` (the loop stays responsive)."""
        await asyncio.sleep(seconds)

    async def __aenter__(self) -> Engine:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._core.state == _core.EngineState.RUNNING:
            await self.stop_async()

    # ---- monitoring --------------------------------------------------------------------------

    def metrics(self) -> dict[str, Any]:
        """A consistent snapshot of the engine's metrics (see TradingEngine.metrics)."""
        return self._core.metrics()

    def health_check(self) -> dict[str, Any]:
        """Health; unhealthy too when the captured asyncio loop is closed."""
        health = self._core.health_check()
        if self._loop is not None and self._loop.is_closed():
            health["event_loop_running"] = False
            health["healthy"] = False
            health["status"] = "unhealthy"
        return health

    # ---- timers ------------------------------------------------------------------------------

    def schedule_once(self, trigger_type: str, at_ns: int) -> int:
        """A SCHEDULED_TRIGGER event at ``at_ns`` on the engine clock; returns a timer id."""
        return self._core.schedule_once(trigger_type, at_ns)

    def schedule_periodic(
        self, trigger_type: str, interval_ns: int, first_ns: int | None = None
    ) -> int:
        """A SCHEDULED_TRIGGER event every ``interval_ns``; returns a timer id."""
        return self._core.schedule_periodic(trigger_type, interval_ns, first_ns)

    def cancel_timer(self, timer_id: int) -> bool:
        """Cancels a timer; False if unknown."""
        return self._core.cancel_timer(timer_id)

    def poll_timers(self) -> int:
        """Fires due timers now (with a TestClock, timers fire only here)."""
        return self._core.poll_timers()

    def __repr__(self) -> str:
        return f"Engine(name={self._core.name!r}, state={self._core.state.name})"


@atexit.register
def _stop_engines_at_exit() -> None:
    """Stops running engines before the interpreter finalises (native threads must not
    take the GIL during finalisation)."""
    for engine in list(_live):
        try:
            if engine.state == _core.EngineState.RUNNING:
                engine.stop(1.0)
        except Exception:  # noqa: BLE001 - exiting: never raise from atexit
            pass
