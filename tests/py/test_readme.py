"""The README's Python example runs and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_example_prints_what_it_claims() -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert block, "README.md has no python example"
    code = block.group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    # Expected output: the comment on each print line, or a comment line right after it.
    lines = code.splitlines()
    expected: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("print("):
            if "#" in line:
                expected.append(line.split("#", 1)[1].strip())
            elif i + 1 < len(lines) and lines[i + 1].startswith("#"):
                expected.append(lines[i + 1][1:].strip())
    assert printed == expected


def test_readme_strategy_example_trades_on_the_simulator() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    strategy = next(b for b in blocks if "te.Strategy" in b)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(strategy, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102
    assert "BTCUSDT.SIM" in out.getvalue(), out.getvalue()
    assert "filled; net PnL" in out.getvalue()


def test_readme_wires_a_strategy_in_at_most_three_lines() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    strategy = next(b for b in blocks if "te.Strategy" in b)
    body = strategy.split("\n\n")[-1]  # after the class: the wiring and what is printed
    wiring = [line for line in body.splitlines() if line.strip() and not line.startswith("print(")]
    assert len(wiring) <= 3, wiring


def test_readme_backtest_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    strategy = next(b for b in blocks if "te.Strategy" in b)
    definitions = strategy.split("\nnode = ", 1)[0]  # the imports and the class, not the live run
    backtest = next(b for b in blocks if "te.backtest(" in b)
    namespace: dict[str, object] = {"__name__": "readme"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(definitions + "\n" + backtest, "README.md", "exec"), namespace)  # noqa: S102
    assert "total return" in out.getvalue() and "max drawdown" in out.getvalue()
    assert namespace["result"].replay.candles == 5000  # type: ignore[attr-defined]
