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


def test_logging_bad_input() -> None:
    with pytest.raises(ValueError, match="invalid log level 'loud'"):
        te.set_log_level("loud")
    with pytest.raises(ValueError, match="shorter than 4"):
        te.add_secret("abc")
    assert te.redact("nothing secret here") == "nothing secret here"
