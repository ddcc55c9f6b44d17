"""Errors, clocks and logging from Python."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tradeengine as te


def test_error_hierarchy() -> None:
    for name in ("StateTransitionError", "EngineNotRunningError", "QueueFullError", "ConfigError", "VenueError"):
        assert issubclass(getattr(te, name), te.TradeEngineError)
    for name in ("OrderRejectedError", "RateLimitedError", "AuthenticationError", "ConnectionLostError"):
        assert issubclass(getattr(te, name), te.VenueError)
    assert issubclass(te.TradeEngineError, Exception)
    with pytest.raises(te.VenueError, match="boom"):
        raise te.OrderRejectedError("boom")


def test_test_clock_is_settable_and_monotonic() -> None:
    clock = te.TestClock(1_000)
    assert clock.now_ns() == 1_000
    clock.advance(500)
    clock.set_time(2_000)
    assert clock.now_ns() == 2_000
    with pytest.raises(ValueError, match="never goes backwards"):
        clock.set_time(1)
    with pytest.raises(ValueError, match="non-negative"):
        clock.advance(-1)
    assert isinstance(clock, te.Clock)
    live = te.LiveClock()
    assert abs(live.now_ns() - te.now_ns()) < 60 * 10**9
    assert te.format_iso8601(0) == "1970-01-01T00:00:00.000000000Z"


def test_json_logs_to_file_with_secrets_redacted(tmp_path: Path) -> None:
    # In a subprocess: logging configuration is process-wide.
    log_file = tmp_path / "engine.log"
    code = f"""
import tradeengine as te
te.configure_logging(level="debug", json=True, file={str(log_file)!r})
te.add_secret("AKIA-very-secret-key")
te.log("info", "venue", "signed request with AKIA-very-secret-key", key="AKIA-very-secret-key", weight=10, ok=True)
te.log("debug", "venue", "debug line")
te.set_log_level("warn")
te.log("info", "venue", "should not appear")
assert te.get_log_level() == "warn"
te.flush_logs()
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    lines = log_file.read_text().splitlines()
    assert "AKIA-very-secret-key" not in log_file.read_text()
    records = [json.loads(line) for line in lines]
    assert [r["msg"] for r in records] == ["signed request with ***", "debug line"]
    first = records[0]
    assert first["level"] == "info" and first["component"] == "venue"
    assert first["key"] == "***" and first["weight"] == 10 and first["ok"] is True
    assert first["ts"].endswith("Z")


def test_a_secret_with_quotes_and_backslashes_is_redacted_in_json_lines(tmp_path: Path) -> None:
    # Escaped in a JSON line (\" and \\), and escaped twice in a JSON body logged as a field.
    log_file = tmp_path / "escaped.log"
    secret = 'se"cr\\et-with-marks'
    code = f"""
import json
import tradeengine as te
te.configure_logging(level="info", json=True, file={str(log_file)!r})
secret = {secret!r}
te.add_secret(secret)
te.log("info", "venue", "signing with " + secret, key=secret, body=json.dumps({{"apiKey": secret}}))
te.flush_logs()
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    text = log_file.read_text()
    assert "marks" not in text, text
    record = json.loads(text.splitlines()[0])
    assert record["msg"] == "signing with ***" and record["key"] == "***"
    assert json.loads(record["body"]) == {"apiKey": "***"}


def test_logging_bad_input() -> None:
    with pytest.raises(ValueError, match="invalid log level 'loud'"):
        te.set_log_level("loud")
    with pytest.raises(ValueError, match="shorter than 4"):
        te.add_secret("abc")
    assert te.redact("nothing secret here") == "nothing secret here"


def test_repeated_log_lines_are_limited_and_the_drop_is_reported(tmp_path: Path) -> None:
    # 1,000 identical error lines in a moment: 20 pass (the burst), the rest are counted, and
    # the next one that passes says how many were dropped. Other messages are not affected.
    log_file = tmp_path / "flood.log"
    code = f"""
import time
import tradeengine as te
te.configure_logging(level="info", json=True, file={str(log_file)!r})
for i in range(1000):
    te.log("error", "strategy", "sma.on_candle raised ValueError: bad", n=i)
te.log("info", "node", "another message")
time.sleep(0.25)  # the budget refills (10 a second): the next line passes
te.log("error", "strategy", "sma.on_candle raised ValueError: bad", n=1000)
print(te.suppressed_log_lines())
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True, text=True)
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    flood = [r for r in records if r["component"] == "strategy"]
    assert len(flood) == 21
    assert flood[-1]["similar_lines_dropped"] == 980 and flood[-1]["n"] == 1000
    assert [r["msg"] for r in records if r["component"] == "node"] == ["another message"]
    assert out.stdout.strip() == "980"


def test_a_status_line_is_erased_before_a_log_line_on_stderr() -> None:
    code = """
import tradeengine as te
te.configure_logging(level="info")
te.set_status_line(True)
te.log("warn", "node", "above the status line")
te.set_status_line(False)
te.log("warn", "node", "no status line")
"""
    raw = subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True).stderr
    first, second = [line for line in raw.decode().split("\n") if "[node]" in line]  # no newline translation
    assert first.startswith("\r\x1b[K") and "above the status line" in first
    assert not second.startswith("\r") and "no status line" in second


def test_venue_errors_carry_the_venues_answer() -> None:
    err = te.OrderRejectedError("plain")
    assert isinstance(err, te.VenueError) and str(err) == "plain"
