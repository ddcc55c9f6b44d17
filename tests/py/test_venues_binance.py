"""The Binance venue on a Node, against a stand-alone simulated exchange on loopback (a
Binance-compatible server that only the URLs point at): market data subscribed on demand,
reconnects without holes, orders and fills through the order manager, configuration errors
before any connection, and secrets that never reach a log, a repr or a pickle."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from polling import eventually

import tradeengine as te
from tradeengine.sim import SimExchange
from tradeengine.venues import Binance, Credentials


class Recorder(te.Strategy):
    """Keeps what it receives."""

    order_rate = 1e6
    order_burst = 1e6

    def __init__(self, symbols: tuple[str, ...] = ("BTCUSDT",), trades: bool = False, quotes: bool = False,
                 **kw: Any) -> None:  # fmt: skip
        super().__init__(**kw)
        self.want = (symbols, trades, quotes)
        self.lock = threading.Lock()
        self.candles: list[te.Candle] = []
        self.trades: list[te.Trade] = []
        self.quotes: list[te.Quote] = []
        self.updates: list[te.OrderUpdate] = []
        self.fills: list[te.Fill] = []

    def on_start(self) -> None:
        symbols, trades, quotes = self.want
        for s in symbols:
            self.subscribe_candles(s)
            if trades:
                self.subscribe_trades(s)
            if quotes:
                self.subscribe_quotes(s)

    def on_candle(self, c: te.Candle) -> None:
        with self.lock:
            self.candles.append(c)

    def on_trade(self, t: te.Trade) -> None:
        with self.lock:
            self.trades.append(t)

    def on_quote(self, q: te.Quote) -> None:
        with self.lock:
            self.quotes.append(q)

    def on_order_update(self, u: te.OrderUpdate) -> None:
        with self.lock:
            self.updates.append(u)

    def on_fill(self, f: te.Fill) -> None:
        with self.lock:
            self.fills.append(f)

    def send(self, request: te.OrderRequest) -> str:
        return self._context.submit(request)


@pytest.fixture
def fast_sim() -> Iterator[SimExchange]:
    # One simulated minute every 20 ms: 1m klines close 50 times a second.
    with SimExchange(symbols=["BTCUSDT", "ETHUSDT"], speed=3000, tick_ms=20, history_minutes=10,
                     balances={"USDT": "100000", "BTC": "1"}) as sim:  # fmt: skip
        yield sim


def fast_reconnects(**kw: Any) -> dict[str, Any]:
    return {"backoff": (0.02,), "backoff_jitter": 0.0, **kw}


def test_candles_trades_and_quotes_reach_a_strategy(fast_sim: SimExchange) -> None:
    r = Recorder(symbols=("BTCUSDT", "ETHUSDT"), trades=True, quotes=True)
    with te.Node(venues=[Binance.simulated(fast_sim)], strategies=[r]) as node:
        assert eventually(lambda: len(r.candles) >= 10 and r.trades and r.quotes)
        with r.lock:
            candles = list(r.candles)
        assert {c.instrument_id.symbol for c in candles} == {"BTCUSDT", "ETHUSDT"}
        assert {str(c.instrument_id.venue) for c in candles} == {"BINANCE"}
        assert all(c.closed for c in candles)
        for symbol in ("BTCUSDT", "ETHUSDT"):
            opens = [c.open_time for c in candles if c.instrument_id.symbol == symbol]
            assert opens == sorted(set(opens)), "in order, no duplicate"
        feeds = node.status().feeds["BINANCE"]
        assert {str(f.stream) for f in feeds} == {
            f"{s}.BINANCE {k}" for s in ("BTCUSDT", "ETHUSDT") for k in ("candles 1m", "trades", "quotes")
        }
        assert all(f.staleness is not None and f.staleness < 5 for f in feeds)
        assert node.status().component("BINANCE").details["parse_errors"] == "0"


def test_a_dropped_feed_reconnects_and_backfills_without_duplicate_or_hole(fast_sim: SimExchange) -> None:
    r = Recorder()
    with te.Node(venues=[Binance.simulated(fast_sim, **fast_reconnects())], strategies=[r]) as node:
        assert eventually(lambda: len(r.candles) >= 5)
        for _ in range(5):
            fast_sim.drop_connections()
            assert eventually(lambda: int(node.status().component("BINANCE").details["reconnects"]) >= 1)
        fast_sim.restart(0.2)
        assert eventually(lambda: int(node.status().component("BINANCE").details["reconnects"]) >= 2)
        n = len(r.candles)
        assert eventually(lambda: len(r.candles) >= n + 10)
        with r.lock:
            opens = [c.open_time for c in r.candles]
        minute = 60_000_000_000
        assert all(b - a == minute for a, b in zip(opens, opens[1:])), "gap-free, duplicate-free"


def test_stop_disconnects_the_feed_before_draining(fast_sim: SimExchange) -> None:
    r = Recorder()
    node = te.Node(venues=[Binance.simulated(fast_sim)], strategies=[r])
    with node:
        assert eventually(lambda: len(r.candles) >= 3)
    m = node.engine.metrics()
    # Nothing was refused for arriving after the stop: the feed stopped first.
    assert m["candles_dropped_not_running"] == 0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"symbols": ["btcusdt"]}, "symbol 'btcusdt' must be 1-20 upper-case"),
        ({"symbols": ["BTCUSDT", "BTCUSDT"]}, "listed twice"),
        ({"rest_url": "ftp://x"}, "rest_url 'ftp://x' must start with http"),
        ({"stream_url": "not a url"}, "stream_url 'not a url' is not a URL"),
        ({"connect_timeout": -1}, "connect_timeout -1"),
        ({"backoff": ()}, "backoff"),
        ({"name": "binance"}, "name 'binance'"),
    ],
)
def test_bad_configuration_is_refused_before_any_connection(
    fast_sim: SimExchange, settings: dict[str, Any], message: str
) -> None:
    before = fast_sim.stats()["connections_accepted"]
    with pytest.raises(te.ConfigError, match=message):
        Binance.simulated(fast_sim, **settings)
    assert fast_sim.stats()["connections_accepted"] == before


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(te.ConfigError) as err:
        Binance(symbols=["x"], rest_url="nope", recv_window=100, max_connections=0)
    text = str(err.value)
    for part in ("symbol 'x'", "rest_url 'nope'", "recv_window 100", "max_connections 0"):
        assert part in text, text


def test_a_data_only_venue_lists_its_symbols_and_trades_nothing(fast_sim: SimExchange) -> None:
    venue = Binance(rest_url=fast_sim.rest_url, stream_url=fast_sim.ws_url, ws_api_url=fast_sim.ws_api_url,
                    symbols=["BTCUSDT"])  # fmt: skip
    assert not venue.trading
    r = Recorder()
    with te.Node(venues=[venue], strategies=[r]):
        assert eventually(lambda: len(r.candles) >= 3)
        h = r.buy("BTCUSDT", "0.01")
        assert h.status == te.OrderStatus.REJECTED and "no venue named BINANCE trades here" in h.reason


def test_a_symbol_the_venue_does_not_list_fails_the_start(fast_sim: SimExchange) -> None:
    node = te.Node(venues=[Binance.simulated(fast_sim)], strategies=[Recorder(symbols=("DOGEUSDT",))])
    with pytest.raises(te.ConfigError, match="DOGEUSDT"):
        node.start()
    assert node.state == te.ComponentState.STOPPED


def test_unknown_config_keys_are_named() -> None:
    with pytest.raises(te.ConfigError, match="unknown key.*symbls"):
        Binance.from_mapping({"symbls": ["BTCUSDT"]})
    cfg = Binance.from_mapping({"network": "testnet", "symbols": ["BTCUSDT"], "api_key": "key-1234",
                                "api_secret": "secret-5678"})  # fmt: skip
    assert cfg.rest_url == "https://testnet.binance.vision"
    assert cfg.ws_api_url == "wss://ws-api.testnet.binance.vision/ws-api/v3"
    assert cfg.trading


# ---- execution --------------------------------------------------------------------------------


@pytest.fixture
def sim() -> Iterator[SimExchange]:
    with SimExchange(symbols=["BTCUSDT"], balances={"USDT": "100000", "BTC": "1"}, auto_tick=False) as s:
        yield s


def test_orders_and_fills_reach_the_strategy_through_the_order_manager(sim: SimExchange) -> None:
    r = Recorder()
    with te.Node(venues=[Binance.simulated(sim)], strategies=[r]) as node:
        bid = sim.book("BTCUSDT")["bids"][0][0]
        rest = r.send(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.01"),
                                      price=te.Price(str(bid - 100))))  # fmt: skip
        assert eventually(lambda: node.order(rest).status == te.OrderStatus.ACCEPTED)
        assert [o["clientOrderId"] for o in sim.open_orders()] == [rest]
        assert r.cancel(rest)
        assert eventually(lambda: node.order(rest).status == te.OrderStatus.CANCELED)
        mkt = r.send(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.02"), type=te.OrderType.MARKET))
        assert eventually(lambda: node.order(mkt).status == te.OrderStatus.FILLED)
        assert eventually(lambda: sum((f.quantity for f in r.fills), te.Quantity("0")) == te.Quantity("0.02"))
        statuses = [u.status for u in r.updates if u.client_order_id == rest]
        assert statuses == [te.OrderStatus.SUBMITTED, te.OrderStatus.ACCEPTED, te.OrderStatus.PENDING_CANCEL,
                            te.OrderStatus.CANCELED]  # fmt: skip
        fees = sum((f.commission.as_decimal() for f in r.fills if f.commission_asset == "BTC"), start=0)
        assert fees > 0, "the taker fee of a buy is paid in the base asset"
        venue_btc = sim.balances()["BTC"]["free"]
        assert eventually(lambda: node.portfolio.balances["BTC"].free.as_decimal() == venue_btc)


def test_rejects_carry_the_venues_code_and_words(sim: SimExchange) -> None:
    r = Recorder()
    with te.Node(venues=[Binance.simulated(sim)], strategies=[r]) as node:
        oid = r.send(te.OrderRequest("BTCUSDT.BINANCE", te.Side.SELL, te.Quantity("50"), type=te.OrderType.MARKET))
        view = eventually(lambda: (v := node.order(oid)).status == te.OrderStatus.REJECTED and v)
        assert view.reason.startswith("Binance -2010 ") and "insufficient balance" in view.reason.lower()
        with pytest.raises(ValueError, match="needs a price"):
            te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("1"))
        with pytest.raises(ValueError, match="client_order_id"):
            te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("1"), price=te.Price("1"),
                            client_order_id="a b")  # fmt: skip
        assert node.state == te.ComponentState.RUNNING


def test_wrong_keys_fail_the_start_with_an_authentication_error(sim: SimExchange) -> None:
    venue = Binance.simulated(sim, credentials=Credentials(sim.api_key(), "wrong-secret"))
    node = te.Node(venues=[venue], strategies=[Recorder()])
    with pytest.raises(te.AuthenticationError) as err:
        node.start()
    assert err.value.code == -1022 and "signature" in err.value.venue_message.lower()
    assert node.state == te.ComponentState.STOPPED


# ---- secrets ------------------------------------------------------------------------------------


def test_credentials_never_appear_in_logs_reprs_pickles_or_errors(tmp_path: Path, sim: SimExchange) -> None:
    secret, key = sim.secret(), sim.api_key()
    log_file = tmp_path / "engine.log"
    te.configure_logging(level="debug", file=str(log_file), json=True)
    try:
        cfg = Binance.simulated(sim)
        assert secret not in repr(cfg) and key not in repr(cfg) and secret not in str(cfg.credentials)
        with pytest.raises(TypeError, match="picklable"):
            pickle.dumps(cfg)
        r = Recorder()
        with te.Node(venues=[cfg], strategies=[r]) as node:
            r.send(te.OrderRequest("BTCUSDT.BINANCE", te.Side.BUY, te.Quantity("0.01"), type=te.OrderType.MARKET))
            bad = r.send(te.OrderRequest("BTCUSDT.BINANCE", te.Side.SELL, te.Quantity("99"), type=te.OrderType.MARKET))
            assert eventually(lambda: node.order(bad).status == te.OrderStatus.REJECTED)
            sim.drop_connections()  # the user stream re-subscribes: a signed request again
            assert eventually(
                lambda: int(node.status().component("BINANCE").details["user_stream_subscriptions"]) >= 2)
        bad_node = te.Node(venues=[Binance.simulated(sim, credentials=Credentials(key, secret + "x"))],
                           strategies=[Recorder(name="other")])  # fmt: skip
        with pytest.raises(te.AuthenticationError) as err:
            bad_node.start()
        assert secret not in str(err.value)
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
        pickle.dumps(c)
