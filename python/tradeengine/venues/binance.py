"""Binance Spot as a Node venue: ``te.venues.Binance(...)``, and the API credentials.

The Node runs the C++ clients of ``cpp/venues/binance`` (market data over combined streams with
REST backfill after reconnects; signed REST orders with the user-data stream over the WebSocket
API), each on its own IO thread; the GIL is never taken on their hot path. The same venue talks
to the real exchange, its testnet or a Binance-compatible server such as a stand-alone
``SimExchange``: only the URLs differ (``Binance.live()``, ``.testnet()``, ``.simulated(sim)``).
See docs/venues/binance.md.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from tradeengine import _core

__all__ = ["Binance", "Credentials", "LIVE_URLS", "TESTNET_URLS"]

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
_VENUE = re.compile(r"^[A-Z0-9_-]{1,15}$")


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
class Binance:
    """Binance Spot (the real exchange, its testnet, or any Binance-compatible server) as a
    venue of a Node. Without credentials it is a data-only venue. Every problem is listed in
    one ConfigError when it is made, before any connection opens.

    Times are in seconds. ``backoff`` is the reconnect schedule (the last entry repeats, with
    ``backoff_jitter`` of random spread); it restarts once a connection stayed up
    ``healthy_after`` seconds. ``symbols`` limits a data-only venue to those symbols (a trading
    venue lists what exchangeInfo lists) and names the symbols reconciled after reconnects.
    """

    kind: ClassVar[str] = "binance"

    credentials: Credentials | None = None
    symbols: tuple[str, ...] = ()
    name: str = "BINANCE"
    rest_url: str = LIVE_URLS["rest_url"]
    stream_url: str = LIVE_URLS["stream_url"]
    ws_api_url: str = LIVE_URLS["ws_api_url"]
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
        for name in ("symbols", "backoff"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            if isinstance(value, Iterable):
                object.__setattr__(self, name, tuple(value))
        problems = self.problems()
        if problems:
            raise _core.ConfigError(f"invalid Binance venue {self.name!r}: " + "; ".join(problems))

    @classmethod
    def live(cls, **settings: Any) -> Binance:
        """The real exchange (the defaults)."""
        return cls(**{**LIVE_URLS, **settings})

    @classmethod
    def testnet(cls, **settings: Any) -> Binance:
        """Binance's Spot testnet (keys from testnet.binance.vision)."""
        return cls(**{**TESTNET_URLS, **settings})

    @classmethod
    def simulated(cls, sim: Any, account: int = 0, **settings: Any) -> Binance:
        """A stand-alone ``tradeengine.SimExchange`` as if it were Binance, with its account's keys."""
        urls = {"rest_url": sim.rest_url, "stream_url": sim.ws_url, "ws_api_url": sim.ws_api_url}
        settings.setdefault("credentials", Credentials(sim.api_key(account), sim.secret(account)))
        return cls(**{**urls, **settings})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Binance:
        """From a dict (a TOML table): ``network`` ("live" or "testnet") picks the URLs;
        ``api_key`` and ``api_secret`` (or ``credentials_file``, or ``credentials = "env"``)
        give the keys; unknown keys are a ConfigError naming them."""
        data = dict(data)
        data.pop("kind", None)
        known = {f.name for f in dataclasses.fields(cls)}
        key, secret = data.pop("api_key", None), data.pop("api_secret", None)
        cred_file, cred = data.pop("credentials_file", None), data.pop("credentials", None)
        network = data.pop("network", None)
        unknown = sorted(set(data) - known)
        if unknown:
            raise _core.ConfigError(
                f"invalid Binance venue: unknown key(s) {', '.join(unknown)}; expected some of "
                f"{', '.join(sorted(known | {'api_key', 'api_secret', 'credentials_file', 'network'}))}"
            )
        if key is not None or secret is not None:
            data["credentials"] = Credentials(key or "", secret or "")
        elif cred_file is not None:
            data["credentials"] = Credentials.from_file(cred_file)
        elif cred == "env":
            data["credentials"] = Credentials.from_env()
        elif cred is not None:
            raise _core.ConfigError(f"invalid Binance venue: credentials = {cred!r}: expected \"env\"")
        urls = {"live": LIVE_URLS, "testnet": TESTNET_URLS, None: {}}
        if network not in urls:
            raise _core.ConfigError(f"invalid Binance venue: network {network!r}: expected 'live' or 'testnet'")
        return cls(**{**urls[network], **data})

    def problems(self) -> list[str]:
        """Every problem with this configuration (empty when valid)."""
        out: list[str] = []

        def url(name: str, schemes: tuple[str, ...]) -> None:
            value = getattr(self, name)
            if not isinstance(value, str) or not re.match(r"^[a-z]+://[^/\s:]+(:\d{1,5})?(/\S*)?$", value):
                out.append(f"{name} {value!r} is not a URL like {schemes[-1]}://host[:port]")
            elif not value.startswith(tuple(s + "://" for s in schemes)):
                out.append(f"{name} {value!r} must start with {' or '.join(s + '://' for s in schemes)}")

        if not isinstance(self.name, str) or not _VENUE.match(self.name):
            out.append(f"name {self.name!r}: expected 1-15 upper-case letters, digits, '-' or '_', like 'BINANCE'")
        url("rest_url", ("http", "https"))
        url("stream_url", ("ws", "wss"))
        url("ws_api_url", ("ws", "wss"))
        seen: set[str] = set()
        for s in self.symbols:
            if not isinstance(s, str) or not _SYMBOL.match(s):
                out.append(f"symbol {s!r} must be 1-20 upper-case letters or digits, like 'BTCUSDT'")
            elif s in seen:
                out.append(f"symbol {s!r} is listed twice")
            else:
                seen.add(s)
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
        if isinstance(self.weight_limit, bool) or not isinstance(self.weight_limit, int) or self.weight_limit < 1:
            out.append(f"weight_limit {self.weight_limit!r} must be an integer >= 1 (REQUEST_WEIGHT per minute)")
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            out.append(f"max_attempts {self.max_attempts!r} must be an integer >= 1")
        if not isinstance(self.max_streams_per_connection, int) or not 1 <= self.max_streams_per_connection <= 1024:
            out.append(
                f"max_streams_per_connection {self.max_streams_per_connection!r} must be 1..1024 (Binance's limit)"
            )
        if not isinstance(self.max_connections, int) or self.max_connections < 1:
            out.append(f"max_connections {self.max_connections!r} must be an integer >= 1")
        if self.credentials is not None and not isinstance(self.credentials, Credentials):
            out.append("credentials must be a tradeengine.venues.Credentials")
        if self.ca_file and not Path(self.ca_file).is_file():
            out.append(f"ca_file '{self.ca_file}' does not exist")
        return out

    @property
    def trading(self) -> bool:
        """True with credentials (orders), False for a data-only venue."""
        return self.credentials is not None

    def connection(self) -> dict[str, Any]:
        """The connection settings shared by both clients."""
        return {
            "connect_timeout": float(self.connect_timeout),
            "silence_timeout": float(self.silence_timeout),
            "backoff": [float(b) for b in self.backoff],
            "backoff_jitter": float(self.backoff_jitter),
            "healthy_after": float(self.healthy_after),
            "tls_verify": bool(self.tls_verify),
            "ca_file": self.ca_file,
        }

    def market_data(self) -> dict[str, Any]:
        """The market-data client's settings."""
        return {
            "stream_url": self.stream_url, "rest_url": self.rest_url, "symbols": list(self.symbols),
            "max_streams_per_connection": self.max_streams_per_connection,
            "max_connections": self.max_connections, "backfill_timeout": float(self.backfill_timeout),
        }  # fmt: skip

    def execution(self) -> dict[str, Any] | None:
        """The execution client's settings (None for a data-only venue)."""
        if self.credentials is None:
            return None
        return {
            "api_key": self.credentials.api_key, "api_secret": self.credentials.api_secret,
            "rest_url": self.rest_url, "ws_api_url": self.ws_api_url, "symbols": list(self.symbols),
            "recv_window": float(self.recv_window), "order_timeout": float(self.order_timeout),
            "query_timeout": float(self.query_timeout), "max_attempts": self.max_attempts,
            "weight_limit": self.weight_limit,
        }  # fmt: skip
