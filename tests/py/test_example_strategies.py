"""The example strategies (tradeengine.strategies): SmaCross and MarketMaker against the
simulated exchange (one simulated minute every 20 ms), their exact pricing and signals on
hand-made data, and configuration errors that list every problem at once."""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from nodes import fast_sim
from polling import eventually

import tradeengine as te
from tradeengine.strategies import MarketMaker, MarketMakerConfig, SmaCross, SmaCrossConfig, tick_size_of
from tradeengine.strategy import Strategy, build_config

pytestmark = pytest.mark.timeout(60)

SYMBOL = "BTCUSDT"
ZERO = te.Quantity("0")


@contextmanager
def session(strategy: Strategy, *, symbol: str = SYMBOL) -> Iterator[te.Node]:
    """The strategy on a Node trading a fast simulated exchange from a quote-only account."""
    node = te.Node(venues=[fast_sim(symbols=(symbol,), balances={"USDT": "100000"})], strategies=[strategy])
    with node:
        yield node


def signed(quantity: te.Quantity, side: te.Side) -> Decimal:
    return quantity.as_decimal() if side == te.Side.BUY else -quantity.as_decimal()


def held(fill: te.Fill) -> Decimal:
    """What a fill moved in the account's base asset (a buy's commission is charged in it)."""
    base_fee = fill.commission.as_decimal() if fill.commission_asset == SYMBOL[:-4] else Decimal(0)
    return signed(fill.quantity, fill.side) - base_fee


# ---- SmaCross ----------------------------------------------------------------------------------


class RecordingSmaCross(SmaCross):
    """SmaCross that also keeps every fill it receives."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.lock = threading.Lock()
        self.received: list[te.Fill] = []

    def on_fill(self, fill: te.Fill) -> None:
        super().on_fill(fill)
        with self.lock:
            self.received.append(fill)

    def fill_sum(self) -> Decimal:
        with self.lock:
            return sum((held(f) for f in self.received), Decimal(0))


def test_sma_cross_trades_on_the_simulated_exchange_from_a_quote_only_account() -> None:
    s = RecordingSmaCross(symbols=(SYMBOL,), fast=3, slow=8, quantity="0.001")
    with session(s) as node:

        def filled() -> list[te.OrderView]:
            return [v for v in node.orders(s.name) if v.status == te.OrderStatus.FILLED]

        assert eventually(lambda: s.signals >= 3 and len(filled()) >= 2), (s.signals, s.orders, filled())
        s.unsubscribe_candles(SYMBOL)  # no more candles: no more orders
        assert eventually(lambda: not s.open_orders(SYMBOL)), s.open_orders(SYMBOL)
        views = node.orders(s.name)
        assert s.orders == len(views)
        assert all(v.request.type == te.OrderType.MARKET for v in views)
        assert all(v.status == te.OrderStatus.FILLED for v in views), [(v.status, v.reason) for v in views]
        # The position is what the strategy's fills left in the account, exactly (an order can be
        # FILLED before its fills reach the portfolio: wait for the fills).
        assert eventually(lambda: s.position(SYMBOL).quantity.as_decimal() == s.fill_sum()), (
            s.fill_sum(), s.position(SYMBOL))
        assert s.fills == len(s.received) >= len(views)
        # Long or flat, never more than one entry: what a close leaves (dust below the step size,
        # the buys' commissions having been taken in BTC) stays below one step.
        assert s.is_flat(SYMBOL) or s.position(SYMBOL).quantity < te.Quantity("0.001") + te.Quantity("0.00001")
        assert s.golden >= 1 and s.signals == s.golden + s.death
        fast, slow = s.averages(SYMBOL)
        assert isinstance(fast, Decimal) and isinstance(slow, Decimal)
        assert not [v for v in views if v.status == te.OrderStatus.REJECTED], "nothing rejected"
    assert node.summary().ok


class FakeRuntime:
    """Just enough of a node and its strategy runtime for signal tests (the real ones are
    tested on the simulated exchange): every order fills at once, or rests when ``rest``."""

    def __init__(self, rest: bool = False, btc: str = "0") -> None:
        self.quantity = Decimal(0)
        self.requests: list[te.OrderRequest] = []
        self.views: dict[str, Any] = {}
        self.rest = rest
        self.btc = te.Quantity(btc)
        self._native = self  # the node's native side answers resolve() and instrument()

    # the node
    def resolve(self, symbol: str) -> te.InstrumentId:
        return te.InstrumentId(symbol if "." in symbol else f"{symbol}.SIM")

    def instrument(self, iid: Any) -> None:
        return None

    def last_price(self, iid: Any) -> None:
        return None

    def order(self, oid: str) -> Any:
        return self.views.get(oid)

    @property
    def portfolio(self) -> Any:
        return SimpleNamespace(balance=lambda asset: SimpleNamespace(free=self.btc) if asset == "BTC" else None)

    # the strategy's context
    def position(self, iid: Any) -> Any:
        return SimpleNamespace(quantity=te.Quantity(self.quantity), is_flat=self.quantity == 0)

    def closable(self, iid: Any) -> te.Quantity:
        return te.Quantity(self.quantity)

    def open_orders(self, iid: Any = None) -> list[Any]:
        return [v for v in self.views.values() if v.is_open]

    def submit(self, request: te.OrderRequest) -> str:
        self.requests.append(request)
        oid = f"fake-{len(self.requests)}"
        self.views[oid] = SimpleNamespace(side=request.side, leaves_quantity=request.quantity, is_open=self.rest,
                                          request=request, status=te.OrderStatus.ACCEPTED, strategy="s")  # fmt: skip
        if not self.rest:
            self.quantity += signed(request.quantity, request.side)
        return oid

    def cancel(self, oid: str) -> bool:
        v = self.views.get(oid)
        if v is None or not v.is_open:
            return False
        v.is_open = False
        return True


def attach(strategy: Strategy, runtime: FakeRuntime) -> Any:
    """The strategy configured and wired to the fake runtime, its on_start run."""
    strategy._configure()
    strategy._node_ref = lambda: runtime  # type: ignore[assignment,return-value]
    strategy._ctx = runtime  # type: ignore[assignment]
    strategy.name = "s"
    strategy.on_start = lambda: None  # type: ignore[method-assign]  # no subscriptions here
    return strategy


def candle(close: str, minute: int) -> te.Candle:
    p = te.Price(close)
    start = minute * 60_000_000_000
    return te.Candle(f"{SYMBOL}.SIM", "1m", start, start + 59_999_999_999, p, p, p, p, te.Quantity("1"))


def test_sma_cross_signals_exactly_on_crosses() -> None:
    oms = FakeRuntime()
    s = attach(SmaCross(symbols=(SYMBOL,), fast=2, slow=3, quantity="0.5"), oms)
    # window full at the 3rd close: fast 11.5 > slow 11 (the starting side, no signal);
    # 9: fast 10.5 < 10.67 death (flat: nothing to close); 8: still below;
    # 12: fast 10 > 9.67 golden -> buy; 11 then 13 ... see below.
    for i, close in enumerate(["10", "11", "12", "9", "8", "12"]):
        s.on_candle(candle(close, i))
    assert (s.signals, s.golden, s.death, s.orders) == (2, 1, 1, 1)
    assert oms.requests[0].side == te.Side.BUY and oms.requests[0].type == te.OrderType.MARKET
    assert oms.requests[0].quantity == te.Quantity("0.5")
    # [8, 12, 10]: fast 11 > slow 10, still above. [12, 10, 14] and [10, 14, 6]: fast == slow
    # exactly (12, then 10): a tie is not a cross, the side stays "above".
    for i, close in enumerate(["10", "14", "6"], start=6):
        s.on_candle(candle(close, i))
    assert s.signals == 2
    assert s.averages(SYMBOL) == (Decimal(10), Decimal(10))
    # [14, 6, 1]: fast 3.5 < slow 7 -> death with a long position -> close it.
    s.on_candle(candle("1", 9))
    assert (s.signals, s.death, s.orders) == (3, 2, 2)
    assert oms.requests[1].side == te.Side.SELL and oms.requests[1].quantity == te.Quantity("0.5")
    assert oms.quantity == 0
    # [6, 1, 30]: a second golden cross, flat again: buys again.
    for i, close in enumerate(["30", "40"], start=10):
        s.on_candle(candle(close, i))
    assert (s.golden, s.orders, oms.quantity) == (2, 3, Decimal("0.5"))


def test_sma_cross_compares_averages_exactly() -> None:
    # [0.05, 0.04, 0.06]: fast (0.04 + 0.06) / 2 == slow 0.15 / 3 == 0.05 exactly, a tie. In
    # binary floats the fast average comes out above the slow one (0.05 > 0.0499...96): a
    # float implementation would see a golden cross here and buy.
    oms = FakeRuntime()
    s = attach(SmaCross(symbols=(SYMBOL,), fast=2, slow=3), oms)
    for i, close in enumerate(["0.3", "0.05", "0.04", "0.06"]):
        s.on_candle(candle(close, i))
    assert (0.04 + 0.06) / 2 > (0.05 + 0.04 + 0.06) / 3  # what floats would say
    assert s.averages(SYMBOL) == (Decimal("0.05"), Decimal("0.05"))
    assert (s.signals, s.orders, oms.requests) == (0, 0, [])


# ---- MarketMaker ---------------------------------------------------------------------------------


def test_market_maker_quotes_both_sides_within_its_inventory() -> None:
    limit = te.Quantity("0.003")
    s = MarketMaker(symbols=(SYMBOL,), spread_bps=10, quantity="0.001", max_inventory=str(limit), requote_bps=2)
    with session(s) as node:
        seen: dict[str, Any] = {"both": False, "max": Decimal(0)}
        started = time.monotonic()

        def progress() -> bool:
            position = abs(s.position(SYMBOL).quantity.as_decimal())
            seen["max"] = max(seen["max"], position)
            assert position <= limit.as_decimal(), f"|position| {position} above max_inventory {limit}"
            resting = {v.side for v in s.open_orders(SYMBOL) if v.status == te.OrderStatus.ACCEPTED}
            seen["both"] = seen["both"] or resting == {te.Side.BUY, te.Side.SELL}
            # At least 2 s of quoting, so the inventory bound is watched through many fills.
            return bool(seen["both"] and s.requotes >= 1 and s.fills >= 2 and time.monotonic() - started > 2)

        assert eventually(progress, timeout=15), (seen, s.requotes, s.fills, s.orders)
        assert s.max_abs_inventory <= limit.as_decimal()
        views = node.orders(s.name)
        assert views and len(views) == s.orders
        assert all(v.request.type == te.OrderType.LIMIT_MAKER for v in views), {v.request.type for v in views}
        tick = s.instrument(SYMBOL).tick_size
        assert all(v.request.price.is_multiple_of(tick) for v in views)
        assert s.status.orders_refused_budget == 0, "its own order budget kept it under the node's"
    # The node stopped: data first, then the strategy; cancel-on-stop leaves nothing resting.
    assert not node.orders(s.name, open_only=True)
    assert abs(s.position(SYMBOL).quantity.as_decimal()) <= limit.as_decimal()


def maker(oms: FakeRuntime | None = None, **params: Any) -> MarketMaker:
    return attach(MarketMaker(symbols=(SYMBOL,), **params), oms or FakeRuntime(rest=True))


def quote(bid: str, ask: str) -> te.Quote:
    return te.Quote(f"{SYMBOL}.SIM", te.Price(bid), te.Quantity("1"), te.Price(ask), te.Quantity("1"))


def test_market_maker_prices_are_exact_and_passive() -> None:
    assert tick_size_of(None) == te.Price("0.01")
    mm = maker(spread_bps=10)
    # mid 50000.01, half spread 25.000005: buy 49975.009995 down to 49975.00, sell up to 50025.02.
    assert mm.targets(quote("50000.00", "50000.02")) == (
        Decimal("50000.01"), Decimal("49975.00"), Decimal("50025.02"))
    # A book wider than the spread: the quotes stay at the touch, never through it.
    mid, buy, sell = maker(spread_bps=1).targets(quote("100.00", "100.10"))
    assert (buy, sell) == (Decimal("100.00"), Decimal("100.10"))
    assert mm.targets(quote("100.00", "100.00")) is None  # a locked book: no passive price
    assert mm.targets(quote("0", "100.00")) is None


def test_market_maker_inventory_and_holdings_gate_each_side() -> None:
    oms = FakeRuntime(rest=True, btc="0")
    mm = maker(oms, quantity="0.001", max_inventory="0.002", spread_bps=10, requote_bps=5)
    mm.on_quote(quote("50000.00", "50000.02"))
    # Spot: nothing held, so no sell; a buy, LIMIT_MAKER.
    assert [(r.side, r.type) for r in oms.requests] == [(te.Side.BUY, te.OrderType.LIMIT_MAKER)]
    oms.btc = te.Quantity("1")
    mm.on_quote(quote("50000.00", "50000.02"))
    assert [r.side for r in oms.requests] == [te.Side.BUY, te.Side.SELL]
    # A small move (< requote_bps) changes nothing; a large one replaces both quotes.
    mm.on_quote(quote("50001.00", "50001.02"))
    assert len(oms.requests) == 2 and mm.requotes == 0
    mm.on_quote(quote("50100.00", "50100.02"))
    assert mm.requotes == 2 and len(oms.requests) == 4
    assert all(r.type == te.OrderType.LIMIT_MAKER for r in oms.requests)
    # At +max_inventory: the buy is pulled and not placed again; the sell stays.
    oms.quantity = Decimal("0.002")
    mm.on_quote(quote("50100.00", "50100.02"))
    assert [v.side for v in oms.open_orders()] == [te.Side.SELL]
    assert mm.cancels == 1
    # At -max_inventory: no sell, but a buy.
    oms.quantity = Decimal("-0.002")
    for v in oms.views.values():
        v.is_open = False
    mm.on_quote(quote("50100.00", "50100.02"))
    assert [v.side for v in oms.open_orders()] == [te.Side.BUY]


def test_market_maker_keeps_to_its_order_budget() -> None:
    oms = FakeRuntime(rest=True, btc="1")
    mm = maker(oms, quantity="0.001", max_inventory="1", requote_bps=0, max_orders_10s=5)
    for i in range(20):
        mm.on_quote(quote(f"{50000 + 10 * i}.00", f"{50000 + 10 * i}.02"))
    assert len(oms.requests) == mm.orders == 5
    assert mm.throttled > 0


def test_orders_the_filters_refuse_are_not_sent() -> None:
    # 0.001 ETH at about 3000 USDT is a notional of 3, below ETHUSDT's minimum of 5.
    for strategy in (SmaCross(symbols=("ETHUSDT",), fast=2, slow=3, quantity="0.001"),
                     MarketMaker(symbols=("ETHUSDT",), quantity="0.001")):
        with session(strategy, symbol="ETHUSDT") as node:
            assert eventually(lambda: strategy.refused >= 2), strategy.refused
            assert node.orders(strategy.name) == [] and strategy.orders == 0


# ---- configuration -----------------------------------------------------------------------------


def configure(strategy: Strategy) -> Strategy:
    """Validates the strategy's configuration the way a Node does when it is added."""
    strategy._configure()
    return strategy


def problems_of(strategy: Strategy) -> str:
    with pytest.raises(te.ConfigError) as info:
        configure(strategy)
    return str(info.value)


def test_sma_config_lists_every_cross_field_problem() -> None:
    text = problems_of(SmaCross(symbols=(SYMBOL,), fast=20, slow=5, quantity="0"))
    assert "fast 20 must be below slow 5" in text and "quantity 0: must be above 0" in text
    text = problems_of(SmaCross(symbols=(SYMBOL,), fast=0, slow=0, quantity="-1"))
    for part in ("fast 0: must be at least 1", "slow 0: must be at least 1", "fast 0 must be below slow 0",
                 "quantity -1"):
        assert part in text, text


def test_sma_config_lists_unknown_and_inexact_parameters_together() -> None:
    text = problems_of(SmaCross(symbols=(SYMBOL,), fats=3, quantity=0.001))
    assert "unknown parameter(s) fats" in text
    assert "quantity 0.001" in text and "exact" in text


def test_sma_config_lists_all_three_kinds_at_once() -> None:
    text = problems_of(SmaCross(symbols=(SYMBOL,), fast=20, slow=5, fats=3, quantity=0.001))
    assert "unknown parameter(s) fats" in text and "quantity 0.001" in text
    assert "fast 20 must be below slow 5" in text


def test_config_objects_are_validated_too() -> None:
    text = problems_of(SmaCross(SmaCrossConfig(symbols=(SYMBOL,), fast=5, slow=3, quantity=0.001)))  # type: ignore[arg-type]
    assert "fast 5 must be below slow 3" in text and "expected a tradeengine.Quantity" in text


def test_market_maker_config_problems() -> None:
    text = problems_of(MarketMaker(symbols=(SYMBOL,), spread_bps=0, requote_bps=-1, quantity="0.01",
                                   max_inventory="0.001", max_orders_10s=1))
    for part in ("spread_bps 0", "requote_bps -1", "max_inventory 0.001 must be at least quantity 0.01",
                 "max_orders_10s 1"):
        assert part in text, text
    text = problems_of(MarketMaker(symbols=(SYMBOL,), spread=5, max_inventory=0.01, requote_bps="5"))
    assert "unknown parameter(s) spread" in text and "max_inventory 0.01" in text
    assert "requote_bps '5': expected an integer" in text


def test_parameters_from_a_toml_table() -> None:
    params = tomllib.loads('symbols = ["BTCUSDT"]\ninterval = "1m"\nfast = 5\nslow = 20\nquantity = "0.001"\n')
    config = build_config(SmaCrossConfig, params)
    assert config == SmaCrossConfig(symbols=("BTCUSDT",), fast=5, slow=20, quantity=te.Quantity("0.001"))
    config = build_config(MarketMakerConfig, {"symbols": ["BTCUSDT"], "max_inventory": "0.02", "spread_bps": 8})
    assert config.max_inventory == te.Quantity("0.02") and config.spread_bps == 8 and config.requote_bps == 5
