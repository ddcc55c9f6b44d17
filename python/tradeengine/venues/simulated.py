"""The simulated exchange as a Node venue: ``te.venues.Simulated(...)``.

The Node starts a simulated Binance-compatible exchange in-process on loopback (a real server:
REST, market streams, the WebSocket API) and trades it through the same Binance clients it uses
on the real exchange; only the URLs differ. See docs/sim-exchange.md for the exchange itself.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from tradeengine import _core

__all__ = ["Simulated", "exchange_config"]

#: The API key and secret of the default account (account 0) when no accounts are given.
DEFAULT_API_KEY = "sim-api-key-0000000000000000000000000000000000000000000000000000"
DEFAULT_SECRET = "sim-secret-000000000000000000000000000000000000000000000000000000"

#: Fault switches of the simulated exchange (see docs/sim-exchange.md).
FAULT_NAMES = (
    "latency_us",
    "reject_ratio",
    "error_5xx_ratio",
    "storm_429",
    "storm_retry_after_s",
    "storm_418",
    "stall",
    "malformed_ratio",
    "clock_skew_ms",
)


def _amount(value: Any, where: str) -> str:
    if isinstance(value, float):
        raise TypeError(f"{where} {value!r}: amounts are exact, not float: write it as a string, like \"{value}\"")
    return str(value)


def exchange_config(
    symbols: Iterable[str | Mapping[str, Any]] | None = None,
    *,
    balances: Mapping[str, Any] | None = None,
    accounts: Iterable[Mapping[str, Any]] | None = None,
    seed: int = 1,
    speed: float = 1.0,
    port: int = 0,
    faults: Mapping[str, Any] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """The simulated exchange's configuration as the JSON object its server reads (the one
    builder for SimExchange and Simulated). ValueError for an unknown fault, TypeError for a float
    amount."""
    config: dict[str, Any] = {"seed": int(seed), "speed": float(speed), "port": int(port)}
    if symbols is not None:
        config["symbols"] = [dict(s) if isinstance(s, Mapping) else str(s) for s in symbols]
    if accounts is not None:
        config["accounts"] = [
            {
                "api_key": a["api_key"],
                "secret": a["secret"],
                "balances": {k: _amount(v, f"balance {k}") for k, v in dict(a.get("balances", {})).items()},
            }
            for a in accounts
        ]
    elif balances is not None:
        config["accounts"] = [
            {
                "api_key": DEFAULT_API_KEY,
                "secret": DEFAULT_SECRET,
                "balances": {k: _amount(v, f"balance {k}") for k, v in balances.items()},
            }
        ]
    if faults:
        unknown = sorted(set(faults) - set(FAULT_NAMES))
        if unknown:
            raise ValueError(f"unknown fault(s) {', '.join(unknown)}; expected some of {', '.join(FAULT_NAMES)}")
        config["faults"] = dict(faults)
    config.update(options)
    return config


@dataclasses.dataclass(frozen=True)
class Simulated:
    """A venue on the simulated exchange, started and stopped by the Node.

    Args:
        symbols: what it lists ("BTCUSDT", "BASE/QUOTE", or a table of filters and price-path
            parameters). None: the symbols the node's strategies are configured with, or
            BTCUSDT and ETHUSDT.
        balances: the account's starting balances (exact strings); default 10000 USDT only.
        seed: seed of the price paths (same seed, same market).
        speed: simulated milliseconds per real millisecond (600: a 1m candle every 100 ms).
        faults: initial faults (latency_us, reject_ratio, error_5xx_ratio, storm_429, ...).
        name: the venue part of instrument ids (BTCUSDT.SIM).
        options: any other exchange setting (tick_ms, history_minutes, orders_limit_10s, ...).
    """

    kind: ClassVar[str] = "simulated"

    symbols: tuple[str | Mapping[str, Any], ...] | None = None
    balances: Mapping[str, str] = dataclasses.field(default_factory=lambda: {"USDT": "10000"})
    seed: int = 1
    speed: float = 600.0
    faults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    name: str = "SIM"
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.symbols is not None and not isinstance(self.symbols, tuple):
            symbols = (self.symbols,) if isinstance(self.symbols, str) else tuple(self.symbols)
            object.__setattr__(self, "symbols", symbols)
        object.__setattr__(self, "balances", dict(self.balances))
        object.__setattr__(self, "faults", dict(self.faults))
        object.__setattr__(self, "options", dict(self.options))
        problems = self.problems()
        if problems:
            raise _core.ConfigError(f"invalid simulated venue {self.name!r}: " + "; ".join(problems))

    def problems(self) -> list[str]:
        """Every problem with these settings (empty when valid)."""
        out: list[str] = []
        if not isinstance(self.name, str) or not self.name or not self.name.replace("_", "").replace("-", "").isalnum() \
                or self.name.upper() != self.name:  # fmt: skip
            out.append(f"name {self.name!r}: expected upper-case letters, digits, '-' or '_', like 'SIM'")
        if self.symbols is not None and not self.symbols:
            out.append("symbols is empty: name at least one, like 'BTCUSDT'")
        for s in self.symbols or ():
            if isinstance(s, str) and (not s.strip() or any(c.isspace() for c in s)):
                out.append(f"symbol {s!r} must be a name like 'BTCUSDT' or 'BTC/USDT'")
            elif not isinstance(s, (str, Mapping)):
                out.append(f"symbol {s!r}: expected a name or a table")
        for asset, amount in self.balances.items():
            if isinstance(amount, float):
                out.append(f"balance {asset} {amount!r} is a float, which is not exact; write it as a string")
            else:
                try:
                    if _core.Quantity(str(amount)) < _core.Quantity("0"):
                        out.append(f"balance {asset} {amount}: must be >= 0")
                except (ValueError, OverflowError) as exc:
                    out.append(f"balance {asset} {amount!r}: {exc}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            out.append(f"seed {self.seed!r}: expected an integer")
        if isinstance(self.speed, bool) or not isinstance(self.speed, (int, float)) or not math.isfinite(self.speed) \
                or self.speed <= 0:  # fmt: skip
            out.append(f"speed {self.speed!r}: expected a number > 0 (simulated ms per real ms)")
        unknown = sorted(set(self.faults) - set(FAULT_NAMES))
        if unknown:
            out.append(f"unknown fault(s) {', '.join(unknown)}; expected some of {', '.join(FAULT_NAMES)}")
        return out

    def exchange_json(self, default_symbols: Iterable[str] = ()) -> str:
        """The exchange's JSON configuration (symbols defaulting to ``default_symbols``)."""
        symbols = self.symbols if self.symbols is not None else (tuple(default_symbols) or None)
        config = exchange_config(symbols, balances=self.balances, seed=self.seed, speed=self.speed,
                                 faults=self.faults or None, **dict(self.options))  # fmt: skip
        return json.dumps(config)

    def connection(self) -> dict[str, Any]:
        """Client settings for loopback: short timeouts and a quick reconnect."""
        return {"connect_timeout": 5.0, "silence_timeout": 30.0, "backoff": [0.05, 0.2, 1.0], "healthy_after": 5.0}
