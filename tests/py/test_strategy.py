"""The Strategy API on a Node against the simulated exchange: callbacks, isolation of a
strategy that raises or blocks, async callbacks one at a time, timers, order budgets, calls from
another thread, orders after stop, configuration errors, and the memory of an instance."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
import tracemalloc
from typing import Any

import pytest
from nodes import sim_node
from polling import eventually

import tradeengine as te


class Counter(te.Strategy):
    """Counts candles; optionally raises or blocks on the n-th."""

    def __init__(self, name: str, raise_on: int = 0, block_on: int = 0, **kw: Any) -> None:
        super().__init__(name=name, **kw)
        self.raise_on, self.block_on = raise_on, block_on
        self.candles: list[te.Candle] = []
        self.inside = 0
        self.overlaps = 0
        self.errors: list[BaseException] = []

    def on_start(self) -> None:
        self.subscribe_candles("BTCUSDT", "1m")

    def on_candle(self, candle: te.Candle) -> None:
        self.inside += 1
        self.overlaps += self.inside > 1
        self.candles.append(candle)
        n = len(self.candles)
        try:
            if n == self.raise_on:
                self.buy("BTCUSDT", "0.01", te.Price("1000"))  # rests far below the market
                raise RuntimeError("strategy bug")
            if n == self.block_on:
                time.sleep(1.0)
        finally:
            self.inside -= 1

    def on_error(self, error: BaseException) -> None:
        self.errors.append(error)


def test_a_strategy_that_raises_is_paused_and_the_others_go_on() -> None:
    bad, good = Counter("bad", raise_on=3), Counter("good")
    with sim_node(bad, good) as node:
        assert eventually(lambda: bad.paused)
        assert isinstance(bad.errors[0], RuntimeError) and bad.status.errors == 1
        assert "RuntimeError" in bad.status.last_error and "strategy bug" in bad.status.last_error
        assert eventually(lambda: not node.orders("bad", open_only=True)), "its open orders are canceled"
        n_bad, n_good = len(bad.candles), len(good.candles)
        assert eventually(lambda: len(good.candles) >= n_good + 10)
        assert len(bad.candles) == n_bad, "a paused strategy gets no more market data"
        assert node.state == te.ComponentState.RUNNING
        assert node.status().strategies[0].state == te.ComponentState.DEGRADED
    assert node.summary().failed_strategies == {"bad": bad.status.last_error}
    assert not node.summary().ok


def test_a_strategy_that_blocks_delays_the_others_and_is_reported_by_name() -> None:
    slow, other = Counter("slow", block_on=2), Counter("other")
    with sim_node(slow, other):
        assert eventually(lambda: len(slow.candles) >= 2)
        n = len(other.candles)
        assert eventually(lambda: len(other.candles) >= n + 10, 10)
        opens = [c.open_time for c in other.candles]
        assert opens == sorted(set(opens)), "nothing lost or reordered for the other strategy"
        assert slow.overlaps == 0 and other.overlaps == 0
        assert eventually(lambda: slow.status.slow_callbacks == 1)
        assert slow.status.slowest_callback_ms >= 1000
        assert other.status.slow_callbacks == 0


def test_fills_and_order_updates_reach_the_owner_only() -> None:
    class Buyer(te.Strategy):
        def on_start(self) -> None:
            self.updates: list[te.OrderStatus] = []
            self.fills: list[te.Fill] = []
            self.subscribe_quotes("BTCUSDT")
            self.handle: te.OrderHandle | None = None

        def on_quote(self, q: te.Quote) -> None:
            if self.handle is None:
                self.handle = self.buy("BTCUSDT", "0.01")

        def on_order_update(self, u: te.OrderUpdate) -> None:
            self.updates.append(u.status)

        def on_fill(self, f: te.Fill) -> None:
            self.fills.append(f)

    a, b = Buyer(name="a"), Counter("b")
    with sim_node(a, b) as node:
        assert eventually(lambda: a.handle is not None and a.handle.status == te.OrderStatus.FILLED)
        assert eventually(lambda: a.fills and a.updates and a.updates[-1] == te.OrderStatus.FILLED)
        assert a.position("BTCUSDT").quantity == te.Quantity("0.00999"), "0.01 less the 0.1 % fee in BTC"
        assert eventually(lambda: a.last_price("BTCUSDT") is not None)
        assert "USDT" in a.portfolio.balances
        assert [o.strategy for o in node.orders()] == ["a"]
        assert node.portfolio.strategies["a"].fills == len(a.fills)
        assert "b" not in node.portfolio.strategies


def test_async_callbacks_run_one_at_a_time_on_the_loop() -> None:
    class AsyncCounter(te.Strategy):
        def __init__(self, **kw: Any) -> None:
            super().__init__(**kw)
            self.n = self.inside = self.overlaps = 0
            self.threads: set[int] = set()

        def on_start(self) -> None:  # runs on the loop too: the strategy has async callbacks
            self.subscribe_candles("BTCUSDT")
            self.set_timer("tick", 0.05)

        async def on_candle(self, candle: te.Candle) -> None:
            self.inside += 1
            self.overlaps += self.inside > 1
            self.threads.add(threading.get_ident())
            await asyncio.sleep(0.001)
            self.n += 1
            self.inside -= 1

        def on_timer(self, name: str) -> None:  # sync, but serialised with the async ones
            self.inside += 1
            self.overlaps += self.inside > 1
            self.inside -= 1

    async def main() -> AsyncCounter:
        s = AsyncCounter(name="async")
        async with sim_node(s) as node:
            deadline = time.monotonic() + 10
            while s.n < 20 and time.monotonic() < deadline:
                await node.run_for(0.02)
        return s

    s = asyncio.run(main())
    assert s.n >= 20 and s.overlaps == 0 and len(s.threads) == 1


def test_an_async_callback_that_raises_pauses_its_strategy() -> None:
    class Fails(te.Strategy):
        def on_start(self) -> None:
            self.subscribe_candles("BTCUSDT")
            self.seen = 0

        async def on_candle(self, candle: te.Candle) -> None:
            self.seen += 1
            raise ValueError("async bug")

    async def main() -> Fails:
        s = Fails(name="fails")
        async with sim_node(s) as node:
            for _ in range(200):
                if s.paused:
                    break
                await asyncio.sleep(0.02)
            assert s.paused and s.status.errors >= 1 and "async bug" in s.status.last_error
            assert node.summary().failed_strategies
        return s

    asyncio.run(main())


def test_timers_fire_on_timer_with_their_name() -> None:
    class Timed(te.Strategy):
        def on_start(self) -> None:
            self.fired: list[str] = []
            self.set_timer("fast", 0.05)
            self.set_timer("once", 0.1, once=True)

        def on_timer(self, name: str) -> None:
            self.fired.append(name)

    s = Timed(name="timed")
    with sim_node(s):
        assert eventually(lambda: s.fired.count("fast") >= 5 and "once" in s.fired)
        n = s.fired.count("fast")
        assert eventually(lambda: s.fired.count("fast") >= n + 3)
        assert s.fired.count("once") == 1
        assert s.cancel_timer("fast") and not s.cancel_timer("fast")
        with pytest.raises(ValueError, match="seconds > 0"):
            s.set_timer("bad", 0)


def test_orders_after_stop_and_bad_orders_are_refused_clearly() -> None:
    s = Counter("c")
    with sim_node(s, balances={"USDT": "100000"}):
        with pytest.raises(TypeError, match="exact"):
            s.buy("BTCUSDT", 0.001)
        h = s.buy("BTCUSDT", "0.0000001")  # below the step
        assert h.status == te.OrderStatus.REJECTED and "step" in h.reason.lower()
        with pytest.raises(te.ConfigError, match="NOSUCH: no venue lists it"):
            s.buy("NOSUCH", "1")
        h = s.sell("BTCUSDT", "50")  # more than the balance: the venue's reason
        assert eventually(lambda: h.status == te.OrderStatus.REJECTED)
        assert "insufficient balance" in h.reason.lower() and "-2010" in h.reason
    with pytest.raises(te.EngineNotRunningError, match="stopped"):
        s.buy("BTCUSDT", "0.01")


def test_one_strategys_burst_is_refused_by_its_budget_and_the_other_still_trades() -> None:
    class Burst(te.Strategy):
        order_rate = 0.001  # the burst allowance (20) is all it gets during the test

        def __init__(self, n: int, **kw: Any) -> None:
            super().__init__(**kw)
            self.n, self.handles = n, []

        def on_start(self) -> None:
            self.handles = [self.buy("BTCUSDT", "0.01", "1000") for _ in range(self.n)]

    flood, polite = Burst(10_000, name="flood"), Burst(1, name="polite")
    with sim_node(flood, polite):
        assert eventually(lambda: polite.handles[0].status == te.OrderStatus.ACCEPTED)
        statuses = [h.status for h in flood.handles]
        assert statuses.count(te.OrderStatus.REJECTED) == 10_000 - 20
        assert "order rate budget of strategy flood exceeded" in flood.handles[-1].reason
        assert flood.status.orders_refused_budget == 10_000 - 20
        assert eventually(lambda: all(h.status == te.OrderStatus.ACCEPTED for h in flood.handles[:20]))


def test_actions_from_another_thread_are_handed_off_safely() -> None:
    class Idle(te.Strategy):
        def on_start(self) -> None:
            self.subscribe_quotes("BTCUSDT")

        def on_fill(self, f: te.Fill) -> None:
            self.filled = True

    s = Idle(name="idle")
    with sim_node(s) as node:
        assert eventually(lambda: s.last_price("BTCUSDT") is not None)
        handles: list[te.OrderHandle] = []
        worker = threading.Thread(target=lambda: handles.append(s.buy("BTCUSDT", "0.001")))
        worker.start()
        worker.join()
        assert eventually(lambda: getattr(s, "filled", False))
        assert handles[0].status == te.OrderStatus.FILLED
        assert node.orders()[0].strategy == "idle"


def test_stop_from_a_callback_is_a_request_and_the_run_ends() -> None:
    class Quitter(te.Strategy):
        def on_start(self) -> None:
            self.subscribe_candles("BTCUSDT")

        def on_candle(self, candle: te.Candle) -> None:
            self.node.stop()  # on the dispatcher: a request, not a deadlock

    node = sim_node(Quitter(name="quitter"))
    t0 = time.monotonic()
    node.run(duration=30)
    assert time.monotonic() - t0 < 10
    assert node.state == te.ComponentState.STOPPED


def test_configuration_errors_list_every_problem() -> None:
    @dataclasses.dataclass
    class Cfg(te.StrategyConfig):
        fast: int = 5
        slow: int = 20
        size: te.Quantity = te.Quantity("1")
        level: int = dataclasses.field(default=0)

        def validate(self) -> list[str]:
            return [f"fast {self.fast} must be below slow {self.slow}"] if self.fast >= self.slow else []

    class S(te.Strategy):
        Config = Cfg

    with pytest.raises(te.ConfigError) as err:
        sim_node(S(name="s", fast=30, slwo=1, size=1.5, interval="7m", symbols=["btc usdt"]))
    text = str(err.value)
    for part in ("unknown parameter(s) slwo", "size 1.5", "fast 30 must be below slow 20", "interval '7m'",
                 "symbol 'btc usdt'"):  # fmt: skip
        assert part in text, (part, text)
    with pytest.raises(TypeError, match="expected a tradeengine.Strategy"):
        sim_node(object())  # type: ignore[arg-type]


def test_a_strategy_can_join_one_node_once() -> None:
    s = Counter("once")
    node = sim_node(s)
    with pytest.raises(te.ConfigError, match="already added"):
        node.add_strategy(s)
    with pytest.raises(te.ConfigError, match="already added"):
        sim_node(s)
    with pytest.raises(te.ConfigError, match="already added"):
        sim_node(Counter("twin"), Counter("twin"))


def test_a_strategy_instance_stays_under_one_megabyte() -> None:
    from tradeengine.strategies import MarketMaker, SmaCross

    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        strategies: list[te.Strategy] = []
        for i in range(10):
            strategies.append(SmaCross(name=f"sma{i}", symbols=("BTCUSDT", "ETHUSDT"), fast=50, slow=200))
            strategies.append(MarketMaker(name=f"mm{i}", symbols=("BTCUSDT",)))
        node = sim_node(*strategies)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    per_instance = sum(s.size_diff for s in after.compare_to(before, "filename")) / 20
    assert per_instance < 1_000_000, per_instance
    del node


def test_only_subscribed_events_cross_into_python() -> None:
    class Quiet(te.Strategy):
        def on_start(self) -> None:
            self.subscribe_candles("ETHUSDT")  # only ETHUSDT candles: the rest stays in C++
            self.candles = 0

        def on_candle(self, candle: te.Candle) -> None:
            self.candles += 1

    class Watcher(te.Strategy):  # keeps BTCUSDT trades and quotes flowing, in C++ only
        def on_start(self) -> None:
            self.subscribe_trades("BTCUSDT")
            self.subscribe_quotes("BTCUSDT")

        def on_trade(self, trade: te.Trade) -> None:
            pass

    quiet = Quiet(name="quiet")
    with sim_node(quiet) as node:
        assert eventually(lambda: quiet.candles >= 5)
        bus = node.engine.metrics()["bus"]
        assert bus["gil_acquisitions"] <= quiet.candles + 5, bus
    watcher = Watcher(name="watcher")
    with sim_node(quiet := Quiet(name="quiet2"), watcher) as node:
        assert eventually(lambda: node.engine.metrics()["trades_received"] >= 200)
        m = node.engine.metrics()
        # Every trade reached Python (watcher.on_trade), quotes did not (no on_quote): far fewer
        # GIL entries than events.
        assert m["bus"]["gil_acquisitions"] < m["events_published"], m["bus"]


def test_a_venue_reject_is_logged_as_a_warning(tmp_path: Any) -> None:
    log = tmp_path / "node.log"
    te.configure_logging(level="info", json=True, file=str(log))
    try:
        s = Counter("r")
        with sim_node(s):
            h = s.sell("BTCUSDT", "50")  # more than the account holds
            assert eventually(lambda: h.status == te.OrderStatus.REJECTED)
    finally:
        te.flush_logs()
        te.configure_logging(level="info")
    lines = [line for line in log.read_text().splitlines() if "order rejected by the venue" in line]
    assert len(lines) == 1 and '"strategy":"r"' in lines[0] and "-2010" in lines[0]
