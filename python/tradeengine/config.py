"""The run configuration of ``tradeengine run STRATEGY.py --config FILE.toml``.

``load_config(path)`` reads a TOML file, expands ``${ENV}`` references (``expand_env``), and
checks every key, returning a frozen ``RunConfig``. Every problem found is reported at once in
one ``tradeengine.ConfigError`` that starts with the file path and names each key path
(``strategies[1].interval``; array indexes count from 0). Nothing is built here: the runner
makes the Engine, SimExchange and BinanceConfig from the validated sections.

Keys (the full reference, with examples, is docs/guide/configuration.md)::

    duration = 60              # optional: seconds to run (> 0); absent: until Ctrl-C
    status_interval = 1.0      # optional: seconds between status-line updates (> 0)

    [engine]                   # optional; the tradeengine.Engine settings
    name = "engine"            # string, non-empty
    data_capacity = 1000       # integer >= 1: data lane capacity
    signal_capacity = 100      # integer >= 1: signal lane capacity
    order_capacity = 50        # integer >= 1: order lane capacity
    batch_size = 64            # integer >= 1: events per dispatch batch
    spin_us = 5.0              # number 0..1000000: idle spin of the dispatcher before it parks

    [log]                      # optional
    level = "info"             # trace, debug, info, warn (or warning), error, critical, off
    file = "run.log"           # string; absent: standard error
    json = false               # boolean: JSON lines instead of text

    [venue]                    # optional (absent: a simulated venue with its defaults)
    kind = "simulated"         # "simulated" (default) or "binance"; required with [venue.binance]

    [venue.simulated]          # SimExchange keyword arguments
    symbols = ["BTCUSDT"]      # array of strings ("BTCUSDT" or "BTC/USDT") or tables; non-empty
    balances = { USDT = "10000" }   # asset -> exact decimal string (or integer); never a float
    accounts = [ ... ]         # array of tables {api_key, secret, balances}; overrides balances
    seed = 1                   # integer
    speed = 600                # number > 0: simulated ms per real ms
    port = 0                   # integer 0..65535 (0: a free port)
    host = "127.0.0.1"         # string
    faults = { latency_us = 2000 }  # table of tradeengine.sim.FAULT_NAMES
    # any other key (tick_ms, auto_tick, history_minutes, ...) is passed through unchecked

    [venue.binance]            # a table for BinanceConfig.from_mapping; required if kind="binance"
    network = "testnet"        # "live" or "testnet" (absent: the live URLs)
    api_key = "${BINANCE_API_KEY}"       # string, with api_secret; or:
    api_secret = "${BINANCE_API_SECRET}"
    # credentials_file = "~/.binance"    # a chmod-600 file of api_key/api_secret lines; or:
    # credentials = "env"                # BINANCE_API_KEY / BINANCE_API_SECRET at start-up
    # and any BinanceConfig field: symbols, intervals, trades, quotes, rest_url, stream_url,
    # ws_api_url, venue, connect_timeout, silence_timeout, backoff, backoff_jitter,
    # healthy_after, backfill_timeout, order_timeout, query_timeout, recv_window,
    # max_attempts, weight_limit, max_streams_per_connection, max_connections, tls_verify,
    # ca_file (types as in BinanceConfig; intervals must be Binance intervals)

    [risk]                     # optional
    max_order_notional = "1000"          # exact decimal string > 0 (an integer is accepted)
    max_position = { BTCUSDT = "0.1" }   # symbol -> exact decimal string >= 0

    [[strategies]]             # at least one
    name = "sma"               # string, non-empty, unique
    class = "SmaCross"         # optional: "Name" or "pkg.module:Name"; may be left out when
                               # the strategy file defines exactly one Strategy subclass
    symbols = ["BTCUSDT"]      # array of strings, non-empty, no duplicates
    interval = "1m"            # kline interval: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M
    [strategies.params]        # optional table handed to the strategy as it is
    fast = 5

Money (balances, max_order_notional, max_position) must be exact: a TOML float such as
``1000.5`` is refused with a hint to quote it (``"1000.5"``).

Environment references, expanded in the raw text before parsing (``expand_env``):
``${NAME}`` is the variable's value, ``${NAME:-default}`` the default when NAME is unset or
empty, ``$${`` a literal ``${``. Inside ``"..."`` strings the value is escaped, so quotes and
backslashes in a secret are safe; inside ``'...'`` strings a value holding ``'`` or a control
character is an error; outside strings the value is inserted as TOML (``speed =
${SPEED:-600}`` is a number) and must not contain a line break. Comments are not expanded.
Every unset variable without a default is reported, by name, in one error.

Secrets: no error message ever contains the value of a key named api_key, api_secret, secret,
password, passphrase, token (or ending in _key, _secret, _password, _token), nor a value that
came from the environment; expansion logs nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib  # type: ignore[no-redef]
    except ModuleNotFoundError:
        tomllib = None  # type: ignore[assignment]

from tradeengine import _core

__all__ = [
    "EngineSection",
    "RiskSection",
    "RunConfig",
    "StrategySection",
    "VenueSection",
    "expand_env",
    "load_config",
    "parse_config",
]

# ---------------------------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EngineSection:
    """``[engine]``: the tradeengine.Engine constructor arguments."""

    name: str = "engine"
    data_capacity: int = 1000
    signal_capacity: int = 100
    order_capacity: int = 50
    batch_size: int = 64
    spin_us: float = 5.0


@dataclasses.dataclass(frozen=True)
class VenueSection:
    """``[venue]``: ``kind`` is "simulated" or "binance"; ``simulated`` holds SimExchange
    keyword arguments, ``binance`` a table for BinanceConfig.from_mapping (empty when absent)."""

    kind: str = "simulated"
    simulated: dict[str, Any] = dataclasses.field(default_factory=dict)
    binance: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class StrategySection:
    """One ``[[strategies]]`` table. ``class_name`` is None when the file's only Strategy
    subclass is meant, else "Name" or "pkg.module:Name"."""

    name: str
    class_name: str | None = None
    symbols: tuple[str, ...] = ()
    interval: str = "1m"
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class RiskSection:
    """``[risk]``: limits as exact decimal strings (None / empty: no limit)."""

    max_order_notional: str | None = None
    max_position: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class RunConfig:
    """A validated run configuration (``load_config`` / ``parse_config``)."""

    engine: EngineSection = dataclasses.field(default_factory=EngineSection)
    venue: VenueSection = dataclasses.field(default_factory=VenueSection)
    strategies: tuple[StrategySection, ...] = ()
    risk: RiskSection = dataclasses.field(default_factory=RiskSection)
    duration: float | None = None
    status_interval: float = 1.0
    log_level: str = "info"
    log_file: str | None = None
    log_json: bool = False


# ---------------------------------------------------------------------------------------------
# ${ENV} expansion
# ---------------------------------------------------------------------------------------------

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\n]*))?\}")
_NORMAL, _COMMENT, _BASIC, _ML_BASIC, _LITERAL, _ML_LITERAL = range(6)


def _basic_escape(value: str) -> str:
    out = []
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif (code < 0x20 and ch != "\t") or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(ch)
    return "".join(out)


def _has_control(value: str, allowed: str = "\t") -> bool:
    return any((ord(c) < 0x20 and c not in allowed) or ord(c) == 0x7F for c in value)


def _encode(value: str, state: int, name: str, line: int, problems: list[str]) -> str:
    """The text that stands for ``value`` where the reference is (never echoing the value)."""
    if state in (_BASIC, _ML_BASIC):
        return _basic_escape(value)
    if state == _LITERAL:
        if "'" in value or _has_control(value):
            problems.append(
                f"line {line}: ${{{name}}} is inside a '...' literal string, which cannot hold "
                "its value (it contains a ' or a control character); use a \"...\" string"
            )
            return ""
        return value
    if state == _ML_LITERAL:
        if "'''" in value or _has_control(value, "\t\n"):
            problems.append(
                f"line {line}: ${{{name}}} is inside a '''...''' literal string, which cannot "
                "hold its value (it contains ''' or a control character); use a \"...\" string"
            )
            return ""
        return value
    if "\n" in value or "\r" in value:
        problems.append(
            f"line {line}: the value of ${{{name}}} contains a line break; put the reference "
            'inside a "..." string'
        )
        return ""
    return value


def _quote_run(text: str, i: int, quote: str) -> int:
    j = i
    while j < len(text) and text[j] == quote:
        j += 1
    return j - i


def _expand(text: str, environ: Mapping[str, str]) -> tuple[str, list[str], list[str]]:
    """(expanded text, problems, values taken from the environment)."""
    out: list[str] = []
    problems: list[str] = []
    missing: dict[str, list[int]] = {}
    used: list[str] = []
    state, line, i, n = _NORMAL, 1, 0, len(text)
    while i < n:
        c = text[i]
        if state == _COMMENT:
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i:j])
            i, state = j, _NORMAL
            continue
        if c == "$" and state != _COMMENT:
            if text.startswith("$${", i):
                out.append("${")
                i += 3
                continue
            if text.startswith("${", i):
                m = _REF.match(text, i)
                if m is None:
                    problems.append(
                        f"line {line}: malformed ${{...}} reference: expected ${{NAME}} or "
                        "${NAME:-default} (NAME: letters, digits, _); write $${ for a literal ${"
                    )
                    out.append("${")
                    i += 2
                    continue
                name, default = m.group(1), m.group(2)
                value = environ.get(name)
                if value is None or (value == "" and default is not None):
                    if default is None:
                        missing.setdefault(name, []).append(line)
                        value = ""
                    else:
                        value = default
                else:
                    used.append(value)
                out.append(_encode(value, state, name, line, problems))
                i = m.end()
                continue
        if c == "\n":
            line += 1
            if state in (_BASIC, _LITERAL):  # unterminated: TOML reports it
                state = _NORMAL
        if state == _NORMAL:
            if c == "#":
                state = _COMMENT
            elif text.startswith('"""', i):
                out.append('"""')
                i, state = i + 3, _ML_BASIC
                continue
            elif c == '"':
                state = _BASIC
            elif text.startswith("'''", i):
                out.append("'''")
                i, state = i + 3, _ML_LITERAL
                continue
            elif c == "'":
                state = _LITERAL
        elif state == _BASIC:
            if c == "\\":
                pair = text[i : i + 2]
                line += pair.count("\n")
                out.append(pair)
                i += 2
                continue
            if c == '"':
                state = _NORMAL
        elif state == _ML_BASIC:
            if c == "\\":
                pair = text[i : i + 2]
                line += pair.count("\n")
                out.append(pair)
                i += 2
                continue
            if c == '"' and (run := _quote_run(text, i, '"')) >= 3:
                out.append(text[i : i + run])
                i, state = i + run, _NORMAL
                continue
        elif state == _LITERAL:
            if c == "'":
                state = _NORMAL
        elif state == _ML_LITERAL:
            if c == "'" and (run := _quote_run(text, i, "'")) >= 3:
                out.append(text[i : i + run])
                i, state = i + run, _NORMAL
                continue
        out.append(c)
        i += 1
    if missing:
        names = ", ".join(
            f"{name} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})"
            for name, lines in missing.items()
        )
        problems.insert(
            0,
            f"environment variable(s) not set: {names}; set them, or give a default with "
            "${NAME:-default}",
        )
    return "".join(out), problems, used


def expand_env(text: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace ``${NAME}`` and ``${NAME:-default}`` in raw TOML text; ``$${`` is a literal
    ``${``. ``environ`` defaults to ``os.environ``. Every unset variable without a default is
    named in one ConfigError (values are never shown, nothing is logged)."""
    expanded, problems, _ = _expand(text, os.environ if environ is None else environ)
    if problems:
        raise _core.ConfigError(_report("environment expansion", problems, "cannot expand ${...} references"))
    return expanded


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

_SECRET_NAMES = {"api_key", "api_secret", "secret", "password", "passphrase", "token"}
_SECRET_SUFFIXES = ("_key", "_secret", "_password", "_token")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CLASS = re.compile(
    r"^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:)?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$"
)
_LOG_LEVELS = ("trace", "debug", "info", "warn", "error", "critical", "off")
_INTERVALS = "1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"


def _is_secret_name(key: str) -> bool:
    key = key.lower()
    return key in _SECRET_NAMES or key.endswith(_SECRET_SUFFIXES)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    part = key if _BARE_KEY.match(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{path}.{part}" if path else part


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"  # dates and times


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


class _Checker:
    """Collects problems as "key.path: what is wrong", hiding secret and environment values."""

    def __init__(self, hidden: Iterable[str]) -> None:
        self.problems: list[str] = []
        self._hidden = [h for h in hidden if h]

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def show(self, path: str, value: Any) -> str:
        parts = re.split(r"[.\[\]]", path)
        if any(_is_secret_name(p.strip('"')) for p in parts if p):
            return "(value hidden)"
        if isinstance(value, (Mapping, list)):
            return ""
        text = str(value)
        if any(h in text for h in self._hidden):
            return "(a value from the environment)"
        shown = repr(value) if isinstance(value, str) else text
        return shown if len(shown) <= 60 else shown[:57] + "..."

    def got(self, path: str, value: Any) -> str:
        """The type and, unless hidden or a table/array, the value: "a string 'x'"."""
        shown = self.show(path, value)
        return f"{_type_name(value)} {shown}" if shown else _type_name(value)

    def expected(self, path: str, what: str, value: Any) -> None:
        self.add(path, f"expected {what}, got {self.got(path, value)}")

    def table(self, path: str, value: Any, known: Iterable[str] | None) -> dict[str, Any] | None:
        """The table at ``path`` (None after reporting a wrong type); unknown keys reported."""
        if not isinstance(value, Mapping):
            self.expected(path, "a table", value)
            return None
        if known is not None:
            known = sorted(known)
            for key in value:
                if key not in known:
                    close = difflib.get_close_matches(key, known, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    self.add(
                        _join(path, key),
                        f"unknown key{hint}; expected one of {', '.join(known)}",
                    )
        return dict(value)

    def string(self, path: str, value: Any, *, empty: bool = False) -> str | None:
        if not isinstance(value, str):
            self.expected(path, "a string", value)
            return None
        if not empty and not value.strip():
            self.add(path, "is empty")
            return None
        return value

    def integer(self, path: str, value: Any, *, low: int | None = None, high: int | None = None) -> int | None:
        if not _is_int(value):
            self.expected(path, "an integer", value)
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                self.add(path, f"must be >= {low}, got {self.show(path, value)}")
            else:
                self.add(path, f"must be {low}..{high}, got {self.show(path, value)}")
            return None
        return value

    def seconds(self, path: str, value: Any, hint: str = "") -> float | None:
        if not _is_number(value):
            self.expected(path, "a number of seconds", value)
            return None
        if value <= 0:
            self.add(path, f"must be a number of seconds > 0, got {self.show(path, value)}{hint}")
            return None
        return float(value)

    def boolean(self, path: str, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.expected(path, "true or false", value)
            return None
        return value

    def money(self, path: str, value: Any, *, positive: bool = False, kind: Any = _core.Money) -> str | None:
        """An exact decimal string (an integer is taken as its digits); floats refused."""
        if isinstance(value, float):
            shown = self.show(path, value)
            quoted = f'"{shown}"' if not shown.startswith("(") else '"..."'
            self.add(
                path,
                f"{shown} is a TOML float, which is not exact; quote it ({quoted}) "
                "so the amount stays exact",
            )
            return None
        if _is_int(value):
            value = str(value)
        if not isinstance(value, str):
            self.expected(path, 'an exact decimal string like "1000.5"', value)
            return None
        try:
            amount = kind(value)
        except (ValueError, OverflowError, TypeError) as exc:
            reason = str(exc).split(": ", 1)[-1] if not self._hidden_in(value) else "invalid"
            self.add(path, f"{self.show(path, value)} is not an exact decimal amount: {reason}")
            return None
        if amount < kind(0) or (positive and amount == kind(0)):
            self.add(path, f"must be {'> 0' if positive else '>= 0'}, got {self.show(path, value)}")
            return None
        return value

    def _hidden_in(self, text: str) -> bool:
        return any(h in text for h in self._hidden)

    def string_list(self, path: str, value: Any, what: str) -> tuple[str, ...] | None:
        """A non-empty array of distinct non-empty strings without whitespace."""
        if not isinstance(value, list):
            self.expected(path, f"an array of {what}", value)
            return None
        if not value:
            self.add(path, f"is empty: name at least one {what[:-1]}, like \"BTCUSDT\"")
            return None
        ok, seen = True, set()
        for i, item in enumerate(value):
            p = _join(path, i)
            if not isinstance(item, str):
                self.expected(p, "a string", item)
                ok = False
            elif not item.strip() or any(ch.isspace() for ch in item):
                self.add(p, f"{self.show(p, item)} must be a non-empty name without spaces")
                ok = False
            elif item in seen:
                self.add(p, f"{self.show(p, item)} is listed twice")
                ok = False
            else:
                seen.add(item)
        return tuple(value) if ok else None

    def interval(self, path: str, value: Any) -> str | None:
        if not isinstance(value, str):
            self.expected(path, "a kline interval string like \"1m\"", value)
            return None
        try:
            _core.interval_from_string(value)
        except (ValueError, TypeError):
            self.add(path, f"{self.show(path, value)} is not a kline interval; expected one of {_INTERVALS}")
            return None
        return value


_TOP_KEYS = ("duration", "status_interval", "engine", "log", "venue", "risk", "strategies")
_ENGINE_KEYS = tuple(f.name for f in dataclasses.fields(EngineSection))
_LOG_KEYS = ("level", "file", "json")
_VENUE_KEYS = ("kind", "simulated", "binance")
_RISK_KEYS = ("max_order_notional", "max_position")
_STRATEGY_KEYS = ("name", "class", "symbols", "interval", "params")
_BINANCE_EXTRA = ("api_key", "api_secret", "credentials_file", "credentials", "network")


def _engine(c: _Checker, data: Any) -> EngineSection:
    table = c.table("engine", data, _ENGINE_KEYS)
    if not table:
        return EngineSection()
    values: dict[str, Any] = {}
    if "name" in table:
        values["name"] = c.string("engine.name", table["name"])
    for key in ("data_capacity", "signal_capacity", "order_capacity", "batch_size"):
        if key in table:
            values[key] = c.integer(f"engine.{key}", table[key], low=1)
    if "spin_us" in table:
        value = table["spin_us"]
        if not _is_number(value):
            c.expected("engine.spin_us", "a number of microseconds", value)
        elif not 0 <= value <= 1_000_000:
            c.add("engine.spin_us", f"must be 0..1000000 microseconds, got {c.show('engine.spin_us', value)}")
        else:
            values["spin_us"] = float(value)
    return EngineSection(**{k: v for k, v in values.items() if v is not None})


def _log(c: _Checker, data: Any) -> tuple[str, str | None, bool]:
    level, file, json_ = "info", None, False
    table = c.table("log", data, _LOG_KEYS)
    if not table:
        return level, file, json_
    if "level" in table:
        value = table["level"]
        if not isinstance(value, str):
            c.expected("log.level", "a string", value)
        else:
            norm = value.strip().lower()
            norm = "warn" if norm == "warning" else norm
            if norm in _LOG_LEVELS:
                level = norm
            else:
                c.add(
                    "log.level",
                    f"{c.show('log.level', value)} is not a log level; "
                    f"expected one of {', '.join(_LOG_LEVELS)}",
                )
    if "file" in table:
        file = c.string("log.file", table["file"])
    if "json" in table:
        json_ = bool(c.boolean("log.json", table["json"]))
    return level, file, json_


def _simulated(c: _Checker, data: Any) -> dict[str, Any]:
    from tradeengine.sim import FAULT_NAMES

    path = "venue.simulated"
    table = c.table(path, data, None)  # unknown keys pass through to SimExchange
    if table is None:
        return {}
    if "symbols" in table:
        symbols = table["symbols"]
        if not isinstance(symbols, list):
            c.expected(f"{path}.symbols", "an array of symbols", symbols)
        elif not symbols:
            c.add(f"{path}.symbols", 'is empty: name at least one symbol, like "BTCUSDT"')
        else:
            for i, s in enumerate(symbols):
                p = _join(f"{path}.symbols", i)
                if isinstance(s, str):
                    if not s.strip() or any(ch.isspace() for ch in s):
                        c.add(p, f"{c.show(p, s)} must be a symbol like \"BTCUSDT\" or \"BTC/USDT\"")
                elif not isinstance(s, Mapping):
                    c.expected(p, "a symbol string or a table", s)

    def balances(p: str, value: Any) -> dict[str, str] | None:
        t = c.table(p, value, None)
        if t is None:
            return None
        out = {}
        for asset, amount in t.items():
            checked = c.money(_join(p, asset), amount)
            if checked is not None:
                out[asset] = checked
        return out

    if "balances" in table:
        checked = balances(f"{path}.balances", table["balances"])
        if checked is not None:
            table["balances"] = checked
    if "accounts" in table:
        accounts = table["accounts"]
        if not isinstance(accounts, list) or not accounts:
            c.expected(f"{path}.accounts", "a non-empty array of tables {api_key, secret, balances}", accounts)
        else:
            fixed = []
            for i, account in enumerate(accounts):
                p = _join(f"{path}.accounts", i)
                t = c.table(p, account, ("api_key", "secret", "balances"))
                if t is None:
                    continue
                for key in ("api_key", "secret"):
                    if key not in t:
                        c.add(_join(p, key), "missing")
                    else:
                        c.string(_join(p, key), t[key])
                if "balances" in t:
                    checked = balances(_join(p, "balances"), t["balances"])
                    if checked is not None:
                        t["balances"] = checked
                fixed.append(t)
            table["accounts"] = fixed
    if "seed" in table:
        c.integer(f"{path}.seed", table["seed"])
    if "speed" in table:
        speed = table["speed"]
        if not _is_number(speed):
            c.expected(f"{path}.speed", "a number", speed)
        elif speed <= 0:
            c.add(f"{path}.speed", f"must be > 0, got {c.show(f'{path}.speed', speed)}")
    if "port" in table:
        c.integer(f"{path}.port", table["port"], low=0, high=65535)
    if "host" in table:
        c.string(f"{path}.host", table["host"])
    if "faults" in table:
        c.table(f"{path}.faults", table["faults"], FAULT_NAMES)
    return table


def _binance(c: _Checker, data: Any) -> dict[str, Any]:
    from tradeengine.venues.binance import BinanceConfig

    path = "venue.binance"
    defaults = {f.name: f.default for f in dataclasses.fields(BinanceConfig)}
    known = (set(defaults) | set(_BINANCE_EXTRA))
    table = c.table(path, data, known)
    if table is None:
        return {}
    for key, value in table.items():
        p = _join(path, key)
        if key not in known:
            continue
        if key in ("api_key", "api_secret"):
            if not isinstance(value, str):
                c.add(p, f"expected a string, got {_type_name(value)}")
            elif len(value.strip()) < 4:
                c.add(p, "must be at least 4 characters" if value.strip() else "is empty")
        elif key == "credentials_file":
            c.string(p, value)
        elif key == "credentials":
            if value != "env":
                c.add(
                    p,
                    'expected "env" (read BINANCE_API_KEY and BINANCE_API_SECRET), '
                    f"got {c.got(p, value)}",
                )
        elif key == "network":
            if value not in ("live", "testnet"):
                c.add(p, f'expected "live" or "testnet", got {c.got(p, value)}')
        elif key == "intervals":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                c.expected(p, "an array of kline intervals", value)
            else:
                for i, item in enumerate(items):
                    c.interval(_join(p, i) if not isinstance(value, str) else p, item)
        elif key == "symbols":
            if isinstance(value, str):
                value = [value]
            c.string_list(p, value, "symbols")
        elif key == "backoff":
            if not isinstance(value, list) or not value or not all(_is_number(b) and b >= 0 for b in value):
                c.add(p, f"expected a non-empty array of delays in seconds >= 0, got {_type_name(value)}")
        else:
            default = defaults[key]
            if isinstance(default, bool):
                c.boolean(p, value)
            elif isinstance(default, int):
                c.integer(p, value)
            elif isinstance(default, float):
                if not _is_number(value):
                    c.expected(p, "a number of seconds", value)
            elif isinstance(default, str):
                c.string(p, value, empty=True)
    has_key, has_secret = "api_key" in table, "api_secret" in table
    if has_key != has_secret:
        missing = "api_secret" if has_key else "api_key"
        c.add(_join(path, missing), f"missing ({'api_key' if has_key else 'api_secret'} is given)")
    sources = [s for s, given in (("api_key/api_secret", has_key or has_secret),
                                  ("credentials_file", "credentials_file" in table),
                                  ("credentials", "credentials" in table)) if given]  # fmt: skip
    if len(sources) > 1:
        c.add(path, f"give only one of api_key/api_secret, credentials_file, credentials; got {', '.join(sources)}")
    return table


def _venue(c: _Checker, data: Any) -> VenueSection:
    table = c.table("venue", data, _VENUE_KEYS)
    if table is None:
        return VenueSection()
    kind = table.get("kind")
    if kind is None:
        if "binance" in table:
            c.add("venue.kind", 'missing: with [venue.binance] say kind = "binance" (or "simulated")')
        kind = "simulated"
    elif kind not in ("simulated", "binance"):
        c.add("venue.kind", f'expected "simulated" or "binance", got {c.got("venue.kind", kind)}')
    simulated = _simulated(c, table["simulated"]) if "simulated" in table else {}
    binance = _binance(c, table["binance"]) if "binance" in table else {}
    if kind == "binance" and "binance" not in table:
        c.add(
            "venue.binance",
            'missing: kind = "binance" needs a [venue.binance] table '
            "(network, api_key, api_secret, ...)",
        )
    return VenueSection(kind=kind if isinstance(kind, str) else "simulated", simulated=simulated, binance=binance)


def _risk(c: _Checker, data: Any) -> RiskSection:
    table = c.table("risk", data, _RISK_KEYS)
    if not table:
        return RiskSection()
    notional = None
    if "max_order_notional" in table:
        notional = c.money("risk.max_order_notional", table["max_order_notional"], positive=True)
    positions: dict[str, str] = {}
    if "max_position" in table:
        t = c.table("risk.max_position", table["max_position"], None)
        for symbol, qty in (t or {}).items():
            checked = c.money(_join("risk.max_position", symbol), qty, kind=_core.Quantity)
            if checked is not None:
                positions[symbol] = checked
    return RiskSection(max_order_notional=notional, max_position=positions)


def _strategies(c: _Checker, data: Any) -> tuple[StrategySection, ...]:
    hint = "add at least one [[strategies]] table with name and symbols"
    if data is None:
        c.add("strategies", f"missing: {hint}")
        return ()
    if isinstance(data, Mapping):
        c.add("strategies", "expected an array of tables: write [[strategies]], not [strategies]")
        return ()
    if not isinstance(data, list):
        c.expected("strategies", "an array of tables [[strategies]]", data)
        return ()
    if not data:
        c.add("strategies", f"is empty: {hint}")
        return ()
    out: list[StrategySection] = []
    names: dict[str, int] = {}
    for i, item in enumerate(data):
        path = _join("strategies", i)
        table = c.table(path, item, _STRATEGY_KEYS)
        if table is None:
            continue
        before = len(c.problems)
        name = None
        if "name" not in table:
            c.add(f"{path}.name", "missing: every strategy needs a unique name")
        else:
            name = c.string(f"{path}.name", table["name"])
            if name is not None:
                if name in names:
                    c.add(
                        f"{path}.name",
                        f"{c.show(f'{path}.name', name)} is already the name of "
                        f"strategies[{names[name]}]; names must be unique",
                    )
                else:
                    names[name] = i
        class_name = None
        if "class" in table:
            value = table["class"]
            if not isinstance(value, str):
                c.expected(f"{path}.class", 'a class name like "SmaCross" or "pkg.module:SmaCross"', value)
            elif not _CLASS.match(value):
                c.add(
                    f"{path}.class",
                    f"{c.show(f'{path}.class', value)} is not a class name like "
                    '"SmaCross" or "pkg.module:SmaCross"',
                )
            else:
                class_name = value
        symbols: tuple[str, ...] | None = None
        if "symbols" not in table:
            c.add(f"{path}.symbols", 'missing: name at least one symbol, like symbols = ["BTCUSDT"]')
        else:
            symbols = c.string_list(f"{path}.symbols", table["symbols"], "symbols")
        interval = "1m"
        if "interval" in table:
            interval = c.interval(f"{path}.interval", table["interval"]) or "1m"
        params: dict[str, Any] = {}
        if "params" in table:
            params = c.table(f"{path}.params", table["params"], None) or {}
        if len(c.problems) == before and name is not None and symbols is not None:
            out.append(StrategySection(name, class_name, symbols, interval, params))
    return tuple(out)


def _report(source: str, problems: list[str], what: str = "invalid configuration") -> str:
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return f"{source}: {what} ({count}):\n" + "\n".join(f"  - {p}" for p in problems)


def _toml_error(source: str, exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", msg)
    if m:
        line, col = line or int(m.group(1)), col or int(m.group(2))
        msg = msg[: m.start()]
    msg = re.sub(r"\s*\(at end of document\)\s*$", " at the end of the file", msg)
    where = f" at line {line}, column {col}" if line else ""
    return f"{source}: invalid TOML{where}: {msg}"


def parse_config(
    text: str, source: str = "<string>", environ: Mapping[str, str] | None = None
) -> RunConfig:
    """Expand ``${ENV}`` references in ``text``, parse it as TOML and validate every key.

    Raises one ConfigError, starting with ``source``, that lists every problem."""
    expanded, problems, used = _expand(text, os.environ if environ is None else environ)
    if problems:
        raise _core.ConfigError(_report(source, problems))
    if tomllib is None:  # pragma: no cover - Python 3.10 without tomli
        raise _core.ConfigError(
            f"{source}: reading TOML on Python 3.10 needs the 'tomli' package (pip install tomli)"
        )
    try:
        data = tomllib.loads(expanded)
    except tomllib.TOMLDecodeError as exc:
        raise _core.ConfigError(_toml_error(source, exc)) from None

    c = _Checker(used)
    c.table("", data, _TOP_KEYS)
    duration = None
    if "duration" in data:
        duration = c.seconds("duration", data["duration"], " (leave duration out to run until stopped)")
    status_interval = 1.0
    if "status_interval" in data:
        status_interval = c.seconds("status_interval", data["status_interval"]) or 1.0
    engine = _engine(c, data["engine"]) if "engine" in data else EngineSection()
    level, file, json_ = _log(c, data["log"]) if "log" in data else ("info", None, False)
    venue = _venue(c, data["venue"]) if "venue" in data else VenueSection()
    risk = _risk(c, data["risk"]) if "risk" in data else RiskSection()
    strategies = _strategies(c, data.get("strategies"))
    if c.problems:
        raise _core.ConfigError(_report(source, c.problems))
    return RunConfig(
        engine=engine,
        venue=venue,
        strategies=strategies,
        risk=risk,
        duration=duration,
        status_interval=status_interval,
        log_level=level,
        log_file=file,
        log_json=json_,
    )


def load_config(path: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> RunConfig:
    """Read and validate the TOML run configuration at ``path`` (see ``parse_config``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise _core.ConfigError(f"{p}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _core.ConfigError(f"{p}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    return parse_config(text, source=str(p), environ=environ)
