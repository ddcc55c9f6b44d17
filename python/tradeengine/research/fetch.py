"""``tradeengine data fetch``: klines from a venue's REST API into a Binance-format CSV.

::

    tradeengine data fetch BTCUSDT 1m --start 2024-01-01 --end 2024-02-01 --out data/

writes ``data/BTCUSDT-1m-2024-01-01-2024-02-01.csv`` (the 12 columns of Binance's public kline
files, no header), 1,000 klines per request (``GET /api/v3/klines``). Run again with the same
arguments and it resumes after the last kline in the file (a half-written last line, from a
run killed mid-write, is dropped and fetched again). Gaps (klines the venue does not have) are
reported and counted, not filled: every gap in the file, including those an earlier,
interrupted run downloaded. The base URL is Binance's by default; the tests point it at the
simulated exchange or a small local server.
"""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tradeengine import _core

__all__ = ["BINANCE_REST", "FetchResult", "fetch_klines"]

BINANCE_REST = "https://api.binance.com"
_PAGE = 1000


@dataclasses.dataclass(frozen=True)
class FetchResult:
    """What one fetch did: the file, klines written now and in all, the open time (ms) of the
    last kline already in the file when resuming, and every gap in the file (open time in ms of
    the kline before each gap, and how many klines are missing after it)."""

    path: Path
    written: int
    total: int
    resumed_from: int | None
    gaps: list[tuple[int, int]]


def _ms(value: str, what: str) -> int:
    from tradeengine.venues.backtest import to_ns

    ns = to_ns(value, what)
    assert ns is not None
    return ns // 1_000_000


def _last_open_ms(path: Path) -> int | None:
    """The open time of the last kline in an existing file (for resuming). A last line without
    its newline (a run killed mid-write) is cut off, to be fetched again."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    size = path.stat().st_size
    with open(path, "r+b") as f:
        offset = max(0, size - 4096)
        f.seek(offset)
        tail = f.read()
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n") + 1
            f.truncate(offset + cut)
            tail = tail[:cut]
    lines = [line for line in tail.decode().splitlines() if line.strip()]
    return int(lines[-1].split(",", 1)[0]) if lines else None


def _missing(interval: _core.Interval, before: int, after: int) -> int:
    """How many klines open strictly between the klines opening at ``before`` and ``after`` (ms)."""
    if interval != _core.Interval.MO1:
        return (after - before) // _core.next_open_time_ms(interval, 0) - 1
    count, t = 0, _core.next_open_time_ms(interval, before)
    while t < after:  # calendar months: a few hundred at most
        count, t = count + 1, _core.next_open_time_ms(interval, t)
    return count


def _scan(path: Path, interval: _core.Interval) -> tuple[int, list[tuple[int, int]]]:
    """The klines in the file and its gaps (the kline before each, and how many are missing)."""
    total, gaps, previous = 0, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            open_ms = int(line.split(",", 1)[0])
            if previous is not None and open_ms > _core.next_open_time_ms(interval, previous):
                gaps.append((previous, _missing(interval, previous, open_ms)))
            previous = open_ms
            total += 1
    return total, gaps


def _get(url: str, retries: int = 3) -> list[list[object]]:
    for attempt in range(retries):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                rows: list[list[object]] = json.loads(response.read())
                return rows
        except urllib.error.HTTPError as exc:
            body = exc.read().decode(errors="replace")[:200]
            if exc.code in (429, 418) or exc.code >= 500:
                time.sleep(float(exc.headers.get("Retry-After", 1 + attempt)))
                continue
            raise _core.VenueError(f"GET {url}: HTTP {exc.code} {body}") from None
        except urllib.error.URLError as exc:
            if attempt == retries - 1:
                raise _core.ConnectionLostError(f"GET {url}: {exc.reason}") from None
            time.sleep(1 + attempt)
    raise _core.RateLimitedError(f"GET {url}: still refused after {retries} attempts")


def fetch_klines(symbol: str, interval: str, start: str, end: str, out: str | Path, *, base_url: str = BINANCE_REST,
                 progress: Callable[[int], None] | None = None) -> FetchResult:  # fmt: skip
    """Downloads ``symbol``'s ``interval`` klines opening in [start, end) into ``out`` (see the module docstring)."""
    symbol = symbol.upper()
    iv = _core.interval_from_string(interval)
    start_ms, end_ms = _ms(start, "start"), _ms(end, "end")
    if end_ms <= start_ms:
        raise _core.ConfigError(f"data fetch: end {end} is not after start {start}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{symbol}-{interval}-{start[:10]}-{end[:10]}.csv"
    last = _last_open_ms(path)
    cursor = start_ms if last is None else _core.next_open_time_ms(iv, last)
    written = 0
    with open(path, "a", encoding="utf-8") as f:
        while cursor < end_ms:
            query = urllib.parse.urlencode({"symbol": symbol, "interval": interval, "startTime": cursor,
                                            "endTime": end_ms - 1, "limit": _PAGE})  # fmt: skip
            url = f"{base_url.rstrip('/')}/api/v3/klines?{query}"
            rows = _get(url)
            if not rows:
                break
            if int(rows[-1][0]) < cursor:  # type: ignore[call-overload]
                raise _core.VenueError(f"GET {url}: the venue answered klines opening before startTime {cursor}")
            for row in rows:
                open_ms = int(row[0])  # type: ignore[call-overload]
                if open_ms >= end_ms:
                    break
                if open_ms < cursor:
                    continue  # already in the file
                f.write(",".join(str(v) for v in row[:12]) + "\n")
                written += 1
            cursor = _core.next_open_time_ms(iv, int(rows[-1][0]))  # type: ignore[call-overload]
            if progress:
                progress(written)
    total, gaps = _scan(path, iv)
    return FetchResult(path, written, total, last, gaps)
