"""The Node's latencies end to end, on loopback against the simulated exchange:

1. frame -> strategy: the simulator's IO thread sends a trade frame (its send time, taken as the
   frame is queued for the socket, is the trade id) or a closed kline (its send time in the
   trade count); it travels the socket, the C++ parser, the EventBus, the strategy runtime and
   the GIL to a Python strategy's ``on_trade`` / ``on_candle``, which records now - sent.
   Paced (one frame every 0.5 ms) to measure latency, not a queue.
2. decision -> ACCEPTED: in ``on_trade`` the strategy places a resting LIMIT order (the
   decision time is taken there); ``on_order_update`` records the time its ACCEPTED arrives.

Medians of 3 runs after a warm-up run; each run prints p50/p99 in microseconds.

    .venv/bin/python bench/bench_node_latency.py [frames_per_run] [--spin-us=200]

``--legacy`` measures the same with the runtime before the Node (StrategyHost and the Python
connectors, commit f4034a7), for the side-by-side figures of docs/architecture/node.md: run it
with that build's interpreter.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from typing import Any

import tradeengine as te

RUNS = 3


def pct(values: list[int], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))] / 1e3 if s else float("nan")


def trade_frame(i: int) -> str:
    return ('{"e":"trade","E":1,"s":"BTCUSDT","t":${now_ns},"p":"50000.00","q":"0.001","T":1,'
            '"m":true,"M":true}')  # fmt: skip


def kline_frame(open_ms: int) -> str:
    return (
        '{"e":"kline","E":%d,"s":"BTCUSDT","k":{"t":%d,"T":%d,"s":"BTCUSDT","i":"1m","f":1,"L":2,'
        '"o":"50000.00","c":"50001.00","h":"50002.00","l":"49999.00","v":"1.5","n":${now_ns},'
        '"x":true,"q":"75000.0","V":"0.7","Q":"35000.0","B":"0"}}' % (open_ms, open_ms, open_ms + 59_999)
    )


class Probe(te.Strategy):
    """Records frame -> callback, and decision -> ACCEPTED when ``orders`` is set."""

    order_rate = 1e9
    order_burst = 1e9

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.trades: list[int] = []
        self.wire: list[int] = []  # frame sent -> parsed (socket, IO thread wake-up, parser)
        self.inside: list[int] = []  # parsed -> on_trade (bus, runtime, GIL)
        self.candles: list[int] = []
        self.acks: list[int] = []
        self.decided: dict[str, int] = {}
        self.orders = False
        self.got = threading.Semaphore(0)

    def on_start(self) -> None:
        self.subscribe_trades("BTCUSDT")
        self.subscribe_candles("BTCUSDT", "1m")

    def on_trade(self, trade: te.Trade) -> None:
        now = te.now_ns()
        self.trades.append(now - trade.trade_id)
        self.wire.append(trade.ts_recv - trade.trade_id)
        self.inside.append(now - trade.ts_recv)
        if self.orders:
            t0 = te.now_ns()
            handle = self.buy("BTCUSDT", "0.01", "1000.00")  # rests far below the market
            self.decided[handle.client_order_id] = t0
        else:
            self.got.release()

    def on_candle(self, candle: te.Candle) -> None:
        self.candles.append(te.now_ns() - candle.trade_count)
        self.got.release()

    def on_order_update(self, update: te.OrderUpdate) -> None:
        if update.status == te.OrderStatus.ACCEPTED:
            t0 = self.decided.pop(update.client_order_id, None)
            if t0 is not None:
                self.acks.append(te.now_ns() - t0)
                self.got.release()


def measure(probe: Probe, sim: Any, cancel_all: Any, n: int) -> dict[str, list[tuple[float, float]]]:
    """The three measurements, a warm-up run and RUNS runs, on a running stack."""
    out: dict[str, list[tuple[float, float]]] = {"trade": [], "kline": [], "ack": []}
    deadline = time.monotonic() + 10
    while sim.stats()["market_sessions"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # SUBSCRIBE answered
    open_ms = (sim.market_time_ms // 60_000 + 10) * 60_000
    for run in range(RUNS + 1):  # the first run warms up
        probe.trades.clear()
        probe.wire.clear()
        probe.inside.clear()
        probe.candles.clear()
        probe.acks.clear()
        for i in range(n):
            sim.inject("btcusdt@trade", trade_frame(i))
            probe.got.acquire(timeout=2)
            time.sleep(0.0005)
        for i in range(n):
            sim.inject("btcusdt@kline_1m", kline_frame(open_ms))
            open_ms += 60_000
            probe.got.acquire(timeout=2)
            time.sleep(0.0005)
        probe.orders = True
        for i in range(min(n, 1000)):
            sim.inject("btcusdt@trade", trade_frame(i))
            probe.got.acquire(timeout=2)
            time.sleep(0.0005)
            if i % 100 == 99:
                cancel_all()
        probe.orders = False
        cancel_all()
        if run:
            for name, values in (("trade", probe.trades), ("kline", probe.candles), ("ack", probe.acks)):
                out[name].append((pct(values, 0.5), pct(values, 0.99)))
            print(f"  run {run}: trade->on_trade p50 {out['trade'][-1][0]:.1f} p99 {out['trade'][-1][1]:.1f} us; "
                  f"kline->on_candle p50 {out['kline'][-1][0]:.1f} p99 {out['kline'][-1][1]:.1f} us; "
                  f"decision->ACCEPTED p50 {out['ack'][-1][0]:.1f} p99 {out['ack'][-1][1]:.1f} us",
                  flush=True)  # fmt: skip
            print(f"    trade split: sent->parsed p50 {pct(probe.wire, 0.5):.1f} us, parsed->on_trade p50 "
                  f"{pct(probe.inside, 0.5):.1f} us", flush=True)  # fmt: skip
    return out


def run_node(n: int, spin_us: float) -> dict[str, list[tuple[float, float]]]:
    probe = Probe(name="probe")
    venue = te.venues.Simulated(symbols=("BTCUSDT",), balances={"USDT": "1000000000"},
                                options={"auto_tick": False, "weight_limit_1m": 0, "orders_limit_10s": 0,
                                         "orders_limit_1d": 0})  # fmt: skip
    node = te.Node(venues=[venue], strategies=[probe], log=te.LogSettings(level="warn"),
                   engine=te.EngineSettings(spin_us=spin_us))  # fmt: skip
    with node:
        out = measure(probe, node.exchange("SIM"), lambda: probe.cancel_all("BTCUSDT"), n)
        m = node.metrics()
        print(f"  bus publish -> handler over the whole run (sampled): p50 {m.delivery_latency_p50_us:.1f} us, "
              f"p99 {m.delivery_latency_p99_us:.1f} us", flush=True)  # fmt: skip
        return out


def run_legacy(n: int) -> dict[str, list[tuple[float, float]]]:
    """The same probe on the runtime before the Node (StrategyHost, Python connectors)."""
    from tradeengine.sim import SimExchange
    from tradeengine.venues import BinanceConfig, BinanceExecution, BinanceMarketData  # type: ignore[attr-defined]

    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "1000000000"}, auto_tick=False, weight_limit_1m=0,
                     orders_limit_10s=0, orders_limit_1d=0) as sim:  # fmt: skip
        te.configure_logging(level="warn")
        engine = te.Engine(name="legacy")
        engine.run()
        cfg = BinanceConfig.simulated(sim, symbols=["BTCUSDT"], intervals=["1m"], trades=True, weight_limit=10**9)
        ex = BinanceExecution(cfg)
        ex.connect(engine)
        oms = te.OrderManager(engine, ex)
        oms.seed_balances(ex.account())
        host = te.StrategyHost(engine, oms)  # type: ignore[attr-defined]
        probe = Probe(name="probe")
        host.add(probe)
        host.start()
        BinanceMarketData(cfg).connect(engine)
        out = measure(probe, sim, lambda: oms.cancel_all("probe"), n)
        host.stop()
        engine.stop()
    return out


def report(label: str, out: dict[str, list[tuple[float, float]]]) -> None:
    names = {"trade": "trade frame -> on_trade", "kline": "kline frame -> on_candle", "ack": "decision -> ACCEPTED"}
    for key, name in names.items():
        runs = out[key]
        print(f"{label} {name}: median of {len(runs)} runs  p50 {statistics.median(r[0] for r in runs):.1f} us  "
              f"p99 {statistics.median(r[1] for r in runs):.1f} us")  # fmt: skip


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    frames = int(args[0]) if args else 2000
    if "--legacy" in sys.argv:
        report("runtime before the Node:", run_legacy(frames))
    else:
        spin = next((float(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--spin-us=")), 5.0)
        report(f"Node (spin_us {spin:g}):", run_node(frames, spin))
