"""The Python facade SimExchange: lifecycle, addresses, inspection, bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import tradeengine as te
from tradeengine.sim import DEFAULT_API_KEY, SimExchange


def test_lifecycle_and_addresses() -> None:
    ex = SimExchange(auto_tick=False)
    assert not ex.running and repr(ex) == "SimExchange(stopped)"
    with ex:
        assert ex.running and ex.port > 0
        assert ex.rest_url == f"http://127.0.0.1:{ex.port}"
        assert ex.ws_url == f"ws://127.0.0.1:{ex.port}"
        assert ex.ws_api_url == f"ws://127.0.0.1:{ex.port}/ws-api/v3"
        assert ex.api_key() == DEFAULT_API_KEY
        assert str(ex.port) in repr(ex)
    assert not ex.running
    assert te.SimExchange is SimExchange


def test_inspection() -> None:
    with SimExchange(symbols=["BTCUSDT", {"symbol": "SOLUSDT", "base_asset": "SOL", "quote_asset": "USDT",
                                          "start_price": "150", "depth_levels": 3, "level_qty": "5"}],
                     balances={"USDT": "1000", "SOL": 2}, auto_tick=False) as ex:
        book = ex.book("SOLUSDT")
        assert len(book["bids"]) == 3 and book["asks"][0][1] == Decimal("5")
        assert book["bids"][0][0] < book["asks"][0][0]
        assert ex.balances() == {"SOL": {"free": Decimal("2"), "locked": Decimal("0")},
                                 "USDT": {"free": Decimal("1000"), "locked": Decimal("0")}}
        ex.deposit("USDT", "-100")
        assert ex.balances()["USDT"]["free"] == Decimal("900")
        assert ex.open_orders() == []
        t0 = ex.market_time_ms
        ex.step(10)
        assert ex.market_time_ms == t0 + 1000
        assert abs(ex.server_time_ms() - te.now_ns() // 1_000_000) < 5000
        ex.set_faults(clock_skew_ms=5000)
        assert ex.server_time_ms() - te.now_ns() // 1_000_000 > 4000
        ex.clear_faults()
        assert ex.faults["clock_skew_ms"] == 0
        stats = ex.stats()
        assert {"connections_open", "http_requests", "market_messages_sent"} <= set(stats)


def test_bad_input() -> None:
    with pytest.raises(te.ConfigError, match="unknown key"):
        SimExchange(colour="red")
    with pytest.raises(te.ConfigError, match="speed"):
        SimExchange(speed=0)
    with pytest.raises(TypeError, match="float"):
        SimExchange(balances={"USDT": 10.5})
    with pytest.raises(te.ConfigError, match="kline_csv"):
        SimExchange(symbols=[{"symbol": "BTCUSDT", "base_asset": "BTC", "quote_asset": "USDT",
                              "kline_csv": "/nonexistent.csv"}])
    with SimExchange(auto_tick=False) as ex:
        with pytest.raises(ValueError, match="unknown symbol"):
            ex.book("NOPE")
        with pytest.raises(ValueError, match="unknown account"):
            ex.balances(7)
        with pytest.raises(ValueError, match="unknown fault"):
            ex.set_faults(meteor=True)
        with pytest.raises(ValueError):
            ex.deposit("USDT", "abc")


def test_two_exchanges_side_by_side() -> None:
    with SimExchange(auto_tick=False) as a, SimExchange(auto_tick=False) as b:
        assert a.port != b.port
        assert json.loads(json.dumps(a.stats()))["connections_open"] == 0
