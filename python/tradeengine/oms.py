"""Order management for a bare engine: the C++ OrderManager with a broker written in Python.

A Node assembles its own order manager for its venues; strategies reach it through
``Strategy.buy`` / ``sell`` / ``cancel``. ``OrderManager(engine, adapter)`` is the same C++
order manager (state machines, portfolio, pre-submit checks, deterministic client order ids)
on a ``tradeengine.Engine``, sending through a ``BrokerAdapter`` written in Python.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from tradeengine import _core
from tradeengine.venues.base import native_engine

__all__ = ["BrokerAdapter", "OrderManager"]


class BrokerAdapter(abc.ABC):
    """A venue's execution side written in Python (a broker adapter).

    Implement ``instruments()`` (read once, when the order manager is created),
    ``submit_order``, ``cancel_order`` and optionally ``query_order``; they are called with the
    GIL from whatever thread submits, and should return quickly (do the I/O on your own
    thread). Report what the venue says with ``report_update`` and ``report_fill`` from any
    thread; the order manager applies it and publishes ORDER_UPDATE / ORDER_FILL. An exception
    from ``submit_order`` rejects the order with the exception's text.

    ``get_positions``, ``get_open_orders`` and ``get_account_info`` complete the broker
    interface for reconciliation; the defaults return nothing.
    """

    name: str = "broker"

    def __init__(self) -> None:
        self._engine: _core.TradingEngine | None = None

    def attach(self, engine: Any) -> None:
        """Called by the order manager: where reports go."""
        self._engine = native_engine(engine)

    @abc.abstractmethod
    def instruments(self) -> Iterable[_core.Instrument]:
        """Every instrument this venue trades, with its filters."""

    @abc.abstractmethod
    def submit_order(self, request: _core.OrderRequest) -> None:
        """Send the order (its client_order_id is set)."""

    @abc.abstractmethod
    def cancel_order(self, instrument_id: _core.InstrumentId, client_order_id: str) -> None:
        """Ask the venue to cancel the order."""

    def query_order(self, instrument_id: _core.InstrumentId, client_order_id: str) -> None:
        """Ask the venue for the order's state (report it with report_update)."""

    def get_positions(self) -> Mapping[str, Any]:
        """The venue's positions (for reconciliation)."""
        return {}

    def get_open_orders(self) -> list[Any]:
        """The venue's open orders (for reconciliation)."""
        return []

    def get_account_info(self) -> Mapping[str, Any]:
        """The venue's balances and permissions (for reconciliation)."""
        return {}

    def report_update(self, update: _core.OrderUpdate) -> None:
        """What the venue said about an order (cumulative filled quantity). Thread-safe."""
        if self._engine is None:
            raise _core.EngineNotRunningError(f"{self.name}: not attached to an order manager")
        self._engine.on_venue_order_update(update)

    def report_fill(self, fill: _core.Fill) -> None:
        """One execution (trade_id unique per instrument). Thread-safe."""
        if self._engine is None:
            raise _core.EngineNotRunningError(f"{self.name}: not attached to an order manager")
        self._engine.on_venue_fill(fill)


def _money(value: Any, what: str) -> _core.Money | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError(f"invalid {what} {value!r}: money is exact: pass a str or decimal.Decimal")
    return _core.Money(str(value) if isinstance(value, (Decimal, int)) else value)


class OrderManager:
    """The engine's order manager (see module docstring).

    ``max_order_notional`` (quote asset) and ``max_position`` ({"BTCUSDT.BINANCE": "0.5"})
    are the pre-submit limits; ``ack_timeout`` the seconds after which an order with no
    answer from the venue is queried (30 s).
    """

    def __init__(
        self,
        engine: Any,
        venue: Any,
        *,
        id_prefix: str = "",
        max_order_notional: Any = None,
        max_position: Mapping[str, Any] | None = None,
        ack_timeout: float = 30.0,
    ) -> None:
        native = native_engine(engine)
        if not isinstance(venue, BrokerAdapter):
            raise TypeError(f"invalid venue {venue!r}: expected a tradeengine.BrokerAdapter "
                            "(a Node assembles the order manager for its own venues)")  # fmt: skip
        venue.attach(native)
        positions = {str(k): _core.Quantity(str(v)) for k, v in (max_position or {}).items()}
        self.venue = venue
        self._native = _core.OrderManager(
            native, venue, id_prefix=id_prefix,
            max_order_notional=_money(max_order_notional, "max_order_notional"),
            max_position=positions, ack_timeout=float(ack_timeout),
        )  # fmt: skip

    @property
    def native(self) -> _core.OrderManager:
        """The C++ order manager."""
        return self._native

    def submit(self, strategy: str, request: _core.OrderRequest) -> str:
        """Check, record and send; the client order id (REJECTED with the reason if a check fails)."""
        return self._native.submit(strategy, request)

    def cancel(self, client_order_id: str) -> bool:
        """Cancel one open order; False if unknown or finished."""
        return self._native.cancel(client_order_id)

    def cancel_all(self, strategy: str = "", instrument_id: Any = None) -> int:
        """Cancel open orders of a strategy ('' = all) on an instrument (None = all)."""
        return self._native.cancel_all(strategy, instrument_id)

    def replace(self, client_order_id: str, price: Any = None, quantity: Any = None) -> str:
        """Cancel + new order with the same side and type; the new id ('' if not open)."""
        return self._native.replace(client_order_id, price, quantity)

    def order(self, client_order_id: str) -> _core.OrderView | None:
        """The order's current view."""
        return self._native.order(client_order_id)

    def orders(self, strategy: str = "", open_only: bool = False, instrument_id: Any = None) -> list[_core.OrderView]:
        """Order views, filtered."""
        return self._native.orders(strategy, open_only, instrument_id)

    def portfolio(self) -> _core.PortfolioSnapshot:
        """Balances, positions and fees, from fills."""
        return self._native.portfolio()

    def position(self, instrument_id: Any) -> _core.Position:
        """The position in one instrument."""
        return self._native.position(_core.InstrumentId(str(instrument_id)))

    def last_price(self, instrument_id: Any) -> _core.Price | None:
        """The last price seen for an instrument."""
        return self._native.last_price(_core.InstrumentId(str(instrument_id)))

    def realized_pnl(self, instrument_id: Any) -> _core.Money:
        """Realized PnL of an instrument (quote asset, fees excluded)."""
        return self._native.realized_pnl(_core.InstrumentId(str(instrument_id)))

    def unrealized_pnl(self, instrument_id: Any) -> _core.Money:
        """Unrealized PnL at the last price seen."""
        return self._native.unrealized_pnl(_core.InstrumentId(str(instrument_id)))

    def set_balance(self, asset: str, free: Any, locked: Any = "0") -> None:
        """Seed a balance from the venue (at start)."""
        self._native.set_balance(asset, _core.Quantity(str(free)), _core.Quantity(str(locked)))

    def seed_balances(self, account: Mapping[str, Any]) -> None:
        """Seed every balance of a venue account dict ({'balances': {asset: Balance}})."""
        for asset, b in account.get("balances", {}).items():
            self._native.set_balance(asset, b.free, b.locked)

    def stats(self) -> dict[str, int]:
        """Counters: submitted, rejected_locally, applied, stale, duplicates, ..."""
        return self._native.stats()
