"""Bad input never crashes the simulated exchange, and after 10,000 bad requests its memory
and open sockets are back where they started. Also the `tradeengine sim-exchange` CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request

from sim_client import RestClient, eventually, now_ms, sign
from tradeengine.sim import SimExchange


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        out = b""
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            while chunk := s.recv(65536):
                out += chunk
        except OSError:  # the server may close first (oversized input): that is the point
            pass
        return out


BAD_RAW = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
    b"POST /api/v3/order HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\nxx",
    b"GET /api/v3/ping HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n",
    b"GET /api/v3/ping HTTP/9.9\r\n\r\n",
    b"\x00\x01\x02\x03\xff\xfe" * 100,
    b"GET /ws/btcusdt@trade HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
]


def bad_requests(ex: SimExchange, n: int) -> None:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    for i in range(n):
        kind = i % 10
        if kind < 7:  # kept-alive requests the API rejects
            if kind == 0:
                r = c.signed("GET", "/api/v3/account", secret="bad")
            elif kind == 1:
                r = c.signed("GET", "/api/v3/account", timestamp=now_ms() - 600_000)
            elif kind == 2:
                r = c.raw("GET", f"/api/v3/order?symbol=BTCUSDT&timestamp={now_ms()}&signature=zz",
                          headers={"X-MBX-APIKEY": "nobody"})
            elif kind == 3:
                r = c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                             timeInForce="GTC", quantity="abc", price="1")
            elif kind == 4:
                r = c.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="7x")
            elif kind == 5:
                r = c.public("GET", "/api/v3/nothing/here")
            else:
                q = f"symbol=NOPE&side=BUY&type=MARKET&quantity=1&timestamp={now_ms()}"
                r = c.raw("POST", f"/api/v3/order?{q}&signature={sign(ex.secret(), q)}",
                          headers={"X-MBX-APIKEY": ex.api_key()})
            assert r.status >= 400
        else:  # a fresh connection with a broken request
            raw_exchange(ex.port, BAD_RAW[i % len(BAD_RAW)])
    c.close()


def test_ten_thousand_bad_requests_leave_no_trace() -> None:
    with SimExchange(auto_tick=False, weight_limit_1m=0) as ex:
        bad_requests(ex, 500)  # warm up allocator pools and caches
        eventually(lambda: ex.stats()["connections_open"] == 0)
        fds, rss = open_fds(), rss_kb()
        bad_requests(ex, 10_000)
        assert eventually(lambda: ex.stats()["connections_open"] == 0, timeout=10)
        assert eventually(lambda: open_fds() <= fds, timeout=10)
        growth_kb = rss_kb() - rss
        assert growth_kb < 8 * 1024, f"RSS grew by {growth_kb} kB"
        assert ex.stats()["bad_requests"] > 2500
        # still serving
        assert RestClient(ex.rest_url).public("GET", "/api/v3/ping").status == 200


def test_cli_sim_exchange_runs_until_interrupted() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tradeengine.cli", "sim-exchange", "--symbols", "BTCUSDT", "--seed", "3",
         "--speed", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert proc.stdout is not None
        url = None
        for _ in range(50):
            line = proc.stdout.readline()
            if line.startswith("simulated exchange on "):
                url = line.split()[-1]
                break
        assert url, "no URL printed"
        with urllib.request.urlopen(f"{url}/api/v3/ping", timeout=5) as r:
            assert r.read() == b"{}"
        with urllib.request.urlopen(f"{url}/api/v3/exchangeInfo", timeout=5) as r:
            assert b'"BTCUSDT"' in r.read()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
