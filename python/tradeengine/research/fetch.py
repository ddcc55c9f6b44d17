"""``tradeengine data fetch``: klines from a venue's REST API into a Binance-format CSV.

::

    tradeengine data fetch BTCUSDT 1m --start 2024-01-01 --end 2024-02-01 --out data/

writes ``data/BTCUSDT-1m-2024-01-01-2024-02-01.csv`` (the 12 columns of Binance's public kline
files, no header), 1,000 klines per request (``GET /api/v3/klines``). Run again with the same
arguments and it resumes after the last kline in the file. Gaps (klines the venue does not
have) are reported and counted, not filled. The base URL is Binance's by default; the tests
point it at the simulated exchange.
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
    """What one fetch did: the file, klines written now and in all, and the gaps found
    (open time in ms of the kline before each gap, and how many klines are missing)."""

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
    """The open time of the last kline in an existing file (for resuming)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - 4096))
        lines = [line for line in f.read().decode().splitlines() if line.strip()]
    return int(lines[-1].split(",", 1)[0]) if lines else None


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
    step_ms = _core.next_open_time_ms(_core.interval_from_string(interval), 0)
    start_ms, end_ms = _ms(start, "start"), _ms(end, "end")
    if end_ms <= start_ms:
        raise _core.ConfigError(f"data fetch: end {end} is not after start {start}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{symbol}-{interval}-{start[:10]}-{end[:10]}.csv"
    last = _last_open_ms(path)
    cursor = start_ms if last is None else last + step_ms
    written, gaps = 0, []
    previous = last
    with open(path, "a", encoding="utf-8") as f:
        while cursor < end_ms:
            query = urllib.parse.urlencode({"symbol": symbol, "interval": interval, "startTime": cursor,
                                            "endTime": end_ms - 1, "limit": _PAGE})  # fmt: skip
            rows = _get(f"{base_url.rstrip('/')}/api/v3/klines?{query}")
            if not rows:
                break
            for row in rows:
                open_ms = int(row[0])  # type: ignore[call-overload]
                if open_ms >= end_ms:
                    break
                if previous is not None and open_ms - previous > step_ms:
                    gaps.append((previous, (open_ms - previous) // step_ms - 1))
                f.write(",".join(str(v) for v in row[:12]) + "\n")
                previous = open_ms
                written += 1
            cursor = int(rows[-1][0]) + step_ms  # type: ignore[call-overload]
            if progress:
                progress(written)
    total = sum(1 for _ in open(path, encoding="utf-8"))
    return FetchResult(path, written, total, last, gaps)
