"""A simple moving-average crossover: long on a golden cross, flat on a death cross.

Every closed candle of each configured symbol appends its close to a window of the last
``slow`` closes. Once the window is full, the fast average (last ``fast`` closes) is compared
with the slow one (all ``slow`` closes):

* golden cross (fast moves from at or below the slow average to above it) with no long
  position: buy ``quantity`` at market;
* death cross (fast moves from at or above to below) with a long position: ``close_position``.

An entry the instrument's filters would refuse (``quantity`` at the close below the minimum
notional, say) is not sent: the first one per symbol is logged as a warning and ``refused``
counts them. While one of its orders is still working, a cross is counted but not acted on.

All the arithmetic is exact ``decimal.Decimal`` (``Price.as_decimal()``), never float: the
averages are compared by cross-multiplying the sums (``sum_fast * slow`` against
``sum_slow * fast``), so no division and no rounding decides a signal.

Run it on the simulated exchange (docs/guide/getting-started.md)::

    te.Node(venues=[te.venues.Simulated()],
            strategies=[SmaCross(symbols=("BTCUSDT",), fast=5, slow=20, quantity="0.001")]).run(60)
"""

from __future__ import annotations

import dataclasses
from collections import deque
from decimal import Decimal, localcontext

import tradeengine as te
from tradeengine.strategy import Strategy, StrategyConfig

__all__ = ["SmaCross", "SmaCrossConfig"]

_ZERO = te.Quantity("0")


@dataclasses.dataclass
class SmaCrossConfig(StrategyConfig):
    """Parameters of SmaCross (plus ``symbols`` and ``interval`` of StrategyConfig).

    ``fast`` and ``slow`` are window lengths in candles (1 <= fast < slow); ``quantity`` is the
    base-asset size of each entry (a ``Quantity``; from TOML write it as a string, "0.001").
    """

    fast: int = 5
    slow: int = 20
    quantity: te.Quantity = te.Quantity("0.001")

    def validate(self) -> list[str]:
        """Every cross-field problem: window lengths below 1, fast not below slow, a
        quantity that is not a positive Quantity."""
        problems: list[str] = []
        windows_ok = True
        for name in ("fast", "slow"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{name} {value!r}: expected an integer number of candles")
                windows_ok = False
            elif value < 1:
                problems.append(f"{name} {value}: must be at least 1")
        if windows_ok and self.fast >= self.slow:
            problems.append(f"fast {self.fast} must be below slow {self.slow}")
        if not isinstance(self.quantity, te.Quantity):
            problems.append(f"quantity {self.quantity!r}: expected a tradeengine.Quantity "
                            "(write it as a string)")
        elif self.quantity <= _ZERO:
            problems.append(f"quantity {self.quantity}: must be above 0")
        return problems


class SmaCross(Strategy):
    """Moving-average crossover on closed candles (see the module docstring).

    Counters for tests and status lines: ``signals`` (crosses seen, golden and death),
    ``golden`` and ``death`` (each kind), ``orders`` (orders sent), ``refused`` (entries the
    instrument's filters would reject, not sent), ``fills`` (fills received).
    """

    Config = SmaCrossConfig

    def __init__(self, config: SmaCrossConfig | None = None, **kw: object) -> None:
        super().__init__(config, **kw)  # type: ignore[arg-type]
        self._closes: dict[str, deque[Decimal]] = {}
        self._side: dict[str, int] = {}  # sign of (fast - slow) at the last full window
        self.signals = 0
        self.golden = 0
        self.death = 0
        self.orders = 0
        self.refused = 0
        self.fills = 0
        self._warned: set[str] = set()

    def on_start(self) -> None:
        """Subscribes the closed candles of every configured symbol at the configured interval."""
        for symbol in self.config.symbols:
            self._closes[symbol] = deque(maxlen=self.config.slow)
            self.subscribe_candles(symbol, self.config.interval)

    def averages(self, symbol: str) -> tuple[Decimal, Decimal] | None:
        """The (fast, slow) averages of ``symbol`` now, as Decimals (None until ``slow``
        closes were seen). For display: signals never use these divided values."""
        closes = self._closes.get(symbol)
        if closes is None or len(closes) < self.config.slow:
            return None
        window = list(closes)
        with localcontext() as ctx:
            ctx.prec = 40
            fast = sum(window[-self.config.fast :], Decimal(0)) / self.config.fast
            slow = sum(window, Decimal(0)) / self.config.slow
        return fast, slow

    def _relation(self, closes: deque[Decimal]) -> int:
        """Sign of (fast average - slow average), exactly: -1, 0 or 1."""
        fast_n, slow_n = self.config.fast, self.config.slow
        window = list(closes)
        with localcontext() as ctx:
            ctx.prec = 60  # wide enough that these products are exact
            lhs = sum(window[-fast_n:], Decimal(0)) * slow_n
            rhs = sum(window, Decimal(0)) * fast_n
        return int(lhs > rhs) - int(lhs < rhs)

    def on_candle(self, candle: te.Candle) -> None:
        """Adds the close to the window and acts on a cross."""
        symbol = candle.instrument_id.symbol
        closes = self._closes.setdefault(symbol, deque(maxlen=self.config.slow))
        closes.append(candle.close.as_decimal())
        if len(closes) < self.config.slow:
            return
        now = self._relation(closes)
        before = self._side.get(symbol)
        if now != 0:
            self._side[symbol] = now  # a tie keeps the previous side: fast must cross, not touch
        if before is None or now == 0 or now == before:
            return
        self.signals += 1
        flat = self.is_flat(symbol)  # dust a base-asset commission left counts as flat
        busy = bool(self.open_orders(symbol))  # an order still working: wait for it
        if now > 0:
            self.golden += 1
            if flat and not busy and self._allowed(symbol, candle.close):
                self.buy(symbol, self.config.quantity)
                self.orders += 1
                self.log("golden cross: buy", symbol=symbol, quantity=self.config.quantity,
                         close=candle.close)
        else:
            self.death += 1
            if not flat and not busy and self.position(symbol).quantity > _ZERO:
                if self.close_position(symbol) is not None:
                    self.orders += 1
                    self.log("death cross: close", symbol=symbol, position=self.position(symbol).quantity,
                             close=candle.close)

    def _allowed(self, symbol: str, price: te.Price) -> bool:
        """False (warned once per symbol) if the instrument's filters would refuse an entry
        of ``quantity`` at ``price``; True when they pass or the instrument is unknown."""
        inst = self.instrument(symbol)
        why = inst.check_order(price, self.config.quantity) if inst is not None else None
        if why is None:
            return True
        self.refused += 1
        if symbol not in self._warned:
            self._warned.add(symbol)
            self.log(f"not entering {symbol}: {why}", level="warn", symbol=symbol,
                     quantity=self.config.quantity, price=price)
        return False

    def on_fill(self, fill: te.Fill) -> None:
        """Counts fills (the portfolio already includes them)."""
        self.fills += 1
