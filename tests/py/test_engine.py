"""Engine from Python: seed 000 features 1, 2, 3 and 6 (one test per Gherkin scenario),
failure modes FM-1/2/3/5, bad input, asyncio, Jupyter and interpreter exit."""

from __future__ import annotations

import asyncio
import inspect
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import tradeengine as te


def eventually(pred: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.001)
    return pred()


async def aeventually(pred: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        await asyncio.sleep(0.001)
    return pred()


def candle(i: int = 0, closed: bool = True) -> te.Candle:
    return te.Candle(
        "BTCUSDT.BINANCE",
        "1m",
        i * 60_000,
        i * 60_000 + 59_999,
        te.Price("100"),
        te.Price("101"),
        te.Price("99"),
        te.Price("100.5"),
        te.Quantity("1.5"),
        closed=closed,
        ts_event=i,
    )


class Recorder:
    def __init__(self, name: str, journal: list[str]) -> None:
        self.name = name
        self.journal = journal

    def on_start(self) -> None:
        self.journal.append(f"{self.name}.start")

    def on_stop(self) -> None:
        self.journal.append(f"{self.name}.stop")


@pytest.fixture
def engine():
    e = te.Engine(clock=te.TestClock(1_700_000_000 * 10**9))
    yield e
    if e.state == te.EngineState.RUNNING:
        e.stop(1.0)


# ---- Feature 1: event loop management ------------------------------------------------------


async def test_run_from_asyncio_loop_captures_loop_and_signals_ready(engine: te.Engine) -> None:
    assert engine.state == te.EngineState.CREATED
    await engine.start()
    assert engine.loop is asyncio.get_running_loop()
    assert engine.state == te.EngineState.RUNNING
    assert engine.metrics()["state_transitions"]["INITIALIZED->RUNNING"] == 1
    await engine.stop_async()


async def test_wait_until_ready_blocks_until_ready(engine: te.Engine) -> None:
    engine.set_components([])
    waiter = asyncio.create_task(engine.wait_until_ready(5.0))
    await asyncio.sleep(0.05)
    assert not waiter.done()
    engine.run()
    await asyncio.wait_for(waiter, 5)
    assert engine.state == te.EngineState.RUNNING


async def test_wait_until_ready_times_out_with_engine_not_running_error(engine: te.Engine) -> None:
    engine.set_components([])
    with pytest.raises(te.EngineNotRunningError, match="not ready"):
        await engine.wait_until_ready(0.05)
    assert engine.state == te.EngineState.INITIALIZED


def test_candle_in_created_state_rejected_without_exception(engine: te.Engine) -> None:
    engine.on_candle_received(candle())
    m = engine.metrics()
    assert m["events_dropped"] == 1
    assert m["candles_dropped_not_running"] == 1


def test_invalid_transition_created_to_running_raises_state_unchanged() -> None:
    e = te.TradingEngine()
    with pytest.raises(te.StateTransitionError, match="CREATED -> RUNNING"):
        e.run()
    assert e.state == te.EngineState.CREATED


# ---- Feature 2: candle callback ---------------------------------------------------------------


def test_candle_when_running_is_published_and_counted(engine: te.Engine) -> None:
    got: list[te.Event] = []
    engine.subscribe("CANDLE_CLOSED", got.append)
    engine.run()
    engine.on_candle_received(candle(1))
    assert eventually(lambda: len(got) == 1)
    assert got[0].payload.close == te.Price("100.5")
    m = engine.metrics()
    assert m["candles_received"] == 1
    assert m["events_published"] == 1
    assert m["publish_latency_p99"] > 0


def test_candle_when_not_running_is_dropped_in_every_state(engine: te.Engine) -> None:
    engine.on_candle_received(candle())  # CREATED

    class LateCollector:
        def on_stop(self) -> None:  # components stop in STOPPING, after the drain
            assert engine.state == te.EngineState.STOPPING
            engine.on_candle_received(candle())

    engine.set_components([LateCollector()])
    engine.on_candle_received(candle())  # INITIALIZED
    engine.run()
    engine.stop()
    engine.on_candle_received(candle())  # STOPPED
    m = engine.metrics()
    assert m["candles_received"] == 4
    assert m["events_dropped"] == 4


def test_fm1_event_loop_closed_does_not_raise() -> None:
    # The captured loop goes away while the engine runs (seed 000's "event loop is None").
    errors: list[Any] = []
    engine = te.Engine()

    async def handler(e: te.Event) -> None:
        pass

    async def setup() -> None:
        await engine.start()
        engine.subscribe("CANDLE_CLOSED", handler)
        engine.subscribe("ERROR", errors.append)

    asyncio.run(setup())  # returns with the loop closed, the engine still running
    engine.on_candle_received(candle())  # never raises
    assert eventually(lambda: len(errors) == 1)
    assert errors[0].payload.error_type == "EngineNotRunningError"
    health = engine.health_check()
    assert health["status"] == "unhealthy"
    assert health["event_loop_running"] is False
    assert engine.metrics()["callback_errors"] == 1
    engine.stop(1.0)


def test_ten_threads_times_hundred_calls(engine: te.Engine) -> None:
    count = 0

    def handler(e: te.Event) -> None:
        nonlocal count
        count += 1

    engine.subscribe("CANDLE_CLOSED", handler)
    engine.run()
    c = candle()

    def worker() -> None:
        for _ in range(100):
            engine.on_candle_received(c)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert eventually(lambda: count == 1000)
    m = engine.metrics()
    assert m["candles_received"] == 1000
    assert m["events_published"] == 1000
    assert m["events_dropped"] == 0


def test_fm3_queue_full_candle_is_dropped_and_counted() -> None:
    engine = te.Engine(data_capacity=2, data_timeout=0.005)
    release = threading.Event()
    entered = threading.Event()

    def slow(e: te.Event) -> None:
        entered.set()
        release.wait(5)

    engine.subscribe("CANDLE_UPDATE", slow)
    engine.run()
    engine.on_candle_received(candle(0, closed=False))
    assert entered.wait(5)
    for i in range(1, 6):
        engine.on_candle_received(candle(i, closed=False))  # never raises
    m = engine.metrics()
    assert m["candles_dropped_lane_full"] == 3
    assert m["events_dropped"] == 3
    release.set()
    engine.stop(1.0)


# ---- Feature 3: initialisation order -------------------------------------------------------------


async def test_initialization_sequence_in_dependency_order() -> None:
    journal: list[str] = []
    started = time.monotonic()
    engine = te.Engine(
        strategies=[Recorder("strategy", journal)], risk_manager=Recorder("risk", journal)
    )
    assert engine.bus.stats()["running"] is False  # 1. engine, bus inside
    engine.set_components([Recorder("strategy", journal)], Recorder("risk", journal))  # 2.
    await engine.start()  # 3. run + 4. wait_until_ready
    got: list[te.Event] = []

    async def on_candle(e: te.Event) -> None:
        got.append(e)

    engine.subscribe("CANDLE_CLOSED", on_candle)
    collector_callback = engine.on_candle_received  # 5. the collector's callback
    threading.Thread(target=collector_callback, args=(candle(),)).start()  # 6. data from its thread
    assert await aeventually(lambda: len(got) == 1)
    assert time.monotonic() - started < 5
    await engine.stop_async()
    assert journal == ["risk.start", "strategy.start", "strategy.stop", "risk.stop"]


async def test_run_fails_to_start_wait_times_out_and_cleans_up() -> None:
    class Broken:
        def on_start(self) -> None:
            raise OSError("no connection")

    engine = te.Engine(strategies=[Broken()])
    with pytest.raises(RuntimeError, match="no connection"):
        await engine.start()
    assert engine.state == te.EngineState.INITIALIZED
    assert engine.bus.running is False
    with pytest.raises(te.EngineNotRunningError):
        await engine.wait_until_ready(0.05)


def test_set_components_with_trading_bot_argument_raises_type_error(engine: te.Engine) -> None:
    with pytest.raises(TypeError):
        engine.set_components([], None, trading_bot=object())  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        engine.native.set_components([], None, trading_bot=object())
    assert "trading_bot" not in inspect.signature(te.Engine.set_components).parameters
    assert not hasattr(engine, "trading_bot")
    assert engine.state == te.EngineState.CREATED


# ---- Feature 6: monitoring --------------------------------------------------------------------


def test_drops_counted_accurately_across_threads(engine: te.Engine) -> None:
    threads = [
        threading.Thread(target=lambda: [engine.on_candle_received(candle()) for _ in range(100)])
        for _ in range(5)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert engine.metrics()["events_dropped"] == 500


def test_health_check_healthy_when_running(engine: te.Engine) -> None:
    engine.run()
    h = engine.health_check()
    assert h["status"] == "healthy"
    assert h["event_loop_running"] is True
    assert h["eventbus_depth"] == 0
    assert h["drop_rate"] == 0.0
    assert h["uptime"] >= 0


def test_health_check_unhealthy_when_not_running(engine: te.Engine) -> None:
    engine.on_candle_received(candle())
    h = engine.health_check()
    assert h["status"] == "unhealthy"
    assert h["event_loop_running"] is False
    assert h["drop_rate"] == 1.0
    assert set(h) >= {"status", "event_loop_running", "eventbus_depth", "drop_rate", "uptime"}


def test_state_transitions_are_counted(engine: te.Engine) -> None:
    engine.run()
    engine.stop()
    t = engine.metrics()["state_transitions"]
    assert t == {
        "CREATED->INITIALIZED": 1,
        "INITIALIZED->RUNNING": 1,
        "RUNNING->STOPPING": 1,
        "STOPPING->STOPPED": 1,
    }


def test_metrics_snapshot_has_every_field_over_1000_candles(engine: te.Engine) -> None:
    count = 0

    def handler(e: te.Event) -> None:
        nonlocal count
        count += 1

    engine.subscribe("CANDLE_CLOSED", handler)
    engine.run()
    for i in range(1000):
        engine.on_candle_received(candle(i))
    assert eventually(lambda: count == 1000)
    m = engine.metrics()
    for key in (
        "candles_received",
        "events_published",
        "events_dropped",
        "callback_errors",
        "publish_latency_p50",
        "publish_latency_p99",
        "state",
        "uptime_seconds",
        "state_transitions",
        "lane_depth",
    ):
        assert key in m, key
    assert m["candles_received"] == m["events_published"] == 1000
    assert m["state"] == te.EngineState.RUNNING
    assert set(m["lane_depth"]) == {"order", "signal", "data"}


# ---- FM-5 and bad input ----------------------------------------------------------------------------


def test_fm5_strategy_exception_is_isolated(engine: te.Engine) -> None:
    good: list[te.Event] = []

    def buggy(e: te.Event) -> None:
        raise ZeroDivisionError("bug")

    engine.subscribe("CANDLE_CLOSED", buggy)
    engine.subscribe("CANDLE_CLOSED", good.append)
    engine.run()
    for i in range(3):
        engine.on_candle_received(candle(i))
    assert eventually(lambda: len(good) == 3 and engine.metrics()["callback_errors"] == 3)
    assert engine.health_check()["healthy"]


def test_bad_input_raises_and_keeps_state(engine: te.Engine) -> None:
    with pytest.raises(te.StateTransitionError):
        engine.stop()  # stop() before run()
    engine.run()
    with pytest.raises(te.StateTransitionError, match="already RUNNING"):
        engine.run()  # run() twice
    with pytest.raises(ValueError, match="timeout"):
        engine.wait_until_ready_blocking(-1.0)
    with pytest.raises(ValueError, match="timeout"):
        engine.stop(float("nan"))
    with pytest.raises(TypeError, match="callable"):
        engine.subscribe("CUSTOM", "not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="EventType"):
        engine.subscribe("NOPE", lambda e: None)
    with pytest.raises(ValueError, match="Lane"):
        engine.publish("CUSTOM", 1, "urgent")
    with pytest.raises(ValueError, match="trigger_type"):
        engine.schedule_once("", 0)
    assert engine.state == te.EngineState.RUNNING
    engine.stop()
    assert engine.state == te.EngineState.STOPPED


def test_coroutine_handler_without_loop_raises(engine: te.Engine) -> None:
    async def handler(e: te.Event) -> None:
        pass

    engine.run()  # blocking API: no loop captured
    with pytest.raises(te.ConfigError, match="asyncio loop"):
        engine.subscribe("CUSTOM", handler)


async def test_a_coroutine_handler_that_raises_on_an_engine_is_logged_counted_and_published() -> None:
    """Its error reaches the bus even though Engine.bus hands out a new wrapper each time."""
    errors: list[Any] = []

    async def bad(e: te.Event) -> None:
        raise ValueError("async handler bug")

    async with te.Engine() as engine:
        engine.subscribe("ERROR", lambda e: errors.append(e.payload))
        engine.subscribe("CUSTOM", bad, "bad_async")
        engine.publish("CUSTOM", {"x": 1})
        assert await aeventually(lambda: engine.metrics()["callback_errors"] == 1)
        assert await aeventually(lambda: len(errors) == 1)
        assert errors[0].error_type == "ValueError" and "async handler bug" in errors[0].message
        assert "bad_async" in errors[0].handler


# ---- lifecycle styles ------------------------------------------------------------------------------


async def test_async_with_starts_and_stops() -> None:
    got: list[Any] = []

    async def on_custom(e: te.Event) -> None:
        got.append(e.payload)

    async with te.Engine() as engine:
        assert engine.state == te.EngineState.RUNNING
        engine.subscribe("CUSTOM", on_custom)
        engine.publish("CUSTOM", {"x": 1})
        assert await aeventually(lambda: got == [{"x": 1}])
    assert engine.state == te.EngineState.STOPPED


def test_blocking_with_for_scripts() -> None:
    got: list[Any] = []
    with te.Engine() as engine:
        engine.subscribe("CUSTOM", lambda e: got.append(e.payload))
        engine.publish("CUSTOM", 7)
        assert eventually(lambda: got == [7])
    assert engine.state == te.EngineState.STOPPED


def test_shutdown_during_active_flow_loses_no_orders() -> None:
    engine = te.Engine()
    orders: list[int] = []
    engine.subscribe("ORDER_CREATED", lambda e: orders.append(e.payload))
    engine.subscribe("CANDLE_CLOSED", lambda e: None)
    engine.run()
    accepted: list[int] = []
    stop = threading.Event()

    def producer() -> None:
        i = 0
        while not stop.is_set():
            try:
                engine.publish("ORDER_CREATED", i)
            except te.EngineNotRunningError:
                return
            accepted.append(i)
            engine.on_candle_received(candle(i))
            i += 1

    t = threading.Thread(target=producer)
    t.start()
    assert eventually(lambda: len(orders) > 200)
    report = engine.stop(0.0)
    stop.set()
    t.join()
    assert orders == accepted
    assert report["left"]["order"] == 0
    bus = engine.metrics()["bus"]
    for lane in ("order", "signal", "data"):
        s = bus[lane]
        assert s["published"] == s["delivered"] + s["dropped"] + s["left_at_shutdown"]


def test_scheduler_with_test_clock_is_deterministic() -> None:
    clock = te.TestClock(1_000 * 10**9)
    engine = te.Engine(clock=clock)
    fired: list[te.ScheduledTrigger] = []
    engine.subscribe("SCHEDULED_TRIGGER", lambda e: fired.append(e.payload))
    engine.run()
    engine.schedule_periodic("heartbeat", 10**9)
    engine.schedule_once("rebalance", 1_000 * 10**9 + 1_500_000_000)
    clock.advance(10**9)
    assert engine.poll_timers() == 1
    clock.advance(10**9)
    assert engine.poll_timers() == 2
    engine.stop()
    assert [(t.trigger_type, t.scheduled_time - 1_000 * 10**9) for t in fired] == [
        ("heartbeat", 10**9),
        ("rebalance", 1_500_000_000),
        ("heartbeat", 2 * 10**9),
    ]
    assert fired[1].actual_time == 1_002 * 10**9


# ---- Jupyter and interpreter exit ---------------------------------------------------------------------


def test_works_inside_jupyter_with_a_running_loop() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "import asyncio, tradeengine as te\n"
        "got = []\n"
        "async def on_custom(e):\n"
        "    got.append(e.payload)\n",
        "engine = te.Engine()\n"
        "await engine.start()\n"  # top-level await on the kernel's running loop
        "engine.subscribe('CUSTOM', on_custom)\n"
        "engine.publish('CUSTOM', 41)\n"
        "for _ in range(1000):\n"
        "    if got: break\n"
        "    await asyncio.sleep(0.005)\n"
        "assert got == [41], got\n",
        "report = await engine.stop_async()\n"
        "assert engine.state == te.EngineState.STOPPED\n"
        "print('ok', report['total_left'])\n",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3")
    client.execute()
    out = nb.cells[2].outputs
    assert any("ok 0" in o.get("text", "") for o in out), out


EXIT_SCRIPT = """
import sys, threading, time
import tradeengine as te
te.set_log_level("error")
engine = te.Engine()
count = 0
def handler(e):
    global count
    count += 1
engine.subscribe("CANDLE_CLOSED", handler)
engine.subscribe("ORDER_CREATED", handler)
engine.run()
c = te.Candle("BTCUSDT.BINANCE", "1m", 0, 59999, te.Price("1"), te.Price("1"), te.Price("1"),
              te.Price("1"), te.Quantity("1"))
def flood():
    while True:
        engine.on_candle_received(c)
threading.Thread(target=flood, daemon=True).start()
while count < 1000:
    time.sleep(0.001)
{stop}
print("exiting", flush=True)
"""


@pytest.mark.parametrize("stop", ["", "engine.stop(1.0)"], ids=["without_stop", "with_stop"])
def test_interpreter_exit_with_running_engine_neither_hangs_nor_crashes(stop: str) -> None:
    script = textwrap.dedent(EXIT_SCRIPT).replace("{stop}", stop)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "exiting" in proc.stdout


def test_interpreter_exit_after_asyncio_run_without_stop() -> None:
    script = textwrap.dedent(
        """
        import asyncio, tradeengine as te
        te.set_log_level("error")
        async def on(e):
            pass
        async def main():
            engine = te.Engine()
            await engine.start()
            engine.subscribe("CUSTOM", on)
            for i in range(100):
                engine.publish("CUSTOM", i)
            return engine
        engine = asyncio.run(main())   # the loop is closed, the engine still runs
        engine.publish("CUSTOM", "late")
        print("exiting", flush=True)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "exiting" in proc.stdout
