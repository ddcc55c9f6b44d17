"""Every payload the simulated exchange produces, compared with the Binance fixtures: field
names, JSON types, presence of every field (extra fields are allowed, as Binance adds them)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Iterator

import pytest
import websockets

from sim_client import RestClient, assert_conforms, fixture, now_ms, ws_api_request
from tradeengine.sim import SimExchange


@pytest.fixture(scope="module")
def ex() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "100000", "BTC": "1"}, speed=600, tick_ms=20,
                     ws_max_incoming_per_second=100) as e:
        yield e


@pytest.fixture(scope="module")
def client(ex: SimExchange) -> Iterator[RestClient]:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    yield c
    c.close()


def limit_order(ex: SimExchange, c: RestClient, **kw: Any) -> Any:
    bid = ex.book("BTCUSDT")["bids"][0][0]
    return c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                    quantity="0.01", price=str(bid - 500), **kw)


def test_rest_time_and_exchange_info(client: RestClient) -> None:
    assert_conforms(client.public("GET", "/api/v3/time").json(), fixture("rest_time.json"))
    assert_conforms(client.public("GET", "/api/v3/exchangeInfo").json(), fixture("rest_exchange_info_symbol.json"))


def test_rest_klines(client: RestClient) -> None:
    assert_conforms(client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", limit=3).json(),
                    fixture("rest_klines.json"))


def test_rest_account(client: RestClient) -> None:
    assert_conforms(client.signed("GET", "/api/v3/account").json(), fixture("rest_account.json"))


def test_rest_orders(ex: SimExchange, client: RestClient) -> None:
    full = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="SELL", type="MARKET", quantity="0.01").json()
    assert_conforms(full, fixture("rest_order_full.json"))
    ack = limit_order(ex, client, newOrderRespType="ACK").json()
    assert_conforms(ack, fixture("rest_order_ack.json"))
    opens = client.signed("GET", "/api/v3/openOrders", symbol="BTCUSDT").json()
    assert_conforms(opens, fixture("rest_open_orders.json"))
    one = client.signed("GET", "/api/v3/order", symbol="BTCUSDT", orderId=ack["orderId"]).json()
    assert_conforms(one, fixture("rest_open_orders.json")[0])
    cancel = client.signed("DELETE", "/api/v3/order", symbol="BTCUSDT", orderId=ack["orderId"]).json()
    assert_conforms(cancel, fixture("rest_cancel_order.json"))


def test_rest_errors(ex: SimExchange, client: RestClient) -> None:
    limit_order(ex, client, newClientOrderId="conf-dup")
    dup = limit_order(ex, client, newClientOrderId="conf-dup").json()
    assert dup == fixture("rest_error_duplicate.json")
    bad_price = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT",
                              timeInForce="GTC", quantity="0.01", price="100.001").json()
    assert bad_price == fixture("rest_error_filter.json")
    assert client.signed("GET", "/api/v3/account", secret="x").json() == fixture("rest_error_signature.json")
    assert client.signed("GET", "/api/v3/account", timestamp=now_ms() - 10_000).json() == fixture(
        "rest_error_timestamp.json")
    assert client.signed("DELETE", "/api/v3/order", symbol="BTCUSDT", orderId=123456).json() == fixture(
        "rest_error_unknown_order.json")
    client.signed("DELETE", "/api/v3/openOrders", symbol="BTCUSDT")


async def recv_json(ws: Any, timeout: float = 5.0) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def first(ws: Any, pred: Any) -> Any:
    for _ in range(5000):
        m = await recv_json(ws)
        if pred(m):
            return m
    raise AssertionError("not received")


async def test_market_streams(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws/btcusdt@trade/btcusdt@aggTrade/btcusdt@bookTicker/btcusdt@kline_1m") as ws:
        assert_conforms(await first(ws, lambda m: m.get("e") == "trade"), fixture("ws_trade.json"))
        assert_conforms(await first(ws, lambda m: m.get("e") == "aggTrade"), fixture("ws_aggTrade.json"))
        assert_conforms(await first(ws, lambda m: "u" in m), fixture("ws_bookTicker.json"))
        assert_conforms(await first(ws, lambda m: m.get("e") == "kline"), fixture("ws_kline.json"))
    async with websockets.connect(f"{ex.ws_url}/stream?streams=btcusdt@kline_1m") as ws:
        closed = await first(ws, lambda m: m["data"]["k"]["x"])
        assert_conforms(closed, fixture("ws_kline_closed_combined.json"))


async def test_control_responses(ex: SimExchange) -> None:
    async with websockets.connect(f"{ex.ws_url}/ws") as ws:
        await ws.send(json.dumps(fixture("ws_subscribe_request.json") | {"params": ["btcusdt@aggTrade"]}))
        assert await first(ws, lambda m: "id" in m) == fixture("ws_subscribe_response.json")
        await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 3}))
        assert await first(ws, lambda m: "id" in m) == fixture("ws_list_subscriptions_response.json")
        await ws.send("{")
        assert_conforms(await first(ws, lambda m: "code" in m), fixture("ws_error_invalid_json.json"))
        await ws.send(json.dumps({"method": "NOPE", "id": 7}))
        assert_conforms(await first(ws, lambda m: "code" in m), fixture("ws_error_unknown_method.json"))


async def test_server_shutdown_event() -> None:
    other = SimExchange(auto_tick=False).start()
    async with websockets.connect(f"{other.ws_url}/ws") as ws:
        await asyncio.sleep(0.05)
        await asyncio.get_running_loop().run_in_executor(None, other.stop)
        assert_conforms(await recv_json(ws), fixture("ws_serverShutdown.json"))


async def test_user_data_and_ws_api(ex: SimExchange, client: RestClient) -> None:
    async with websockets.connect(ex.ws_api_url) as ws:
        await ws.send(ws_api_request("userDataStream.subscribe.signature", {}, ex.api_key(), ex.secret(),
                                     "d3df8a22-98ea-4fe0-9f4e-0fcea5d418b7"))
        sub = await recv_json(ws)
        assert_conforms(sub, fixture("wsapi_userDataStream_subscribe_response.json"))
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lambda: limit_order(ex, client))
        report = await first(ws, lambda m: m.get("event", {}).get("e") == "executionReport")
        assert_conforms(report["event"], fixture("user_executionReport_new.json"))
        position = await first(ws, lambda m: m.get("event", {}).get("e") == "outboundAccountPosition")
        assert_conforms(position, fixture("wsapi_event_wrapper.json"))
        assert_conforms(position["event"], fixture("user_outboundAccountPosition.json"))
        await loop.run_in_executor(None, lambda: ex.deposit("BTC", "100"))
        update = await first(ws, lambda m: m.get("event", {}).get("e") == "balanceUpdate")
        assert update["event"] == fixture("user_balanceUpdate.json") | {"E": update["event"]["E"],
                                                                        "T": update["event"]["T"]}
        await ws.send(ws_api_request("order.place", {"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET",
                                                     "quantity": "1000"}, ex.api_key(), ex.secret(), "abc"))
        err = await first(ws, lambda m: m.get("id") == "abc")
        assert_conforms(err, fixture("wsapi_error.json"))
    client.signed("DELETE", "/api/v3/openOrders", symbol="BTCUSDT")


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"not JSON: {name} in {text}")

    return json.loads(text, parse_constant=refuse)


async def test_ws_api_ids_are_echoed_exactly_as_sent(ex: SimExchange) -> None:
    # Binance takes an integer of any length, a string or null as the id and echoes it; any other
    # JSON is refused with an error whose id is null. Every reply is valid JSON (no Infinity).
    echoed = ["1", "-5", "18446744073709551615", "123456789012345678901234567890", '"d3df-8a22"', "null"]
    refused = ["1e400", "1.5", "2E3", "true", "[1]", '{"a": 1}']
    async with websockets.connect(ex.ws_api_url) as ws:
        for raw in echoed + refused:
            await ws.send('{"id": ' + raw + ' , "method": "ping"}')
            text = await asyncio.wait_for(ws.recv(), 5.0)
            reply = _strict_json(text)
            if raw in echoed:
                assert reply["status"] == 200, text
                assert text.startswith('{"id":' + raw.replace(" ", "") + ","), text
            else:
                assert reply["status"] == 400 and reply["id"] is None, text
                assert reply["error"]["code"] == -1102 and "'id'" in reply["error"]["msg"], text
        # With no id at all the reply's id is null.
        await ws.send('{"method": "ping"}')
        reply = _strict_json(await asyncio.wait_for(ws.recv(), 5.0))
        assert reply["id"] is None and reply["status"] == 200
