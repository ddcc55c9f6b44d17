"""EventBus from Python: seed 002 §7 (unit, integration, stress) plus lanes, errors, GIL."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time
from collections.abc import Callable

import pytest
import tradeengine as te
from tradeengine import _core


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


def invariant_holds(stats: dict) -> bool:
    return all(
        stats[lane]["published"]
        == stats[lane]["delivered"]
        + stats[lane]["dropped"]
        + stats[lane]["left_at_shutdown"]
        + stats[lane]["depth"]
        for lane in ("order", "signal", "data")
    )


@pytest.fixture
def bus():
    b = te.EventBus()
    yield b
    if not b.is_shut_down:
        b.shutdown(1.0)


# ---- unit: subscriptions (Subtask 4.1) ---------------------------------------------------


def test_subscribe_adds_handler(bus: te.EventBus) -> None:
    def handler(e: te.Event) -> None:
        pass

    bus.subscribe(te.EventType.CANDLE_CLOSED, handler)
    assert bus.handler_count(te.EventType.CANDLE_CLOSED) == 1
    assert bus.handlers()[0]["name"].endswith("handler")


def test_multiple_handlers_same_event(bus: te.EventBus) -> None:
    bus.subscribe(te.EventType.CANDLE_CLOSED, lambda e: None)
    bus.subscribe(te.EventType.CANDLE_CLOSED, lambda e: None)
    assert bus.handler_count(te.EventType.CANDLE_CLOSED) == 2


def test_handlers_called_in_subscription_order(bus: te.EventBus) -> None:
    calls: list[int] = []
    for i in range(5):
        bus.subscribe("CUSTOM", lambda e, i=i: calls.append(i))
    bus.start()
    bus.publish("CUSTOM", "x")
    bus.shutdown(1.0)
    assert calls == [0, 1, 2, 3, 4]


def test_unsubscribe(bus: te.EventBus) -> None:
    calls: list[str] = []
    sid = bus.subscribe("CUSTOM", lambda e: calls.append("a"))
    bus.subscribe("CUSTOM", lambda e: calls.append("b"))
    assert bus.unsubscribe(sid) is True
    assert bus.unsubscribe(sid) is False
    bus.start()
    bus.publish("CUSTOM")
    bus.shutdown(1.0)
    assert calls == ["b"]


def test_subscribe_during_dispatch_takes_effect_from_next_event(bus: te.EventBus) -> None:
    seen: list[int] = []

    def first(e: te.Event) -> None:
        if e.payload == 1:
            bus.subscribe("CUSTOM", lambda ev: seen.append(ev.payload))

    bus.subscribe("CUSTOM", first)
    bus.start()
    bus.publish("CUSTOM", 1)
    bus.publish("CUSTOM", 2)
    bus.shutdown(1.0)
    assert seen == [2]


# ---- bad input -------------------------------------------------------------------------------


def test_unknown_event_type_raises(bus: te.EventBus) -> None:
    with pytest.raises(ValueError, match="EventType"):
        bus.subscribe("NOT_A_TYPE", lambda e: None)
    with pytest.raises(ValueError, match="EventType"):
        bus.publish("NOT_A_TYPE")
    with pytest.raises(TypeError):
        bus.subscribe(3.5, lambda e: None)


def test_unknown_lane_raises(bus: te.EventBus) -> None:
    with pytest.raises(ValueError, match="Lane"):
        bus.publish("CUSTOM", None, "fast")
    assert bus.stats()["signal"]["published"] == 0


def test_non_callable_handler_raises(bus: te.EventBus) -> None:
    with pytest.raises(TypeError, match="callable"):
        bus.subscribe("CUSTOM", 42)  # type: ignore[arg-type]
    assert bus.handler_count("CUSTOM") == 0


def test_coroutine_handler_without_running_loop_raises(bus: te.EventBus) -> None:
    async def handler(e: te.Event) -> None:
        pass

    with pytest.raises(te.ConfigError, match="asyncio loop"):
        bus.subscribe("CUSTOM", handler)
    assert bus.handler_count("CUSTOM") == 0


def test_raw_core_bus_rejects_coroutine_handler() -> None:
    async def handler(e: te.Event) -> None:
        pass

    raw = _core.EventBus()
    with pytest.raises(TypeError, match="coroutine"):
        raw.subscribe("CUSTOM", handler)


def test_negative_or_nan_timeout_raises(bus: te.EventBus) -> None:
    with pytest.raises(ValueError, match="timeout"):
        bus.shutdown(-1.0)
    with pytest.raises(ValueError, match="timeout"):
        bus.shutdown(float("nan"))
    assert not bus.is_shut_down
    with pytest.raises(ValueError, match="data_timeout"):
        te.EventBus(data_timeout=-1)
    with pytest.raises(ValueError, match="capacity"):
        te.EventBus(order_capacity=0)


def test_start_twice_raises(bus: te.EventBus) -> None:
    bus.start()
    with pytest.raises(te.StateTransitionError, match="already running"):
        bus.start()


# ---- lanes (Subtask 4.2) ---------------------------------------------------------------------


def test_data_queue_drops_on_overflow() -> None:
    bus = te.EventBus(data_capacity=10, data_timeout=0.01)
    results = [bus.publish("CANDLE_CLOSED", i) for i in range(11)]
    assert results == [True] * 10 + [False]
    stats = bus.stats()["data"]
    assert stats["depth"] <= 10
    assert stats["dropped"] == 1
    assert stats["blocked_seconds"] > 0
    bus.shutdown(0.0)


def test_order_queue_blocks_on_overflow() -> None:
    bus = te.EventBus(order_capacity=5)
    for i in range(5):
        bus.publish("ORDER_CREATED", i)
    done = threading.Event()

    def publisher() -> None:
        bus.publish("ORDER_CREATED", 5)  # blocks: the order lane never drops
        done.set()

    t = threading.Thread(target=publisher)
    t.start()
    assert not done.wait(0.1)  # still blocked (the GIL is released while waiting)
    got: list[int] = []
    bus.subscribe("ORDER_CREATED", lambda e: got.append(e.payload))
    bus.start()
    t.join(5)
    assert done.is_set()
    bus.shutdown(1.0)
    assert got == [0, 1, 2, 3, 4, 5]
    assert bus.stats()["order"]["dropped"] == 0


def test_signal_queue_raises_queue_full_error() -> None:
    bus = te.EventBus(signal_capacity=3, signal_timeout=0.01)
    for i in range(3):
        bus.publish("SIGNAL", i)
    with pytest.raises(te.QueueFullError, match="signal lane"):
        bus.publish("SIGNAL", 3)
    assert bus.stats()["signal"]["dropped"] == 1
    bus.shutdown(0.0)


def test_priority_order_signal_data(bus: te.EventBus) -> None:
    seen: list[str] = []
    for t in ("CANDLE_CLOSED", "SIGNAL", "ORDER_CREATED"):
        bus.subscribe(t, lambda e: seen.append(e.lane.name))
    for t in ("CANDLE_CLOSED", "SIGNAL", "ORDER_CREATED"):
        for _ in range(2):
            bus.publish(t)
    bus.start()
    bus.shutdown(1.0)
    assert seen == ["ORDER", "ORDER", "SIGNAL", "SIGNAL", "DATA", "DATA"]


def test_reentrant_order_publish_never_blocks() -> None:
    bus = te.EventBus(order_capacity=2)
    orders: list[int] = []

    def strategy(e: te.Event) -> None:
        for i in range(10):
            bus.publish("ORDER_CREATED", i)

    bus.subscribe("CANDLE_CLOSED", strategy)
    bus.subscribe("ORDER_CREATED", lambda e: orders.append(e.payload))
    bus.start()
    bus.publish("CANDLE_CLOSED")
    bus.shutdown(5.0)
    assert orders == list(range(10))
    assert bus.stats()["order"]["overflowed"] == 8


# ---- errors (Subtask 4.3) ---------------------------------------------------------------------


def test_handler_exception_doesnt_crash_processor(bus: te.EventBus) -> None:
    called = threading.Event()
    errors: list[te.ErrorInfo] = []

    def failing_handler(event: te.Event) -> None:
        raise ValueError("Test error")

    def working_handler(event: te.Event) -> None:
        called.set()

    bus.subscribe(te.EventType.CANDLE_CLOSED, failing_handler)
    bus.subscribe(te.EventType.CANDLE_CLOSED, working_handler)
    bus.subscribe(te.EventType.ERROR, lambda e: errors.append(e.payload))
    bus.start()
    bus.publish(te.Event(te.EventType.CANDLE_CLOSED, "data"))
    assert called.wait(5)
    bus.shutdown(1.0)
    assert len(errors) == 1
    assert errors[0].handler.endswith("failing_handler")
    assert errors[0].error_type == "ValueError"
    assert errors[0].message == "Test error"
    assert errors[0].event_type == te.EventType.CANDLE_CLOSED
    info = {h["name"].rsplit(".", 1)[-1]: h for h in bus.handlers()}
    assert info["failing_handler"]["errors"] == 1
    assert bus.stats()["data"]["handler_errors"] == 1


async def test_coroutine_handler_runs_on_loop_and_errors_are_isolated() -> None:
    bus = te.EventBus()
    loop = asyncio.get_running_loop()
    ran_on: list[asyncio.AbstractEventLoop] = []
    errors: list[te.ErrorInfo] = []

    async def good(e: te.Event) -> None:
        await asyncio.sleep(0)
        ran_on.append(asyncio.get_running_loop())

    async def bad(e: te.Event) -> None:
        raise KeyError("missing")

    bus.subscribe("CUSTOM", good)
    bus.subscribe("CUSTOM", bad)
    bus.subscribe("ERROR", lambda e: errors.append(e.payload))
    bus.start()
    for _ in range(3):
        bus.publish("CUSTOM")
    assert await aeventually(lambda: len(ran_on) == 3 and len(errors) == 3)
    assert all(r is loop for r in ran_on)
    assert errors[0].error_type == "KeyError"
    assert [h["errors"] for h in bus.handlers() if h["name"].endswith("bad")] == [3]
    await loop.run_in_executor(None, bus.shutdown, 1.0)


# ---- Python payloads and the GIL -----------------------------------------------------------------


def test_python_payload_references_are_released(bus: te.EventBus) -> None:
    payload = object()
    before = sys.getrefcount(payload)
    got = threading.Event()
    bus.subscribe("CUSTOM", lambda e: got.set() if e.payload is payload else None)
    bus.start()
    for _ in range(100):
        bus.publish("CUSTOM", payload)
    bus.shutdown(1.0)
    assert got.is_set()
    gc.collect()
    assert sys.getrefcount(payload) == before


def test_left_events_release_payloads_and_are_returned() -> None:
    bus = te.EventBus(data_capacity=10)
    payload = object()
    before = sys.getrefcount(payload)
    for _ in range(5):
        bus.publish("CANDLE_UPDATE", payload)
    bus.subscribe("CANDLE_UPDATE", lambda e: time.sleep(0.05))
    report = bus.shutdown(0.0)
    assert report["left"]["order"] == 0
    assert report["total_left"] == len(report["left_events"])
    assert report["total_left"] + bus.stats()["data"]["delivered"] == 5
    del report
    gc.collect()
    assert sys.getrefcount(payload) == before


def test_native_payloads_travel_as_values(bus: te.EventBus) -> None:
    candle = te.Candle(
        "BTCUSDT.BINANCE",
        "1m",
        0,
        59_999,
        te.Price("1"),
        te.Price("2"),
        te.Price("1"),
        te.Price("2"),
        te.Quantity("3"),
        ts_event=5,
    )
    got: list[te.Event] = []
    bus.subscribe("CANDLE_CLOSED", got.append)
    bus.start()
    bus.publish("CANDLE_CLOSED", candle)
    bus.shutdown(1.0)
    assert isinstance(got[0].payload, te.Candle)
    assert got[0].payload.close == te.Price("2")
    assert got[0].ts_event == 5
    assert got[0].lane == te.Lane.DATA
    assert abs(got[0].ts_publish - time.monotonic_ns()) < 5 * 10**9  # monotonic ns, like time.monotonic_ns()


def test_main_thread_keeps_running_while_dispatcher_delivers(bus: te.EventBus) -> None:
    count = 0

    def handler(e: te.Event) -> None:
        nonlocal count
        count += 1

    bus.subscribe("CUSTOM", handler)
    bus.start()
    for i in range(5_000):
        bus.publish("CUSTOM", i)
    assert eventually(lambda: count == 5_000)


def test_gil_is_taken_once_per_batch() -> None:
    bus = te.EventBus(batch_size=50)
    seen: list[int] = []
    bus.subscribe("CANDLE_CLOSED", lambda e: seen.append(threading.get_ident()))
    for i in range(1000):
        bus.publish("CANDLE_CLOSED", i)  # queued before the dispatcher starts
    bus.start()
    bus.shutdown(5.0)
    assert len(seen) == 1000
    assert len(set(seen)) == 1  # one dispatcher thread, one persistent thread state
    assert bus.stats()["gil_acquisitions"] == 1000 // 50


def test_cpp_only_batches_never_take_the_gil() -> None:
    bus = te.EventBus()
    _core._bench_produce(bus, 100)
    bus.shutdown(5.0)  # no Python handler, native payloads
    assert bus.stats()["data"]["delivered"] == 100
    assert bus.stats()["gil_acquisitions"] == 0


# ---- integration -----------------------------------------------------------------------------------


def test_end_to_end_pipeline(bus: te.EventBus) -> None:
    executed = threading.Event()
    steps: list[str] = []

    def strategy(e: te.Event) -> None:
        steps.append("analyze")
        bus.publish("SIGNAL", "buy")

    def order_manager(e: te.Event) -> None:
        steps.append("create_order")
        bus.publish("ORDER_CREATED", {"side": e.payload})

    def exchange(e: te.Event) -> None:
        steps.append("execute")
        executed.set()

    bus.subscribe("CANDLE_CLOSED", strategy)
    bus.subscribe("SIGNAL", order_manager)
    bus.subscribe("ORDER_CREATED", exchange)
    bus.start()
    bus.publish("CANDLE_CLOSED", "candle")
    assert executed.wait(5)
    assert steps == ["analyze", "create_order", "execute"]


# ---- stress ----------------------------------------------------------------------------------------


def test_high_throughput(bus: te.EventBus) -> None:
    count = 0

    def counter_handler(event: te.Event) -> None:
        nonlocal count
        count += 1

    bus.subscribe(te.EventType.CANDLE_CLOSED, counter_handler)
    bus.start()
    start = time.monotonic()
    for i in range(10_000):
        bus.publish("CANDLE_CLOSED", i)
    assert eventually(lambda: count == 10_000)
    elapsed = time.monotonic() - start
    print(f"python handler throughput: {count / elapsed:,.0f} events/s")  # measured, not asserted


def test_many_producer_threads_keep_accounting() -> None:
    bus = te.EventBus(data_timeout=0.0005)
    bus.subscribe("CANDLE_CLOSED", lambda e: None)
    bus.subscribe("ORDER_CREATED", lambda e: None)
    bus.start()

    def produce() -> None:
        for i in range(2_000):
            bus.publish("ORDER_CREATED" if i % 50 == 0 else "CANDLE_CLOSED", i)

    threads = [threading.Thread(target=produce) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bus.shutdown(5.0)
    stats = bus.stats()
    assert invariant_holds(stats)
    assert sum(stats[lane]["published"] for lane in ("order", "signal", "data")) == 16_000
    assert stats["order"]["delivered"] == 8 * 40
    assert stats["order"]["dropped"] == 0


def test_publish_after_shutdown_raises() -> None:
    bus = te.EventBus()
    bus.shutdown(0.0)
    with pytest.raises(te.EngineNotRunningError, match="shut down"):
        bus.publish("ORDER_CREATED")
    assert invariant_holds(bus.stats())
