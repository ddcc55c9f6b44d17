"""End-to-end figures of the Binance connectors against the simulated exchange on loopback.

1. wire -> Python handler: a kline update sent by the simulator's IO thread (its send time,
   taken as the frame is queued for the socket, carried in the kline's trade count "n")
   travels the socket, the C++ parser, the EventBus and the dispatcher to a Python
   CANDLE_UPDATE handler, which records now - sent.
   Paced (one message every 0.5 ms) to measure latency, not a queue.
2. order submit -> ack: BinanceExecution.place() of a resting LIMIT order from Python
   (Python -> C++ signed REST -> simulator -> response -> OrderUpdate back in Python).

Medians of 3 runs; each run prints p50/p99/p99.9 in microseconds.

    .venv/bin/python bench/bench_binance_stack.py [messages_per_run]
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

import tradeengine as te
from tradeengine.sim import SimExchange
from tradeengine.venues import BinanceConfig, BinanceExecution, BinanceMarketData

RUNS = 3


def pct(values: list[int], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))] / 1e3


def kline(open_ms: int) -> str:
    # The simulator writes its send time (Unix ns) into "n" as it queues the frame.
    return (
        '{"e":"kline","E":%d,"s":"BTCUSDT","k":{"t":%d,"T":%d,"s":"BTCUSDT","i":"1m","f":1,"L":2,'
        '"o":"50000.00","c":"50001.00","h":"50002.00","l":"49999.00","v":"1.5","n":${now_ns},'
        '"x":false,"q":"75000.0","V":"0.7","Q":"35000.0","B":"0"}}' % (open_ms, open_ms, open_ms + 59_999)
    )


def wire_to_python(sim: SimExchange, n: int) -> list[tuple[float, float, float]]:
    results = []
    engine = te.Engine(name="bench-wire")
    engine.run()
    latencies: list[int] = []
    wire: list[int] = []  # sent -> parsed on the client's IO thread (ts_recv)
    got = threading.Semaphore(0)

    def on_update(event: te.Event) -> None:
        now = te.now_ns()
        c = event.payload
        latencies.append(now - c.trade_count)
        wire.append(c.ts_recv - c.trade_count)
        got.release()

    engine.subscribe(te.EventType.CANDLE_UPDATE, on_update)
    feed = BinanceMarketData(BinanceConfig.simulated(sim, symbols=["BTCUSDT"]))
    feed.connect(engine)
    deadline = time.monotonic() + 10
    while not sim.stats()["market_sessions"] and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # SUBSCRIBE answered
    open_ms = (sim.market_time_ms // 60_000) * 60_000
    payload = kline(open_ms)
    for run in range(RUNS + 1):  # the first run warms up
        latencies.clear()
        wire.clear()
        for _ in range(n):
            sim.inject("btcusdt@kline_1m", payload)
            got.acquire(timeout=2)
            time.sleep(0.0005)
        if run:
            results.append((pct(latencies, 0.5), pct(latencies, 0.99), pct(latencies, 0.999)))
            engine_part = [a - b for a, b in zip(latencies, wire)]
            print(f"  wire->python run {run}: n={len(latencies)} p50={results[-1][0]:.1f} us "
                  f"p99={results[-1][1]:.1f} us p99.9={results[-1][2]:.1f} us  "
                  f"(sent->parsed p50 {pct(wire, 0.5):.1f} p99 {pct(wire, 0.99):.1f}; "
                  f"parsed->handler p50 {pct(engine_part, 0.5):.1f} p99 {pct(engine_part, 0.99):.1f})")
    engine.stop()
    return results


def submit_to_ack(sim: SimExchange, n: int) -> list[tuple[float, float, float]]:
    results = []
    engine = te.Engine(name="bench-orders")
    engine.run()
    # The simulator runs without limits here; so must the client's self-throttling.
    ex = BinanceExecution(BinanceConfig.simulated(sim, symbols=["BTCUSDT"], weight_limit=10**9))
    ex.connect(engine)
    bid = sim.book("BTCUSDT")["bids"][0][0]
    price = te.Price(str(bid - 1000))
    for run in range(RUNS + 1):
        lat = []
        for i in range(n):
            req = te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.001"), price=price,
                                  client_order_id=f"b{run}-{i}")
            t0 = time.perf_counter_ns()
            update = ex.place(req)
            lat.append(time.perf_counter_ns() - t0)
            assert update.status == te.OrderStatus.ACCEPTED
            if i % 100 == 99:
                ex.cancel_all("BTCUSDT")
        ex.cancel_all("BTCUSDT")
        if run:
            results.append((pct(lat, 0.5), pct(lat, 0.99), pct(lat, 0.999)))
            print(f"  submit->ack run {run}: n={n} p50={results[-1][0]:.1f} us p99={results[-1][1]:.1f} us "
                  f"p99.9={results[-1][2]:.1f} us")
    engine.stop()
    return results


def report(name: str, results: list[tuple[float, float, float]]) -> None:
    p50 = statistics.median(r[0] for r in results)
    p99 = statistics.median(r[1] for r in results)
    p999 = statistics.median(r[2] for r in results)
    print(f"{name}: median of {len(results)} runs  p50 {p50:.1f} us  p99 {p99:.1f} us  p99.9 {p999:.1f} us")


def main(n: int) -> None:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "100000000", "BTC": "100"}, auto_tick=False,
                     weight_limit_1m=0, orders_limit_10s=0, orders_limit_1d=0) as sim:
        report("wire -> Python handler (kline, loopback)", wire_to_python(sim, n))
        report("order submit -> ack (Python, LIMIT, loopback)", submit_to_ack(sim, n))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
