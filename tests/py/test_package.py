"""The installed package: public names, typing stub, command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tradeengine as te

PACKAGE = Path(te.__file__).parent


def test_every_public_name_has_a_docstring() -> None:
    for name in te.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(te, name)
        assert (obj.__doc__ or "").strip(), f"tradeengine.{name} has no docstring"


def test_typing_files_are_shipped() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "_core.pyi").exists()


def test_stub_is_up_to_date(tmp_path: Path) -> None:
    """Fails when `make stubs` would change python/tradeengine/_core.pyi."""
    subprocess.run(
        [sys.executable, "-m", "pybind11_stubgen", "tradeengine._core", "-o", str(tmp_path), "--exit-code"],
        check=True, capture_output=True, timeout=120,
    )
    generated = (tmp_path / "tradeengine" / "_core.pyi").read_text()
    committed = (PACKAGE / "_core.pyi").read_text()
    assert generated == committed, "python/tradeengine/_core.pyi is stale: run `make stubs` and commit it"


def test_cli_version() -> None:
    out = subprocess.run([sys.executable, "-m", "tradeengine.cli", "--version"], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == f"tradeengine {te.__version__}"


def test_the_package_passes_mypy_strict() -> None:
    """mypy --strict over python/tradeengine (the configuration is in pyproject.toml)."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "python" / "tradeengine").is_dir():  # an installed wheel: nothing to check here
        return
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=root, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "Success: no issues found" in out.stdout


def test_the_node_api_names_follow_one_rule() -> None:
    """One lifecycle verb pair, awaitables marked by `_async` (run_for is awaitable only),
    typed results."""
    import inspect

    node = te.Node
    for name in ("start", "stop", "run"):
        assert not inspect.iscoroutinefunction(getattr(node, name)), name
    for name in ("start_async", "stop_async", "run_for"):
        assert inspect.iscoroutinefunction(getattr(node, name)), name
    for bad in ("connect", "disconnect", "shutdown", "begin", "end"):
        assert not hasattr(node, bad), bad
    hints = {name: inspect.signature(getattr(node, name)).return_annotation for name in ("status", "metrics", "summary")}
    assert "dict" not in str(hints), hints
