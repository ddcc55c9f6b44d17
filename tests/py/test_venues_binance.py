"""The Binance connectors from Python, against the simulated exchange on loopback: candles,
trades and quotes into an engine's handlers, reconnects, orders and fills on the order lane,
configuration errors before any connection, and secrets that never reach a log."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from polling import eventually

import tradeengine as te
from tradeengine.sim import SimExchange
from tradeengine.venues import BinanceConfig, BinanceExecution, BinanceMarketData, Credentials




class Recorder:
    """Thread-safe list of what a handler received."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._lock = threading.Lock()

    def __call__(self, event: te.Event) -> None:
        with self._lock:
            self.items.append(event.payload)

    def __len__(self) -> int:
        with self._lock:
            return len(self.items)

    def copy(self) -> list[Any]:
        with self._lock:
            return list(self.items)


@pytest.fixture
def fast_sim() -> Iterator[SimExchange]:
    # One simulated minute every 20 ms: 1m klines close 50 times a second.
    with SimExchange(symbols=["BTCUSDT", "ETHUSDT"], speed=3000, tick_ms=20, history_minutes=10) as sim:
        yield sim


@pytest.fixture
def engine() -> Iterator[te.Engine]:
    e = te.Engine(name="venue-test")
    e.run()
    e.wait_until_ready_blocking()
    yield e
    if e.state == te.EngineState.RUNNING:
        e.stop()


def fast_reconnects(**kw: Any) -> dict[str, Any]:
    return {"backoff": (0.02,), "backoff_jitter": 0.0, **kw}


def test_candles_trades_and_quotes_reach_python_handlers(fast_sim: SimExchange, engine: te.Engine) -> None:
    closed, updates, trades, quotes = Recorder(), Recorder(), Recorder(), Recorder()
    engine.subscribe(te.EventType.CANDLE_CLOSED, closed)
    engine.subscribe(te.EventType.CANDLE_UPDATE, updates)
    engine.subscribe(te.EventType.TRADE, trades)
    engine.subscribe(te.EventType.QUOTE, quotes)
    feed = BinanceMarketData(
        BinanceConfig.simulated(fast_sim, symbols=["BTCUSDT", "ETHUSDT"], trades=True, quotes=True)
    )
    feed.connect(engine)
    assert eventually(lambda: len(closed) >= 10 and len(trades) and len(quotes) and len(updates))
    candles = closed.copy()
    assert {c.instrument_id.symbol for c in candles} == {"BTCUSDT", "ETHUSDT"}
    assert all(c.closed for c in candles) and not any(u.closed for u in updates.copy())
    for symbol in ("BTCUSDT", "ETHUSDT"):
        opens = [c.open_time for c in candles if c.instrument_id.symbol == symbol]
        assert opens == sorted(set(opens)), "in order, no duplicate"
    assert isinstance(trades.copy()[0], te.Trade) and isinstance(quotes.copy()[0], te.Quote)
    m = engine.metrics()
    assert m["trades_received"] > 0 and m["quotes_received"] > 0 and m["candles_received"] > 0
    stats = feed.stats()
    assert stats["parse_errors"] == 0 and feed.connections == 1
    assert set(stats["streams"]) == {
        "btcusdt@kline_1m", "btcusdt@trade", "btcusdt@bookTicker",
        "ethusdt@kline_1m", "ethusdt@trade", "ethusdt@bookTicker",
    }  # fmt: skip
    assert all(s["staleness"] is not None and s["staleness"] < 5 for s in stats["streams"].values())


def test_a_dropped_feed_reconnects_and_backfills_without_duplicate_or_hole(
    fast_sim: SimExchange, engine: te.Engine
) -> None:
    closed = Recorder()
    engine.subscribe(te.EventType.CANDLE_CLOSED, closed)
    feed = BinanceMarketData(BinanceConfig.simulated(fast_sim, symbols=["BTCUSDT"], **fast_reconnects()))
    feed.connect(engine)
    assert eventually(lambda: len(closed) >= 5)
    for _ in range(5):
        fast_sim.drop_connections()
        time.sleep(0.15)
    fast_sim.restart(0.2)
    assert eventually(lambda: feed.stats()["reconnects"] >= 6)
    n = len(closed)
    assert eventually(lambda: len(closed) >= n + 10)
    opens = [c.open_time for c in closed.copy()]
    minute = 60_000_000_000
    assert all(b - a == minute for a, b in zip(opens, opens[1:])), "gap-free, duplicate-free"
    assert feed.stats()["backfilled"] > 0


def test_engine_stop_disconnects_the_feed_before_draining(fast_sim: SimExchange) -> None:
    engine = te.Engine(name="stop-order")
    engine.run()
    closed = Recorder()
    engine.subscribe(te.EventType.CANDLE_CLOSED, closed)
    feed = BinanceMarketData(BinanceConfig.simulated(fast_sim, symbols=["BTCUSDT"]))
    feed.connect(engine)
    assert eventually(lambda: len(closed) >= 3)
    engine.stop()
    assert not feed.connected
    m = engine.metrics()
    # Nothing was refused for arriving after the stop: the feed stopped first.
    assert m["candles_dropped_not_running"] == 0
    n = len(closed)
    time.sleep(0.2)
    assert len(closed) == n


def test_connect_before_the_engine_runs_is_refused(fast_sim: SimExchange) -> None:
    engine = te.Engine(name="not-yet")
    feed = BinanceMarketData(BinanceConfig.simulated(fast_sim, symbols=["BTCUSDT"]))
    with pytest.raises(te.EngineNotRunningError, match="RUNNING"):
        feed.connect(engine)
    assert not feed.connected


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"symbols": []}, "symbols is empty"),
        ({"symbols": ["btcusdt"]}, "symbol 'btcusdt' must be 1-20 upper-case"),
        ({"symbols": ["BTCUSDT", "BTCUSDT"]}, "listed twice"),
        ({"symbols": ["BTCUSDT"], "intervals": ["7m"]}, "interval '7m'"),
        ({"symbols": ["BTCUSDT"], "rest_url": "ftp://x"}, "rest_url 'ftp://x' must start with http"),
        ({"symbols": ["BTCUSDT"], "stream_url": "not a url"}, "stream_url 'not a url' is not a URL"),
        ({"symbols": ["BTCUSDT"], "connect_timeout": -1}, "connect_timeout -1"),
        ({"symbols": ["BTCUSDT"], "backoff": ()}, "backoff"),
        ({"symbols": [f"S{i}" for i in range(600)], "intervals": ["1m", "5m"], "max_connections": 1},
         "1200 streams are more than allowed"),
    ],
)
def test_bad_market_data_configuration_is_refused_before_any_connection(
    fast_sim: SimExchange, settings: dict[str, Any], message: str
) -> None:
    before = fast_sim.stats()
    with pytest.raises(te.ConfigError, match=message):
        BinanceMarketData(BinanceConfig.simulated(fast_sim, **settings))
    time.sleep(0.05)
    assert fast_sim.stats()["connections_accepted"] == before["connections_accepted"]


def test_every_problem_is_listed_at_once() -> None:
    cfg = BinanceConfig(symbols=["x"], intervals=["9m"], rest_url="nope", recv_window=100)
    with pytest.raises(te.ConfigError) as err:
        cfg.validate(execution=True)
    text = str(err.value)
    for part in ("symbol 'x'", "interval '9m'", "rest_url 'nope'", "recv_window 100", "credentials missing"):
        assert part in text


def test_an_unknown_symbol_is_a_config_error_at_connect(fast_sim: SimExchange, engine: te.Engine) -> None:
    ex = BinanceExecution(BinanceConfig.simulated(fast_sim, symbols=["DOGEUSDT"]))
    with pytest.raises(te.ConfigError, match="DOGEUSDT"):
        ex.connect(engine)


def test_unknown_config_keys_are_named() -> None:
    with pytest.raises(te.ConfigError, match="unknown key.*symbls"):
        BinanceConfig.from_mapping({"symbls": ["BTCUSDT"]})
    cfg = BinanceConfig.from_mapping({"network": "testnet", "symbols": ["BTCUSDT"], "api_key": "key-1234", "api_secret": "secret-5678"})
    assert cfg.rest_url == "https://testnet.binance.vision"
    assert cfg.ws_api_url == "wss://ws-api.testnet.binance.vision/ws-api/v3"
    cfg.validate(execution=True)


# ---- execution --------------------------------------------------------------------------------


@pytest.fixture
def sim() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "100000", "BTC": "1"}, auto_tick=False) as s:
        yield s


def test_orders_and_fills_arrive_on_the_order_lane(sim: SimExchange, engine: te.Engine) -> None:
    updates, fills, balances = Recorder(), Recorder(), Recorder()
    lanes: list[te.Lane] = []
    engine.subscribe(te.EventType.ORDER_UPDATE, updates)
    engine.subscribe(te.EventType.ORDER_FILL, lambda e: (lanes.append(e.lane), fills(e)))
    engine.subscribe(te.EventType.BALANCE_UPDATE, balances)
    ex = BinanceExecution(BinanceConfig.simulated(sim, symbols=["BTCUSDT"]))
    ex.connect(engine)
    assert ex.user_stream_ready
    bid = sim.book("BTCUSDT")["bids"][0][0]
    resting = ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.01"),
                                       price=te.Price(str(bid - 100)), client_order_id="py-rest-1"))
    assert resting.status == te.OrderStatus.ACCEPTED and resting.client_order_id == "py-rest-1"
    assert [o.client_order_id for o in ex.open_orders("BTCUSDT")] == ["py-rest-1"]
    canceled = ex.cancel("BTCUSDT", "py-rest-1")
    assert canceled.status == te.OrderStatus.CANCELED
    filled = ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.02"),
                                      type=te.OrderType.MARKET, client_order_id="py-mkt-1"))
    assert filled.status == te.OrderStatus.FILLED
    assert eventually(lambda: len(fills) >= 1 and len(balances) >= 1)
    f = fills.copy()[0]
    assert isinstance(f, te.Fill) and f.client_order_id == "py-mkt-1" and f.side == te.Side.BUY
    assert sum((x.quantity for x in fills.copy()), te.Quantity("0")) == te.Quantity("0.02")
    assert set(lanes) == {te.Lane.ORDER}
    statuses = [u.status for u in updates.copy() if u.client_order_id == "py-rest-1"]
    assert statuses[0] == te.OrderStatus.ACCEPTED and statuses[-1] == te.OrderStatus.CANCELED
    account = ex.account()
    fees = sum((x.commission for x in fills.copy() if x.commission_asset == "BTC"), te.Money("0"))
    assert fees > te.Money("0"), "the taker fee of a buy is paid in the base asset"
    assert account["balances"]["BTC"].free.as_decimal() == (te.Quantity("1.02").as_decimal() - fees.as_decimal())
    assert ex.stats()["orders_accepted"] == 2


def test_rejects_carry_the_reason_and_rounding_follows_the_filters(sim: SimExchange, engine: te.Engine) -> None:
    ex = BinanceExecution(BinanceConfig.simulated(sim, symbols=["BTCUSDT"]))
    ex.connect(engine)
    prepared = ex.prepare(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.0123456"),
                                          price=te.Price("40000.017")))
    assert prepared.quantity == te.Quantity("0.01234") and prepared.price == te.Price("40000.01")
    with pytest.raises(te.OrderRejectedError, match="(?i)notional"):
        ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.00001"), price=te.Price("100")))
    with pytest.raises(te.OrderRejectedError, match="(?i)insufficient balance"):
        ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.SELL, te.Quantity("50"), type=te.OrderType.MARKET))
    with pytest.raises(ValueError, match="needs a price"):
        te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("1"))
    with pytest.raises(ValueError, match="client_order_id"):
        te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("1"), price=te.Price("1"), client_order_id="a b")
    assert engine.state == te.EngineState.RUNNING


def test_wrong_keys_raise_authentication_error_and_alert(sim: SimExchange, engine: te.Engine) -> None:
    cfg = BinanceConfig.simulated(sim, symbols=["BTCUSDT"], credentials=Credentials(sim.api_key(), "wrong-secret"))
    ex = BinanceExecution(cfg)
    with pytest.raises(te.AuthenticationError):
        ex.connect(engine)
    assert not ex.user_stream_ready


# ---- secrets ------------------------------------------------------------------------------------


def test_credentials_never_appear_in_logs_reprs_or_errors(tmp_path: Path, sim: SimExchange) -> None:
    secret, key = sim.secret(), sim.api_key()
    log_file = tmp_path / "engine.log"
    te.configure_logging(level="debug", file=str(log_file), json=True)
    try:
        engine = te.Engine(name="secrets")
        engine.run()
        cfg = BinanceConfig.simulated(sim, symbols=["BTCUSDT"])
        assert secret not in repr(cfg) and key not in repr(cfg) and secret not in str(cfg.credentials)
        ex = BinanceExecution(cfg)
        ex.connect(engine)
        ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.01"), type=te.OrderType.MARKET))
        with pytest.raises(te.OrderRejectedError):
            ex.place(te.OrderRequest("BTCUSDT.BINANCE", te.Side.SELL, te.Quantity("99"), type=te.OrderType.MARKET))
        sim.drop_connections()  # the user stream re-subscribes: a signed request again
        assert eventually(lambda: ex.stats()["user_stream_subscriptions"] >= 2)
        bad = BinanceExecution(BinanceConfig.simulated(sim, symbols=["BTCUSDT"],
                                                       credentials=Credentials(key, secret + "x")))
        with pytest.raises(te.AuthenticationError) as err:
            bad.connect(engine)
        assert secret not in str(err.value)
        engine.stop()
    finally:
        te.flush_logs()
        te.configure_logging(level="info")
    text = log_file.read_text()
    assert "binance" in text.lower(), "the log has the connector's lines"
    assert secret not in text and key not in text


def test_credentials_too_short_to_redact_are_refused() -> None:
    with pytest.raises(te.ConfigError, match="at least 4 characters"):
        Credentials("abc", "a-long-enough-secret")


def test_credentials_from_env_and_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BINANCE_API_KEY", raising=False)
    monkeypatch.delenv("BINANCE_API_SECRET", raising=False)
    with pytest.raises(te.ConfigError, match="BINANCE_API_KEY, BINANCE_API_SECRET"):
        Credentials.from_env()
    monkeypatch.setenv("BINANCE_API_KEY", "env-key-123")
    monkeypatch.setenv("BINANCE_API_SECRET", "env-secret-456")
    c = Credentials.from_env()
    assert c.api_key == "env-key-123" and "env-secret-456" not in repr(c)
    f = tmp_path / "keys"
    f.write_text("# testnet keys\napi_key = file-key\napi_secret = 'file-secret'\n")
    f.chmod(0o644)
    with pytest.raises(te.ConfigError, match="readable by others"):
        Credentials.from_file(f)
    f.chmod(0o600)
    c = Credentials.from_file(f)
    assert (c.api_key, c.api_secret) == ("file-key", "file-secret")
    f.write_text("api_key = key-1234\nthe-secret-itself\n")
    with pytest.raises(te.ConfigError, match="line 2") as err:
        Credentials.from_file(f)
    assert "the-secret-itself" not in str(err.value)
    with pytest.raises(te.ConfigError, match="cannot read"):
        Credentials.from_file(tmp_path / "missing")
    with pytest.raises(TypeError, match="picklable"):
        import pickle

        pickle.dumps(c)
