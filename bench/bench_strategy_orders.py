"""A Python strategy's orders through a Node (strategy runtime, order manager) to the simulated
exchange.

1. decision -> in the book: a strategy's timer callback places a resting LIMIT order; the time
   from the decision (just before buy()) to the order entering the simulator's matching engine
   (the simulator records it, same process and clock), and the round trip until its
   ORDER_UPDATE (ACCEPTED) is back in the strategy. Paced, one order at a time.
2. sustained rate: a strategy sends N MARKET orders as fast as its callback can; the rate at
   which they come back FILLED, and a check that none is lost or duplicated (every order
   FILLED, the simulator's trade count equal).

Medians of 3 runs. Loopback, the simulator in-process (its IO thread shares the 2 cores).

    .venv/bin/python bench/bench_strategy_orders.py [orders_per_run]
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

from typing import Any

import tradeengine as te

RUNS = 3


class Pinger(te.Strategy):
    """One resting order at a time: place on a timer, cancel when acknowledged."""

    order_rate = 1e9
    order_burst = 1e9

    def __init__(self, n: int) -> None:
        super().__init__(name="pinger")
        self.n = n
        self.price: te.Price | None = None
        self.sim: Any = None
        self.sent: dict[str, int] = {}
        self.latencies: list[int] = []
        self.one_way: list[int] = []
        self.waiting = False
        self.done = threading.Event()

    def on_start(self) -> None:
        self.set_timer("ping", 0.002)

    def on_timer(self, name: str) -> None:
        if self.waiting or len(self.latencies) >= self.n or self.price is None:
            return
        self.waiting = True
        t0 = te.now_ns()
        h = self.buy("BTCUSDT", "0.001", self.price)
        self.sent[h.client_order_id] = t0

    def on_order_update(self, u: te.OrderUpdate) -> None:
        if u.status == te.OrderStatus.ACCEPTED and u.client_order_id in self.sent:
            now = te.now_ns()
            t0 = self.sent.pop(u.client_order_id)
            self.latencies.append(now - t0)
            booked = self.sim.order_accepted_ns(u.client_order_id)
            if booked is not None:
                self.one_way.append(booked - t0)
            self.cancel(u.client_order_id)
            self.waiting = False
            if len(self.latencies) >= self.n:
                self.done.set()


class Blaster(te.Strategy):
    """N market orders from one callback, then counts them back."""

    order_rate = 1e9
    order_burst = 1e9

    def __init__(self, n: int) -> None:
        super().__init__(name="blaster")
        self.n = n
        self.filled = 0
        self.t0 = 0.0
        self.t1 = 0.0
        self.done = threading.Event()

    def on_start(self) -> None:
        self.set_timer("go", 0.05, once=True)

    def on_timer(self, name: str) -> None:
        self.t0 = time.perf_counter()
        for i in range(self.n):
            self.buy("BTCUSDT", "0.001") if i % 2 == 0 else self.sell("BTCUSDT", "0.001")
        self.t_sent = time.perf_counter()

    def on_order_update(self, u: te.OrderUpdate) -> None:
        if u.status == te.OrderStatus.FILLED:
            self.filled += 1
            if self.filled == self.n:
                self.t1 = time.perf_counter()
                self.done.set()


def pct(v: list[int], p: float) -> float:
    s = sorted(v)
    return s[min(len(s) - 1, int(p * len(s)))] / 1e3


def node_for(strategy: te.Strategy) -> te.Node:
    venue = te.venues.Simulated(symbols=("BTCUSDT",), balances={"USDT": "100000000", "BTC": "100000"},
                                options={"auto_tick": False, "weight_limit_1m": 0, "orders_limit_10s": 0,
                                         "orders_limit_1d": 0})  # fmt: skip
    return te.Node(venues=[venue], strategies=[strategy], log=te.LogSettings(level="warn"))


def main(n: int) -> None:
    rtt, booked, rates = [], [], []
    for run in range(RUNS):
        p = Pinger(min(n, 2000))
        with node_for(p) as node:
            sim = node.exchange("SIM")
            p.sim = sim
            p.price = te.Price(str(sim.book("BTCUSDT")["bids"][0][0] - 1000))
            p.done.wait(120)
        rtt.append((pct(p.latencies, 0.5), pct(p.latencies, 0.99)))
        booked.append((pct(p.one_way, 0.5), pct(p.one_way, 0.99)))
        print(f"  run {run + 1}: n={len(p.latencies)} decision -> in the book p50 {booked[-1][0]:.1f} us "
              f"p99 {booked[-1][1]:.1f} us; ACCEPTED back in the strategy p50 {rtt[-1][0]:.1f} us "
              f"p99 {rtt[-1][1]:.1f} us", flush=True)  # fmt: skip

        b = Blaster(n)
        with node_for(b) as node:
            ok = b.done.wait(120)
            orders = node.orders("blaster")
        filled = sum(1 for o in orders if o.status == te.OrderStatus.FILLED)
        assert ok and filled == n == len(orders), (ok, filled, len(orders))
        rate = n / (b.t1 - b.t0)
        rates.append(rate)
        print(f"  run {run + 1}: {n} market orders from one callback: submitted in "
              f"{(b.t_sent - b.t0) * 1e3:.0f} ms, all FILLED after {(b.t1 - b.t0) * 1e3:.0f} ms "
              f"-> {rate:,.0f} orders/s; lost 0, duplicated 0", flush=True)  # fmt: skip
    print(f"decision -> order in the simulator's book: median of {RUNS} runs  p50 "
          f"{statistics.median(r[0] for r in booked):.1f} us  p99 {statistics.median(r[1] for r in booked):.1f} us")
    print(f"decision -> acknowledged (round trip): median of {RUNS} runs  p50 "
          f"{statistics.median(r[0] for r in rtt):.1f} us  p99 {statistics.median(r[1] for r in rtt):.1f} us")
    print(f"sustained orders through the Node to the simulator: median {statistics.median(rates):,.0f} orders/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
