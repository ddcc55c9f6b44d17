"""`tradeengine backtest` and `tradeengine data fetch` from the shell: stats printed, frames and
the plot written; klines downloaded from a venue's REST API (the simulated exchange here),
resumed on a second run, with gaps reported."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import tradeengine as te
from tradeengine import _core
from tradeengine.cli import main as cli_main
from tradeengine.research.fetch import fetch_klines
from tradeengine.sim import SimExchange
from tradeengine.strategies import SmaCross

in_subprocess = pytest.mark.skipif(
    bool(os.environ.get("TRADEENGINE_SANITIZED")),
    reason="subprocesses import the editable (unsanitized) build, not the staged sanitized one",
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tradeengine.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


@in_subprocess
def test_tradeengine_backtest_prints_the_stats_and_writes_frames_and_plot(tmp_path: Path) -> None:
    out = cli("backtest", "sma_cross", "--data", str(te.research.sample_data_path()), "--out", str(tmp_path / "out"),
              "--no-progress", cwd=tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert "total return" in out.stdout and "max drawdown" in out.stdout
    for name in ("orders.csv", "fills.csv", "equity.csv", "plot.png"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    equity = pd.read_csv(tmp_path / "out" / "equity.csv")
    assert len(equity) == 5000


@in_subprocess
def test_tradeengine_backtest_refuses_bad_data_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "BTCUSDT-1m-bad.csv"
    bad.write_text("1704067200000,1,2,0.5,1.5,10,1704067259999,1,1,1,1,0\n1704067260000,1,2\n")
    out = cli("backtest", "sma_cross", "--data", str(bad), "--no-progress", cwd=tmp_path)
    assert out.returncode == 2
    assert f"{bad}:2:" in out.stderr and "12 columns" in out.stderr


def iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).isoformat()


def test_data_fetch_downloads_resumes_and_reports_gaps(tmp_path: Path) -> None:
    start_ms = 1_704_067_200_000
    with SimExchange(symbols=["BTCUSDT"], seed=3, auto_tick=False, start_time_ms=start_ms, history_minutes=2500,
                     max_kline_history=2600) as ex:  # fmt: skip
        first = start_ms - 2500 * 60_000
        half = fetch_klines("BTCUSDT", "1m", iso(first), iso(first + 1200 * 60_000), tmp_path, base_url=ex.rest_url)
        assert half.written == 1200 and half.gaps == []
        full_name = tmp_path / f"BTCUSDT-1m-{iso(first)[:10]}-{iso(start_ms)[:10]}.csv"
        half.path.rename(full_name)  # a partial download of the longer range
        full = fetch_klines("BTCUSDT", "1m", iso(first), iso(start_ms), tmp_path, base_url=ex.rest_url)
    assert full.path == full_name
    assert full.resumed_from == first + 1199 * 60_000
    assert full.written == 1300 and full.total == 2500
    opens = [int(line.split(",")[0]) for line in full.path.read_text().splitlines()]
    assert opens == list(range(first, start_ms, 60_000)), "no duplicate, no hole at the resume point"
    # The file is a backtest's input as it is.
    result = te.backtest(SmaCross(symbols=("BTCUSDT",)), data=full.path, progress=False)
    assert result.replay.candles == 2500


def test_data_fetch_bad_arguments_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(te.ConfigError, match="not after start"):
        fetch_klines("BTCUSDT", "1m", "2024-01-02", "2024-01-01", tmp_path)
    with pytest.raises(ValueError, match="ISO date"):
        fetch_klines("BTCUSDT", "1m", "soon", "2024-01-01", tmp_path)


# ---- data fetch against a venue that really is missing klines -------------------------------

T0 = 1_704_067_200_000  # 2024-01-01T00:00:00Z
MINUTE = 60_000


@contextlib.contextmanager
def kline_venue(opens: list[int], interval: str = "1m", symbol: str = "BTCUSDT") -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A real HTTP server on loopback answering Binance's GET /api/v3/klines (startTime,
    endTime, limit: default 500, at most 1000) with the klines opening at ``opens`` only, so
    the minutes not in ``opens`` are missing at the venue. Yields its URL and the queries seen."""
    iv = _core.interval_from_string(interval)
    queries: list[dict[str, str]] = []

    class Klines(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            queries.append(q)
            if url.path != "/api/v3/klines" or q.get("symbol") != symbol or q.get("interval") != interval:
                return self.answer(400, {"code": -1121, "msg": "Invalid symbol."})
            lo, hi = int(q.get("startTime", 0)), int(q.get("endTime", 2**62))
            limit = min(int(q.get("limit", 500)), 1000)
            rows = [[t, "42000.00", "42010.00", "41990.00", "42005.00", "1.50000000",
                     _core.next_open_time_ms(iv, t) - 1, "63007.50000000", 10, "0.70000000", "29403.50000000", "0"]
                    for t in opens if lo <= t <= hi][:limit]  # fmt: skip
            self.answer(200, rows)

        def answer(self, status: int, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Klines)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", queries
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# 3,000 minutes from T0 with 3 missing after minute 9, 1 right after the first 1,000-kline page
# (minute 1,003: the first page ends at minute 1,002), and 1,200 (more than a page) from 1,500.
MISSING = {10, 11, 12, 1003, *range(1500, 2700)}
PRESENT = [T0 + m * MINUTE for m in range(3000) if m not in MISSING]
GAPS = [(T0 + 9 * MINUTE, 3), (T0 + 1002 * MINUTE, 1), (T0 + 1499 * MINUTE, 1200)]
END = iso(T0 + 3000 * MINUTE)


def file_opens(path: Path) -> list[int]:
    return [int(line.split(",")[0]) for line in path.read_text().splitlines()]


def test_data_fetch_reports_the_klines_the_venue_is_missing_and_does_not_fill_them(tmp_path: Path) -> None:
    with kline_venue(PRESENT) as (url, queries):
        result = fetch_klines("BTCUSDT", "1m", iso(T0), END, tmp_path, base_url=url)
    assert result.gaps == GAPS
    assert result.written == result.total == len(PRESENT) == 1796
    assert file_opens(result.path) == PRESENT, "the file holds what the venue has: nothing invented, nothing twice"
    assert len(queries) == 2, "one request per 1,000 klines, the 1,200 missing minutes cost none"
    # A backtest of the file sees the same holes.
    replay = te.backtest(SmaCross(symbols=("BTCUSDT",)), data=result.path, progress=False).replay
    assert [(g.after_open // 1_000_000, g.missing_bars) for g in replay.gaps] == GAPS


def test_data_fetch_cli_prints_every_gap_it_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with kline_venue(PRESENT) as (url, _):
        rc = cli_main(["data", "fetch", "BTCUSDT", "1m", "--start", iso(T0), "--end", END, "--out", str(tmp_path),
                       "--url", url])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0
    assert "1796 klines written, 1796 in the file" in out
    for after, missing in GAPS:
        assert f"gap: {missing} klines missing after {te.format_iso8601(after * 1_000_000)}" in out
    assert "3 gaps, 1204 klines missing" in out


class Interrupted(Exception):
    """Stands for Ctrl-C (or a dropped connection) in the middle of a download."""


def test_data_fetch_resume_after_an_interruption_fetches_only_the_rest_and_still_reports_the_earlier_gap(
    tmp_path: Path,
) -> None:
    def stop_after_the_first_page(written: int) -> None:
        raise Interrupted

    with kline_venue(PRESENT) as (url, queries):
        with pytest.raises(Interrupted):
            fetch_klines("BTCUSDT", "1m", iso(T0), END, tmp_path, base_url=url, progress=stop_after_the_first_page)
        partial = next(tmp_path.glob("*.csv"))
        assert file_opens(partial) == PRESENT[:1000]
        queries.clear()
        result = fetch_klines("BTCUSDT", "1m", iso(T0), END, tmp_path, base_url=url)
    assert result.path == partial
    assert result.resumed_from == T0 + 1002 * MINUTE
    assert int(queries[0]["startTime"]) == T0 + 1003 * MINUTE, "resumes after the last kline in the file"
    assert all(int(q["startTime"]) > T0 + 1002 * MINUTE for q in queries), "nothing downloaded twice"
    assert result.written == len(PRESENT) - 1000 and result.total == len(PRESENT)
    assert file_opens(result.path) == PRESENT, "no duplicate at the resume point, no hole filled"
    # The gap the interrupted run had written (and never got to report) is reported now, and the
    # one at the resume point too: a resumed file is not passed off as complete.
    assert result.gaps == GAPS


def test_data_fetch_resume_drops_a_half_written_last_line(tmp_path: Path) -> None:
    with kline_venue(PRESENT[:50]) as (url, _):
        first = fetch_klines("BTCUSDT", "1m", iso(T0), iso(T0 + 50 * MINUTE), tmp_path, base_url=url)
        lines = first.path.read_text().splitlines(keepends=True)
        first.path.write_text("".join(lines[:30]) + lines[30][:25])  # killed while writing line 31
        again = fetch_klines("BTCUSDT", "1m", iso(T0), iso(T0 + 50 * MINUTE), tmp_path, base_url=url)
    assert again.resumed_from == PRESENT[29]
    assert again.path.read_text() == "".join(lines), "line 31 fetched again, whole"
    assert again.gaps == [(T0 + 9 * MINUTE, 3)]


def test_data_fetch_monthly_klines_resume_at_the_next_calendar_month(tmp_path: Path) -> None:
    months = [1_672_531_200_000]  # 2023-01-01
    for _ in range(11):
        months.append(_core.next_open_time_ms(_core.Interval.MO1, months[-1]))
    with kline_venue(months, interval="1M") as (url, _):
        half = fetch_klines("BTCUSDT", "1M", "2023-01-01", "2023-03-01", tmp_path, base_url=url)
        assert half.written == 2 and half.gaps == []
        half.path.rename(tmp_path / "BTCUSDT-1M-2023-01-01-2024-01-01.csv")
        full = fetch_klines("BTCUSDT", "1M", "2023-01-01", "2024-01-01", tmp_path, base_url=url)
    assert full.resumed_from == months[1]
    assert file_opens(full.path) == months, "March follows February (a month is not 31 days)"
    assert full.gaps == []


def test_data_fetch_cli_names_a_bad_interval_a_reversed_range_and_an_unknown_symbol(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with kline_venue(PRESENT[:10]) as (url, queries):
        def fetch(*args: str) -> tuple[int, str]:
            rc = cli_main(["data", "fetch", *args, "--out", str(tmp_path), "--url", url])
            return rc, capsys.readouterr().err

        rc, err = fetch("BTCUSDT", "7m", "--start", "2024-01-01", "--end", "2024-01-02")
        assert rc == 1 and "invalid Interval '7m'" in err, err
        rc, err = fetch("BTCUSDT", "1m", "--start", "2024-01-02", "--end", "2024-01-01")
        assert rc == 2 and "end 2024-01-01 is not after start 2024-01-02" in err, err
        assert queries == [], "bad arguments are refused before any request"
        rc, err = fetch("NOSUCHCOIN", "1m", "--start", "2024-01-01", "--end", "2024-01-02")
        assert rc == 1 and "NOSUCHCOIN" in err and "Invalid symbol" in err, err
