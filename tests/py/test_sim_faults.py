"""Every fault of the simulated exchange, switched at runtime (and one configured at start)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any, Iterator

import pytest
import websockets

from sim_client import RestClient, eventually, now_ms
from tradeengine.sim import SimExchange


@pytest.fixture
def ex() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "100000", "BTC": "1"}, tick_ms=10,
                     ws_max_incoming_per_second=100) as e:
        yield e


async def recv_json(ws: Any, timeout: float = 5.0) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def run(fn: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


async def test_drop_all_connections(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as a, websockets.connect(ex.ws_api_url) as b:
        await recv_json(a)
        await run(ex.drop_connections)
        for ws in (a, b):
            with pytest.raises(websockets.exceptions.ConnectionClosed):
                for _ in range(10000):
                    await asyncio.wait_for(ws.recv(), 5)


async def test_drop_one_stream(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as a, \
            websockets.connect(f"{ex.ws_url}/ws/btcusdt@bookTicker") as b:
        await recv_json(a)
        await recv_json(b)
        assert await run(ex.drop_stream, "btcusdt@trade") == 1
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            for _ in range(10000):
                await asyncio.wait_for(a.recv(), 5)
        assert "u" in await recv_json(b)  # the other stream goes on


async def test_stall_keeps_socket_but_sends_nothing(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as ws:
        await recv_json(ws)
        ex.set_faults(stall=True)
        # drain what was queued before the stall, then silence
        with pytest.raises(asyncio.TimeoutError):
            for _ in range(10000):
                await asyncio.wait_for(ws.recv(), 0.3)
        assert ex.stats()["ws_open"] == 1
        ex.set_faults(stall=False)
        assert (await recv_json(ws))["e"] == "trade"


def test_latency(ex: SimExchange) -> None:
    c = RestClient(ex.rest_url)
    c.public("GET", "/api/v3/ping")
    ex.set_faults(latency_us=150_000)
    t0 = time.monotonic()
    assert c.public("GET", "/api/v3/ping").status == 200
    assert time.monotonic() - t0 >= 0.15  # a lower bound: the delay is deliberate
    assert ex.faults["latency_us"] == 150_000
    c.close()


def test_reject_ratio(ex: SimExchange) -> None:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    ex.set_faults(reject_ratio=1.0)
    r = c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001")
    assert r.status == 400 and r.json()["code"] == -2010
    ex.set_faults(reject_ratio=0.0)
    assert c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001").status == 200
    c.close()


def test_429_and_418_storms(ex: SimExchange) -> None:
    c = RestClient(ex.rest_url)
    ex.set_faults(storm_429=True)
    r = c.public("GET", "/api/v3/ping")
    assert r.status == 429 and r.json()["code"] == -1003 and "retry-after" in r.headers
    ex.set_faults(storm_429=False, storm_418=True)
    r = c.public("GET", "/api/v3/ping")
    assert r.status == 418 and r.json()["code"] == -1003 and "retry-after" in r.headers
    ex.set_faults(storm_418=False)
    assert c.public("GET", "/api/v3/ping").status == 200
    c.close()


def test_random_5xx_order_may_or_may_not_exist(ex: SimExchange) -> None:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    bid = ex.book("BTCUSDT")["bids"][0][0]
    ex.set_faults(error_5xx_ratio=1.0)
    outcomes = set()
    for i in range(30):
        r = c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                     quantity="0.001", price=str(bid - 100), newClientOrderId=f"u-{i}")
        assert r.status == 503 and r.json()["code"] == -1007
        ex.set_faults(error_5xx_ratio=0.0)
        q = c.signed("GET", "/api/v3/order", symbol="BTCUSDT", origClientOrderId=f"u-{i}")
        outcomes.add(q.status)  # 200 (it was placed) or 400 -2013 (it was not)
        ex.set_faults(error_5xx_ratio=1.0)
    assert outcomes == {200, 400}
    ex.set_faults(error_5xx_ratio=0.0)
    c.close()


async def test_malformed_frames(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as ws:
        await recv_json(ws)
        ex.set_faults(malformed_ratio=1.0)
        for _ in range(10000):
            text = await asyncio.wait_for(ws.recv(), 5)
            try:
                json.loads(text)
            except json.JSONDecodeError:
                break
        else:
            raise AssertionError("no malformed frame")
        ex.set_faults(malformed_ratio=0.0)


async def test_restart_on_the_same_port(ex: SimExchange) -> None:
    port = ex.port
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as ws:
        await recv_json(ws)
        ex.restart(downtime=0.3)
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            for _ in range(10000):
                await asyncio.wait_for(ws.recv(), 5)

    def refused() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return False
        except OSError:
            return True

    assert ex.port == port
    await run(lambda: eventually(lambda: RestClient(ex.rest_url).public("GET", "/api/v3/ping").status == 200
                                 if not refused() else False, 5.0))
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade") as ws:
        assert (await recv_json(ws))["e"] == "trade"


def test_clock_skew(ex: SimExchange) -> None:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    ex.set_faults(clock_skew_ms=-10_000)  # the server's clock runs 10 s behind
    t = c.public("GET", "/api/v3/time").json()["serverTime"]
    assert 5_000 < now_ms() - t < 20_000
    ahead = c.signed("GET", "/api/v3/account")
    assert ahead.json()["code"] == -1021  # our timestamp is "ahead of the server's time"
    assert c.signed("GET", "/api/v3/account", timestamp=t).status == 200  # a client using the server's offset
    ex.set_faults(clock_skew_ms=0)
    c.close()


def test_faults_configured_at_start() -> None:
    with SimExchange(faults={"storm_418": True}, auto_tick=False) as ex:
        assert RestClient(ex.rest_url).public("GET", "/api/v3/ping").status == 418
    with pytest.raises(ValueError):
        SimExchange(faults={"meteor": True})
