"""Runs strategies live: ``tradeengine run STRATEGY.py --config FILE.toml`` and ``tradeengine demo``.

Start-up follows seed 000 feature 3: the venue (the simulated exchange, started in-process, or
Binance), the engine, run and ready, the execution client (clock sync, exchangeInfo, user-data
stream), the order manager seeded with the venue's balances, the strategies (configuration
validated, on_start), and last the market data. Shutdown, on the duration, Ctrl-C or SIGTERM:
market data stops first, the strategies' open orders are canceled (the cancel-on-stop
policy) and their on_stop runs, the bus drains (the order lane to the end), the venue stops,
and an end-of-run summary is printed. While running, a status line (prices, positions, PnL,
orders) is kept up to date on a terminal, and nothing is written when not on one.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import inspect
import signal
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import tradeengine as te
from tradeengine import _core
from tradeengine.config import RunConfig, StrategySection
from tradeengine.oms import OrderManager
from tradeengine.status import StatusLine, format_status, format_summary
from tradeengine.strategy import Strategy, StrategyHost, strategies_in
from tradeengine.venues import BinanceConfig, BinanceExecution, BinanceMarketData

__all__ = ["Runner", "load_strategy_classes"]


def load_strategy_classes(path: str | Path) -> dict[str, type[Strategy]]:
    """The Strategy subclasses a strategy file defines, by class name; ConfigError for a file
    that is missing, does not compile (with the line) or defines none."""
    path = Path(path)
    if not path.is_file():
        raise _core.ConfigError(f"strategy file '{path}' does not exist")
    name = f"tradeengine_user_strategy_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise _core.ConfigError(f"strategy file '{path}' cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise _core.ConfigError(f"strategy file '{path}' line {exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # noqa: BLE001 - any import-time failure of user code
        raise _core.ConfigError(f"strategy file '{path}' failed to import: {type(exc).__name__}: {exc}") from None
    classes = {c.__name__: c for c in strategies_in(vars(module))}
    if not classes:
        raise _core.ConfigError(f"strategy file '{path}' defines no tradeengine.Strategy subclass")
    return classes


def _resolve_class(section: StrategySection, from_file: dict[str, type[Strategy]]) -> type[Strategy]:
    wanted = section.class_name
    if wanted and ":" in wanted:
        module_name, _, attr = wanted.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise _core.ConfigError(f"strategies '{section.name}': class '{wanted}' not found: {exc}") from None
    elif wanted:
        if wanted in from_file:
            cls = from_file[wanted]
        else:
            import tradeengine.strategies as builtin

            cls = getattr(builtin, wanted, None)
            if cls is None:
                known = ", ".join(sorted(from_file)) or "none"
                raise _core.ConfigError(
                    f"strategies '{section.name}': class '{wanted}' not found (the strategy file defines {known})"
                )
    elif len(from_file) == 1:
        cls = next(iter(from_file.values()))
    else:
        raise _core.ConfigError(
            f"strategies '{section.name}': give class = one of {', '.join(sorted(from_file)) or '(none defined)'}"
        )
    if not (isinstance(cls, type) and issubclass(cls, Strategy)):
        raise _core.ConfigError(f"strategies '{section.name}': {wanted} is not a tradeengine.Strategy")
    return cls


class Runner:
    """One live run: builds everything from a RunConfig, runs, stops gracefully, summarises.

    ``strategies`` may be given as instances instead of config sections (the demo does).
    """

    def __init__(
        self,
        config: RunConfig,
        strategy_file: str | Path | None = None,
        *,
        strategies: list[Strategy] | None = None,
        status_stream: IO[str] | None = None,
        out: IO[str] | None = None,
    ) -> None:
        self.config = config
        self.out = out or sys.stdout
        self.status = StatusLine(stream=status_stream, interval=config.status_interval)
        from_file = load_strategy_classes(strategy_file) if strategy_file else {}
        self.strategies: list[Strategy] = list(strategies or [])
        for section in config.strategies:
            cls = _resolve_class(section, from_file)
            params = dict(section.params)
            params.setdefault("symbols", tuple(section.symbols))
            params.setdefault("interval", section.interval)
            self.strategies.append(cls(name=section.name, **params))
        if not self.strategies:
            raise _core.ConfigError("nothing to run: no strategies configured")
        self._stop = threading.Event()
        self.summary: dict[str, Any] = {}
        self.sim: Any = None
        self.engine: te.Engine | None = None
        self.oms: OrderManager | None = None
        self.host: StrategyHost | None = None
        #: Called with the runner once the engine, the order manager and the strategies are up,
        #: before market data flows (to subscribe extra handlers).
        self.on_ready: Callable[[Runner], Any] | None = None
        self._async_loop: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None

    # ---- the run ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the run to end (thread- and signal-safe)."""
        self._stop.set()

    def _symbols(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.strategies:
            for sym in getattr(s.config, "symbols", None) or s._params.get("symbols", ()):
                seen.setdefault(str(sym).split(".")[0].upper(), None)
        return list(seen)

    def _intervals(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.strategies:
            seen.setdefault(str(getattr(s.config, "interval", None) or s._params.get("interval", "1m")), None)
        return list(seen)

    def _venue_config(self) -> BinanceConfig:
        v = self.config.venue
        symbols, intervals = self._symbols(), self._intervals()
        if v.kind == "binance":
            table = dict(v.binance)
            table.setdefault("symbols", symbols)
            table.setdefault("intervals", intervals)
            table.setdefault("quotes", True)
            return BinanceConfig.from_mapping(table)
        from tradeengine.sim import SimExchange

        options = dict(v.simulated)
        options.setdefault("symbols", symbols)
        streams = {"trades": bool(options.pop("trades", False)), "quotes": bool(options.pop("quotes", True))}
        self.sim = SimExchange(**options).start()
        return BinanceConfig.simulated(self.sim, symbols=symbols, intervals=intervals, **streams)

    def _loop_for_async_strategies(self) -> asyncio.AbstractEventLoop | None:
        """A loop on its own thread when a strategy has ``async def`` callbacks."""
        names = ("on_start", "on_stop", "on_candle", "on_trade", "on_quote", "on_order_update", "on_fill",
                 "on_timer", "on_error")  # fmt: skip
        if not any(inspect.iscoroutinefunction(getattr(s, n, None)) for s in self.strategies for n in names):
            return None
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="te-strategy-loop", daemon=True)
        thread.start()
        self._async_loop = (loop, thread)
        return loop

    def run(self, duration: float | None = None, install_signals: bool = True) -> dict[str, Any]:
        """Runs until ``duration`` seconds (the config's by default), stop(), Ctrl-C or SIGTERM;
        returns the summary (also printed)."""
        duration = duration if duration is not None else self.config.duration
        c = self.config
        te.configure_logging(level=c.log_level, json=c.log_json, file=c.log_file)
        restore = self._install_signals() if install_signals else (lambda: None)
        t0 = time.monotonic()
        md: BinanceMarketData | None = None
        try:
            venue_cfg = self._venue_config()
            engine = self.engine = te.Engine(
                name=c.engine.name, data_capacity=c.engine.data_capacity, signal_capacity=c.engine.signal_capacity,
                order_capacity=c.engine.order_capacity, batch_size=c.engine.batch_size, spin_us=c.engine.spin_us,
            )  # fmt: skip
            engine.run()
            engine.wait_until_ready_blocking()
            ex = BinanceExecution(venue_cfg)
            ex.connect(engine)
            venue = venue_cfg.venue
            positions = {f"{k}.{venue}" if "." not in k else k: v for k, v in c.risk.max_position.items()}
            self.oms = OrderManager(engine, ex, max_order_notional=c.risk.max_order_notional, max_position=positions)
            self.oms.seed_balances(ex.account())
            self.host = StrategyHost(engine, self.oms, venue=venue, loop=self._loop_for_async_strategies())
            for s in self.strategies:
                self.host.add(s)
            self.host.start()
            if self.on_ready is not None:
                self.on_ready(self)
            md = BinanceMarketData(venue_cfg)
            md.connect(engine)
            self._loop(t0, duration)
        finally:
            self._shutdown(md)
            restore()
        self.summary = self._summarise(time.monotonic() - t0)
        print("\nend of run\n" + format_summary(self.summary), file=self.out, flush=True)
        return self.summary

    def _install_signals(self) -> Callable[[], None]:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        for sig in previous:
            signal.signal(sig, lambda *_: self._stop.set())

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    def _loop(self, t0: float, duration: float | None) -> None:
        last_events, last_t = 0, time.monotonic()
        while not self._stop.wait(min(0.2, self.config.status_interval)):
            now = time.monotonic()
            if duration is not None and now - t0 >= duration:
                break
            if self.status.enabled and self.engine is not None:
                published = self.engine.metrics()["events_published"]
                rate = (published - last_events) / max(1e-9, now - last_t)
                last_events, last_t = published, now
                self.status.update(format_status(self._figures(rate)))

    def _figures(self, rate: float) -> dict[str, Any]:
        assert self.oms is not None and self.host is not None
        prices, positions = {}, {}
        for sym in self._symbols():
            iid = self.host.instrument_id(sym)
            p = self.oms.last_price(iid)
            if p is not None:
                prices[sym] = p
            positions[sym] = self.oms.position(iid).quantity
        orders = self.oms.orders()
        return {
            "prices": prices, "positions": positions, "pnl": self._pnl(), "quote": self._quote_asset(),
            "open_orders": sum(1 for o in orders if o.is_open),
            "filled_orders": sum(1 for o in orders if o.status == te.OrderStatus.FILLED),
            "events_per_s": rate,
        }  # fmt: skip

    def _quote_asset(self) -> str:
        syms = self._symbols()
        return "USDT" if all(s.endswith("USDT") for s in syms) else ""

    def _pnl(self) -> Decimal:
        assert self.oms is not None and self.host is not None
        total = Decimal(0)
        for sym in self._symbols():
            iid = self.host.instrument_id(sym)
            total += self.oms.realized_pnl(iid).as_decimal() + self.oms.unrealized_pnl(iid).as_decimal()
        return total

    def _shutdown(self, md: BinanceMarketData | None) -> None:
        self.status.close()
        if md is not None:
            md.disconnect()  # stop data first: no decision on a half-stopped engine
        if self.host is not None:
            self.host.stop(cancel_orders=True)
            deadline = time.monotonic() + 3.0
            while self.oms is not None and any(o.is_open for o in self.oms.orders()) and time.monotonic() < deadline:
                time.sleep(0.02)  # the cancels' answers come back on the order lane
        if self.engine is not None and self.engine.state == te.EngineState.RUNNING:
            self.report = self.engine.stop()
        if self.sim is not None:
            self.sim.stop()
        if self._async_loop is not None:
            loop, thread = self._async_loop
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            loop.close()

    def _summarise(self, elapsed: float) -> dict[str, Any]:
        if self.oms is None or self.engine is None:
            return {"duration_s": round(elapsed, 1)}
        orders = self.oms.orders()
        count = lambda status: sum(1 for o in orders if o.status == status)  # noqa: E731
        m = self.engine.metrics()
        portfolio = self.oms.portfolio()
        realized = sum((p.realized_pnl.as_decimal() for p in portfolio["positions"].values()), Decimal(0))
        unrealized = sum(
            (self.oms.unrealized_pnl(self.host.instrument_id(s)).as_decimal() for s in self._symbols()), Decimal(0)
        ) if self.host else Decimal(0)  # fmt: skip
        return {
            "duration_s": round(elapsed, 1),
            "orders_submitted": len(orders),
            "orders_filled": count(te.OrderStatus.FILLED),
            "orders_canceled": count(te.OrderStatus.CANCELED),
            "orders_rejected": count(te.OrderStatus.REJECTED),
            "fills": sum(p.fill_count for p in portfolio["positions"].values()),
            "realized_pnl": realized,
            "unrealized_pnl": unrealized,
            "fees": {k: v.as_decimal() for k, v in portfolio["fees"].items()},
            "events_dropped": m["events_dropped"],
            "latency_p50_us": m["delivery_latency_p50_us"],
            "latency_p99_us": m["delivery_latency_p99_us"],
            "positions": {k: p.quantity for k, p in portfolio["positions"].items()},
            "balances": {k: b.free for k, b in portfolio["balances"].items()},
            "strategy_errors": self.host.errors if self.host else 0,
        }
