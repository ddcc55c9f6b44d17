"""`tradeengine backtest` and `tradeengine data fetch` from the shell: stats printed, frames and
the plot written; klines downloaded from a venue's REST API (the simulated exchange here),
resumed on a second run, with gaps reported."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import tradeengine as te
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
