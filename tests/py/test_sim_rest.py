"""REST API of the simulated exchange: endpoints, signatures, recvWindow, weights, error codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

import pytest

from sim_client import RestClient, now_ms, sign
from tradeengine.sim import SimExchange


@pytest.fixture
def ex() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT", "ETHUSDT"], balances={"USDT": "100000", "BTC": "2"}, auto_tick=False) as e:
        yield e


@pytest.fixture
def client(ex: SimExchange) -> Iterator[RestClient]:
    c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
    yield c
    c.close()


def test_ping_time_and_used_weight_header(client: RestClient) -> None:
    r = client.public("GET", "/api/v3/ping")
    assert r.status == 200 and r.json() == {}
    assert r.headers["x-mbx-used-weight-1m"] == "1"
    t = client.public("GET", "/api/v3/time").json()["serverTime"]
    assert abs(t - now_ms()) < 5000
    r = client.public("GET", "/api/v3/exchangeInfo")
    assert r.headers["x-mbx-used-weight-1m"] == "22"


def test_exchange_info_filters(client: RestClient) -> None:
    info = client.public("GET", "/api/v3/exchangeInfo", symbol="BTCUSDT").json()
    assert [s["symbol"] for s in info["symbols"]] == ["BTCUSDT"]
    filters = {f["filterType"]: f for f in info["symbols"][0]["filters"]}
    assert filters["PRICE_FILTER"]["tickSize"] == "0.01000000"
    assert filters["LOT_SIZE"]["stepSize"] == "0.00001000"
    assert filters["NOTIONAL"]["minNotional"] == "5.00000000"
    both = client.public("GET", "/api/v3/exchangeInfo", symbols='["BTCUSDT","ETHUSDT"]').json()
    assert len(both["symbols"]) == 2
    bad = client.public("GET", "/api/v3/exchangeInfo", symbol="NOPE")
    assert bad.status == 400 and bad.json() == {"code": -1121, "msg": "Invalid symbol."}


def test_klines_rows_and_ranges(ex: SimExchange, client: RestClient) -> None:
    rows = client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", limit=10).json()
    assert len(rows) == 10
    for a, b in zip(rows, rows[1:]):
        assert b[0] == a[6] + 1
    for r in rows:
        assert len(r) == 12 and r[6] == r[0] + 60_000 - 1
        assert Decimal(r[3]) <= Decimal(r[1]) <= Decimal(r[2])
    start = rows[2][0]
    sub = client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", startTime=start, limit=3).json()
    assert [r[0] for r in sub] == [rows[2][0], rows[3][0], rows[4][0]]
    end = client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", endTime=start, limit=2).json()
    assert [r[0] for r in end] == [rows[1][0], rows[2][0]]
    for interval in ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"]:
        r = client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval=interval, limit=1)
        assert r.status == 200 and len(r.json()) == 1, interval
    assert client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="2m").json()["code"] == -1120
    assert client.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", limit=1001).status == 400
    assert client.public("GET", "/api/v3/klines", interval="1m").json()["code"] == -1102


def test_ticker_price(client: RestClient) -> None:
    one = client.public("GET", "/api/v3/ticker/price", symbol="ETHUSDT").json()
    assert one["symbol"] == "ETHUSDT" and Decimal(one["price"]) > 0
    assert len(client.public("GET", "/api/v3/ticker/price").json()) == 2


def test_order_lifecycle(ex: SimExchange, client: RestClient) -> None:
    bid = ex.book("BTCUSDT")["bids"][0][0]
    price = str(bid - 100)
    r = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                      quantity="0.01000", price=price, newClientOrderId="my-1")
    assert r.status == 200, r
    order = r.json()
    assert order["status"] == "NEW" and order["clientOrderId"] == "my-1"
    assert r.headers["x-mbx-order-count-10s"] == "1"
    assert "fills" in order and order["fills"] == []
    assert ex.balances()["USDT"]["locked"] == Decimal(price) * Decimal("0.01")
    dup = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                        quantity="0.01000", price=price, newClientOrderId="my-1")
    assert dup.status == 400 and dup.json() == {"code": -2010, "msg": "Duplicate order sent."}
    q = client.signed("GET", "/api/v3/order", symbol="BTCUSDT", origClientOrderId="my-1").json()
    assert q["orderId"] == order["orderId"] and q["isWorking"] is True
    opens = client.signed("GET", "/api/v3/openOrders", symbol="BTCUSDT").json()
    assert [o["orderId"] for o in opens] == [order["orderId"]]
    c = client.signed("DELETE", "/api/v3/order", symbol="BTCUSDT", orderId=order["orderId"], newClientOrderId="cx-1")
    assert c.status == 200, c
    assert c.json()["status"] == "CANCELED"
    assert c.json()["origClientOrderId"] == "my-1" and c.json()["clientOrderId"] == "cx-1"
    again = client.signed("DELETE", "/api/v3/order", symbol="BTCUSDT", orderId=order["orderId"])
    assert again.json() == {"code": -2011, "msg": "Unknown order sent."}
    missing = client.signed("GET", "/api/v3/order", symbol="BTCUSDT", orderId=999999)
    assert missing.json() == {"code": -2013, "msg": "Order does not exist."}
    assert ex.balances()["USDT"] == {"free": Decimal("100000"), "locked": Decimal("0")}


def test_market_order_fills_and_my_trades(ex: SimExchange, client: RestClient) -> None:
    r = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.5")
    o = r.json()
    assert o["status"] == "FILLED" and o["type"] == "MARKET"
    assert sum(Decimal(f["qty"]) for f in o["fills"]) == Decimal("0.5")
    trades = client.signed("GET", "/api/v3/myTrades", symbol="BTCUSDT").json()
    assert [t["id"] for t in trades] == [f["tradeId"] for f in o["fills"]]
    assert all(t["isBuyer"] and not t["isMaker"] for t in trades)
    acct = client.signed("GET", "/api/v3/account").json()
    btc = next(b for b in acct["balances"] if b["asset"] == "BTC")
    assert Decimal(btc["free"]) == Decimal("2.5") - sum(Decimal(f["commission"]) for f in o["fills"])
    q = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="SELL", type="MARKET",
                      quoteOrderQty="1000", newOrderRespType="RESULT").json()
    assert q["status"] == "FILLED" and "fills" not in q
    assert Decimal(q["cummulativeQuoteQty"]) <= Decimal("1000")
    ack = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001",
                        newOrderRespType="ACK").json()
    assert set(ack) == {"symbol", "orderId", "orderListId", "clientOrderId", "transactTime"}


def test_cancel_all_and_test_order(ex: SimExchange, client: RestClient) -> None:
    bid = ex.book("BTCUSDT")["bids"][0][0]
    for i in range(3):
        client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                      quantity="0.001", price=str(bid - 10 - i))
    r = client.signed("DELETE", "/api/v3/openOrders", symbol="BTCUSDT")
    assert r.status == 200 and len(r.json()) == 3 and all(o["status"] == "CANCELED" for o in r.json())
    t = client.signed("POST", "/api/v3/order/test", symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                      quantity="0.001", price=str(bid - 10))
    assert t.status == 200 and t.json() == {}
    assert ex.open_orders() == []


@pytest.mark.parametrize(
    "params,code,msg",
    [
        ({"price": "100.001"}, -1013, "Filter failure: PRICE_FILTER"),
        ({"quantity": "0.000001"}, -1013, "Filter failure: LOT_SIZE"),
        ({"quantity": "0.00001", "price": "100"}, -1013, "Filter failure: NOTIONAL"),
        ({"quantity": "-1"}, -1100, None),
        ({"quantity": "1e3"}, -1100, None),
        ({"side": "UP"}, -1117, "Invalid side."),
        ({"type": "FANCY"}, -1116, "Invalid orderType."),
        ({"timeInForce": "DAY"}, -1115, "Invalid timeInForce."),
        ({"timeInForce": None}, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."),
        ({"symbol": "XYZ"}, -1121, "Invalid symbol."),
        ({"newClientOrderId": "bad id!"}, -1100, None),
        ({"quantity": "10"}, -2010, "Account has insufficient balance for requested action."),
    ],
)
def test_order_errors(client: RestClient, params: dict, code: int, msg: str | None) -> None:
    base = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.01",
            "price": "40000"}
    base.update(params)
    r = client.signed("POST", "/api/v3/order", **base)
    assert r.status == 400, r
    body = r.json()
    assert body["code"] == code
    if msg:
        assert body["msg"] == msg


def test_limit_maker_that_would_take_is_rejected(ex: SimExchange, client: RestClient) -> None:
    ask = ex.book("BTCUSDT")["asks"][0][0]
    r = client.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="LIMIT_MAKER",
                      quantity="0.01", price=str(ask))
    assert r.json() == {"code": -2010, "msg": "Order would immediately match and take."}


def test_signature_edge_cases(ex: SimExchange, client: RestClient) -> None:
    ok = client.signed("GET", "/api/v3/account")
    assert ok.status == 200
    # uppercase hex is accepted
    q = f"timestamp={now_ms()}"
    sig = sign(ex.secret(), q).upper()
    r = client.raw("GET", f"/api/v3/account?{q}&signature={sig}", headers={"X-MBX-APIKEY": ex.api_key()})
    assert r.status == 200
    # signature in the body, params split between query and body
    r = client.signed("POST", "/api/v3/order/test", in_body=True, symbol="BTCUSDT", side="BUY", type="MARKET",
                      quantity="0.001")
    assert r.status == 200, r
    body = f"side=BUY&type=MARKET&quantity=0.001&timestamp={now_ms()}"
    query = "symbol=BTCUSDT"
    sig = sign(ex.secret(), query + body)
    r = client.raw("POST", f"/api/v3/order/test?{query}", body=f"{body}&signature={sig}",
                   headers={"X-MBX-APIKEY": ex.api_key(), "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200, r
    bad = client.signed("GET", "/api/v3/account", secret="wrong-secret")
    assert bad.status == 400 and bad.json() == {"code": -1022, "msg": "Signature for this request is not valid."}
    tampered = client.raw("GET", f"/api/v3/account?timestamp={now_ms()}&signature=deadbeef",
                          headers={"X-MBX-APIKEY": ex.api_key()})
    assert tampered.json()["code"] == -1022
    nosig = client.raw("GET", f"/api/v3/account?timestamp={now_ms()}", headers={"X-MBX-APIKEY": ex.api_key()})
    assert nosig.json()["code"] == -1102
    nokey = client.signed("GET", "/api/v3/account", api_key="")
    assert nokey.status == 401 and nokey.json()["code"] == -2014
    wrongkey = client.signed("GET", "/api/v3/account", api_key="nobody")
    assert wrongkey.status == 401 and wrongkey.json() == {
        "code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}


def test_recv_window_rule(client: RestClient) -> None:
    t = now_ms()
    assert client.signed("GET", "/api/v3/account", timestamp=t - 4000).status == 200
    old = client.signed("GET", "/api/v3/account", timestamp=t - 6000)
    assert old.json() == {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
    assert client.signed("GET", "/api/v3/account", timestamp=t - 6000, recvWindow=10000).status == 200
    ahead = client.signed("GET", "/api/v3/account", timestamp=t + 5000)
    assert ahead.json()["code"] == -1021 and "ahead" in ahead.json()["msg"]
    assert client.signed("GET", "/api/v3/account", timestamp=t + 500).status == 200
    assert client.signed("GET", "/api/v3/account", timestamp=(t - 1000) * 1000).status == 200  # microseconds
    assert client.signed("GET", "/api/v3/account", recvWindow=70000).status == 400
    missing = client.raw("GET", "/api/v3/account?signature=x", headers={"X-MBX-APIKEY": "k"})
    assert missing.status == 401


def test_weight_limit_429_then_418() -> None:
    with SimExchange(weight_limit_1m=10, requests_after_429_before_ban=2, ban_seconds=60, auto_tick=False) as ex:
        c = RestClient(ex.rest_url)
        statuses = [c.public("GET", "/api/v3/ping").status for _ in range(10)]
        assert statuses == [200] * 10
        r = c.public("GET", "/api/v3/ping")
        assert r.status == 429 and r.json()["code"] == -1003 and int(r.headers["retry-after"]) > 0
        assert r.headers["x-mbx-used-weight-1m"] == "11"
        assert c.public("GET", "/api/v3/ping").status == 429
        banned = c.public("GET", "/api/v3/ping")
        assert banned.status == 418 and int(banned.headers["retry-after"]) == 60
        assert "banned" in banned.json()["msg"]
        c.close()


def test_order_rate_limit() -> None:
    with SimExchange(orders_limit_10s=3, auto_tick=False) as ex:
        c = RestClient(ex.rest_url, ex.api_key(), ex.secret())
        codes = []
        for _ in range(4):
            r = c.signed("POST", "/api/v3/order", symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001")
            codes.append((r.status, r.json().get("code")))
        assert codes[:3] == [(200, None)] * 3
        assert codes[3][0] == 429 and codes[3][1] == -1015
        c.close()


def test_unknown_endpoint_and_bad_params(client: RestClient) -> None:
    assert client.public("GET", "/api/v3/nothing").status == 404
    r = client.signed("GET", "/api/v3/order", symbol="BTCUSDT")
    assert r.json()["code"] == -1102
    r = client.signed("GET", "/api/v3/order", symbol="BTCUSDT", orderId="abc")
    assert r.json()["code"] == -1100


def test_same_seed_same_history_and_path() -> None:
    def history(seed: int) -> list:
        with SimExchange(symbols=["BTCUSDT"], seed=seed, start_time_ms=1_700_000_040_000, history_minutes=30,
                         auto_tick=False) as ex:
            ex.step(50)
            c = RestClient(ex.rest_url)
            rows = c.public("GET", "/api/v3/klines", symbol="BTCUSDT", interval="1m", limit=100).json()
            c.close()
            return [r[:6] for r in rows] + [str(ex.book("BTCUSDT")["last"])]

    assert history(5) == history(5)
    assert history(5) != history(6)
