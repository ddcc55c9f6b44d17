"""A simulated Binance Spot exchange on loopback, for tests, notebooks and paper trading.

``SimExchange`` starts a real server (REST ``/api/v3``, market streams ``/ws`` and ``/stream``,
the WebSocket API ``/ws-api/v3`` with the user-data stream) on a free port, with a matching
engine, seedable price paths and fault injection. See docs/sim-exchange.md.

    with SimExchange(symbols=["BTCUSDT"], seed=7) as ex:
        ex.rest_url, ex.ws_url, ex.ws_api_url
        ex.set_faults(latency_us=2000)
        ex.balances()["USDT"]["free"]
"""

from __future__ import annotations

import atexit
import json
import weakref
from decimal import Decimal
from typing import Any, Iterable, Mapping

from tradeengine import _core

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET", "FAULT_NAMES", "SimExchange"]

from tradeengine.venues.simulated import DEFAULT_API_KEY, DEFAULT_SECRET, FAULT_NAMES, _amount, exchange_config

_running: "weakref.WeakSet[SimExchange]" = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:  # native threads must stop before the interpreter finalises
    for ex in list(_running):
        ex.stop()


class SimExchange:
    """A simulated Binance Spot venue on 127.0.0.1; a context manager that starts and stops it.

    Args:
        symbols: symbol names ("BTCUSDT", or "BASE/QUOTE") or dicts with filters and path
            parameters (see docs/sim-exchange.md). Default: BTCUSDT and ETHUSDT.
        balances: starting balances of the default account, e.g. {"USDT": "10000"}.
        accounts: full account list [{"api_key", "secret", "balances"}]; overrides ``balances``.
        seed: seed of the price paths (same seed, same path).
        speed: simulated milliseconds per real millisecond (600: one 1m kline every 100 ms).
        port: TCP port; 0 picks a free one.
        faults: initial faults (see ``FAULT_NAMES``).
        **options: any other configuration key (tick_ms, auto_tick, weight_limit_1m, ...).
    """

    def __init__(
        self,
        symbols: Iterable[str | Mapping[str, Any]] | None = None,
        *,
        balances: Mapping[str, Any] | None = None,
        accounts: Iterable[Mapping[str, Any]] | None = None,
        seed: int = 1,
        speed: float = 1.0,
        port: int = 0,
        faults: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        config = exchange_config(symbols, balances=balances, accounts=accounts, seed=seed, speed=speed,
                                 port=port, faults=faults, **options)  # fmt: skip
        self._config = config
        self._accounts = config.get("accounts") or [{"api_key": DEFAULT_API_KEY, "secret": DEFAULT_SECRET}]
        self._server = _core.SimServer(json.dumps(config))
        self._owned = True

    @classmethod
    def _view(cls, server: _core.SimServer, accounts: list[dict[str, Any]] | None = None) -> "SimExchange":
        """A view of a server someone else owns (a Node's simulated venue): faults, inspection,
        injection; start() and stop() belong to the owner."""
        ex = cls.__new__(cls)
        ex._config = {}
        ex._accounts = accounts or [{"api_key": DEFAULT_API_KEY, "secret": DEFAULT_SECRET}]
        ex._server = server
        ex._owned = False
        return ex

    # ---- lifecycle -----------------------------------------------------------------------
    def start(self) -> "SimExchange":
        """Start serving (returns self)."""
        if not self._owned:
            raise _core.StateTransitionError("this simulated exchange belongs to a Node, which starts and stops it")
        self._server.start()
        _running.add(self)
        return self

    def stop(self) -> None:
        """Planned shutdown: serverShutdown to stream clients, then close everything."""
        if not self._owned:
            raise _core.StateTransitionError("this simulated exchange belongs to a Node, which starts and stops it")
        self._server.stop()
        _running.discard(self)

    def __enter__(self) -> "SimExchange":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True while serving."""
        return bool(self._server.running)

    # ---- addresses and credentials -------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port on 127.0.0.1."""
        return int(self._server.port)

    @property
    def rest_url(self) -> str:
        """Base URL of the REST API (append /api/v3/...)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """Base URL of the market streams (append /ws/<stream> or /stream?streams=a/b)."""
        return f"ws://127.0.0.1:{self.port}"

    @property
    def ws_api_url(self) -> str:
        """URL of the WebSocket API (user-data stream, order.place ...)."""
        return f"ws://127.0.0.1:{self.port}/ws-api/v3"

    def api_key(self, account: int = 0) -> str:
        """The API key of an account."""
        return str(self._accounts[account]["api_key"])

    def secret(self, account: int = 0) -> str:
        """The HMAC secret of an account."""
        return str(self._accounts[account]["secret"])

    # ---- faults ---------------------------------------------------------------------------
    @staticmethod
    def _check_faults(faults: Mapping[str, Any]) -> None:
        unknown = set(faults) - set(FAULT_NAMES)
        if unknown:
            raise ValueError(f"unknown fault(s) {sorted(unknown)}; expected some of {list(FAULT_NAMES)}")

    def set_faults(self, **faults: Any) -> None:
        """Switch faults at runtime, e.g. ``set_faults(stall=True, latency_us=5000)``."""
        self._check_faults(faults)
        self._server.set_faults(json.dumps(faults))

    def clear_faults(self) -> None:
        """Switch every fault off."""
        self._server.set_faults(
            json.dumps(
                {
                    "latency_us": 0,
                    "reject_ratio": 0.0,
                    "error_5xx_ratio": 0.0,
                    "storm_429": False,
                    "storm_418": False,
                    "stall": False,
                    "malformed_ratio": 0.0,
                    "clock_skew_ms": 0,
                }
            )
        )

    @property
    def faults(self) -> dict[str, Any]:
        """The current faults."""
        return dict(json.loads(self._server.faults()))

    def drop_connections(self) -> None:
        """Drop every WebSocket connection at once (no close frame)."""
        self._server.drop_connections()

    def drop_stream(self, stream: str) -> int:
        """Drop the connections subscribed to one stream; returns how many were dropped."""
        return int(self._server.drop_stream(stream))

    def restart(self, downtime: float = 0.2) -> None:
        """Drop everything and listen again on the same port after ``downtime`` seconds."""
        self._server.restart(int(downtime * 1000))

    def announce_shutdown(self) -> int:
        """Send Binance's ``serverShutdown`` event to every stream client (connections stay
        open, as before a planned shutdown); returns how many clients were told."""
        return int(self._server.announce_shutdown())

    def inject(self, stream: str, payload: str | Mapping[str, Any]) -> int:
        """Send ``payload`` (a JSON text or a dict) to the subscribers of ``stream`` as if the
        market had produced it (wrapped for combined-stream clients, sent from the server's IO
        thread); every ``${now_ns}`` in the text becomes the send time in Unix ns. Returns how
        many connections are subscribed. For protocol tests and latency benchmarks."""
        text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
        return int(self._server.inject(str(stream), text))

    def order_accepted_ns(self, client_order_id: str) -> int | None:
        """When the order entered the simulator's matching engine (wall-clock Unix ns), or None:
        for measuring a client's decision -> order in the book."""
        return self._server.order_accepted_ns(str(client_order_id))

    # ---- market and inspection -------------------------------------------------------------
    def step(self, ticks: int = 1) -> None:
        """Advance the market by ``ticks`` ticks now (use with ``auto_tick=False``)."""
        self._server.step(int(ticks))

    @property
    def market_time_ms(self) -> int:
        """Simulated market time (ms since the epoch)."""
        return int(self._server.market_time_ms)

    def server_time_ms(self) -> int:
        """The server's clock in ms (wall clock plus the clock-skew fault)."""
        return int(self._server.now_ms())

    def book(self, symbol: str) -> dict[str, Any]:
        """The synthetic order book: {"last", "bids": [[price, qty]...], "asks": ...} as Decimals."""
        raw = json.loads(self._server.book(symbol))
        return {
            "symbol": raw["symbol"],
            "last": Decimal(raw["last"]),
            "update_id": raw["updateId"],
            "bids": [(Decimal(p), Decimal(q)) for p, q in raw["bids"]],
            "asks": [(Decimal(p), Decimal(q)) for p, q in raw["asks"]],
        }

    def open_orders(self, account: int = 0) -> list[dict[str, Any]]:
        """Open orders of an account, as GET /api/v3/openOrders returns them."""
        return list(json.loads(self._server.open_orders(account)))

    def balances(self, account: int = 0) -> dict[str, dict[str, Decimal]]:
        """{asset: {"free": Decimal, "locked": Decimal}} of an account."""
        raw = json.loads(self._server.balances(account))
        return {a: {"free": Decimal(b["free"]), "locked": Decimal(b["locked"])} for a, b in raw.items()}

    def deposit(self, asset: str, amount: Any, account: int = 0) -> None:
        """Credit an asset (a negative amount debits it); sends balanceUpdate to subscribers."""
        self._server.deposit(account, asset, _amount(amount, f"deposit of {asset}"))

    def stats(self) -> dict[str, int]:
        """Counters: connections, requests, bad requests, market messages sent ..."""
        return dict(json.loads(self._server.stats()))

    def __repr__(self) -> str:
        state = f"port={self.port}" if self.running else "stopped"
        return f"SimExchange({state})"
