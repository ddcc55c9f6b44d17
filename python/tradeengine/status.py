"""Terminal output of ``tradeengine run``: a status line rewritten in place, and the
end-of-run summary.

    status = StatusLine(interval=1.0)        # writes only when standard error is a terminal
    status.update(format_status({"prices": {"BTCUSDT": "50012.31"}, "pnl": "12.34"}))
    ...
    status.close()                           # ends the line; then print the summary
    print(format_summary({"duration_s": 60.0, "orders_filled": 17, "fees": {"USDT": "0.12"}}))

Money and quantities are shown exactly as given (``str`` of a Decimal, Price, Quantity, Money
or string); they are never converted to float.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

__all__ = ["StatusLine", "format_status", "format_summary", "summary_rows"]

_CLEAR_TO_END = "\x1b[K"


class StatusLine:
    """One line of status on a terminal, rewritten in place (``\\r`` + clear-to-end).

    Args:
        stream: where to write (default: ``sys.stderr`` at construction time).
        interval: at most one write per ``interval`` seconds; ``update(..., force=True)``
            writes at once.
        enabled: write at all; default: ``stream.isatty()``. When disabled nothing is ever
            written, so output redirected to a file or pipe stays clean.
        clock: monotonic seconds (for tests).

    Text is cut to the terminal width (``shutil.get_terminal_size``) so it never wraps. If
    the stream fails (closed, broken pipe) the status line switches itself off.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        interval: float = 1.0,
        enabled: bool | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = sys.stderr if stream is None else stream
        self._interval = float(interval)
        if enabled is None:
            try:
                enabled = bool(self._stream.isatty())
            except (AttributeError, ValueError, OSError):
                enabled = False
        self._enabled = bool(enabled)
        self._clock = clock
        self._last_write: float | None = None
        self._shown: str | None = None  # what the terminal shows now (None: no status line)
        self._latest: str | None = None  # the newest text given, maybe not yet written

    @property
    def enabled(self) -> bool:
        """True when the line is written (a terminal, or enabled=True)."""
        return self._enabled

    def update(self, text: str, force: bool = False) -> bool:
        """Show ``text`` in place of the current line; returns True when it was written
        (False: disabled, or throttled — the newest text is still written by ``close()``)."""
        if not self._enabled:
            return False
        self._latest = text
        now = self._clock()
        if (
            not force
            and self._last_write is not None
            and now - self._last_write < self._interval
        ):
            return False
        self._last_write = now
        return self._show(text)

    def clear(self) -> None:
        """Erase the status line (e.g. before printing something else); the next update
        draws it again."""
        if self._enabled and self._shown is not None:
            self._write("\r" + _CLEAR_TO_END)
            self._shown = None
            self._latest = None

    def close(self) -> None:
        """End the status line: write the newest text if it was throttled, then a newline.
        Calling it again does nothing; a later ``update`` starts a new line."""
        if not self._enabled:
            return
        if self._latest is not None and self._latest != self._shown:
            self._show(self._latest)
        if self._shown is not None:
            self._write("\n")
        self._shown = None
        self._latest = None
        self._last_write = None

    def __enter__(self) -> StatusLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals -----------------------------------------------------------------------
    def _fit(self, text: str) -> str:
        text = " ".join(text.splitlines())  # one line, whatever the caller gave
        width = shutil.get_terminal_size(fallback=(80, 24)).columns
        room = max(width - 1, 1)  # the last column would make some terminals wrap
        if len(text) <= room:
            return text
        encoding = (getattr(self._stream, "encoding", None) or "").lower().replace("-", "")
        ellipsis = "…" if encoding.startswith("utf") else "..."
        if room <= len(ellipsis):
            return text[:room]
        return text[: room - len(ellipsis)] + ellipsis

    def _show(self, text: str) -> bool:
        fitted = self._fit(text)
        if self._write("\r" + fitted + _CLEAR_TO_END):
            self._shown = text
            return True
        return False

    def _write(self, data: str) -> bool:
        try:
            self._stream.write(data)
            self._stream.flush()
            return True
        except (OSError, ValueError):  # closed stream, broken pipe: stop drawing
            self._enabled = False
            return False


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def _exact(value: Any) -> str:
    """Money, prices, quantities: exactly as given, never through float."""
    return str(value)


def _signed(value: Any) -> str:
    text = _exact(value)
    try:
        positive = Decimal(text.split()[0]) > 0 if text.strip() else False
    except (InvalidOperation, IndexError):
        return text
    return "+" + text if positive and not text.startswith("+") else text


def _rate(per_s: float) -> str:
    v = float(per_s)
    if v >= 999_950:
        return f"{v / 1e6:.1f}M"
    if v >= 999.5:
        return f"{v / 1e3:.1f}k"
    if v >= 10 or v == 0:
        return f"{v:.0f}"
    return f"{v:.1f}"


def _count(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def format_status(figures: Mapping[str, Any]) -> str:
    """One status line, e.g.
    ``BTCUSDT 50012.31 pos 0.003 | PnL +12.34 USDT | orders 3 open, 17 filled | 1.2k ev/s``.

    ``figures``: "prices" {symbol: price}, "positions" {symbol: quantity}, "pnl", "quote"
    (the PnL's asset), "open_orders", "filled_orders", "events_per_s". Missing keys are left
    out; amounts are shown exactly as given."""
    parts: list[str] = []
    prices: Mapping[str, Any] = figures.get("prices") or {}
    positions: Mapping[str, Any] = figures.get("positions") or {}
    symbols = list(prices) + [s for s in positions if s not in prices]
    for symbol in symbols:
        item = [str(symbol)]
        if symbol in prices:
            item.append(_exact(prices[symbol]))
        if symbol in positions:
            item.append(f"pos {_exact(positions[symbol])}")
        parts.append(" ".join(item))
    if figures.get("pnl") is not None:
        pnl = f"PnL {_signed(figures['pnl'])}"
        if figures.get("quote"):
            pnl += f" {figures['quote']}"
        parts.append(pnl)
    orders = []
    if figures.get("open_orders") is not None:
        orders.append(f"{_count(figures['open_orders'])} open")
    if figures.get("filled_orders") is not None:
        orders.append(f"{_count(figures['filled_orders'])} filled")
    if orders:
        parts.append("orders " + ", ".join(orders))
    if figures.get("events_per_s") is not None:
        parts.append(f"{_rate(figures['events_per_s'])} ev/s")
    return " | ".join(parts)


def _duration(seconds: Any) -> str:
    s = float(seconds)
    text = f"{s:.1f} s"
    if s >= 60:
        minutes, rest = divmod(int(round(s)), 60)
        hours, minutes = divmod(minutes, 60)
        text += f" ({hours}h {minutes:02d}m {rest:02d}s)" if hours else f" ({minutes}m {rest:02d}s)"
    return text


def _latency(us: Any) -> str:
    v = float(us)
    if v >= 10_000:
        return f"{v / 1000:.1f} ms"
    return f"{v:.0f} us" if v >= 10 else f"{v:.1f} us"


def _assets(values: Mapping[str, Any]) -> list[str]:
    """Aligned "NAME  amount" rows, amounts exactly as given."""
    if not values:
        return ["none"]
    width = max(len(str(k)) for k in values)
    return [f"{str(k):<{width}}  {_exact(v)}" for k, v in values.items()]


_ROWS: tuple[tuple[str, str, Callable[[Any], str | list[str]]], ...] = (
    ("duration_s", "duration", _duration),
    ("orders_submitted", "orders submitted", _count),
    ("orders_filled", "orders filled", _count),
    ("orders_canceled", "orders canceled", _count),
    ("orders_rejected", "orders rejected", _count),
    ("fills", "fills", _count),
    ("realized_pnl", "realized PnL", _exact),
    ("fees_quote", "fees (quote)", _exact),
    ("net_pnl", "net PnL", _exact),
    ("unrealized_pnl", "unrealized PnL", _exact),
    ("fees", "fees", _assets),
    ("strategies", "per strategy", _assets),
    ("failed", "FAILED", _assets),
    ("events_dropped", "events dropped", _count),
    ("latency_p50_us", "latency p50", _latency),
    ("latency_p99_us", "latency p99", _latency),
    ("positions", "positions", _assets),
    ("balances", "balances", _assets),
)


def format_summary(summary: Mapping[str, Any]) -> str:
    """The end-of-run report: an aligned two-column table (label, value), one row per key
    given; "fees", "positions" and "balances" (dicts) take one row per asset. Money is shown
    exactly as given (Decimal or str, never float-formatted); missing keys are left out."""
    rows: list[tuple[str, str | list[str]]] = []
    for key, label, fmt in _ROWS:
        if summary.get(key) is not None:
            rows.append((label, fmt(summary[key])))
    if not rows:
        return ""
    width = max(len(label) for label, _ in rows)
    lines: list[str] = []
    for label, value in rows:
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            lines.append(f"{label if i == 0 else '':<{width}}  {v}".rstrip())
    return "\n".join(lines)


def summary_rows(summary: Any) -> dict[str, Any]:
    """The rows of format_summary for a tradeengine.RunSummary: totals, then one row per
    strategy (realized, fees, net) and one per strategy that failed, with its error."""
    per_strategy = {name: f"realized {p.realized}  fees {p.fees}  net {p.net}  ({p.fills} fills)"
                    for name, p in summary.strategies.items()}  # fmt: skip
    return {
        "duration_s": summary.duration,
        "orders_submitted": summary.orders_submitted,
        "orders_filled": summary.orders_filled,
        "orders_canceled": summary.orders_canceled,
        "orders_rejected": summary.orders_rejected,
        "fills": summary.fills,
        "realized_pnl": summary.realized,
        "fees_quote": summary.fees,
        "net_pnl": summary.net,
        "unrealized_pnl": summary.unrealized,
        "fees": summary.fees_by_asset,
        "strategies": per_strategy or None,
        "failed": summary.failed_strategies or None,
        "events_dropped": summary.events_dropped,
        "latency_p50_us": summary.latency_p50_us,
        "latency_p99_us": summary.latency_p99_us,
        "positions": summary.positions,
        "balances": summary.balances,
    }
