"""The Node from Python: assembly in a few lines, run/start/stop and their awaitable twins, the
stop order (cancel-on-stop leaves nothing at the venue), typed results, Jupyter, interpreter
exit, and the bad inputs of its API — each a clear error, with nothing left running."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from nodes import fast_sim, sim_node
from polling import eventually

import tradeengine as te

in_subprocess = pytest.mark.skipif(
    bool(os.environ.get("TRADEENGINE_SANITIZED")),
    reason="subprocesses import the editable (unsanitized) build, not the staged sanitized one",
)


class Resting(te.Strategy):
    """Places resting orders far below the market; counts its callbacks."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.started = self.stopped = False
        self.handles: list[te.OrderHandle] = []

    def on_start(self) -> None:
        self.started = True
        self.subscribe_quotes("BTCUSDT")

    def on_quote(self, quote: te.Quote) -> None:
        if len(self.handles) < 3:
            self.handles.append(self.buy("BTCUSDT", "0.01", "1000"))

    def on_stop(self) -> None:
        self.stopped = True


def test_run_assembles_everything_and_stops_in_order_leaving_nothing_at_the_venue() -> None:
    s = Resting(name="resting")
    node = sim_node(s)
    seen: dict[str, Any] = {}

    def watch() -> None:  # from another thread: status while running, then ask for the stop
        assert eventually(lambda: len(s.handles) == 3 and all(h.status == te.OrderStatus.ACCEPTED for h in s.handles))
        seen["status"] = node.status()
        seen["venue_open"] = len(node.exchange("SIM").open_orders())
        node.request_stop()

    watcher = threading.Thread(target=watch)
    watcher.start()
    summary = node.run(duration=30)
    watcher.join()
    status = seen["status"]
    assert status.state == te.ComponentState.RUNNING
    assert {c.name: c.state for c in status.components} == {
        "node": te.ComponentState.RUNNING, "SIM": te.ComponentState.RUNNING, "orders": te.ComponentState.RUNNING}
    assert status.strategies[0].name == "resting" and status.strategies[0].state == te.ComponentState.RUNNING
    assert seen["venue_open"] == 3
    assert s.stopped, "on_stop ran"
    assert all(h.status == te.OrderStatus.CANCELED for h in s.handles), "cancel-on-stop"
    assert summary.orders_canceled == 3 and summary.orders_open == 0 and summary.ok
    after = node.status()
    assert all(c.state == te.ComponentState.STOPPED for c in after.components)


def test_typed_results() -> None:
    s = Resting(name="typed")
    with sim_node(s) as node:
        assert eventually(lambda: len(s.handles) == 3)
        assert isinstance(node.portfolio, te.Portfolio)
        assert isinstance(node.portfolio.balances["USDT"], te.Balance)
        assert isinstance(node.metrics(), te.NodeMetrics)
        assert isinstance(node.status(), te.NodeStatus)
        assert all(isinstance(o, te.OrderView) for o in node.orders())
        assert node.instrument_id("BTCUSDT") == te.InstrumentId("BTCUSDT.SIM")
        assert eventually(lambda: node.metrics().open_orders == 3)
    assert isinstance(node.summary(), te.RunSummary)


def test_an_exception_inside_with_stops_everything_and_releases_the_port() -> None:
    s = Resting(name="boom")
    node = sim_node(s)
    port = None
    with pytest.raises(RuntimeError, match="user code failed"):
        with node:
            port = node.exchange("SIM").port
            raise RuntimeError("user code failed")
    assert node.state == te.ComponentState.STOPPED
    assert port is not None
    with socket.socket() as sock:  # nothing listens there any more: the port is free again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


def test_async_with_and_run_for_keep_the_loop_responsive() -> None:
    ticks = 0

    async def main() -> te.RunSummary:
        nonlocal ticks
        s = Resting(name="async-node")

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.get_running_loop().create_task(ticker())
        async with sim_node(s) as node:
            await node.run_for(0.5)
        task.cancel()
        return node.summary()

    summary = asyncio.run(main())
    assert ticks >= 20, "the loop ran while the node ran"
    assert summary.orders_open == 0


def test_bad_input_is_a_clear_error_and_nothing_half_started_runs() -> None:
    with pytest.raises(te.ConfigError, match="two venues named 'SIM'"):
        te.Node(venues=[fast_sim(), fast_sim()])
    with pytest.raises(te.ConfigError, match="expected te.venues.Simulated, te.venues.Binance or te.venues.Backtest"):
        te.Node(venues=["SIM"])  # type: ignore[list-item]
    with pytest.raises(te.ConfigError, match="no venue"):
        te.Node(venues=[], strategies=[Resting()]).start()
    node = sim_node()
    with pytest.raises(te.StateTransitionError, match="stop\\(\\) before start\\(\\)"):
        node.stop()
    node.run(duration=0.2)
    with pytest.raises(te.StateTransitionError, match="runs once"):
        node.run(duration=0.2)
    with pytest.raises(ValueError, match="duration"):
        sim_node().run(duration=-1)

    class Lost(te.Strategy):
        def on_start(self) -> None:
            self.subscribe_candles("DOGEUSDT")

    lost = sim_node(Lost(name="lost"))
    with pytest.raises(te.ConfigError, match="DOGEUSDT: no venue lists it"):
        lost.start()
    assert lost.state == te.ComponentState.STOPPED


def test_from_toml_builds_the_same_node(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(
        'name = "from-file"\n[[venues]]\nkind = "simulated"\nspeed = 3000\ntick_ms = 20\nhistory_minutes = 10\n'
        '[[strategies]]\nname = "sma"\nclass = "SmaCross"\nsymbols = ["BTCUSDT"]\n[strategies.params]\nfast = 2\nslow = 4\n'
    )
    node = te.Node.from_toml(path)
    assert node.name == "from-file" and [s.name for s in node.strategies] == ["sma"]
    with node:
        assert eventually(lambda: node.strategies[0].signals >= 1)  # type: ignore[attr-defined]


def test_works_in_jupyter_with_top_level_await() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "import asyncio, tradeengine as te\n"
        "class Watch(te.Strategy):\n"
        "    async def on_start(self):\n"
        "        self.n = 0\n"
        "        self.subscribe_candles('BTCUSDT')\n"
        "    async def on_candle(self, c):\n"
        "        await asyncio.sleep(0)\n"
        "        self.n += 1\n",
        "venue = te.venues.Simulated(speed=3000, options={'tick_ms': 20, 'history_minutes': 10})\n"
        "s = Watch()\n"
        "async with te.Node(venues=[venue], strategies=[s]) as node:\n"
        "    await node.run_for(1.0)\n"
        "print('candles', s.n > 5, node.state.name)\n",
        "node2 = te.Node(venues=[te.venues.Simulated(speed=3000)], strategies=[])\n"
        "summary = node2.run(duration=0.5)   # the blocking form works in a kernel too\n"
        "print('ok', summary.ok)\n",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(nb, timeout=90, kernel_name="python3").execute()
    assert any("candles True STOPPED" in o.get("text", "") for o in nb.cells[1].outputs), nb.cells[1].outputs
    assert any("ok True" in o.get("text", "") for o in nb.cells[2].outputs), nb.cells[2].outputs


@in_subprocess
def test_interpreter_exit_stops_a_running_node() -> None:
    code = (
        "import tradeengine as te\n"
        "te.set_log_level('error')\n"
        "node = te.Node(venues=[te.venues.Simulated(speed=3000)])\n"
        "node.start()\n"
        "print('started', flush=True)\n"
    )  # no stop(): the atexit hook stops it before the interpreter finalises
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "started" in out.stdout
