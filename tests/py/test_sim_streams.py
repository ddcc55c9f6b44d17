"""Market streams of the simulated exchange over WebSocket: raw and combined streams, control
messages with Binance's responses and errors, kline closing, connection rules."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Iterator

import pytest
import websockets

from tradeengine.sim import SimExchange


@pytest.fixture
def fast() -> Iterator[SimExchange]:
    # 20 ms ticks, 600x: a 1m kline closes every 100 ms.
    with SimExchange(symbols=["BTCUSDT", "ETHUSDT"], speed=600, tick_ms=20, ws_max_incoming_per_second=100) as e:
        yield e


async def recv_json(ws: Any, timeout: float = 5.0) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_until(ws: Any, pred: Any, limit: int = 2000, timeout: float = 10.0) -> Any:
    for _ in range(limit):
        m = await recv_json(ws, timeout)
        if pred(m):
            return m
    raise AssertionError("message not received")


async def test_raw_stream_trade_and_book_ticker(fast: SimExchange) -> None:
    async with websockets.connect(f"{fast.ws_url}/ws/btcusdt@trade") as ws:
        m = await recv_json(ws)
        assert m["e"] == "trade" and m["s"] == "BTCUSDT"
    async with websockets.connect(f"{fast.ws_url}/ws/ethusdt@bookTicker/ethusdt@aggTrade") as ws:
        seen = set()
        while seen != {"book", "aggTrade"}:
            m = await recv_json(ws)
            seen.add("book" if "u" in m else m["e"])
            if "u" in m:
                assert m["s"] == "ETHUSDT" and float(m["a"]) > float(m["b"])


async def test_combined_stream_wrapper_and_kline_close(fast: SimExchange) -> None:
    url = f"{fast.ws_url}/stream?streams=btcusdt@kline_1m/btcusdt@kline_1s"
    async with websockets.connect(url) as ws:
        updates: dict[int, bool] = {}
        closed = None
        while closed is None:
            m = await recv_json(ws)
            assert set(m) == {"stream", "data"}
            if m["stream"] != "btcusdt@kline_1m":
                continue
            k = m["data"]["k"]
            assert k["i"] == "1m" and k["T"] == k["t"] + 60_000 - 1
            if k["x"]:
                if k["t"] in updates:  # we saw this kline in progress before it closed
                    closed = k
            else:
                updates[k["t"]] = True
        # the next kline starts right after the closed one
        nxt = await recv_until(ws, lambda m: m["stream"] == "btcusdt@kline_1m" and not m["data"]["k"]["x"])
        assert nxt["data"]["k"]["t"] == closed["T"] + 1


async def test_all_16_intervals_stream() -> None:
    intervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"]
    with SimExchange(symbols=["BTCUSDT"], tick_ms=20) as ex:
        streams = "/".join(f"btcusdt@kline_{i}" for i in intervals)
        async with websockets.connect(f"{ex.ws_url}/stream?streams={streams}") as ws:
            seen: set[str] = set()
            while seen != set(intervals):
                seen.add((await recv_json(ws))["data"]["k"]["i"])


async def test_control_messages(fast: SimExchange) -> None:
    async with websockets.connect(f"{fast.ws_url}/ws") as ws:
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["btcusdt@aggTrade", "btcusdt@trade"], "id": 1}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": None, "id": 1}
        await ws.send(json.dumps({"method": "UNSUBSCRIBE", "params": ["btcusdt@trade"], "id": 312}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": None, "id": 312}
        await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 3}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": ["btcusdt@aggTrade"], "id": 3}
        await ws.send(json.dumps({"method": "GET_PROPERTY", "params": ["combined"], "id": 2}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": False, "id": 2}
        await ws.send(json.dumps({"method": "SET_PROPERTY", "params": ["combined", True], "id": 5}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": None, "id": 5}
        wrapped = await recv_until(ws, lambda m: "stream" in m)
        assert wrapped["stream"] == "btcusdt@aggTrade" and wrapped["data"]["e"] == "aggTrade"
        await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": "abc-1"}))
        assert await recv_until(ws, lambda m: "id" in m) == {"result": ["btcusdt@aggTrade"], "id": "abc-1"}


@pytest.mark.parametrize(
    "request_text,code,msg_start",
    [
        ("{not json", 3, "Invalid JSON"),
        (json.dumps({"method": "FLY", "id": 1}), 2, "Invalid request: unknown variant `FLY`"),
        (json.dumps({"params": [], "id": 1}), 2, "Invalid request: missing field `method`"),
        (json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": -5}), 2, "Invalid request: request ID must be"),
        (json.dumps({"method": "SET_PROPERTY", "params": ["combined", "yes"], "id": 1}), 1, "Invalid value type"),
        (json.dumps({"method": "SET_PROPERTY", "params": [1, True], "id": 1}), 2, "Invalid request: property name"),
        (json.dumps({"method": "GET_PROPERTY", "params": ["colour"], "id": 1}), 0, "Unknown property"),
        (json.dumps({"method": "SET_PROPERTY", "params": ["combined", True, 3], "id": 1}), 2, "Invalid request: too many"),
        (json.dumps({"method": "SUBSCRIBE", "params": ["nopeusdt@trade"], "id": 1}), 2, "Invalid request"),
        (json.dumps({"method": "SUBSCRIBE", "params": ["btcusdt@kline_2m"], "id": 1}), 2, "Invalid request"),
    ],
)
async def test_control_errors(fast: SimExchange, request_text: str, code: int, msg_start: str) -> None:
    async with websockets.connect(f"{fast.ws_url}/ws") as ws:
        await ws.send(request_text)
        m = await recv_json(ws)
        assert m["code"] == code and m["msg"].startswith(msg_start), m


async def test_unknown_stream_in_url_is_refused(fast: SimExchange) -> None:
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{fast.ws_url}/ws/btcusdt@nothing"):
            pass
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{fast.ws_url}/elsewhere"):
            pass


async def test_stream_limit_per_connection() -> None:
    with SimExchange(ws_max_streams=3, auto_tick=False) as ex:
        async with websockets.connect(f"{ex.ws_url}/ws") as ws:
            await ws.send(json.dumps({"method": "SUBSCRIBE", "params": [
                "btcusdt@trade", "btcusdt@aggTrade", "btcusdt@bookTicker", "btcusdt@kline_1m"], "id": 1}))
            m = await recv_json(ws)
            assert m["code"] == 2 and "too many streams" in m["msg"]


async def test_incoming_message_rate_limit_disconnects() -> None:
    with SimExchange(auto_tick=False) as ex:  # Binance's 5 messages/s
        async with websockets.connect(f"{ex.ws_url}/ws") as ws:
            with pytest.raises(websockets.exceptions.ConnectionClosed):
                for i in range(20):
                    await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": i}))
                for _ in range(20):
                    await recv_json(ws)


async def test_max_connection_age() -> None:
    with SimExchange(ws_max_age_ms=200, auto_tick=False) as ex:
        async with websockets.connect(f"{ex.ws_url}/ws") as ws:
            with pytest.raises(websockets.exceptions.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)


async def test_server_ping_is_answered_by_client() -> None:
    with SimExchange(ws_ping_interval_ms=50, ws_pong_timeout_ms=500, auto_tick=False,
                     ws_max_incoming_per_second=100) as ex:
        async with websockets.connect(f"{ex.ws_url}/ws") as ws:
            await asyncio.sleep(0.3)  # several server pings, answered by the client library
            await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 1}))
            assert (await recv_json(ws))["result"] == []


async def test_planned_shutdown_sends_server_shutdown() -> None:
    ex = SimExchange(auto_tick=False).start()
    async with websockets.connect(f"{ex.ws_url}/ws") as raw, websockets.connect(f"{ex.ws_url}/stream?streams=") as comb:
        await asyncio.sleep(0.05)
        await asyncio.get_running_loop().run_in_executor(None, ex.stop)
        m = await recv_json(raw)
        assert m["e"] == "serverShutdown" and isinstance(m["E"], int)
        c = await recv_json(comb)
        assert c["stream"] == "!serverShutdown" and c["data"]["e"] == "serverShutdown"
