"""REST round trip against the simulated exchange from Python (http.client, keep-alive):
GET /api/v3/ping and a signed POST /api/v3/order (MARKET, alternating sides). Prints
p50/p99 in microseconds and the RSS of the process (server included) before and after.

    .venv/bin/python bench/bench_sim_rest.py [requests]
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import statistics
import sys
import time

from tradeengine.sim import SimExchange


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def main(n: int) -> None:
    with SimExchange(balances={"USDT": "1000000", "BTC": "100"}, weight_limit_1m=0, orders_limit_10s=0,
                     orders_limit_1d=0, auto_tick=False) as ex:
        conn = http.client.HTTPConnection("127.0.0.1", ex.port)
        key, secret = ex.api_key(), ex.secret().encode()

        def ping() -> None:
            conn.request("GET", "/api/v3/ping")
            conn.getresponse().read()

        def order(i: int) -> None:
            q = (f"symbol=BTCUSDT&side={'SELL' if i % 2 else 'BUY'}&type=MARKET&quantity=0.001"
                 f"&newOrderRespType=ACK&timestamp={int(time.time() * 1000)}")
            sig = hmac.new(secret, q.encode(), hashlib.sha256).hexdigest()
            conn.request("POST", f"/api/v3/order?{q}&signature={sig}", headers={"X-MBX-APIKEY": key})
            r = conn.getresponse()
            r.read()
            assert r.status == 200

        for name, fn in (("ping", lambda i: ping()), ("order", order)):
            for i in range(1000):
                fn(i)
            rss0 = rss_kb()
            lat = []
            for i in range(n):
                t0 = time.perf_counter_ns()
                fn(i)
                lat.append((time.perf_counter_ns() - t0) / 1000)
            lat.sort()
            print(f"{name:6s} n={n} p50={statistics.median(lat):.1f}us p99={lat[int(n * 0.99)]:.1f}us "
                  f"rss_before={rss0}kB rss_after={rss_kb()}kB")
        conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
