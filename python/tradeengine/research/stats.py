"""Statistics of one backtest run, from the DataFrames the backtest produces.

::

    from tradeengine.research.stats import compute_stats, round_trips

    stats = compute_stats(result.equity, result.fills)
    print(stats)                       # a two-column table
    stats.sharpe, stats.max_drawdown   # floats; money fields are Decimal
    trips = round_trips(result.fills)  # one row per closed round trip

    runs = pd.DataFrame([compute_stats(r.equity, r.fills).to_series() for r in results])

Inputs (all indexed by a tz-aware UTC DatetimeIndex, sorted by time):

- ``equity``: one row per bar, time = the bar close; columns ``equity`` (account value in the
  quote asset: cash + positions), ``cash`` and ``position_value``, all Decimal.
- ``fills``: one row per fill; columns ``client_order_id``, ``strategy``, ``instrument``
  ("BTCUSDT.BACKTEST"), ``side`` ("BUY"/"SELL"), ``price``, ``quantity``, ``quote_quantity``,
  ``commission`` (Decimal), ``commission_asset``, ``liquidity`` ("MAKER"/"TAKER"). It may be
  empty (no trades), with or without columns.

Money stays Decimal (``pnl``, equities, fees, round-trip prices and pnl); ratios (returns,
Sharpe, drawdown) are float. Every formula and edge case is in docs/guide/backtesting-stats.md.
Runs are assumed to start flat: positions are rebuilt from the fills.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["BacktestStats", "compute_stats", "round_trips"]

#: Days per year used to annualise: crypto trades every day.
DAYS_PER_YEAR = 365
#: Runs spanning at least this long are measured on daily returns, shorter ones per bar.
DAILY_RETURNS_FROM = pd.Timedelta(days=30)
#: Return standard deviations at or below this are treated as zero (float rounding of constant
#: returns would otherwise give an enormous Sharpe ratio).
ZERO_VARIANCE = 1e-12

_YEAR = pd.Timedelta(days=DAYS_PER_YEAR)
_FILL_COLUMNS = ("instrument", "side", "price", "quantity", "commission", "commission_asset")
_TRIP_COLUMNS = ["instrument", "entry_time", "exit_time", "side", "quantity", "entry_price",
                 "exit_price", "pnl", "return", "fees", "fills"]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class BacktestStats:
    """The statistics of one backtest run (see ``compute_stats``).

    Money (``start_equity``, ``end_equity``, ``pnl``, ``fees``) is Decimal in the account's quote
    asset (fees: in the asset charged); fractions and ratios are float (0.12 = 12 %). ``None``
    means undefined: ``cagr`` for a run under one day, ``win_rate`` and ``profit_factor`` with no
    closed round trip (``profit_factor`` also when every trip broke even). ``profit_factor`` and
    ``sortino`` are ``inf`` when there is no loss to divide by. ``periods_per_year`` is the
    annualisation factor the Sharpe and Sortino ratios used (365 for daily returns).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    duration: pd.Timedelta
    start_equity: Decimal
    end_equity: Decimal
    pnl: Decimal
    total_return: float
    cagr: float | None
    sharpe: float
    sortino: float
    max_drawdown: float
    max_drawdown_duration: pd.Timedelta
    win_rate: float | None
    profit_factor: float | None
    exposure: float
    trades: int
    fills: int
    fees: dict[str, Decimal]
    periods_per_year: float

    def to_series(self, name: str | None = None) -> pd.Series:
        """The statistics as one pd.Series (object dtype: Decimals stay Decimal), to build a
        DataFrame of many runs. ``fees`` is flattened into one entry per asset, ``fees_<ASSET>``."""
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "fees":
                for asset, amount in sorted(self.fees.items()):
                    data[f"fees_{asset}"] = amount
            else:
                data[f.name] = getattr(self, f.name)
        return pd.Series(data, name=name, dtype=object)

    def rows(self) -> list[tuple[str, str]]:
        """The statistics as (label, formatted value) pairs: what ``str()`` and the HTML report
        show. Fractions are shown as percentages, ``None`` as "n/a"."""
        out: list[tuple[str, str]] = [
            ("start", str(self.start)),
            ("end", str(self.end)),
            ("duration", str(self.duration)),
            ("start equity", _fmt_money(self.start_equity)),
            ("end equity", _fmt_money(self.end_equity)),
            ("pnl", _fmt_money(self.pnl)),
            ("total return", _fmt_pct(self.total_return)),
            ("CAGR", _fmt_pct(self.cagr)),
            ("Sharpe", _fmt_ratio(self.sharpe)),
            ("Sortino", _fmt_ratio(self.sortino)),
            ("max drawdown", _fmt_pct(self.max_drawdown)),
            ("max drawdown duration", str(self.max_drawdown_duration)),
            ("win rate", _fmt_pct(self.win_rate)),
            ("profit factor", _fmt_ratio(self.profit_factor)),
            ("exposure", _fmt_pct(self.exposure)),
            ("trades", str(self.trades)),
            ("fills", str(self.fills)),
        ]
        if self.fees:
            out += [(f"fees {asset}", _fmt_money(v)) for asset, v in sorted(self.fees.items())]
        else:
            out.append(("fees", "none"))
        return out

    def __str__(self) -> str:
        """A readable two-column table, one statistic a line."""
        rows = self.rows()
        width = max(len(label) for label, _ in rows)
        return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)


def compute_stats(
    equity: pd.DataFrame,
    fills: pd.DataFrame,
    *,
    risk_free_rate: float = 0.0,
    dust: Mapping[str, Decimal] | None = None,
) -> BacktestStats:
    """The statistics of one run from its equity curve and fills.

    ``risk_free_rate`` is an annual rate (0.04 = 4 %), converted to a per-period rate
    ``(1 + rate) ** (1 / periods_per_year) - 1`` that Sharpe and Sortino subtract.

    Returns are per bar for runs under 30 days (annualised with the bar frequency: 525,600
    periods a year for 1m bars), daily closes (UTC) otherwise (365 a year). Sharpe is 0.0 when
    the returns have no variance (or there are fewer than two). ``dust`` is as in
    ``round_trips``, which gives ``trades``, ``win_rate``, ``profit_factor`` and ``exposure``
    (bars at whose close a round trip is open). Raises ValueError when equity
    is empty, not indexed by a sorted tz-aware DatetimeIndex, lacks the ``equity`` column, or
    starts at or below zero; TypeError when money is float.
    """
    eq = _equity_series(equity)
    fills = _prepare_fills(fills)
    if not risk_free_rate > -1.0:
        raise ValueError(f"risk_free_rate must be above -1, got {risk_free_rate!r}")

    bars = pd.DatetimeIndex(eq.index)
    start, end = bars[0], bars[-1]
    duration = end - start
    start_equity, end_equity = eq.iloc[0], eq.iloc[-1]
    if start_equity <= 0:
        raise ValueError(f"the equity must start above zero to measure returns, got {start_equity}")
    values = np.array([float(v) for v in eq], dtype=float)
    ratio = float(end_equity / start_equity)

    returns, periods_per_year = _returns(pd.Series(values, index=eq.index))
    rf = (1.0 + risk_free_rate) ** (1.0 / periods_per_year) - 1.0 if periods_per_year else 0.0
    sharpe, sortino = _sharpe_sortino(returns - rf, periods_per_year)
    max_dd, max_dd_duration = _drawdown(values, bars)

    replay = _replay(fills, dust)
    win_rate, profit_factor = _trip_ratios(trip["pnl"] for trip in replay.trips)
    return BacktestStats(
        start=start,
        end=end,
        duration=duration,
        start_equity=start_equity,
        end_equity=end_equity,
        pnl=end_equity - start_equity,
        total_return=ratio - 1.0,
        cagr=_cagr(ratio, duration),
        sharpe=sharpe,
        sortino=sortino,
        max_drawdown=max_dd,
        max_drawdown_duration=max_dd_duration,
        win_rate=win_rate,
        profit_factor=profit_factor,
        exposure=_exposure(replay, bars),
        trades=len(replay.trips),
        fills=len(fills),
        fees=_fees(fills),
        periods_per_year=periods_per_year,
    )


def round_trips(fills: pd.DataFrame, *, dust: Mapping[str, Decimal] | None = None) -> pd.DataFrame:
    """The closed round trips in ``fills``: one row each time an instrument's position goes
    from flat back to flat, in the order they close. Fills are taken in time order (ties keep
    their order in ``fills``); the run is assumed to start flat.

    The position is what the account holds, as in the engine: a BUY adds its quantity less a
    commission charged in the base asset, a SELL takes off its quantity plus one. It is flat
    at exactly zero, or when what a reducing fill leaves is dust: below ``dust[instrument]``
    (keyed by instrument or symbol; pass the instrument's max(step size, minimum quantity) to
    match ``Strategy.is_flat``), else, in a trip charged commissions in the base asset, below
    the last decimal place of that fill's quantity (at most 1). Dust stays in the position and
    is carried into the next trip.

    Columns: ``instrument``, ``entry_time`` (first fill), ``exit_time`` (the fill that made the
    position flat), ``side`` ("LONG" if the first fill bought, "SHORT" if it sold),
    ``quantity`` (everything bought for a long, sold for a short), ``entry_price`` and
    ``exit_price`` (volume-weighted averages of the opening and closing fills), ``pnl`` (net
    of fees, in the quote asset: cash in - cash out - commissions in the quote asset; one in
    the base asset is already in the quantities), ``return`` (float: pnl / (entry_price *
    quantity)), ``fees`` (the trip's commissions valued in the quote asset, those in the base
    asset at the fill price) and ``fills`` (fills in the trip). Money columns are Decimal.

    Lots are matched first in, first out: a fill that crosses zero (long to short in one order)
    is split, the part that brings the position to zero ends the trip and the rest opens the
    next, the commission shared pro rata. A commission in another asset (BNB) has no price
    here and is left out of pnl and ``fees`` (it is in ``BacktestStats.fees``). A position still
    open at the end is not a round trip. Empty fills give an empty DataFrame with these columns.
    """
    return _round_trips(_prepare_fills(fills), dust)


def _round_trips(fills: pd.DataFrame, dust: Mapping[str, Decimal] | None = None) -> pd.DataFrame:
    """round_trips() of fills already through _prepare_fills()."""
    return pd.DataFrame(_replay(fills, dust).trips, columns=_TRIP_COLUMNS)


@dataclasses.dataclass
class _Replay:
    """The fills replayed: the closed round trips, and per instrument whether a trip was open
    after each of its fills (for exposure)."""

    trips: list[dict[str, Any]]
    open_after: dict[str, tuple[list[pd.Timestamp], list[bool]]]


def _replay(fills: pd.DataFrame, dust: Mapping[str, Decimal] | None) -> _Replay:
    out = _Replay([], {})
    trips: dict[str, _Trip] = {}
    held: dict[str, Decimal] = {}  # signed; what the account holds (base-asset fees taken off)
    for time, instrument, side, price, qty, fee, asset in zip(
        fills.index,
        fills["instrument"],
        fills["side"],
        fills["price"],
        fills["quantity"],
        fills["commission"],
        fills["commission_asset"],
    ):
        kind = _asset_kind(instrument, asset) if fee else "quote"
        base_fee = fee if kind == "base" else Decimal(0)
        quote_fee = fee if kind == "quote" else Decimal(0)
        fee_value = quote_fee + base_fee * price  # a third asset (BNB) has no price here
        sign = 1 if side == "BUY" else -1
        change = qty - base_fee if sign > 0 else -(qty + base_fee)
        position = held.get(instrument, Decimal(0))
        piece = _Piece(price, qty, change, quote_fee, fee_value, base_fee != 0)
        while change:  # (a fill of nothing changes nothing)
            trip = trips.get(instrument)
            if trip is None:
                if position and (change > 0) != (position > 0) and abs(change) <= abs(position):
                    position += change  # only takes off dust left by an earlier trip
                    break
                trip = trips[instrument] = _Trip(instrument, time, sign, carried=position != 0)
            if sign == trip.sign:  # opening or adding
                trip.add(piece, entry=True)
                position += piece.change
                break
            if abs(piece.change) <= abs(position):  # reducing or closing
                trip.add(piece, entry=False)
                position += piece.change
                if position == 0 or _is_dust(position, instrument, piece.quantity, trip, dust):
                    out.trips.append(trip.close(time))
                    del trips[instrument]
                break
            # Crossing zero: the part that brings the position to zero closes the trip, the
            # rest (its share of the commission too) opens the next one.
            closing, piece = piece.split(abs(position) / abs(piece.change))
            trip.add(closing, entry=False)
            out.trips.append(trip.close(time))
            del trips[instrument]
            position = Decimal(0)
        held[instrument] = position
        times, flags = out.open_after.setdefault(instrument, ([], []))
        times.append(time)
        flags.append(instrument in trips)
    return out


@dataclasses.dataclass
class _Piece:
    """A fill, or the part of one on one side of zero: ``change`` is the signed change of the
    position (base-asset commission taken off), ``fee_value`` the commission valued in the
    quote asset, ``quote_fee`` the part of it charged in the quote asset."""

    price: Decimal
    quantity: Decimal
    change: Decimal
    quote_fee: Decimal
    fee_value: Decimal
    base_fee: bool

    def split(self, fraction: Decimal) -> tuple[_Piece, _Piece]:
        """(this fraction of the piece, the rest), the commission shared pro rata."""
        f = fraction
        first = _Piece(self.price, self.quantity * f, self.change * f, self.quote_fee * f,
                       self.fee_value * f, self.base_fee)  # fmt: skip
        rest = _Piece(self.price, self.quantity - first.quantity, self.change - first.change,
                      self.quote_fee - first.quote_fee, self.fee_value - first.fee_value,
                      self.base_fee)  # fmt: skip
        return first, rest


def _is_dust(
    position: Decimal, instrument: str, quantity: Decimal, trip: _Trip,
    dust: Mapping[str, Decimal] | None,
) -> bool:  # fmt: skip
    """Whether what is left of a position after a reducing fill counts as flat."""
    if dust is not None:
        limit = dust.get(instrument, dust.get(instrument.split(".", 1)[0]))
        if limit is not None:
            return abs(position) < Decimal(limit)
    if not trip.base_fees:
        return False  # no commission in the base asset: nothing can leave dust
    # The closing fill's quantity is a multiple of the step size, which is at most the last
    # decimal place of that quantity (at most 1): what is left below it cannot be sold.
    exponent = quantity.normalize().as_tuple().exponent
    unit = Decimal(1).scaleb(min(int(exponent), 0)) if isinstance(exponent, int) else Decimal(1)
    return abs(position) < unit


class _Trip:
    """One round trip being built (money in Decimal)."""

    def __init__(self, instrument: str, time: pd.Timestamp, sign: int, *, carried: bool) -> None:
        self.instrument, self.entry_time, self.sign = instrument, time, sign
        self.entry_qty = self.entry_notional = Decimal(0)
        self.exit_qty = self.exit_notional = Decimal(0)
        self.quote_fees = self.fees = Decimal(0)
        self.base_fees = carried  # dust carried in, or a commission in the base asset
        self.fills = 0

    def add(self, piece: _Piece, *, entry: bool) -> None:
        if entry:
            self.entry_qty += piece.quantity
            self.entry_notional += piece.price * piece.quantity
        else:
            self.exit_qty += piece.quantity
            self.exit_notional += piece.price * piece.quantity
        self.quote_fees += piece.quote_fee
        self.fees += piece.fee_value
        self.base_fees = self.base_fees or piece.base_fee
        self.fills += 1

    def close(self, time: pd.Timestamp) -> dict[str, Any]:
        # Cash in minus cash out: a commission in the base asset is already in the quantities
        # (less was held, so less was sold), one in the quote asset is paid on top.
        pnl = (self.exit_notional - self.entry_notional) * self.sign - self.quote_fees
        return {
            "instrument": self.instrument,
            "entry_time": self.entry_time,
            "exit_time": time,
            "side": "LONG" if self.sign > 0 else "SHORT",
            "quantity": self.entry_qty,
            "entry_price": self.entry_notional / self.entry_qty,
            "exit_price": self.exit_notional / self.exit_qty,
            "pnl": pnl,
            "return": float(pnl / self.entry_notional) if self.entry_notional else 0.0,
            "fees": self.fees,
            "fills": self.fills,
        }


# --- inputs ---------------------------------------------------------------------------------


def _check_index(df: pd.DataFrame, what: str) -> pd.DataFrame:
    index = df.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ValueError(f"{what} must be indexed by a tz-aware (UTC) DatetimeIndex")
    if str(index.tz) != "UTC":
        df = df.tz_convert("UTC")
    if not df.index.is_monotonic_increasing:
        raise ValueError(f"{what} must be sorted by time")
    return df


def _equity_series(equity: pd.DataFrame) -> pd.Series:
    if "equity" not in equity.columns:
        raise ValueError("equity must have an 'equity' column")
    if len(equity) == 0:
        raise ValueError("equity is empty: there is no run to measure")
    equity = _check_index(equity, "equity")
    return pd.Series([_money(v, "equity") for v in equity["equity"]], index=equity.index,
                     dtype=object, name="equity")  # fmt: skip


def _prepare_fills(fills: pd.DataFrame) -> pd.DataFrame:
    """Fills sorted by time (stable), sides as "BUY"/"SELL", money as Decimal."""
    if len(fills) == 0:
        return pd.DataFrame(columns=list(_FILL_COLUMNS), index=pd.DatetimeIndex([], tz="UTC"))
    missing = [c for c in _FILL_COLUMNS if c not in fills.columns]
    if missing:
        raise ValueError(f"fills lack the columns {', '.join(missing)}")
    if not isinstance(fills.index, pd.DatetimeIndex) or fills.index.tz is None:
        raise ValueError("fills must be indexed by a tz-aware (UTC) DatetimeIndex")
    fills = fills.tz_convert("UTC").sort_index(kind="stable").copy()
    fills["side"] = [_side(s) for s in fills["side"]]
    fills["instrument"] = [str(i) for i in fills["instrument"]]
    fills["commission_asset"] = ["" if a is None else str(a) for a in fills["commission_asset"]]
    for column in ("price", "quantity", "commission"):
        fills[column] = np.array([_money(v, column) for v in fills[column]], dtype=object)
    if any(q < 0 for q in fills["quantity"]):
        raise ValueError("a fill's quantity must not be negative (the side gives the direction)")
    return fills


def _side(value: object) -> str:
    text = str(getattr(value, "name", value)).upper()
    if text not in ("BUY", "SELL"):
        raise ValueError(f"a fill's side must be BUY or SELL, got {value!r}")
    return text


def _money(value: object, column: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (float, np.floating)):
        raise TypeError(f"{column} must be Decimal, not float ({value!r})")
    if value is None:
        raise ValueError(f"{column} has a missing value")
    return Decimal(str(value))  # int, str, te.Money / te.Price


def _asset_kind(instrument: str, asset: str) -> str:
    """Whether a commission asset is the instrument's "quote", "base" or "other" asset."""
    symbol = instrument.split(".", 1)[0].upper()
    asset = asset.upper()
    if asset and len(asset) < len(symbol) and symbol.endswith(asset):
        return "quote"
    if asset and len(asset) < len(symbol) and symbol.startswith(asset):
        return "base"
    return "other"


# --- statistics -----------------------------------------------------------------------------


def _returns(values: pd.Series) -> tuple[np.ndarray, float]:
    """Period returns (float) and periods per year: daily closes for runs of 30 days or more,
    else per bar at the median bar spacing."""
    if len(values) < 2:
        return np.array([], dtype=float), 0.0
    start = values.index[0]
    if values.index[-1] - start >= DAILY_RETURNS_FROM:
        # (day - 1, day] bins labelled by their end: a bar closing at midnight ends the day before.
        daily = values.resample("1D", closed="right", label="right").last().ffill()
        # (pandas may add an empty bin after the last bar; the last bar's bin ends at its ceil.)
        daily = daily[(daily.index > start) & (daily.index <= values.index[-1].ceil("D"))]
        points = np.concatenate([[values.iloc[0]], daily.to_numpy(dtype=float)])
        periods_per_year = float(DAYS_PER_YEAR)
    else:
        points = values.to_numpy(dtype=float)
        index = pd.DatetimeIndex(values.index)
        spacing = pd.Timedelta(pd.Series(index[1:] - index[:-1]).median())  # robust to a few gaps
        periods_per_year = _YEAR / spacing if spacing > pd.Timedelta(0) else 0.0
    points = _until_wiped_out(points)
    with np.errstate(divide="ignore", invalid="ignore"):
        returns = points[1:] / points[:-1] - 1.0
    return returns, float(periods_per_year)


def _until_wiped_out(points: np.ndarray) -> np.ndarray:
    """The points up to and including the first at or below zero (later returns are undefined)."""
    gone = np.flatnonzero(points <= 0)
    return points[: gone[0] + 1] if len(gone) else points


def _sharpe_sortino(excess: np.ndarray, periods_per_year: float) -> tuple[float, float]:
    if len(excess) < 2:
        return 0.0, 0.0
    std = float(np.std(excess, ddof=1))
    if not std > ZERO_VARIANCE:
        return 0.0, 0.0
    mean = float(np.mean(excess))
    scale = math.sqrt(periods_per_year)
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    sharpe = mean / std * scale
    if downside > 0:
        sortino = mean / downside * scale
    else:
        sortino = math.inf if mean > 0 else 0.0
    return sharpe, sortino


def _drawdown(values: np.ndarray, index: pd.DatetimeIndex) -> tuple[float, pd.Timedelta]:
    """Largest fall below the running peak (fraction of the peak) and the longest time from a
    peak until the equity is back at or above it (or the end, if it never is)."""
    peaks = np.maximum.accumulate(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(peaks > 0, 1.0 - values / peaks, 0.0)
    max_dd = float(dd.max()) if len(dd) else 0.0
    longest = pd.Timedelta(0)
    peak_time: pd.Timestamp | None = None
    for i, (value, peak) in enumerate(zip(values, peaks)):
        if value >= peak:
            if peak_time is not None:
                longest = max(longest, index[i] - peak_time)
            peak_time = None
        elif peak_time is None:
            peak_time = index[i - 1]  # i > 0: the first bar is always its own peak
    if peak_time is not None:
        longest = max(longest, index[-1] - peak_time)
    return max(max_dd, 0.0), longest


def _cagr(ratio: float, duration: pd.Timedelta) -> float | None:
    if duration < pd.Timedelta(days=1):
        return None
    if ratio <= 0:
        return -1.0
    try:
        return math.exp(math.log(ratio) * (_YEAR / duration)) - 1.0
    except OverflowError:
        return math.inf


def _trip_ratios(pnls: Iterable[Decimal]) -> tuple[float | None, float | None]:
    pnls = list(pnls)
    if not pnls:
        return None, None
    wins = [p for p in pnls if p > 0]
    gross_profit = sum(wins, Decimal(0))
    gross_loss = -sum((p for p in pnls if p < 0), Decimal(0))
    win_rate = len(wins) / len(pnls)
    if gross_loss > 0:
        profit_factor: float | None = float(gross_profit / gross_loss)
    else:
        profit_factor = math.inf if gross_profit > 0 else None
    return win_rate, profit_factor


def _exposure(replay: _Replay, bars: pd.DatetimeIndex) -> float:
    """Fraction of bars at whose close (fills at or before it counted) some trip is open."""
    if not replay.open_after or len(bars) == 0:
        return 0.0
    exposed = np.zeros(len(bars), dtype=bool)
    for times, flags in replay.open_after.values():
        last = pd.DatetimeIndex(times).searchsorted(bars, side="right") - 1
        exposed |= np.array([i >= 0 and flags[i] for i in last], dtype=bool)
    return float(exposed.mean())


def _fees(fills: pd.DataFrame) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for asset, fee in zip(fills["commission_asset"], fills["commission"]):
        if fee != 0 or asset:
            out[asset] = out.get(asset, Decimal(0)) + fee
    return out


# --- formatting -----------------------------------------------------------------------------


def _fmt_money(value: Decimal) -> str:
    return f"{value:f}"


def _fmt_pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    if math.isinf(value):
        return "inf"
    return f"{value * 100:.2f} %"


def _fmt_ratio(value: float | None) -> str:
    if value is None:
        return "n/a"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.2f}"
