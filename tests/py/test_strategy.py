"""The Strategy API end to end against the simulated exchange: callbacks, isolation of a
strategy that raises or blocks, async callbacks one at a time, timers, orders after stop,
configuration errors, and the memory of a strategy instance."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from polling import eventually

import tradeengine as te
from tradeengine.sim import SimExchange
from tradeengine.venues import BinanceConfig, BinanceExecution, BinanceMarketData




class Live:
    """A simulated exchange, an engine, its order manager and a strategy host."""

    def __init__(self, sim: SimExchange, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.engine = te.Engine(name="strategy-test")
        self.engine.run()
        cfg = BinanceConfig.simulated(sim, symbols=["BTCUSDT"], quotes=True)
        self.ex = BinanceExecution(cfg)
        self.ex.connect(self.engine)
        self.oms = te.OrderManager(self.engine, self.ex)
        self.oms.seed_balances(self.ex.account())
        self.host = te.StrategyHost(self.engine, self.oms, loop=loop)
        self.cfg = cfg

    def go(self, *strategies: te.Strategy) -> None:
        for s in strategies:
            self.host.add(s)
        self.host.start()
        BinanceMarketData(self.cfg).connect(self.engine)

    def close(self) -> None:
        self.host.stop()
        if self.engine.state == te.EngineState.RUNNING:
            self.engine.stop()


@pytest.fixture
def sim() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], speed=3000, tick_ms=20, history_minutes=10,
                     balances={"USDT": "100000", "BTC": "1"}) as s:  # fmt: skip
        yield s


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
                bid = candle.close
                self.buy("BTCUSDT", "0.01", te.Price(str(int(bid.as_decimal()) - 1000)))  # rests
                raise RuntimeError("strategy bug")
            if n == self.block_on:
                time.sleep(1.0)
        finally:
            self.inside -= 1

    def on_error(self, error: BaseException) -> None:
        self.errors.append(error)


def test_a_strategy_that_raises_is_paused_and_the_others_go_on(sim: SimExchange) -> None:
    live = Live(sim)
    try:
        bad, good = Counter("bad", raise_on=3), Counter("good")
        live.go(bad, good)
        assert eventually(lambda: bad.paused)
        assert isinstance(bad.errors[0], RuntimeError) and bad.error_count == 1
        assert eventually(lambda: not live.oms.orders("bad", open_only=True)), "its open orders are canceled"
        n_bad, n_good = len(bad.candles), len(good.candles)
        assert eventually(lambda: len(good.candles) >= n_good + 10)
        assert len(bad.candles) == n_bad, "a paused strategy gets no more market data"
        assert live.engine.state == te.EngineState.RUNNING
    finally:
        live.close()


def test_a_strategy_that_blocks_for_a_second_delays_but_does_not_stop_the_others(sim: SimExchange) -> None:
    live = Live(sim)
    try:
        slow, other = Counter("slow", block_on=2), Counter("other")
        live.go(slow, other)
        assert eventually(lambda: len(slow.candles) >= 2)
        t0 = time.monotonic()
        n = len(other.candles)
        assert eventually(lambda: len(other.candles) >= n + 10, 10)
        assert time.monotonic() - t0 < 5
        opens = [c.open_time for c in other.candles]
        assert opens == sorted(set(opens)), "nothing lost or reordered for the other strategy"
        assert slow.overlaps == 0 and other.overlaps == 0
    finally:
        live.close()


def test_fills_and_order_updates_reach_the_owner_only(sim: SimExchange) -> None:
    class Buyer(te.Strategy):
        def on_start(self) -> None:
            self.updates: list[te.OrderStatus] = []
            self.fills: list[te.Fill] = []
            self.handle = self.buy("BTCUSDT", "0.01")

        def on_order_update(self, u: te.OrderUpdate) -> None:
            self.updates.append(u.status)

        def on_fill(self, f: te.Fill) -> None:
            self.fills.append(f)

    live = Live(sim)
    try:
        a, b = Buyer(name="a"), Counter("b")
        live.go(a, b)
        assert eventually(lambda: a.handle.status == te.OrderStatus.FILLED)
        assert eventually(lambda: a.fills and a.updates and a.updates[-1] == te.OrderStatus.FILLED)
        assert a.position("BTCUSDT").quantity == te.Quantity("0.01")
        assert eventually(lambda: a.last_price("BTCUSDT") is not None)
        assert "USDT" in a.portfolio["balances"]
    finally:
        live.close()


def test_async_callbacks_run_one_at_a_time_on_the_loop(sim: SimExchange) -> None:
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
        live = Live(sim, loop=asyncio.get_running_loop())
        s = AsyncCounter(name="async")
        try:
            live.go(s)
            deadline = time.monotonic() + 10
            while s.n < 20 and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        finally:
            await asyncio.to_thread(live.close)
        return s

    s = asyncio.run(main())
    assert s.n >= 20 and s.overlaps == 0 and len(s.threads) == 1


def test_timers_fire_on_timer_with_their_name(sim: SimExchange) -> None:
    class Timed(te.Strategy):
        def on_start(self) -> None:
            self.fired: list[str] = []
            self.set_timer("fast", 0.05)
            self.set_timer("once", 0.1, once=True)

        def on_timer(self, name: str) -> None:
            self.fired.append(name)

    live = Live(sim)
    try:
        s = Timed(name="timed")
        live.go(s)
        assert eventually(lambda: s.fired.count("fast") >= 5 and "once" in s.fired)
        time.sleep(0.3)
        assert s.fired.count("once") == 1
        assert s.cancel_timer("fast") and not s.cancel_timer("fast")
    finally:
        live.close()


def test_orders_after_stop_and_bad_orders_are_refused_clearly(sim: SimExchange) -> None:
    live = Live(sim)
    s = Counter("c")
    try:
        live.go(s)
        with pytest.raises(TypeError, match="exact"):
            s.buy("BTCUSDT", 0.001)
        h = s.buy("BTCUSDT", "0.0000001")  # below the step
        assert h.status == te.OrderStatus.REJECTED and "step" in h.reason.lower()
        h = s.buy("NOSUCH", "1")
        assert h.status == te.OrderStatus.REJECTED and "unknown instrument" in h.reason
        h = s.sell("BTCUSDT", "50")  # more than the balance: the venue's reason
        assert eventually(lambda: h.status == te.OrderStatus.REJECTED)
        assert "insufficient balance" in h.reason.lower()
    finally:
        live.close()
    with pytest.raises(te.EngineNotRunningError, match="stopped"):
        s.buy("BTCUSDT", "0.01")


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

    engine = te.Engine(name="cfg")
    host = te.StrategyHost(engine, oms=None)
    with pytest.raises(te.ConfigError) as err:
        host.add(S(name="s", fast=30, slwo=1, size=1.5, interval="7m", symbols=["btc usdt"]))
    text = str(err.value)
    for part in ("unknown parameter(s) slwo", "size 1.5", "fast 30 must be below slow 20", "interval '7m'",
                 "symbol 'btc usdt'"):  # fmt: skip
        assert part in text, (part, text)
    with pytest.raises(TypeError, match="expected a tradeengine.Strategy"):
        host.add(object())  # type: ignore[arg-type]


def test_a_strategy_instance_stays_under_one_megabyte() -> None:
    from tradeengine.strategies import MarketMaker, SmaCross

    engine = te.Engine(name="mem")
    host = te.StrategyHost(engine, oms=None)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for i in range(10):
            host.add(SmaCross(name=f"sma{i}", symbols=("BTCUSDT", "ETHUSDT"), fast=50, slow=200))
            host.add(MarketMaker(name=f"mm{i}", symbols=("BTCUSDT",)))
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    per_instance = sum(s.size_diff for s in after.compare_to(before, "filename")) / 20
    assert per_instance < 1_000_000, per_instance
