"""Trading through the simulated exchange with a signed REST client and a WebSocket API
client written here: user-data events, order.place/cancel/status, balances."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any, Iterator

import pytest
import websockets

from sim_client import RestClient, now_ms, sign, ws_api_request
from tradeengine.sim import SimExchange


@pytest.fixture
def ex() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "1000000", "BTC": "1"}, auto_tick=False,
                     ws_max_incoming_per_second=100) as e:
        yield e


async def recv_json(ws: Any, timeout: float = 5.0) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def subscribe(ws: Any, ex: SimExchange) -> int:
    await ws.send(ws_api_request("userDataStream.subscribe.signature", {}, ex.api_key(), ex.secret(), "sub"))
    r = await recv_json(ws)
    assert r["status"] == 200 and r["id"] == "sub", r
    return int(r["result"]["subscriptionId"])


async def events(ws: Any, n: int) -> list[dict]:
    out = []
    while len(out) < n:
        m = await recv_json(ws)
        if "event" in m:
            out.append(m["event"])
    return out


def rest(ex: SimExchange) -> RestClient:
    return RestClient(ex.rest_url, ex.api_key(), ex.secret())


async def run(fn: Any, *args: Any, **kw: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kw))


async def test_execution_reports_for_a_limit_order_and_its_cancel(ex: SimExchange) -> None:
    c = rest(ex)
    async with websockets.connect(ex.ws_api_url) as ws:
        sub = await subscribe(ws, ex)
        bid = ex.book("BTCUSDT")["bids"][0][0]
        r = await run(c.signed, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                      timeInForce="GTC", quantity="0.1", price=str(bid - 50), newClientOrderId="lim-1")
        assert r.status == 200
        new, pos = await events(ws, 2)
        assert new["e"] == "executionReport" and new["x"] == "NEW" and new["X"] == "NEW" and new["c"] == "lim-1"
        assert new["w"] is True and new["N"] is None and new["t"] == -1
        assert pos["e"] == "outboundAccountPosition"
        usdt = next(b for b in pos["B"] if b["a"] == "USDT")
        assert Decimal(usdt["l"]) == (bid - 50) * Decimal("0.1")
        await run(c.signed, "DELETE", "/api/v3/order", symbol="BTCUSDT", origClientOrderId="lim-1",
                  newClientOrderId="cancel-1")
        cancel, pos2 = await events(ws, 2)
        assert cancel["x"] == "CANCELED" and cancel["X"] == "CANCELED"
        assert cancel["C"] == "lim-1" and cancel["c"] == "cancel-1"
        assert next(b for b in pos2["B"] if b["a"] == "USDT")["l"] == "0.00000000"
        # unsubscribe: eventStreamTerminated, then the response
        await ws.send(json.dumps({"id": 9, "method": "userDataStream.unsubscribe", "params": {"subscriptionId": sub}}))
        first = await recv_json(ws)
        assert first == {"subscriptionId": sub, "event": {"e": "eventStreamTerminated", "E": first["event"]["E"]}}
        assert (await recv_json(ws))["status"] == 200
    c.close()


async def test_market_order_new_trade_filled(ex: SimExchange) -> None:
    c = rest(ex)
    async with websockets.connect(ex.ws_api_url) as ws:
        await subscribe(ws, ex)
        r = await run(c.signed, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="2.5")
        order = r.json()
        assert order["status"] == "FILLED" and len(order["fills"]) == 2
        evs = await events(ws, 4)
        assert [(e["x"], e["X"]) for e in evs[:3]] == [("NEW", "NEW"), ("TRADE", "PARTIALLY_FILLED"),
                                                       ("TRADE", "FILLED")]
        trade = evs[1]
        assert trade["N"] == "BTC" and trade["m"] is False and trade["t"] == order["fills"][0]["tradeId"]
        assert Decimal(trade["Y"]) == Decimal(trade["L"]) * Decimal(trade["l"])
        assert Decimal(evs[2]["z"]) == Decimal("2.5")
        assert Decimal(evs[2]["Z"]) == Decimal(order["cummulativeQuoteQty"])
        assert evs[3]["e"] == "outboundAccountPosition"
    c.close()


async def test_ioc_expires_and_resting_fills_when_path_crosses(ex: SimExchange) -> None:
    c = rest(ex)
    async with websockets.connect(ex.ws_api_url) as ws:
        await subscribe(ws, ex)
        ask = ex.book("BTCUSDT")["asks"][0][0]
        r = (await run(c.signed, "POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                       timeInForce="IOC", quantity="3", price=str(ask))).json()
        assert r["status"] == "EXPIRED" and Decimal(r["executedQty"]) == Decimal("2")
        evs = await events(ws, 4)
        assert [e["x"] for e in evs[:3]] == ["NEW", "TRADE", "EXPIRED"]
        assert evs[2]["eR"] == "UNFILLED_IOC_QUANTITY_EXPIRED"
        # a sell just above the ask rests; drive the path until it trades through it
        ask = ex.book("BTCUSDT")["asks"][0][0]
        rest_order = (await run(c.signed, "POST", "/api/v3/order", symbol="BTCUSDT", side="SELL", type="LIMIT",
                                timeInForce="GTC", quantity="0.1", price=str(ask + 1))).json()
        assert rest_order["status"] == "NEW"
        await events(ws, 2)
        for _ in range(200000):
            if not ex.open_orders():
                break
            ex.step(10)
        fill = (await events(ws, 1))[0]
        assert fill["x"] == "TRADE" and fill["X"] == "FILLED" and fill["m"] is True
        assert fill["N"] == "USDT" and Decimal(fill["L"]) == ask + 1
    c.close()


async def test_order_place_cancel_status_over_ws_api(ex: SimExchange) -> None:
    async with websockets.connect(ex.ws_api_url) as ws:
        bid = ex.book("BTCUSDT")["bids"][0][0]
        params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01000",
                  "price": str(bid - 20), "newClientOrderId": "ws-1"}
        await ws.send(ws_api_request("order.place", params, ex.api_key(), ex.secret(), "p1"))
        r = await recv_json(ws)
        assert r["status"] == 200 and r["id"] == "p1" and r["result"]["status"] == "NEW", r
        kinds = {(x["rateLimitType"], x["interval"]) for x in r["rateLimits"]}
        assert ("REQUEST_WEIGHT", "MINUTE") in kinds and ("ORDERS", "SECOND") in kinds
        await ws.send(ws_api_request("order.status", {"symbol": "BTCUSDT", "origClientOrderId": "ws-1"},
                                     ex.api_key(), ex.secret(), 2))
        s = await recv_json(ws)
        assert s["result"]["clientOrderId"] == "ws-1" and s["result"]["status"] == "NEW"
        await ws.send(ws_api_request("order.cancel", {"symbol": "BTCUSDT", "origClientOrderId": "ws-1"},
                                     ex.api_key(), ex.secret(), 3))
        cx = await recv_json(ws)
        assert cx["result"]["status"] == "CANCELED"
        await ws.send(ws_api_request("order.place", dict(params, quantity="100"), ex.api_key(), ex.secret(), "abc"))
        err = await recv_json(ws)
        assert err["status"] == 400 and err["error"] == {
            "code": -2010, "msg": "Account has insufficient balance for requested action."}


async def test_ws_api_signature_and_timestamp_errors(ex: SimExchange) -> None:
    async with websockets.connect(ex.ws_api_url) as ws:
        await ws.send(ws_api_request("userDataStream.subscribe.signature", {}, ex.api_key(), "wrong", 1))
        assert (await recv_json(ws))["error"]["code"] == -1022
        await ws.send(ws_api_request("userDataStream.subscribe.signature", {"timestamp": now_ms() - 60_000},
                                     ex.api_key(), ex.secret(), 2))
        assert (await recv_json(ws))["error"]["code"] == -1021
        await ws.send(ws_api_request("userDataStream.subscribe.signature", {}, "unknown-key", ex.secret(), 3))
        assert (await recv_json(ws))["error"]["code"] == -2015
        # the signature covers the params sorted by name, whatever order they were sent in
        ts = now_ms()
        sig = sign(ex.secret(), f"apiKey={ex.api_key()}&timestamp={ts}")
        await ws.send(json.dumps({"id": 4, "method": "userDataStream.subscribe.signature",
                                  "params": {"timestamp": ts, "signature": sig, "apiKey": ex.api_key()}}))
        assert (await recv_json(ws))["result"] == {"subscriptionId": 0}
        await ws.send("{oops")
        assert (await recv_json(ws))["status"] == 400


async def test_deposit_sends_balance_update(ex: SimExchange) -> None:
    async with websockets.connect(ex.ws_api_url) as ws:
        await subscribe(ws, ex)
        await run(ex.deposit, "ETH", "1.5")
        bu, pos = await events(ws, 2)
        assert bu == {"e": "balanceUpdate", "E": bu["E"], "a": "ETH", "d": "1.50000000", "T": bu["T"]}
        assert pos["B"] == [{"a": "ETH", "f": "1.50000000", "l": "0.00000000"}]
    assert ex.balances()["ETH"]["free"] == Decimal("1.5")
