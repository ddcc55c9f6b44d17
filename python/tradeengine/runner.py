"""``tradeengine run`` and ``tradeengine demo``: a thin layer over the Node.

The runner builds the strategies a configuration names (from a strategy file or the built-in
examples), makes the Node, runs it until the duration, Ctrl-C or SIGTERM, and prints: every
fill as it happens (unless quiet), a status line kept up to date on a terminal (log lines are
printed above it, never through it), and the end-of-run summary. Its exit status is 1 when a
strategy was paused or stopped by an error, so a script or CI run notices.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, TextIO

from tradeengine import _core
from tradeengine.config import NodeConfig, StrategySpec
from tradeengine.status import StatusLine, format_status, format_summary, summary_rows
from tradeengine.strategy import Strategy, strategies_in

__all__ = ["BUILTIN_STRATEGIES", "Runner", "build_strategies", "load_strategy_classes", "resolve_strategy_class"]

#: Built-in example strategies, runnable by name (``tradeengine run sma_cross``).
BUILTIN_STRATEGIES = {"sma_cross": "SmaCross", "market_maker": "MarketMaker"}


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


def resolve_strategy_class(wanted: str | None, from_file: dict[str, type[Strategy]], owner: str) -> type[Strategy]:
    """A class named in a configuration: "Name" (the strategy file's, or a built-in example:
    "SmaCross", "sma_cross"), "pkg.module:Name", or None (the file's only Strategy subclass)."""
    import tradeengine.strategies as builtin

    cls: Any
    if wanted and ":" in wanted:
        module_name, _, attr = wanted.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise _core.ConfigError(f"{owner}: class '{wanted}' not found: {exc}") from None
    elif wanted:
        cls = from_file.get(wanted) or getattr(builtin, BUILTIN_STRATEGIES.get(wanted, wanted), None)
        if cls is None:
            known = sorted(from_file) + sorted(BUILTIN_STRATEGIES.values())
            raise _core.ConfigError(f"{owner}: class '{wanted}' not found (known: {', '.join(known)})")
    elif len(from_file) == 1:
        cls = next(iter(from_file.values()))
    else:
        raise _core.ConfigError(f"{owner}: give class = one of {', '.join(sorted(from_file)) or '(none defined)'}")
    if not (isinstance(cls, type) and issubclass(cls, Strategy)):
        raise _core.ConfigError(f"{owner}: {wanted} is not a tradeengine.Strategy")
    return cls


def build_strategies(config: NodeConfig, strategy_file: str | Path | None = None) -> list[Strategy]:
    """The strategies of a configuration's [[strategies]] tables, configured (ConfigError
    naming the table for a bad one)."""
    from_file = load_strategy_classes(strategy_file) if strategy_file else {}
    out: list[Strategy] = []
    for spec in config.strategies:
        out.append(_build(spec, from_file))
    return out


def _build(spec: StrategySpec, from_file: dict[str, type[Strategy]]) -> Strategy:
    cls = resolve_strategy_class(spec.class_name, from_file, f"strategies '{spec.name}'")
    params = dict(spec.params)
    params.setdefault("symbols", tuple(spec.symbols))
    params.setdefault("interval", spec.interval)
    return cls(name=spec.name, **params)


class Runner:
    """One run of a Node with the command line's output (see the module docstring)."""

    def __init__(self, node: Any, *, out: IO[str] | None = None, status_stream: TextIO | None = None,
                 print_fills: bool = True) -> None:  # fmt: skip
        self.node = node
        self.out = out or sys.stdout
        self.status = StatusLine(stream=status_stream, interval=node.config.status_interval)
        self.print_fills = print_fills
        self._lock = threading.Lock()
        self.summary: Any = None

    def _show_fill(self, event: _core.Event) -> None:
        f = event.payload
        with self._lock:
            self.status.clear()
            print(f"  fill  {f.side.name:<4} {f.quantity} {f.instrument_id.symbol} @ {f.price}  "
                  f"fee {f.commission} {f.commission_asset}", file=self.out, flush=True)  # fmt: skip

    def run(self, duration: float | None = None) -> int:
        """Runs the node; prints the summary; 0, or 1 when a strategy failed."""
        node = self.node
        duration = duration if duration is not None else node.config.duration
        if self.print_fills:
            node.engine.bus.subscribe(_core.EventType.ORDER_FILL, self._show_fill, "runner.print_fills")
        _core.set_status_line(self.status.enabled)
        ticker = threading.Thread(target=self._tick, name="te-status", daemon=True)
        self._ticking = True
        try:
            ticker.start()
            self.summary = node.run(duration)
        finally:
            self._ticking = False
            ticker.join(2)
            _core.set_status_line(False)
            self.status.close()
        print("\nend of run\n" + format_summary(summary_rows(self.summary)), file=self.out, flush=True)
        for name, error in self.summary.failed_strategies.items():
            print(f"strategy {name} failed: {error}", file=sys.stderr, flush=True)
        return 0 if self.summary.ok else 1

    def _tick(self) -> None:
        last_events, last_t = 0, time.monotonic()
        while self._ticking:
            time.sleep(min(0.2, self.node.config.status_interval))
            if not self.status.enabled or self.node.state != _core.ComponentState.RUNNING:
                continue
            try:
                m = self.node.metrics()
                now = time.monotonic()
                rate = (m.events_published - last_events) / max(1e-9, now - last_t)
                last_events, last_t = m.events_published, now
                with self._lock:
                    self.status.update(format_status(self._figures(rate)))
            except _core.TradeEngineError:
                continue

    def _figures(self, rate: float) -> dict[str, Any]:
        portfolio = self.node.portfolio
        prices, positions = {}, {}
        for iid, pos in portfolio.positions.items():
            symbol = iid.split(".")[0]
            positions[symbol] = pos.quantity
            p = self.node.last_price(iid)
            if p is not None:
                prices[symbol] = p
        orders = self.node.orders()
        return {
            "prices": prices, "positions": positions, "pnl": portfolio.net + portfolio.unrealized,
            "open_orders": sum(1 for o in orders if o.is_open),
            "filled_orders": sum(1 for o in orders if o.status == _core.OrderStatus.FILLED),
            "events_per_s": rate,
        }  # fmt: skip
