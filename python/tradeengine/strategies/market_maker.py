"""A passive two-sided market maker around the book-ticker mid, with bounded inventory.

On every quote (``subscribe_quotes``) of a configured symbol:

* ``mid = (bid + ask) / 2``; the strategy wants a buy at ``mid - mid * spread_bps / 20000``
  rounded down to the tick and a sell at ``mid + mid * spread_bps / 20000`` rounded up, so
  its two quotes are ``spread_bps`` apart (``spread_bps / 2`` each side of the mid). A quote
  is never placed at or through the other side of the book: the buy is at most the best bid,
  the sell at least the best ask.
* Orders are ``LIMIT_MAKER`` (post-only): the venue rejects one that would trade at once, so
  the strategy never takes liquidity.
* A resting quote is moved (``replace``: cancel, then a new order of the same side and
  type) when the mid has moved more than ``requote_bps`` since it was placed; ``requotes``
  counts those moves.
* Inventory: ``position`` is the signed position of the instrument from fills. The strategy
  counts the worst case, the position plus every open order of the side filling, and places
  or keeps a buy only while ``position + open buys (+ the new one) <= max_inventory``, a sell
  only while ``position - open sells (- the new one) >= -max_inventory`` -- so there is no
  buy quote once the inventory reaches ``max_inventory`` and no sell quote once it reaches
  ``-max_inventory``. A side that no longer fits is canceled (``OrderHandle.cancel``).
* Spot: it sells only what it holds -- the free balance of the base asset in the portfolio
  (the venue's balance at start, moved by fills) minus its open sells.
* Filters: a quote the instrument's filters would refuse (``quantity`` times the price below
  the minimum notional, say) is not sent; the first one per symbol is logged as a warning
  and ``refused`` counts them.
* Order rate: it sends at most ``max_orders_10s`` new orders (requotes included) in any
  10 seconds -- Binance, and the simulated exchange, refuse more than 50 per account with a
  429 that holds every request back. Out of budget, a quote that should move is canceled
  instead (cancels do not count) and placed again when the budget allows.

Prices are exact ``decimal.Decimal`` throughout (``Price.as_decimal()``) and rounded to the
instrument's tick (``tick_size_of``).
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import Any

import tradeengine as te
from tradeengine.strategy import OrderHandle, Strategy, StrategyConfig

__all__ = ["DEFAULT_TICK", "MarketMaker", "MarketMakerConfig", "tick_size_of"]

#: The tick assumed when the venue cannot say (a data-only venue, an unknown symbol).
DEFAULT_TICK = te.Price("0.01")

_ZERO = te.Quantity("0")
_QUOTE_ASSETS = ("USDT", "USDC", "FDUSD", "TUSD", "BUSD", "EUR", "TRY", "BTC", "ETH", "BNB")


def _symbol(symbol: str) -> str:
    """'BTCUSDT.BINANCE' -> 'BTCUSDT'."""
    return str(symbol).split(".", 1)[0]


def tick_size_of(instrument: te.Instrument | None) -> te.Price:
    """The price tick of an instrument, or ``DEFAULT_TICK`` (0.01) when the venue gives none."""
    if instrument is not None and instrument.tick_size > te.Price("0"):
        return instrument.tick_size
    return DEFAULT_TICK


def _round(value: Decimal, tick: Decimal, rounding: str) -> Decimal:
    """``value`` rounded to a multiple of ``tick`` (ROUND_FLOOR or ROUND_CEILING), exactly."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (value / tick).to_integral_value(rounding=rounding) * tick


@dataclasses.dataclass
class MarketMakerConfig(StrategyConfig):
    """Parameters of MarketMaker (plus ``symbols`` of StrategyConfig; ``interval`` is unused).

    ``spread_bps``: distance between the two quotes in basis points of the mid (half each
    side); ``quantity``: size of each quote; ``max_inventory``: the largest absolute
    position it may reach; ``requote_bps``: how far (bps) the mid may move before a resting
    quote is moved; ``max_orders_10s``: new orders allowed in any 10 s. Quantities are
    ``Quantity`` values (strings in TOML: "0.001").
    """

    spread_bps: int = 10
    quantity: te.Quantity = te.Quantity("0.001")
    max_inventory: te.Quantity = te.Quantity("0.01")
    requote_bps: int = 5
    max_orders_10s: int = 30

    def validate(self) -> list[str]:
        """Every problem: a spread below 1 bps, a negative requote threshold, a quantity that
        is not positive, a max_inventory below the quantity (it could never quote), an order
        budget below 2 (one order per side)."""
        problems: list[str] = []
        for name, low in (("spread_bps", 1), ("requote_bps", 0), ("max_orders_10s", 2)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{name} {value!r}: expected an integer")
            elif value < low:
                problems.append(f"{name} {value}: must be at least {low}")
        quantities_ok = True
        for name in ("quantity", "max_inventory"):
            value = getattr(self, name)
            if not isinstance(value, te.Quantity):
                problems.append(
                    f"{name} {value!r}: expected a tradeengine.Quantity (write it as a string)"
                )
                quantities_ok = False
            elif value <= _ZERO:
                problems.append(f"{name} {value}: must be above 0")
                quantities_ok = False
        if quantities_ok and self.max_inventory < self.quantity:
            problems.append(
                f"max_inventory {self.max_inventory} must be at least quantity {self.quantity}"
            )
        return problems


@dataclasses.dataclass
class _Quote:
    """One side's working order and the mid it was priced from."""

    handle: OrderHandle
    price: Decimal
    mid: Decimal


class MarketMaker(Strategy):
    """Quotes both sides around the mid of the book ticker (see the module docstring).

    Counters: ``quotes_seen`` (book tickers received), ``orders`` (new orders sent, requotes
    included), ``requotes`` (quotes moved with replace), ``cancels`` (quotes pulled, for
    inventory or for the order budget), ``throttled`` (orders not sent for the budget),
    ``refused`` (quotes the instrument's filters would reject, not sent), ``fills``, and
    ``max_abs_inventory`` (the largest |position| seen after a fill).
    """

    Config = MarketMakerConfig
    #: The runtime's order budget for this strategy: Binance's own order limit (50 in 10 s), so
    #: its max_orders_10s (30 by default, at most 50) is what holds it back.
    order_rate = 5.0
    order_burst = 50.0

    def __init__(self, config: MarketMakerConfig | None = None, **kw: Any) -> None:
        super().__init__(config, **kw)
        self._working: dict[tuple[str, te.Side], _Quote] = {}
        self._ticks: dict[str, Decimal] = {}
        self._base: dict[str, str | None] = {}
        self._instruments: dict[str, te.Instrument | None] = {}
        self._sent: deque[float] = deque()  # monotonic times of the new orders of the last 10 s
        self._warned: set[str] = set()
        self.quotes_seen = 0
        self.orders = 0
        self.requotes = 0
        self.cancels = 0
        self.throttled = 0
        self.refused = 0
        self.fills = 0
        self.max_abs_inventory = Decimal(0)

    # ---- set-up ---------------------------------------------------------------------------

    def on_start(self) -> None:
        """Subscribes the book ticker of every configured symbol."""
        for symbol in self.config.symbols:
            self.subscribe_quotes(symbol)

    def on_stop(self) -> None:
        """Forgets the working quotes (the node cancels open orders on stop)."""
        self._working.clear()

    def instrument(self, symbol: str) -> te.Instrument | None:
        """The venue's instrument of ``symbol`` (looked up once)."""
        key = _symbol(symbol)
        if key not in self._instruments:
            self._instruments[key] = super().instrument(key)
        return self._instruments[key]

    def tick(self, symbol: str) -> Decimal:
        """The price tick of ``symbol`` as a Decimal (looked up once, see tick_size_of)."""
        key = _symbol(symbol)
        if key not in self._ticks:
            self._ticks[key] = tick_size_of(self.instrument(key)).as_decimal()
        return self._ticks[key]

    def base_asset(self, symbol: str) -> str | None:
        """The base asset of ``symbol`` (from the venue's instrument, else by stripping a
        common quote asset: 'BTCUSDT' -> 'BTC'); None if unknown."""
        key = _symbol(symbol)
        if key not in self._base:
            inst = self.instrument(key)
            base = inst.base_asset if inst is not None else None
            if base is None:
                stripped = (key[: -len(q)] for q in _QUOTE_ASSETS if key.endswith(q) and key != q)
                base = next(stripped, None)
            self._base[key] = base
        return self._base[key]

    # ---- pricing --------------------------------------------------------------------------

    def targets(self, quote: te.Quote) -> tuple[Decimal, Decimal, Decimal] | None:
        """(mid, bid price, ask price) wanted for ``quote``, rounded to the tick passively and
        kept off the other side of the book; None for an empty or crossed book."""
        bid, ask = quote.bid_price.as_decimal(), quote.ask_price.as_decimal()
        if bid <= 0 or ask <= 0 or bid >= ask:
            return None
        tick = self.tick(quote.instrument_id.symbol)
        with localcontext() as ctx:
            ctx.prec = 60
            mid = (bid + ask) / 2
            half = mid * self.config.spread_bps / 20000
            buy = min(_round(mid - half, tick, ROUND_FLOOR), bid)
            sell = max(_round(mid + half, tick, ROUND_CEILING), ask)
        return mid, buy, sell

    def _moved(self, anchor: Decimal, mid: Decimal) -> bool:
        """True when ``mid`` is more than requote_bps away from ``anchor``."""
        return bool(abs(mid - anchor) * 10000 > anchor * self.config.requote_bps)

    # ---- the quoting loop -----------------------------------------------------------------

    def on_quote(self, quote: te.Quote) -> None:
        """Places, moves or pulls the two quotes of the symbol."""
        self.quotes_seen += 1
        wanted = self.targets(quote)
        if wanted is None:
            return
        mid, buy_px, sell_px = wanted
        symbol = quote.instrument_id.symbol
        limit = self.config.max_inventory.as_decimal()
        position = self.position(symbol).quantity.as_decimal()
        open_buys = open_sells = Decimal(0)
        for view in self.open_orders(symbol):
            if view.side == te.Side.BUY:
                open_buys += view.leaves_quantity.as_decimal()
            else:
                open_sells += view.leaves_quantity.as_decimal()
        # Worst case per side: every open order of that side fills.
        long_room = limit - (position + open_buys)
        short_room = limit + (position - open_sells)
        held_room = self._held(symbol) - open_sells
        # A quote the venue's filters refuse is not sent (nor kept): no room on that side.
        no_room = Decimal(-1)
        self._work(symbol, te.Side.BUY, buy_px, mid, no_room if self._refuses(symbol, buy_px) else long_room)
        sell_room = no_room if self._refuses(symbol, sell_px) else min(short_room, held_room)
        self._work(symbol, te.Side.SELL, sell_px, mid, sell_room)

    def _refuses(self, symbol: str, price: Decimal) -> bool:
        """True if the instrument's filters would reject a quote of ``quantity`` at ``price``
        (logged once per symbol); False when the instrument is unknown."""
        inst = self.instrument(symbol)
        why = inst.check_order(te.Price(price), self.config.quantity) if inst is not None else None
        if why is None:
            return False
        self.refused += 1
        if symbol not in self._warned:
            self._warned.add(symbol)
            self.log(f"not quoting {symbol}: {why}", level="warn", symbol=symbol,
                     quantity=self.config.quantity, price=price)
        return True

    def _work(
        self, symbol: str, side: te.Side, price: Decimal, mid: Decimal, room: Decimal
    ) -> None:
        """One side: ``room`` is how much more this side may add in the worst case, counting
        the open orders already (the working quote included)."""
        q = self.config.quantity.as_decimal()
        key = (symbol, side)
        current = self._working.get(key)
        if current is not None and not current.handle.is_open:
            del self._working[key]
            current = None
        if current is None:
            if room >= q and price > 0:
                if self._budget():
                    self._place(symbol, side, price, mid)
                else:
                    self.throttled += 1
            return
        if room < 0:  # the open orders of this side no longer fit: pull the quote
            if self.cancel(current.handle):
                self.cancels += 1
            del self._working[key]
            return
        if not self._moved(current.mid, mid) or price == current.price:
            return
        budget = self._budget()
        if room < q or not budget:
            # Moving it would, in the worst case, let both the old and the new order fill; or
            # the order budget is spent: pull the stale quote, place it afresh later.
            self.throttled += not budget
            if self.cancel(current.handle):
                self.cancels += 1
            del self._working[key]
            return
        handle = self.replace(current.handle, price=te.Price(price))
        if handle is not None:
            self.requotes += 1
            self.orders += 1
            self._sent.append(time.monotonic())
            self._working[key] = _Quote(handle, price, mid)
        else:  # it finished meanwhile (filled or canceled): quote afresh on the next tick
            del self._working[key]

    def _place(self, symbol: str, side: te.Side, price: Decimal, mid: Decimal) -> None:
        """A new post-only quote."""
        send = self.buy if side == te.Side.BUY else self.sell
        handle = send(symbol, self.config.quantity, te.Price(price), type=te.OrderType.LIMIT_MAKER)
        self.orders += 1
        self._sent.append(time.monotonic())
        self._working[(symbol, side)] = _Quote(handle, price, mid)

    def _budget(self) -> bool:
        """True if one more new order fits in max_orders_10s over the last 10 s."""
        now = time.monotonic()
        while self._sent and now - self._sent[0] >= 10.0:
            self._sent.popleft()
        return len(self._sent) < int(self.config.max_orders_10s)

    def _held(self, symbol: str) -> Decimal:
        """The free balance of the base asset in the portfolio (0 if unknown)."""
        base = self.base_asset(symbol)
        balance = self.portfolio.balance(base) if base else None
        return balance.free.as_decimal() if balance is not None else Decimal(0)

    # ---- order events ---------------------------------------------------------------------

    def on_fill(self, fill: te.Fill) -> None:
        """Counts the fill and tracks the largest |position| reached."""
        self.fills += 1
        position = abs(self.position(fill.instrument_id.symbol).quantity.as_decimal())
        if position > self.max_abs_inventory:
            self.max_abs_inventory = position
