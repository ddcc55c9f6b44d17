"""The order manager of a Node against the simulated exchange: every order's life, local and
venue rejects, partial fills, cancels, unknown statuses after 5xx, timeouts, the portfolio equal
to the venue's balances to the last unit, one report per venue change, and a broker adapter
written in Python on a bare engine."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from polling import eventually

import tradeengine as te
from tradeengine.oms import BrokerAdapter, OrderManager

BTC = "BTCUSDT.SIM"


class Events:
    """Records order-lane events by type, thread-safely."""

    def __init__(self, bus: Any) -> None:
        self.items: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        for t in ("ORDER_CREATED", "ORDER_UPDATE", "ORDER_REJECT", "ORDER_FILL"):
            bus.subscribe(t, self._record)

    def _record(self, e: te.Event) -> None:
        with self.lock:
            self.items.append((e.type.name, e.payload))

    def of(self, client_order_id: str) -> list[tuple[str, Any]]:
        with self.lock:
            return [(t, p) for t, p in self.items if p.client_order_id == client_order_id]


class Trader(te.Strategy):
    """Sends the requests it is given (a test's hand on the order manager)."""

    order_rate = 1e9
    order_burst = 1e9

    def submit(self, request: te.OrderRequest) -> str:
        return self._context.submit(request)


class Stack:
    """A Node on a simulated exchange whose market moves only when stepped."""

    def __init__(self, risk: te.RiskSettings | None = None, ack_timeout: float = 30.0, **venue_kw: Any) -> None:
        self.trader = Trader(name="s")
        venue = te.venues.Simulated(symbols=("BTCUSDT",), balances={"USDT": "1000000", "BTC": "10"},
                                    options={"auto_tick": False, "weight_limit_1m": 0, "orders_limit_10s": 0,
                                             "orders_limit_1d": 0, **venue_kw})  # fmt: skip
        self.node = te.Node(venues=[venue], strategies=[self.trader], risk=risk, name="oms-test",
                            ack_timeout=ack_timeout)  # fmt: skip
        self.events = Events(self.node.engine.bus)
        self.node.start()
        self.sim = self.node.exchange("SIM")

    def submit(self, request: te.OrderRequest) -> str:
        return self.trader.submit(request)

    def order(self, client_order_id: str) -> te.OrderView:
        v = self.node.order(client_order_id)
        assert v is not None, client_order_id
        return v

    def close(self) -> None:
        if self.node.state == te.ComponentState.RUNNING:
            self.node.stop()

    def settle(self, client_order_id: str, timeout: float = 5.0) -> te.OrderView:
        return eventually(lambda: (v := self.node.order(client_order_id)) and not v.is_open
                          and v.status != te.OrderStatus.SUBMITTED and v, timeout)  # fmt: skip


@pytest.fixture
def stack() -> Iterator[Stack]:
    s = Stack()
    yield s
    s.close()


def limit(side: te.Side, price: Any, qty: str = "0.01", **kw: Any) -> te.OrderRequest:
    return te.OrderRequest(BTC, side, te.Quantity(qty), price=te.Price(str(price)), **kw)


def market(side: te.Side, qty: str = "0.01") -> te.OrderRequest:
    return te.OrderRequest(BTC, side, te.Quantity(qty), type=te.OrderType.MARKET)


def best(sim: Any) -> tuple[Decimal, Decimal]:
    b = sim.book("BTCUSDT")
    return b["bids"][0][0], b["asks"][0][0]


def test_a_limit_order_rests_then_cancels_with_every_event_in_order(stack: Stack) -> None:
    bid, _ = best(stack.sim)
    oid = stack.submit(limit(te.Side.BUY, bid - 100))
    assert "-s1-" in oid
    assert eventually(lambda: stack.order(oid).status == te.OrderStatus.ACCEPTED)
    assert [o["clientOrderId"] for o in stack.sim.open_orders()] == [oid]
    assert stack.trader.cancel(oid)
    view = stack.settle(oid)
    assert view.status == te.OrderStatus.CANCELED
    types = [t for t, _ in stack.events.of(oid)]
    statuses = [p.status.name for t, p in stack.events.of(oid) if t == "ORDER_UPDATE"]
    assert types[0] == "ORDER_CREATED"
    assert statuses == ["SUBMITTED", "ACCEPTED", "PENDING_CANCEL", "CANCELED"]
    assert stack.sim.open_orders() == []


def test_state_is_written_before_handlers_see_the_event() -> None:
    stack = Stack()
    seen: list[bool] = []
    stack.node.engine.bus.subscribe("ORDER_FILL", lambda e: seen.append(
        stack.trader.position(BTC).quantity > te.Quantity("0")))  # fmt: skip
    try:
        stack.submit(market(te.Side.BUY, "0.5"))
        assert eventually(lambda: seen)
        assert all(seen), "the portfolio already includes the fill when ORDER_FILL is handled"
    finally:
        stack.close()


def test_a_large_order_fills_partially_then_completes_or_expires(stack: Stack) -> None:
    _, ask = best(stack.sim)
    depth = stack.sim.book("BTCUSDT")["asks"]
    top_qty = depth[0][1]
    ioc = stack.submit(limit(te.Side.BUY, ask, str(top_qty * 2), time_in_force=te.TimeInForce.IOC))
    v = stack.settle(ioc)
    assert v.status == te.OrderStatus.EXPIRED
    assert v.filled_quantity == te.Quantity(str(top_qty))
    fills = [p for t, p in stack.events.of(ioc) if t == "ORDER_FILL"]
    assert sum((f.quantity for f in fills), te.Quantity("0")) == v.filled_quantity
    statuses = [p.status.name for t, p in stack.events.of(ioc) if t == "ORDER_UPDATE"]
    # The venue's REST answer (EXPIRED, partly filled) may overtake the stream's TRADE report:
    # the order then goes straight to its final state, the fills still counted once each.
    assert statuses[-1] == "EXPIRED" and statuses.count("EXPIRED") == 1


def test_local_checks_reject_with_a_reason_and_send_nothing() -> None:
    stack = Stack(risk=te.RiskSettings(max_order_notional="1000", max_position={BTC: "0.05"}))
    sim = stack.sim
    try:
        bid, _ = best(sim)
        cases = {
            "tick": (limit(te.Side.BUY, bid - 100 + Decimal("0.001")), "tick"),
            "step": (limit(te.Side.BUY, bid - 100, "0.0000001"), "step"),
            "notional": (limit(te.Side.BUY, bid - 100, "0.04"), "max_order_notional"),
            "unknown": (te.OrderRequest("DOGEUSDT.SIM", te.Side.BUY, te.Quantity("1"), type=te.OrderType.MARKET),
                        "unknown instrument"),
        }  # fmt: skip
        before = sim.stats()["http_requests"]
        for name, (request, reason) in cases.items():
            oid = stack.submit(request)
            v = stack.order(oid)
            assert v.status == te.OrderStatus.REJECTED, name
            assert reason in v.reason, (name, v.reason)
            rejects = [p for t, p in stack.events.of(oid) if t == "ORDER_REJECT"]
            assert eventually(lambda: [p for t, p in stack.events.of(oid) if t == "ORDER_REJECT"]), name
        assert sim.stats()["http_requests"] == before, "nothing was sent"
        assert stack.node.metrics().orders_rejected_locally == 4
        assert not rejects or rejects[0].reason
    finally:
        stack.close()


def test_max_position_counts_open_orders() -> None:
    stack = Stack(risk=te.RiskSettings(max_position={"BTCUSDT": "0.05"}))
    try:
        bid, _ = best(stack.sim)
        a = stack.submit(limit(te.Side.BUY, bid - 100, "0.03"))
        b = stack.submit(limit(te.Side.BUY, bid - 100, "0.03"))
        assert stack.order(a).status != te.OrderStatus.REJECTED
        vb = stack.order(b)
        assert vb.status == te.OrderStatus.REJECTED and "max_position" in vb.reason
    finally:
        stack.close()


def test_venue_rejects_carry_the_venues_reason(stack: Stack) -> None:
    oid = stack.submit(market(te.Side.SELL, "500"))
    v = stack.settle(oid)
    assert v.status == te.OrderStatus.REJECTED
    assert "insufficient balance" in v.reason.lower() and "-2010" in v.reason
    assert stack.node.state == te.ComponentState.RUNNING
    assert stack.node.metrics().venue_rejects == 1


def test_orders_after_stop_are_refused(stack: Stack) -> None:
    stack.node.stop()
    with pytest.raises(te.EngineNotRunningError, match="stopped"):
        stack.submit(market(te.Side.BUY))


def test_cancel_before_the_ack_cancels_once_acknowledged(stack: Stack) -> None:
    bid, _ = best(stack.sim)
    oid = stack.submit(limit(te.Side.BUY, bid - 100))
    assert stack.trader.cancel(oid)  # still SUBMITTED: remembered
    assert stack.settle(oid).status == te.OrderStatus.CANCELED
    assert stack.sim.open_orders() == []


def test_replace_cancels_and_sends_a_new_order(stack: Stack) -> None:
    bid, _ = best(stack.sim)
    a = stack.submit(limit(te.Side.BUY, bid - 100))
    assert eventually(lambda: stack.order(a).status == te.OrderStatus.ACCEPTED)
    handle = stack.trader.replace(a, price=te.Price(str(bid - 90)))
    assert handle is not None
    b = handle.client_order_id
    assert b != a
    assert stack.settle(a).status == te.OrderStatus.CANCELED
    assert eventually(lambda: stack.order(b).status == te.OrderStatus.ACCEPTED)
    assert [Decimal(o["price"]) for o in stack.sim.open_orders()] == [bid - 90]


def test_random_5xx_never_duplicates_or_loses_an_order() -> None:
    stack = Stack()
    sim = stack.sim
    try:
        sim.set_faults(error_5xx_ratio=0.3)
        bid, _ = best(sim)
        ids = [stack.submit(limit(te.Side.BUY, bid - 100 - i)) for i in range(40)]
        assert eventually(lambda: all(stack.order(i).status != te.OrderStatus.SUBMITTED for i in ids), 30)
        sim.clear_faults()
        venue_ids = [o["clientOrderId"] for o in sim.open_orders()]
        assert len(venue_ids) == len(set(venue_ids)), "no duplicate at the venue"
        accepted = {i for i in ids if stack.order(i).status == te.OrderStatus.ACCEPTED}
        assert accepted == set(venue_ids), "what the order manager holds open is what the venue holds"
    finally:
        stack.close()


def test_a_silent_venue_is_queried_after_the_ack_timeout() -> None:
    stack = Stack(ack_timeout=0.3)
    sim = stack.sim
    try:
        sim.set_faults(latency_us=1_500_000, stall=True)  # silent REST and streams past the ack timeout
        bid, _ = best(sim)
        oid = stack.submit(limit(te.Side.BUY, bid - 100))
        assert eventually(lambda: stack.node.metrics().queries_sent >= 1, 5)
        sim.clear_faults()
        assert eventually(lambda: stack.order(oid).status == te.OrderStatus.ACCEPTED, 10)
    finally:
        stack.close()


def test_portfolio_equals_the_venues_balances_after_1000_random_orders() -> None:
    stack = Stack()
    sim = stack.sim
    rng = random.Random(1000)
    try:
        ids = []
        for i in range(1000):
            side = rng.choice([te.Side.BUY, te.Side.SELL])
            qty = f"0.{rng.randint(1, 300):05d}"
            if rng.random() < 0.6:
                ids.append(stack.submit(market(side, qty)))
            else:
                bid, ask = best(sim)
                px = ask + rng.randint(-20, 5) if side == te.Side.BUY else bid + rng.randint(-5, 20)
                ids.append(stack.submit(limit(side, px, qty, time_in_force=rng.choice(
                    [te.TimeInForce.GTC, te.TimeInForce.IOC]))))  # fmt: skip
            if i % 50 == 49:
                sim.step(1)  # the market moves: resting orders fill
        stack.trader.cancel_all()
        assert eventually(lambda: not any(o.is_open for o in stack.node.orders()), 30)
        venue = sim.balances()

        def equal() -> bool:  # the last fills' events may still be on their way
            mine = stack.node.portfolio.balances
            return all(mine[a].free.as_decimal() == venue[a]["free"] for a in ("BTC", "USDT"))

        assert eventually(equal, 20), (stack.node.portfolio.balances, venue)
        m = stack.node.metrics()
        assert m.orders_refused_by_state == 0 and m.unknown_orders == 0
        filled = sum(1 for o in stack.node.orders() if o.filled_quantity > te.Quantity("0"))
        assert filled > 300
        position = stack.node.portfolio.positions[BTC].quantity.as_decimal()
        assert position == venue["BTC"]["free"] - Decimal(10), "the position is what the account gained"
    finally:
        stack.close()


# ---- a broker adapter written in Python -----------------------------------------------------------


class InstantBroker(BrokerAdapter):
    """Fills every order at its limit price (or 100) at once, on its own thread."""

    name = "instant"

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[te.OrderRequest] = []
        self.trade_id = 0

    def instruments(self) -> list[te.Instrument]:
        return [te.Instrument("XYZUSD.PAPER", "XYZ", "USD", te.Price("0.01"), te.Quantity("0.001"),
                              te.Quantity("0.001"), te.Quantity("1000"), te.Money("1"))]  # fmt: skip

    def submit_order(self, request: te.OrderRequest) -> None:
        if request.quantity > te.Quantity("100"):
            raise ValueError("too big for this broker")
        self.submitted.append(request)
        threading.Thread(target=self._fill, args=(request,)).start()

    def _fill(self, r: te.OrderRequest) -> None:
        price = r.price or te.Price("100")
        self.trade_id += 1
        self.report_update(te.OrderUpdate(r.instrument_id, r.client_order_id, te.OrderStatus.ACCEPTED, r.side,
                                          r.quantity, price=price))  # fmt: skip
        self.report_fill(te.Fill(r.instrument_id, r.client_order_id, self.trade_id, r.side, price, r.quantity,
                                 te.Money("0.01"), "USD"))  # fmt: skip
        self.report_update(te.OrderUpdate(r.instrument_id, r.client_order_id, te.OrderStatus.FILLED, r.side,
                                          r.quantity, r.quantity, price * r.quantity, price=price))  # fmt: skip

    def cancel_order(self, instrument_id: te.InstrumentId, client_order_id: str) -> None:
        pass


def test_a_python_broker_adapter_plugs_into_the_same_order_manager() -> None:
    engine = te.Engine(name="paper")
    engine.run()
    try:
        events = Events(engine.bus)
        broker = InstantBroker()
        oms = OrderManager(engine, broker)
        oms.set_balance("USD", "1000")
        oid = oms.submit("s", te.OrderRequest("XYZUSD.PAPER", te.Side.BUY, te.Quantity("2"), price=te.Price("10")))
        assert eventually(lambda: oms.order(oid).status == te.OrderStatus.FILLED)
        assert oms.position("XYZUSD.PAPER").quantity == te.Quantity("2")
        assert oms.portfolio().balances["USD"].free == te.Quantity("979.99")
        assert [t for t, _ in events.of(oid)][:2] == ["ORDER_CREATED", "ORDER_UPDATE"]
        assert eventually(lambda: any(t == "ORDER_FILL" for t, _ in events.of(oid)))
        big = oms.submit("s", te.OrderRequest("XYZUSD.PAPER", te.Side.BUY, te.Quantity("200"), price=te.Price("1")))
        v = eventually(lambda: (x := oms.order(big)).status == te.OrderStatus.REJECTED and x)
        assert "ValueError: too big for this broker" in v.reason
        with pytest.raises(TypeError, match="BrokerAdapter"):
            OrderManager(engine, object())
    finally:
        engine.stop()


def test_each_venue_change_reaches_the_order_manager_once(stack: Stack) -> None:
    """One market order: the REST answer and the user-data stream both report it FILLED; the
    execution client reports each change once, so nothing reaches the order manager twice."""
    oid = stack.submit(market(te.Side.BUY, "0.01"))
    assert stack.settle(oid).status == te.OrderStatus.FILLED
    assert eventually(lambda: stack.node.portfolio.positions.get(BTC) is not None)
    stats = stack.node._native.venue_stats("SIM")
    assert stats["repeats_suppressed"] >= 1, "the stream repeated what REST said"
    m = stack.node.metrics()
    assert m.duplicate_venue_updates == 0 and m.stale_venue_updates == 0
