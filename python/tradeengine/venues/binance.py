"""Binance Spot: configuration, credentials, and the C++ connectors wired to an engine.

``BinanceMarketData`` (combined streams, REST backfill of missed klines) and
``BinanceExecution`` (signed REST, user-data stream over the WebSocket API) are the C++
clients of ``cpp/venues/binance``, each on its own IO thread; the GIL is never taken on
their hot path. The same classes talk to the real exchange, its testnet or the simulated
exchange: only the base URLs differ (``BinanceConfig.live()``, ``.testnet()``,
``.simulated(sim)``). See docs/venues/binance.md.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tradeengine import _core
from tradeengine.venues.base import MarketDataConnector, native_engine

__all__ = ["BinanceConfig", "BinanceExecution", "BinanceMarketData", "Credentials"]

LIVE_URLS = {
    "rest_url": "https://api.binance.com",
    "stream_url": "wss://stream.binance.com:9443",
    "ws_api_url": "wss://ws-api.binance.com:443/ws-api/v3",
}
TESTNET_URLS = {
    "rest_url": "https://testnet.binance.vision",
    "stream_url": "wss://stream.testnet.binance.vision",
    "ws_api_url": "wss://ws-api.testnet.binance.vision/ws-api/v3",
}

_SYMBOL = re.compile(r"^[A-Z0-9]{1,20}$")


class Credentials:
    """An API key and secret. Neither is ever shown: repr and str mask them, and both are
    registered with the log redactor (``tradeengine.add_secret``) so no log line can carry
    them."""

    __slots__ = ("_key", "_secret")

    def __init__(self, api_key: str, api_secret: str) -> None:
        problems = []
        if not isinstance(api_key, str) or not api_key.strip():
            problems.append("api_key is empty")
        if not isinstance(api_secret, str) or not api_secret.strip():
            problems.append("api_secret is empty")
        if problems:
            raise _core.ConfigError("invalid Binance credentials: " + "; ".join(problems))
        self._key = api_key.strip()
        self._secret = api_secret.strip()
        try:
            _core.add_secret(self._key)
            _core.add_secret(self._secret)
        except ValueError:
            raise _core.ConfigError(
                "invalid Binance credentials: api_key and api_secret must be at least 4 characters"
            ) from None

    @classmethod
    def from_env(
        cls, key_var: str = "BINANCE_API_KEY", secret_var: str = "BINANCE_API_SECRET"
    ) -> Credentials:
        """From environment variables; ConfigError naming the missing ones."""
        missing = [v for v in (key_var, secret_var) if not os.environ.get(v, "").strip()]
        if missing:
            raise _core.ConfigError(
                "Binance credentials: environment variable(s) not set: " + ", ".join(missing)
            )
        return cls(os.environ[key_var], os.environ[secret_var])

    @classmethod
    def from_file(cls, path: str | Path) -> Credentials:
        """From a file of ``api_key = ...`` and ``api_secret = ...`` lines (``#`` comments;
        ``BINANCE_API_KEY=`` and ``BINANCE_API_SECRET=`` are accepted too). The file should be
        readable by its owner only; a group- or world-readable file is refused."""
        path = Path(path)
        try:
            mode = path.stat().st_mode
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise _core.ConfigError(
                f"Binance credentials: cannot read '{path}': {exc.strerror}"
            ) from None
        if mode & 0o077:
            raise _core.ConfigError(
                f"Binance credentials: '{path}' is readable by others (mode {mode & 0o777:o}); "
                "chmod 600 it"
            )
        values: dict[str, str] = {}
        for line_no, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, value = line.partition("=")
            name = name.strip().lower().removeprefix("binance_")
            if not sep or name not in ("api_key", "api_secret"):
                # Never echo the line: it may hold the secret.
                raise _core.ConfigError(
                    f"Binance credentials: '{path}' line {line_no}: expected 'api_key = ...' "
                    "or 'api_secret = ...'"
                )
            values[name] = value.strip().strip("'\"")
        missing = [k for k in ("api_key", "api_secret") if not values.get(k)]
        if missing:
            raise _core.ConfigError(f"Binance credentials: '{path}' has no {' or '.join(missing)}")
        return cls(values["api_key"], values["api_secret"])

    @property
    def api_key(self) -> str:
        """The API key (sent in X-MBX-APIKEY; masked in logs)."""
        return self._key

    @property
    def api_secret(self) -> str:
        """The secret (signs requests; never sent, never logged)."""
        return self._secret

    def __repr__(self) -> str:
        return f"Credentials(api_key='{self._key[:4]}…', api_secret='***')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("Credentials are not picklable: secrets do not leave the process")


def _seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclasses.dataclass(frozen=True)
class BinanceConfig:
    """Everything the Binance connectors need; ``validate()`` lists every problem at once.

    Times are in seconds. ``backoff`` is the reconnect schedule (the last entry repeats, with
    ``backoff_jitter`` of random spread); it restarts once a connection stayed up
    ``healthy_after`` seconds.
    """

    symbols: tuple[str, ...] = ()
    intervals: tuple[str, ...] = ("1m",)
    trades: bool = False
    quotes: bool = False
    credentials: Credentials | None = None
    rest_url: str = LIVE_URLS["rest_url"]
    stream_url: str = LIVE_URLS["stream_url"]
    ws_api_url: str = LIVE_URLS["ws_api_url"]
    venue: str = "BINANCE"
    connect_timeout: float = 10.0
    silence_timeout: float = 30.0
    backoff: tuple[float, ...] = (3.0, 5.0, 10.0, 30.0)
    backoff_jitter: float = 0.2
    healthy_after: float = 60.0
    backfill_timeout: float = 10.0
    order_timeout: float = 30.0
    query_timeout: float = 10.0
    recv_window: float = 5.0
    max_attempts: int = 4
    weight_limit: int = 6000
    max_streams_per_connection: int = 1024
    max_connections: int = 16
    tls_verify: bool = True
    ca_file: str = ""

    def __post_init__(self) -> None:
        # Lists given as lists are fine; store tuples so the config stays hashable and frozen.
        for name in ("symbols", "intervals", "backoff"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            if isinstance(value, Iterable):
                object.__setattr__(self, name, tuple(value))

    @classmethod
    def live(cls, **settings: Any) -> BinanceConfig:
        """The real exchange (the defaults)."""
        return cls(**{**LIVE_URLS, **settings})

    @classmethod
    def testnet(cls, **settings: Any) -> BinanceConfig:
        """Binance's Spot testnet (keys from testnet.binance.vision)."""
        return cls(**{**TESTNET_URLS, **settings})

    @classmethod
    def simulated(cls, sim: Any, account: int = 0, **settings: Any) -> BinanceConfig:
        """The simulated exchange ``sim`` (a tradeengine.SimExchange), with its account's keys."""
        urls = {"rest_url": sim.rest_url, "stream_url": sim.ws_url, "ws_api_url": sim.ws_api_url}
        settings.setdefault("credentials", Credentials(sim.api_key(account), sim.secret(account)))
        return cls(**{**urls, **settings})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> BinanceConfig:
        """From a dict (a TOML table): unknown keys are a ConfigError naming them. ``api_key``
        and ``api_secret`` (or ``credentials_file``, or ``credentials = "env"``) give the keys."""
        data = dict(data)
        known = {f.name for f in dataclasses.fields(cls)}
        key, secret = data.pop("api_key", None), data.pop("api_secret", None)
        cred_file, cred = data.pop("credentials_file", None), data.pop("credentials", None)
        network = data.pop("network", None)
        unknown = sorted(set(data) - known)
        if unknown:
            raise _core.ConfigError(
                f"invalid Binance configuration: unknown key(s) {', '.join(unknown)}; "
                f"expected some of {', '.join(sorted(known | {'api_key', 'api_secret', 'credentials_file', 'network'}))}"
            )
        if key is not None or secret is not None:
            data["credentials"] = Credentials(key or "", secret or "")
        elif cred_file is not None:
            data["credentials"] = Credentials.from_file(cred_file)
        elif cred == "env":
            data["credentials"] = Credentials.from_env()
        elif cred is not None:
            raise _core.ConfigError(
                f"invalid Binance configuration: credentials = {cred!r}: expected \"env\""
            )
        urls = {"live": LIVE_URLS, "testnet": TESTNET_URLS, None: {}}
        if network not in urls:
            raise _core.ConfigError(
                f"invalid Binance configuration: network {network!r}: expected 'live' or 'testnet'"
            )
        return cls(**{**urls[network], **data})

    def problems(self, *, execution: bool = False) -> list[str]:
        """Every problem with this configuration (empty when valid)."""
        out: list[str] = []

        def url(name: str, schemes: tuple[str, ...]) -> None:
            value = getattr(self, name)
            if not isinstance(value, str) or not re.match(r"^[a-z]+://[^/\s:]+(:\d{1,5})?(/\S*)?$", value):
                out.append(f"{name} {value!r} is not a URL like {schemes[-1]}://host[:port]")
            elif not value.startswith(tuple(s + "://" for s in schemes)):
                out.append(f"{name} {value!r} must start with {' or '.join(s + '://' for s in schemes)}")

        url("rest_url", ("http", "https"))
        url("stream_url", ("ws", "wss"))
        if execution:
            url("ws_api_url", ("ws", "wss"))
        if not self.symbols:
            out.append("symbols is empty: name at least one, like 'BTCUSDT'")
        seen: set[str] = set()
        for s in self.symbols:
            if not isinstance(s, str) or not _SYMBOL.match(s):
                out.append(f"symbol {s!r} must be 1-20 upper-case letters or digits, like 'BTCUSDT'")
            elif s in seen:
                out.append(f"symbol {s!r} is listed twice")
            else:
                seen.add(s)
        for i in self.intervals:
            try:
                _core.interval_from_string(i)
            except (ValueError, TypeError):
                out.append(f"interval {i!r} is not one of Binance's (1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M)")
        if not execution and not self.intervals and not self.trades and not self.quotes:
            out.append("nothing to subscribe: give intervals, or set trades or quotes")
        for name in ("connect_timeout", "silence_timeout", "backfill_timeout", "order_timeout",
                     "query_timeout", "recv_window"):  # fmt: skip
            value = getattr(self, name)
            if not _seconds(value) or value <= 0:
                out.append(f"{name} {value!r} must be a number of seconds > 0")
        if _seconds(self.recv_window) and self.recv_window > 60:
            out.append(f"recv_window {self.recv_window!r} must be at most 60 s (Binance's limit)")
        if not _seconds(self.healthy_after) or self.healthy_after < 0:
            out.append(f"healthy_after {self.healthy_after!r} must be a number of seconds >= 0")
        if not self.backoff or not all(_seconds(b) and b >= 0 for b in self.backoff):
            out.append(f"backoff {self.backoff!r} must be a non-empty list of delays in seconds >= 0")
        if not _seconds(self.backoff_jitter) or not 0 <= self.backoff_jitter <= 1:
            out.append(f"backoff_jitter {self.backoff_jitter!r} must be between 0 and 1")
        if not isinstance(self.weight_limit, int) or self.weight_limit < 1:
            out.append(f"weight_limit {self.weight_limit!r} must be an integer >= 1 (REQUEST_WEIGHT per minute)")
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            out.append(f"max_attempts {self.max_attempts!r} must be an integer >= 1")
        if not isinstance(self.max_streams_per_connection, int) or not 1 <= self.max_streams_per_connection <= 1024:
            out.append(
                f"max_streams_per_connection {self.max_streams_per_connection!r} must be 1..1024 (Binance's limit)"
            )
        if not isinstance(self.max_connections, int) or self.max_connections < 1:
            out.append(f"max_connections {self.max_connections!r} must be an integer >= 1")
        elif isinstance(self.max_streams_per_connection, int) and self.max_streams_per_connection >= 1:
            per_symbol = len(self.intervals) + int(bool(self.trades)) + int(bool(self.quotes))
            total = len(self.symbols) * per_symbol
            if not execution and total > self.max_streams_per_connection * self.max_connections:
                out.append(
                    f"{total} streams are more than allowed: {self.max_connections} connections x "
                    f"{self.max_streams_per_connection} streams"
                )
        if execution and self.credentials is None:
            out.append(
                "credentials missing: trading needs an API key and secret "
                "(Credentials.from_env(), Credentials.from_file(path), or api_key/api_secret)"
            )
        if self.credentials is not None and not isinstance(self.credentials, Credentials):
            out.append("credentials must be a tradeengine.venues.Credentials")
        if self.ca_file and not Path(self.ca_file).is_file():
            out.append(f"ca_file '{self.ca_file}' does not exist")
        return out

    def validate(self, *, execution: bool = False) -> None:
        """ConfigError listing every problem, before any connection is opened."""
        problems = self.problems(execution=execution)
        if problems:
            what = "execution" if execution else "market-data"
            raise _core.ConfigError(f"invalid Binance {what} configuration: " + "; ".join(problems))

    def _connection(self) -> dict[str, Any]:
        return {
            "connect_timeout": float(self.connect_timeout),
            "silence_timeout": float(self.silence_timeout),
            "backoff": [float(b) for b in self.backoff],
            "backoff_jitter": float(self.backoff_jitter),
            "healthy_after": float(self.healthy_after),
            "tls_verify": bool(self.tls_verify),
            "ca_file": self.ca_file,
        }


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def _with_client_order_id(r: _core.OrderRequest, client_order_id: str) -> _core.OrderRequest:
    return _core.OrderRequest(
        r.instrument_id, r.side, r.quantity, type=r.type, price=r.price,
        time_in_force=r.time_in_force, client_order_id=client_order_id,
        quote_quantity=r.quote_quantity,
    )  # fmt: skip


class BinanceMarketData(MarketDataConnector):
    """Binance market data into an engine: candles (in progress and closed, gap-free after
    reconnects), trades and quotes, from the C++ client on its own IO thread."""

    name = "binance-market-data"

    def __init__(self, config: BinanceConfig) -> None:
        super().__init__()
        config.validate()
        self.config = config
        self._native: _core.BinanceMarketData | None = None

    def on_connect(self) -> None:
        c = self.config
        assert self.engine is not None
        self._native = _core.BinanceMarketData(
            self.engine, c.stream_url, c.rest_url, list(c.symbols), list(c.intervals),
            trades=c.trades, quotes=c.quotes, venue=c.venue,
            max_streams_per_connection=c.max_streams_per_connection,
            max_connections=c.max_connections, backfill_timeout=float(c.backfill_timeout),
            connection=c._connection(),
        )  # fmt: skip
        self._native.start()

    def on_disconnect(self) -> None:
        if self._native is not None:
            self._native.stop()

    @property
    def connections(self) -> int:
        """WebSocket connections the streams are spread over (0 before connect)."""
        return self._native.connections if self._native is not None else 0

    def stats(self) -> dict[str, Any]:
        """Messages, candles, trades, quotes, parse errors, reconnects, backfills, duplicates
        dropped, and per stream its message count and staleness (seconds since the last)."""
        return self._native.stats() if self._native is not None else {}


class BinanceExecution:
    """Trading on Binance: orders go out over signed REST; order updates, fills, balances and
    alerts come back on the engine's order lane (ORDER_UPDATE, ORDER_FILL, ORDER_REJECT,
    BALANCE_UPDATE, ALERT) from the user-data stream, reconciled over REST after reconnects.

    Submission is idempotent: a retry reuses the client order id, and "Duplicate order sent."
    or a status unknown after a 5xx or timeout is resolved by querying the order, never by
    sending another.
    """

    name = "binance-execution"

    def __init__(self, config: BinanceConfig) -> None:
        config.validate(execution=True)
        self.config = config
        self._native: _core.BinanceExecution | None = None
        # Ids for orders given without one: unique per session (the start time in base 36)
        # and sequential within it, so a retry of the same request reuses its id.
        self._id_prefix = "te" + _base36(time.time_ns() // 1_000_000)
        self._next_id = itertools.count(1)

    def connect(self, engine: Any) -> None:
        """Sync the clock, load exchangeInfo, subscribe the user-data stream (blocks until it is
        subscribed); the engine must be RUNNING. AuthenticationError, ConnectionLostError or
        ConfigError (an unknown symbol) if that fails."""
        native = native_engine(engine)
        if self._native is not None:
            raise RuntimeError(f"{self.name}: already connected")
        if native.state != _core.EngineState.RUNNING:
            raise _core.EngineNotRunningError(
                f"{self.name}: connect after the engine is RUNNING (it is {native.state.name})"
            )
        c = self.config
        assert c.credentials is not None
        client = _core.BinanceExecution(
            native, c.rest_url, c.ws_api_url, c.credentials.api_key, c.credentials.api_secret,
            list(c.symbols), venue=c.venue, recv_window=float(c.recv_window),
            order_timeout=float(c.order_timeout), query_timeout=float(c.query_timeout),
            max_attempts=c.max_attempts, weight_limit=c.weight_limit, connection=c._connection(),
        )  # fmt: skip
        try:
            client.start()
        except BaseException:
            client.stop()
            raise
        self._native = client
        native.add_stop_hook(self.name, self.disconnect)

    def disconnect(self) -> None:
        """Close the user-data stream. Idempotent; engine.stop() calls it first."""
        client, self._native = self._native, None
        if client is not None:
            client.stop()

    def _client(self) -> _core.BinanceExecution:
        if self._native is None:
            raise _core.EngineNotRunningError(f"{self.name}: not connected (call connect(engine))")
        return self._native

    def place(self, request: _core.OrderRequest) -> _core.OrderUpdate:
        """Send one order; returns the venue's view of it (see _core.BinanceExecution.place).
        A request without a client order id gets one (``te<session>-<n>``)."""
        client = self._client()
        return client.place(self._with_id(request))

    def _with_id(self, request: _core.OrderRequest) -> _core.OrderRequest:
        if request.client_order_id:
            return request
        return _with_client_order_id(request, f"{self._id_prefix}-{next(self._next_id)}")

    def cancel(self, symbol: str, client_order_id: str) -> _core.OrderUpdate:
        """Cancel one order by its client order id."""
        return self._client().cancel(symbol, client_order_id)

    def cancel_all(self, symbol: str) -> list[_core.OrderUpdate]:
        """Cancel every open order on ``symbol``."""
        return self._client().cancel_all(symbol)

    def query(self, symbol: str, client_order_id: str) -> _core.OrderUpdate:
        """The venue's view of one order."""
        return self._client().query(symbol, client_order_id)

    def open_orders(self, symbol: str | None = None) -> list[_core.OrderUpdate]:
        """Open orders of one symbol, or of all."""
        return self._client().open_orders(symbol)

    def account(self) -> dict[str, Any]:
        """Balances (asset -> Balance), commission rates and permissions."""
        return self._client().account()

    def prepare(self, request: _core.OrderRequest) -> _core.OrderRequest:
        """The order as it would be sent (rounded to step and tick, checked against filters)."""
        return self._client().prepare(self._with_id(request))

    def instrument(self, symbol: str) -> _core.Instrument:
        """The instrument's filters from exchangeInfo."""
        return self._client().instrument(symbol)

    @property
    def user_stream_ready(self) -> bool:
        """True while the user-data stream is subscribed."""
        return self._native is not None and self._native.user_stream_ready

    def stats(self) -> dict[str, Any]:
        """Orders sent/accepted/rejected, retries, status-unknown resolutions, duplicates
        resolved, reconciled fills, rate limits and bans, server-time offset."""
        return self._native.stats() if self._native is not None else {}
