"""A pure-Python asyncio EventBus written to seed 002 §3, as the baseline for bench_bus_python.py.

Three asyncio.Queue lanes (data 1000 / signal 100 / order 50), one processor coroutine per
lane, sync and async handlers, error isolation, put with wait_for timeouts as in §3.3. It is
what the seeds would have built; tradeengine's native bus is measured against it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("asyncio_event_bus")


class QueueFullError(Exception):
    pass


@dataclass
class Event:
    event_type: str
    data: Any = None
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


class AsyncioEventBus:
    TIMEOUTS = {"data": 1.0, "signal": 5.0, "order": None}

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Callable[[Event], Any]]] = defaultdict(list)
        self._queues: dict[str, asyncio.Queue[Event]] = {
            "data": asyncio.Queue(maxsize=1000),
            "signal": asyncio.Queue(maxsize=100),
            "order": asyncio.Queue(maxsize=50),
        }
        self._running = False
        self._tasks: list[asyncio.Task[None]] = []
        self.dropped = 0

    def subscribe(self, event_type: str, handler: Callable[[Event], Any]) -> None:
        self._subscribers[event_type].append(handler)

    async def publish(self, event: Event, queue_name: str = "data") -> None:
        queue = self._queues[queue_name]
        timeout = self.TIMEOUTS[queue_name]
        if timeout is None:
            await queue.put(event)
            return
        if not queue.full():  # fast path: no wait_for task when there is room
            queue.put_nowait(event)
            return
        try:
            await asyncio.wait_for(queue.put(event), timeout=timeout)
        except asyncio.TimeoutError:
            if queue_name == "signal":
                raise QueueFullError("Signal queue saturated") from None
            self.dropped += 1
            log.warning("Data queue full, dropping event: %s", event.event_type)

    async def _process_queue(self, queue_name: str) -> None:
        queue = self._queues[queue_name]
        while self._running:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=0.1)
            except asyncio.TimeoutError:
                continue
            for handler in self._subscribers.get(event.event_type, []):
                try:
                    if asyncio.iscoroutinefunction(handler):
                        await handler(event)
                    else:
                        handler(event)
                except Exception:
                    log.error("Handler error in %s queue", queue_name, exc_info=True)
            queue.task_done()

    async def start(self) -> None:
        self._running = True
        self._tasks = [
            asyncio.create_task(self._process_queue(n)) for n in ("data", "signal", "order")
        ]
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def stop(self) -> None:
        self._running = False

    async def shutdown(self, timeout: float = 5.0) -> None:
        for queue in self._queues.values():
            try:
                await asyncio.wait_for(queue.join(), timeout=timeout)
            except asyncio.TimeoutError:
                pass
        self.stop()
        for task in self._tasks:
            task.cancel()


async def throughput(count: int) -> float:
    """Events/s of `count` candle events published to the data lane with one counting handler."""
    bus = AsyncioEventBus()
    received = 0
    done = asyncio.Event()

    def handler(event: Event) -> None:
        nonlocal received
        received += 1
        if received == count:
            done.set()

    bus.subscribe("CANDLE_CLOSED", handler)
    runner = asyncio.create_task(bus.start())
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for i in range(count):
        await bus.publish(Event("CANDLE_CLOSED", i), "data")
    await done.wait()
    elapsed = loop.time() - t0
    await bus.shutdown(1.0)
    runner.cancel()
    return count / elapsed


if __name__ == "__main__":
    print(f"asyncio EventBus: {asyncio.run(throughput(200_000)):,.0f} events/s")
