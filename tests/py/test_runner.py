"""`tradeengine run` and `tradeengine demo`, thin layers over the Node: a strategy file (or a
built-in example) and a TOML configuration, run live against the embedded simulated exchange;
bad files and parameters; graceful SIGTERM and Ctrl-C (during start-up too); the exit status of
a run whose strategy failed; a log file written line by line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from polling import eventually

from tradeengine.cli import main

# A sanitizer run (make asan / make tsan) imports the staged, sanitized package in this process
# only; a subprocess would import the editable build under the sanitizer's runtime instead.
in_subprocess = pytest.mark.skipif(
    bool(os.environ.get("TRADEENGINE_SANITIZED")),
    reason="subprocesses import the editable (unsanitized) build, not the staged sanitized one",
)

STRATEGY = '''
import tradeengine as te
from dataclasses import dataclass

@dataclass
class PingPongConfig(te.StrategyConfig):
    quantity: te.Quantity = te.Quantity("0.001")
    every: int = 3

class PingPong(te.Strategy):
    """Buys, then sells, every few candles."""
    Config = PingPongConfig

    def on_start(self):
        self.n = 0
        for s in self.config.symbols:
            self.subscribe_candles(s, self.config.interval)

    def on_candle(self, candle):
        self.n += 1
        sym = candle.instrument_id.symbol
        if self.n % self.config.every == 0:
            if self.is_flat(sym):
                self.buy(sym, self.config.quantity)
            else:
                self.close_position(sym)
'''

CONFIG = '''
duration = {duration}
[[venues]]
kind = "simulated"
symbols = ["BTCUSDT"]
speed = 3000
tick_ms = 20
history_minutes = 10
[[strategies]]
name = "pingpong"
symbols = ["BTCUSDT"]
[strategies.params]
quantity = "0.001"
every = {every}
'''


def write(tmp_path: Path, strategy: str = STRATEGY, duration: float = 3, every: int = 3) -> tuple[Path, Path]:
    s = tmp_path / "pingpong.py"
    s.write_text(strategy)
    c = tmp_path / "run.toml"
    c.write_text(CONFIG.format(duration=duration, every=every))
    return s, c


def test_run_trades_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, c = write(tmp_path)
    assert main(["run", str(s), "--config", str(c)]) == 0
    out = capsys.readouterr().out
    assert "fill  BUY" in out and "fill  SELL" in out, out
    for label in ("orders", "fills", "realized", "fees"):
        assert label in out.lower(), out


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, c = write(tmp_path, strategy="import tradeengine as te\nclass X(te.Strategy)\n    pass\n")
    assert main(["run", str(s), "--config", str(c)]) == 2
    err = capsys.readouterr().err
    assert "pingpong.py' line 2: syntax error" in err


def test_a_file_without_a_strategy_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, c = write(tmp_path, strategy="x = 1\n")
    assert main(["run", str(s), "--config", str(c)]) == 2
    assert "defines no tradeengine.Strategy subclass" in capsys.readouterr().err


def test_unknown_and_invalid_parameters_are_all_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, c = write(tmp_path)
    c.write_text(CONFIG.format(duration=3, every='"often"') + 'speedy = 1\n')
    assert main(["run", str(s), "--config", str(c)]) == 2
    err = capsys.readouterr().err
    assert "unknown parameter(s) speedy" in err and "every 'often': expected an integer" in err


def test_a_bad_config_file_is_refused_before_anything_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, c = write(tmp_path)
    c.write_text("duration = -1\n[[venues]]\nkind = 'moon'\n")
    assert main(["run", str(s), "--config", str(c)]) == 2
    err = capsys.readouterr().err
    assert "run.toml" in err and "duration" in err and "kind" in err


@in_subprocess
def test_sigterm_stops_gracefully_with_a_summary(tmp_path: Path) -> None:
    s, c = write(tmp_path, duration=60)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "tradeengine.cli", "run", str(s), "--config", str(c)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        line = ""
        while "fill" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
        assert "fill" in line, "the run trades before the signal"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert "orders" in out.lower()


ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tradeengine.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)  # fmt: skip


@in_subprocess
def test_demo_runs_to_completion_and_shows_fills_and_pnl() -> None:
    r = cli("demo", "--duration", "10")
    assert r.returncode == 0, r.stderr[-3000:]
    assert "fill  BUY" in r.stdout, r.stdout
    for label in ("end of run", "orders filled", "realized PnL", "fees", "latency p99"):
        assert label in r.stdout, (label, r.stdout)


@in_subprocess
def test_demo_market_maker_quotes_and_exits_cleanly() -> None:
    r = cli("demo", "--duration", "5", "--strategy", "market_maker", "--symbols", "BTCUSDT")
    assert r.returncode == 0, r.stderr[-3000:]
    assert "orders submitted" in r.stdout and "orders canceled" in r.stdout


@in_subprocess
def test_demo_refuses_bad_arguments() -> None:
    r = cli("demo", "--symbols", " ", "--duration", "1")
    assert r.returncode == 2 and "--symbols is empty" in r.stderr
    r = cli("demo", "--strategy", "nope")
    assert r.returncode == 2 and "invalid choice" in r.stderr


@in_subprocess
def test_run_with_the_example_config() -> None:
    r = cli("run", "python/tradeengine/strategies/sma_cross.py", "--config", "examples/sma_cross.toml",
            "--duration", "8")  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    assert "end of run" in r.stdout and "orders submitted" in r.stdout


def test_a_built_in_strategy_runs_by_name_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "sma_cross", "--duration", "2", "--quiet-fills"]) == 0
    assert "end of run" in capsys.readouterr().out
    assert main(["run", "no_such_strategy", "--duration", "1"]) == 2
    assert "neither a strategy file nor a built-in strategy" in capsys.readouterr().err


FAILING = STRATEGY + '''
    def on_fill(self, fill):
        raise RuntimeError("bug in on_fill")
'''


def test_a_strategy_paused_by_an_error_makes_the_run_fail_with_an_error_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s, c = write(tmp_path, strategy=FAILING)
    assert main(["run", str(s), "--config", str(c), "--quiet-fills"]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "bug in on_fill" in captured.out, captured.out
    assert "strategy pingpong failed: RuntimeError in on_fill: bug in on_fill" in captured.err


SLOW_START = CONFIG.replace("tick_ms = 20", "tick_ms = 20\nfaults = {{ latency_us = 400000 }}")


@in_subprocess
def test_ctrl_c_while_starting_stops_at_once_and_sends_no_order(tmp_path: Path) -> None:
    s = tmp_path / "pingpong.py"
    s.write_text(STRATEGY.replace("self.n = 0", "self.n = 0\n        self.buy('BTCUSDT', '0.001')"))
    c = tmp_path / "run.toml"
    c.write_text(SLOW_START.format(duration=60, every=3) + "[log]\nlevel = 'info'\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "tradeengine.cli", "run", str(s), "--config", str(c)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        line = ""
        while "simulated exchange listening" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline() if proc.stderr else ""
        assert "simulated exchange listening" in line, "the venue is starting"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    assert took < 5, f"Ctrl-C during start-up took {took:.1f} s"
    assert "orders submitted  0" in out, out
    assert "start interrupted" in err or "interrupted" in err, err[-2000:]


@in_subprocess
def test_the_log_file_is_written_line_by_line_and_survives_sigkill(tmp_path: Path) -> None:
    s, c = write(tmp_path, duration=60)
    log = tmp_path / "run.log"
    c.write_text(c.read_text() + f"[log]\nlevel = 'info'\njson = true\nfile = '{log}'\n")
    proc = subprocess.Popen([sys.executable, "-m", "tradeengine.cli", "run", str(s), "--config", str(c),
                             "--quiet-fills"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert eventually(lambda: log.exists() and "component state" in log.read_text(), 30), (
            "lines reach the file while running")
        proc.kill()  # SIGKILL: nothing is flushed at exit
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()
    assert text.endswith("\n"), "no torn last line"
    for line in text.splitlines():
        json.loads(line)
