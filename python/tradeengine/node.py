"""The Node: one object that assembles and runs everything — the engine, the venues, the order
manager and portfolio, and the strategies — in the one correct start and stop order.

::

    node = te.Node(venues=[te.venues.Simulated(speed=600)], strategies=[SmaCross(symbols=("BTCUSDT",))])
    node.run(duration=60)                  # blocking; Ctrl-C stops it cleanly

    async with te.Node(venues=[...], strategies=[...]) as node:   # asyncio, Jupyter
        await node.run_for(60)

    node = te.Node.from_toml("live.toml")   # the same from a configuration file

Names: ``start()``/``stop()`` are the lifecycle pair and block; their awaitable twins are
``start_async()``/``stop_async()`` (the ``_async`` suffix marks an awaitable); ``run(duration)``
is start, wait, stop; ``run_for(seconds)`` is the awaitable wait inside ``async with``.
Instruments are named "BTCUSDT" (the one venue listing it) or "BTCUSDT.SIM". Results are typed:
``node.portfolio`` (Portfolio), ``node.orders()`` (OrderView), ``node.status()`` (NodeStatus),
``node.metrics()`` (NodeMetrics), ``node.summary()`` (RunSummary).

Threads: every method may be called from any thread. ``stop()`` from a strategy callback (the
dispatcher thread, which stop() would have to wait for) asks for the stop instead and returns:
``run()`` and ``run_for()`` end, and the node stops. See docs/architecture/node.md.
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from tradeengine import _core
from tradeengine.config import EngineSettings, LogSettings, NodeConfig, RiskSettings, VenueConfig, load_config
from tradeengine.strategy import Strategy
from tradeengine.venues.backtest import Backtest
from tradeengine.venues.binance import Binance
from tradeengine.venues.simulated import Simulated

__all__ = ["Node", "NodeMetrics", "Portfolio", "RunSummary", "StrategyPnl"]

_live: weakref.WeakSet[Node] = weakref.WeakSet()


@dataclasses.dataclass(frozen=True)
class StrategyPnl:
    """What one strategy's own fills made, in the quote asset of each instrument: realized PnL
    (fees excluded), fees (commissions in the base or quote asset, valued at the fill price),
    net = realized - fees, and unrealized PnL at the last price seen."""

    strategy: str
    realized: Decimal
    fees: Decimal
    net: Decimal
    unrealized: Decimal
    fills: int
    positions: dict[str, _core.Position]


@dataclasses.dataclass(frozen=True)
class Portfolio:
    """Every venue's account together, and each strategy's share.

    ``balances`` (asset -> Balance) and ``fees`` (asset -> Money, commissions in the asset
    charged) sum every venue's account; ``positions`` is per instrument id; ``accounts`` is the
    same per venue; ``strategies`` is per strategy; ``realized``, ``fees_quote``, ``net`` and
    ``unrealized`` are the totals over positions, in their quote asset.
    """

    balances: dict[str, _core.Balance]
    positions: dict[str, _core.Position]
    fees: dict[str, _core.Money]
    accounts: dict[str, _core.PortfolioSnapshot]
    strategies: dict[str, StrategyPnl]
    realized: Decimal
    fees_quote: Decimal
    net: Decimal
    unrealized: Decimal

    def balance(self, asset: str) -> _core.Balance | None:
        """One asset's balance (summed over venues), or None if never seen."""
        return self.balances.get(asset)


@dataclasses.dataclass(frozen=True)
class NodeMetrics:
    """A consistent snapshot of the node's counters: the engine's (events, drops, callback
    errors, latencies in microseconds, lane depths), the order manager's (``queries_sent``:
    orders the venue did not answer in time; ``duplicate_venue_updates`` / ``stale_venue_updates``:
    venue messages the order state machines ignored; ``confirmed_venue_updates``: the venue's
    first report of a state its fills had already settled; ``orders_refused_by_state``: impossible
    ones) and the strategies'."""

    state: _core.ComponentState
    uptime: float
    events_published: int
    events_dropped: int
    callback_errors: int
    delivery_latency_p50_us: float
    delivery_latency_p99_us: float
    publish_latency_p50_us: float
    publish_latency_p99_us: float
    lane_depth: dict[str, int]
    orders_submitted: int
    orders_rejected_locally: int
    venue_rejects: int
    open_orders: int
    orders_in_memory: int
    queries_sent: int
    unknown_orders: int
    duplicate_venue_updates: int
    stale_venue_updates: int
    confirmed_venue_updates: int
    orders_refused_by_state: int
    fills: int
    strategy_errors: int
    slow_callbacks: int
    orders_refused_budget: int


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """The end-of-run figures ``tradeengine run`` prints: orders by outcome, fills, PnL and
    fees (per strategy and total), events dropped, latency, and the strategies that failed."""

    duration: float
    orders_submitted: int
    orders_filled: int
    orders_canceled: int
    orders_rejected: int
    orders_open: int
    fills: int
    realized: Decimal
    fees: Decimal
    net: Decimal
    unrealized: Decimal
    fees_by_asset: dict[str, Decimal]
    strategies: dict[str, StrategyPnl]
    failed_strategies: dict[str, str]
    events_dropped: int
    latency_p50_us: float
    latency_p99_us: float
    positions: dict[str, _core.Quantity]
    balances: dict[str, _core.Quantity]

    @property
    def ok(self) -> bool:
        """False when a strategy was paused or stopped by an error."""
        return not self.failed_strategies


def _dec(m: Any) -> Decimal:
    return Decimal(0) if m is None else Decimal(str(m))


def _pnl_of(positions: Iterable[_core.Position], prices: Callable[[_core.InstrumentId], Any]) -> tuple[Decimal, ...]:
    realized = fees = unrealized = Decimal(0)
    for p in positions:
        realized += _dec(p.realized_pnl)
        fees += _dec(p.fees)
        mark = prices(p.instrument_id)
        if mark is not None:
            unrealized += _dec(p.unrealized_pnl(mark))
    return realized, fees, realized - fees, unrealized


class Node:
    """The assembled engine (see the module docstring).

    Args:
        venues: where data comes from and orders go: ``te.venues.Simulated(...)``,
            ``te.venues.Binance(...)``. Names must be unique.
        strategies: ``te.Strategy`` instances; each can be added to one node only.
        name: the node's name (logs, status).
        engine, risk, log: settings (``EngineSettings``, ``RiskSettings``, ``LogSettings``);
            ``log`` None leaves the logging as it is.
        cancel_on_stop: cancel the strategies' open orders when stopping (default True).
        cancel_timeout: seconds stop() waits for the venue to confirm those cancels.
        ack_timeout: seconds after which an order the venue has not answered is queried.
    """

    def __init__(
        self,
        venues: Iterable[VenueConfig] = (),
        strategies: Iterable[Strategy] = (),
        *,
        name: str = "node",
        engine: EngineSettings | None = None,
        risk: RiskSettings | None = None,
        log: LogSettings | None = None,
        cancel_on_stop: bool = True,
        cancel_timeout: float = 3.0,
        ack_timeout: float = 30.0,
    ) -> None:
        self.config = NodeConfig(name=name, venues=tuple(venues), engine=engine or EngineSettings(),
                                 risk=risk or RiskSettings(), log=log, cancel_on_stop=cancel_on_stop,
                                 cancel_timeout=cancel_timeout, ack_timeout=ack_timeout)  # fmt: skip
        self._strategies: list[Strategy] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._own_loop: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None
        self._started_at: float | None = None
        self._stopped_at: float | None = None
        self._backtest: _core.BacktestVenue | None = None
        #: What the backtest replayed and how it ended (a backtest node, after run()).
        self.backtest_report: _core.BacktestReport | None = None
        self._native = _core.Node(self._settings())
        for strategy in strategies:
            self.add_strategy(strategy)
        self._add_venues()
        _live.add(self)

    @classmethod
    def from_toml(cls, path: str | Path, *, environ: Mapping[str, str] | None = None,
                  strategy_file: str | Path | None = None, **overrides: Any) -> Node:  # fmt: skip
        """A node from a configuration file (docs/guide/configuration.md); its strategies come
        from ``strategy_file`` or the built-in examples (``class = "SmaCross"``). With
        ``backtest=te.venues.Backtest(data=...)`` the same configuration is backtested: its venue
        is replaced by the backtest venue, under the venue's own name, so the strategies' symbols
        resolve unchanged."""
        return cls.from_config(load_config(path, environ=environ), strategy_file=strategy_file, **overrides)

    @classmethod
    def from_config(cls, config: NodeConfig, *, strategy_file: str | Path | None = None,
                    strategies: Iterable[Strategy] = (), backtest: Backtest | None = None) -> Node:  # fmt: skip
        """A node from a NodeConfig (``load_config``), with its strategies built from the
        config's [[strategies]] tables (classes from ``strategy_file`` or built in); ``backtest``
        as in from_toml."""
        from tradeengine.runner import build_strategies

        built = list(strategies) + build_strategies(config, strategy_file)
        if backtest is not None:
            if len(config.venues) > 1:
                raise _core.ConfigError(f"node {config.name}: a backtest replaces one venue; this configuration has "
                                        f"{len(config.venues)} ({', '.join(v.name for v in config.venues)})")  # fmt: skip
            name = config.venues[0].name if config.venues else backtest.name
            config = dataclasses.replace(config, venues=(backtest.renamed(name),))
        node = cls(config.venues, built, name=config.name, engine=config.engine, risk=config.risk, log=config.log,
                   cancel_on_stop=config.cancel_on_stop, cancel_timeout=config.cancel_timeout,
                   ack_timeout=config.ack_timeout)  # fmt: skip
        node.config = dataclasses.replace(node.config, strategies=config.strategies, duration=config.duration,
                                          status_interval=config.status_interval)  # fmt: skip
        return node

    # ---- assembly ---------------------------------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        c = self.config
        e = c.engine
        risk = c.risk
        positions = {}
        for symbol, qty in risk.max_position.items():
            positions[symbol if "." in symbol else f"{symbol}.{self._default_venue()}"] = _core.Quantity(str(qty))
        return {
            "name": c.name, "data_capacity": e.data_capacity, "data_timeout": e.data_timeout,
            "signal_capacity": e.signal_capacity, "signal_timeout": e.signal_timeout,
            "order_capacity": e.order_capacity, "batch_size": e.batch_size, "spin_us": e.spin_us,
            "max_order_notional": _core.Money(risk.max_order_notional) if risk.max_order_notional else None,
            "max_position": positions, "cancel_on_stop": c.cancel_on_stop, "cancel_timeout": c.cancel_timeout,
            "ack_timeout": c.ack_timeout, "backtest": self._is_backtest(),
        }  # fmt: skip

    def _is_backtest(self) -> bool:
        backtests = [v for v in self.config.venues if isinstance(v, Backtest)]
        if backtests and len(self.config.venues) > 1:
            raise _core.ConfigError(f"node {self.config.name}: a backtest node has one venue, the backtest venue")
        return bool(backtests)

    def _default_venue(self) -> str:
        return self.config.venues[0].name if self.config.venues else "SIM"

    def _add_venues(self) -> None:
        names = [getattr(v, "name", None) for v in self.config.venues]
        for name in {n for n in names if names.count(n) > 1}:
            raise _core.ConfigError(f"node {self.name}: two venues named {name!r}; venue names must be unique")
        for venue in self.config.venues:
            if isinstance(venue, Simulated):
                symbols = {s.split(".")[0].upper() for st in self._strategies
                           for s in getattr(st.config, "symbols", ()) or ()}  # fmt: skip
                self._native.add_simulated_venue(venue.name, venue.exchange_json(sorted(symbols)), 0, venue.connection())
            elif isinstance(venue, Backtest):
                self._backtest = venue.native()
                self._native.add_backtest_venue(self._backtest)
            elif isinstance(venue, Binance):
                self._native.add_binance_venue(venue.name, venue.market_data(), venue.execution(), venue.connection())
            else:
                raise _core.ConfigError(
                    f"invalid venue {venue!r}: expected te.venues.Simulated, te.venues.Binance or te.venues.Backtest"
                )

    def add_strategy(self, strategy: Strategy) -> Strategy:
        """Adds a strategy before start (ConfigError for a bad configuration, a strategy added
        twice or already added to another node)."""
        if not isinstance(strategy, Strategy):
            raise TypeError(f"invalid strategy {strategy!r}: expected a tradeengine.Strategy")
        if any(s is strategy for s in self._strategies):
            raise _core.ConfigError(f"strategy {strategy.name} is already added to this node")
        if any(s.name == strategy.name for s in self._strategies):
            raise _core.ConfigError(f"a strategy named {strategy.name!r} is already added to node {self.name}; "
                                    "give each one a name (Strategy(name=...))")  # fmt: skip
        if self._native.state != _core.ComponentState.READY:
            raise _core.StateTransitionError(f"node {self.name}: strategies are added before it starts")
        strategy._attach(self, self._strategy_loop(strategy))
        self._strategies.append(strategy)
        return strategy

    def _strategy_loop(self, strategy: Strategy) -> asyncio.AbstractEventLoop | None:
        """The loop an ``async def`` strategy runs on: the running loop, or one of the node's own."""
        if not strategy.is_async():
            return None
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="te-strategy-loop", daemon=True)
                thread.start()
                self._own_loop = (loop, thread)
                self._loop = loop
        return self._loop

    @property
    def name(self) -> str:
        """The node's name."""
        return self.config.name

    @property
    def strategies(self) -> list[Strategy]:
        """The strategies, in the order they were added."""
        return list(self._strategies)

    @property
    def state(self) -> _core.ComponentState:
        """READY, STARTING, RUNNING, STOPPING, STOPPED or FAULTED."""
        return self._native.state

    @property
    def engine(self) -> _core.TradingEngine:
        """The node's engine (its bus, timers and metrics)."""
        return self._native.engine

    # ---- lifecycle --------------------------------------------------------------------------

    @property
    def is_backtest(self) -> bool:
        """True for a node whose venue is a te.venues.Backtest: run() replays its data."""
        return self._backtest is not None

    def _refuse_backtest(self, what: str) -> None:
        if self._backtest is not None:
            raise _core.StateTransitionError(f"node {self.name} is a backtest: it runs with run() (the data drives it "
                                             f"from start to end on one thread), not {what}")  # fmt: skip

    def run_backtest(self, progress: Callable[[int, int], None] | None = None, every: int = 65536) -> RunSummary:
        """Replays the backtest venue's data from start to end on this thread (the data drives the
        clock); ``progress(items, data_time_ns)`` is called every ``every`` actions. Returns the
        summary; ``backtest_report`` says what was replayed and why it ended."""
        if self._backtest is None:
            raise _core.StateTransitionError(f"node {self.name} has no backtest venue: add te.venues.Backtest(data=...)")
        if self.config.log is not None:
            lg = self.config.log
            _core.configure_logging(level=lg.level, json=lg.json, file=lg.file)
        self._started_at = time.monotonic()
        try:
            self.backtest_report = self._backtest.run(self._native, progress, every)
        finally:
            self._stopped_at = time.monotonic()
            self._close_loop()
        return self.summary()

    def start(self) -> None:
        """Starts every component in order and returns once the strategies ran on_start.
        Raises (ConfigError, AuthenticationError, ConnectionLostError ...) after stopping what
        had started; StateTransitionError if started before. Ctrl-C while starting (in the
        main thread) aborts the start, and no order is sent."""
        self._refuse_backtest("start()")
        if self.config.log is not None:
            lg = self.config.log
            _core.configure_logging(level=lg.level, json=lg.json, file=lg.file)
        self._started_at = time.monotonic()
        if threading.current_thread() is not threading.main_thread():
            self._native.start()
            return
        # In a worker thread, so Ctrl-C reaches Python while the venues connect.
        error: list[BaseException] = []

        def starting() -> None:
            try:
                self._native.start()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                error.append(exc)

        worker = threading.Thread(target=starting, name="te-node-start", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
        except KeyboardInterrupt:
            self._native.interrupt()
            worker.join()
            raise
        if error:
            raise error[0]

    def stop(self) -> None:
        """Stops every component in order (market data, strategies and their open orders, the
        bus drained, the venues); idempotent once started. From a strategy callback it only
        asks for the stop (see the module docstring)."""
        if self._native.engine.bus.on_dispatcher_thread():
            self._native.request_stop()
            return
        if self._native.state == _core.ComponentState.READY:
            raise _core.StateTransitionError(f"node {self.name} was never started: stop() before start()")
        try:
            self._native.stop()
        finally:
            if self._stopped_at is None:
                self._stopped_at = time.monotonic()
            self._close_loop()

    def request_stop(self) -> None:
        """Asks the node to stop without waiting: run() and run_for() return, then it stops."""
        self._native.request_stop()

    def run(self, duration: float | None = None) -> RunSummary:
        """start(), wait ``duration`` seconds (None: until Ctrl-C, SIGTERM or request_stop()),
        stop(); returns the summary. Ctrl-C and SIGTERM stop it cleanly."""
        if self._backtest is not None:
            if duration is not None:
                raise ValueError(f"node {self.name} is a backtest: it runs to the end of its data (no duration)")
            return self.run_backtest()
        if duration is not None and not (isinstance(duration, (int, float)) and duration > 0):
            raise ValueError(f"invalid duration {duration!r}: expected seconds > 0 (or None: until stopped)")
        restore = self._install_signals()
        try:
            self.start()
            deadline = None if duration is None else time.monotonic() + duration
            while not self._native.stop_requested:
                left = 0.1 if deadline is None else min(0.1, deadline - time.monotonic())
                if left <= 0:
                    break
                self._native.wait_for_stop(left)
        except KeyboardInterrupt:
            pass
        finally:
            try:
                if self._native.state not in (_core.ComponentState.READY, _core.ComponentState.STOPPED):
                    self.stop()
            finally:
                restore()
        return self.summary()

    def _install_signals(self) -> Callable[[], None]:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def on_signal(signum: int, frame: Any) -> None:
            if self._native.state in (_core.ComponentState.READY, _core.ComponentState.STARTING):
                raise KeyboardInterrupt  # start() interrupts the venues it is connecting
            self._native.request_stop()

        for sig in previous:
            signal.signal(sig, on_signal)

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    def __enter__(self) -> Node:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        if self._native.state not in (_core.ComponentState.READY, _core.ComponentState.STOPPED):
            self.stop()

    async def start_async(self) -> None:
        """start() without blocking the running loop (which ``async def`` strategies use)."""
        self._refuse_backtest("start_async()")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        await loop.run_in_executor(None, self._start_in_thread)

    def _start_in_thread(self) -> None:
        if self.config.log is not None:
            lg = self.config.log
            _core.configure_logging(level=lg.level, json=lg.json, file=lg.file)
        self._started_at = time.monotonic()
        self._native.start()

    async def stop_async(self) -> None:
        """stop() without blocking the running loop (coroutine callbacks go on meanwhile)."""
        if self._native.state in (_core.ComponentState.READY, _core.ComponentState.STOPPED):
            return
        await asyncio.get_running_loop().run_in_executor(None, self.stop)

    async def run_for(self, seconds: float) -> None:
        """Keeps the node running for ``seconds`` (or until a stop is requested); the loop
        stays responsive meanwhile."""
        if not (isinstance(seconds, (int, float)) and seconds > 0):
            raise ValueError(f"invalid seconds {seconds!r}: expected a number > 0")
        deadline = time.monotonic() + seconds
        while not self._native.stop_requested:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            await asyncio.sleep(min(0.05, left))

    async def __aenter__(self) -> Node:
        await self.start_async()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        await self.stop_async()

    def _close_loop(self) -> None:
        if self._own_loop is None:
            return
        loop, thread = self._own_loop
        self._own_loop = None
        for s in self._strategies:
            if s._serial is not None:
                s._serial.idle.wait(2.0)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()

    # ---- reading ----------------------------------------------------------------------------

    def instrument_id(self, symbol: str | _core.InstrumentId) -> _core.InstrumentId:
        """'BTCUSDT' -> BTCUSDT.<the one venue listing it>; 'BTCUSDT.SIM' is checked."""
        return symbol if isinstance(symbol, _core.InstrumentId) else self._native.resolve(str(symbol))

    def orders(self, strategy: str | None = None, *, open_only: bool = False,
               symbol: str | None = None) -> list[_core.OrderView]:  # fmt: skip
        """Orders (oldest first), of one strategy, open only, or of one symbol."""
        iid = self.instrument_id(symbol) if symbol else None
        return list(self._native.orders(strategy or "", open_only, iid))

    def order(self, client_order_id: str) -> _core.OrderView | None:
        """One order by its client order id (None when unknown, or gone from memory)."""
        return self._native.order(str(client_order_id))

    def cancel_all(self, strategy: str | None = None) -> int:
        """Cancel the open orders of one strategy (None: of all); how many."""
        total = 0
        for s in self._strategies:
            if strategy is None or s.name == strategy:
                total += s.cancel_all()
        return total

    def last_price(self, symbol: str) -> _core.Price | None:
        """The last price seen (candle close, trade or mid quote), or None."""
        return self._native.last_price(self.instrument_id(symbol))

    @property
    def portfolio(self) -> Portfolio:
        """Balances, positions, fees and PnL, in total, per venue and per strategy."""
        snap = self._native.portfolio()
        prices = self._native.last_price
        books = {}
        for pnl in self._native.strategy_pnl():
            realized, fees, net, unrealized = _pnl_of(pnl.positions, prices)
            books[pnl.strategy] = StrategyPnl(pnl.strategy, realized, fees, net, unrealized, pnl.fills,
                                              {str(p.instrument_id): p for p in pnl.positions})  # fmt: skip
        accounts = {v: self._native.account(v) for v in self._native.venue_names if self._has_account(v)}
        realized, fees, net, unrealized = _pnl_of(snap.positions.values(), prices)
        return Portfolio(snap.balances, snap.positions, snap.fees, accounts, books, realized, fees, net, unrealized)

    def _has_account(self, venue: str) -> bool:
        try:
            self._native.account(venue)
            return True
        except ValueError:
            return False

    def status(self) -> _core.NodeStatus:
        """Every component's lifecycle state, the venues' feeds, the lanes and the strategies."""
        return self._native.status()

    def exchange(self, venue: str = "SIM") -> Any:
        """The simulated exchange behind a Simulated venue, as a ``SimExchange`` view (faults,
        inspection, injection); the node starts and stops it."""
        from tradeengine.sim import SimExchange

        return SimExchange._view(self._native.sim_server(venue))

    def metrics(self) -> NodeMetrics:
        """A snapshot of the counters (see NodeMetrics)."""
        m = self._native.engine.metrics()
        oms = self._native.oms_stats()
        strategies = self._native.strategy_status()
        return NodeMetrics(
            state=self._native.state, uptime=self._uptime(), events_published=m["events_published"],
            events_dropped=m["events_dropped"], callback_errors=m["callback_errors"],
            delivery_latency_p50_us=m["delivery_latency_p50_us"], delivery_latency_p99_us=m["delivery_latency_p99_us"],
            publish_latency_p50_us=m["publish_latency_p50_us"], publish_latency_p99_us=m["publish_latency_p99_us"],
            lane_depth=dict(m["lane_depth"]), orders_submitted=oms["submitted"],
            orders_rejected_locally=oms["rejected_locally"], venue_rejects=oms["venue_rejects"],
            open_orders=oms["open_orders"], orders_in_memory=oms["orders_in_memory"], queries_sent=oms["queries_sent"],
            unknown_orders=oms["unknown_orders"], duplicate_venue_updates=oms["duplicates"],
            stale_venue_updates=oms["stale"],
            confirmed_venue_updates=oms["confirmed"], orders_refused_by_state=oms["refused"], fills=oms["venue_fills"],
            strategy_errors=sum(s.errors for s in strategies),
            slow_callbacks=sum(s.slow_callbacks for s in strategies),
            orders_refused_budget=sum(s.orders_refused_budget for s in strategies),
        )  # fmt: skip

    def _uptime(self) -> float:
        if self._started_at is None:
            return 0.0
        return (self._stopped_at or time.monotonic()) - self._started_at

    def summary(self) -> RunSummary:
        """The run's figures so far (or in the end, once stopped)."""
        orders = self.orders()

        def count(status: _core.OrderStatus) -> int:
            return sum(1 for o in orders if o.status == status)

        portfolio = self.portfolio
        m = self._native.engine.metrics()
        failed = {s.name: s.last_error for s in self._native.strategy_status()
                  if s.paused or s.state == _core.ComponentState.FAULTED}  # fmt: skip
        return RunSummary(
            duration=round(self._uptime(), 1), orders_submitted=len(orders),
            orders_filled=count(_core.OrderStatus.FILLED), orders_canceled=count(_core.OrderStatus.CANCELED),
            orders_rejected=count(_core.OrderStatus.REJECTED), orders_open=sum(1 for o in orders if o.is_open),
            fills=sum(p.fill_count for p in portfolio.positions.values()),
            realized=portfolio.realized, fees=portfolio.fees_quote, net=portfolio.net,
            unrealized=portfolio.unrealized, fees_by_asset={k: _dec(v) for k, v in portfolio.fees.items()},
            strategies=portfolio.strategies, failed_strategies=failed, events_dropped=m["events_dropped"],
            latency_p50_us=m["delivery_latency_p50_us"], latency_p99_us=m["delivery_latency_p99_us"],
            positions={k: p.quantity for k, p in portfolio.positions.items()},
            balances={k: b.free for k, b in portfolio.balances.items()},
        )  # fmt: skip

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {self._native.state.name}, venues={self._native.venue_names})"


@atexit.register
def _stop_nodes_at_exit() -> None:
    """Stops running nodes before the interpreter finalises (native threads must not take the
    GIL during finalisation)."""
    for node in list(_live):
        try:
            if node.state not in (_core.ComponentState.READY, _core.ComponentState.STOPPED):
                node.stop()
        except Exception:  # noqa: BLE001 - exiting: never raise from atexit
            pass
