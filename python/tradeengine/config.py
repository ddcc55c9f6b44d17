"""The one configuration schema of a Node: typed settings objects, and a TOML file into them.

``te.Node(venues=[...], strategies=[...], engine=EngineSettings(...), ...)`` takes the objects
directly; ``te.Node.from_toml(path)`` reads a file with ``load_config`` into a ``NodeConfig``
of the same objects. Every problem is reported at once in one ``tradeengine.ConfigError``
starting with the file path and naming each key path (``strategies[1].interval``; arrays count
from 0). The reference, with examples, is docs/guide/configuration.md::

    name = "demo"              # optional: the node's name (logs, metrics)
    duration = 60              # optional: seconds to run (> 0); absent: until Ctrl-C
    status_interval = 1.0      # optional: seconds between status-line updates (> 0)
    cancel_on_stop = true      # optional: cancel the strategies' open orders at stop

    [engine]                   # optional: lanes and dispatcher (EngineSettings)
    [log]                      # optional: level, file, json (LogSettings)
    [risk]                     # optional: max_order_notional, max_position (RiskSettings)

    [[venues]]                 # at least one; kind = "simulated" or "binance"
    kind = "simulated"
    speed = 600
    balances = { USDT = "10000" }

    [[strategies]]             # name, class, symbols, interval, [strategies.params]
    name = "sma"
    class = "SmaCross"
    symbols = ["BTCUSDT"]

Environment references: the file is parsed with ``tomllib`` first; then ``${NAME}`` and
``${NAME:-default}`` inside string values are replaced (``$${`` is a literal ``${``) — only in
the values the schema reads, so an unset variable matters only in a section that is used (a
venue with ``enabled = false`` is never read). A number or boolean may come from the
environment as a string holding only references: ``speed = "${SPEED:-600}"``.

Money (balances, max_order_notional, max_position) must be exact: a TOML float such as
``1000.5`` is refused with a hint to quote it. No error message ever shows the value of a key
named like a secret (api_key, api_secret, secret, password, passphrase, token, *_key, ...) nor
a value that came from the environment.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Union

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    except ModuleNotFoundError:
        tomllib = None  # type: ignore[assignment]

from tradeengine import _core
from tradeengine.venues.backtest import Backtest
from tradeengine.venues.binance import Binance
from tradeengine.venues.simulated import FAULT_NAMES, Simulated

__all__ = [
    "EngineSettings",
    "LogSettings",
    "NodeConfig",
    "RiskSettings",
    "StrategySpec",
    "VenueConfig",
    "expand_env",
    "load_config",
    "parse_config",
]

VenueConfig = Union[Simulated, Binance, Backtest]

# ---------------------------------------------------------------------------------------------
# The settings objects
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EngineSettings:
    """``[engine]``: the EventBus lanes and the dispatcher. Capacities are events; timeouts are
    how long a publisher waits for room (seconds); ``batch_size`` events are served from one
    lane before priorities are checked again; ``spin_us`` is how long an idle dispatcher spins
    before it parks (a spinning dispatcher answers sooner, and uses a core)."""

    data_capacity: int = 1000
    data_timeout: float = 1.0
    signal_capacity: int = 100
    signal_timeout: float = 5.0
    order_capacity: int = 50
    batch_size: int = 64
    spin_us: float = 5.0

    def __post_init__(self) -> None:
        _raise_problems("engine settings", _check_dataclass(self, "engine"))


@dataclasses.dataclass(frozen=True)
class LogSettings:
    """``[log]``: ``level`` (trace, debug, info, warn, error, critical, off), ``file`` (None:
    standard error) and ``json`` (JSON lines instead of text)."""

    level: str = "info"
    file: str | None = None
    json: bool = False

    def __post_init__(self) -> None:
        level = self.level.strip().lower() if isinstance(self.level, str) else self.level
        object.__setattr__(self, "level", "warn" if level == "warning" else level)
        problems = _check_dataclass(self, "log")
        if self.level not in _LOG_LEVELS:
            problems.append(f"log.level {self.level!r}: expected one of {', '.join(_LOG_LEVELS)}")
        _raise_problems("log settings", problems)


@dataclasses.dataclass(frozen=True)
class RiskSettings:
    """``[risk]``: the order manager's pre-submit limits. ``max_order_notional`` is per order
    in the quote asset; ``max_position`` is the largest absolute position per symbol (or
    instrument id), counting open orders. Exact decimal strings; None / empty: no limit."""

    max_order_notional: str | None = None
    max_position: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_position", dict(self.max_position))
        c = _Checker(())
        if self.max_order_notional is not None:
            c.money("risk.max_order_notional", self.max_order_notional, positive=True)
        for symbol, qty in self.max_position.items():
            c.money(_join("risk.max_position", symbol), qty, kind=_core.Quantity)
        _raise_problems("risk settings", c.problems)


@dataclasses.dataclass(frozen=True)
class StrategySpec:
    """One ``[[strategies]]`` table: which class (``class_name`` "Name" or "pkg.module:Name";
    None: the strategy file's only Strategy subclass), its name, symbols, interval and the rest
    of its parameters."""

    name: str
    class_name: str | None = None
    symbols: tuple[str, ...] = ()
    interval: str = "1m"
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class NodeConfig:
    """A validated node configuration (``load_config`` / ``parse_config``, or built in Python)."""

    name: str = "node"
    venues: tuple[VenueConfig, ...] = ()
    strategies: tuple[StrategySpec, ...] = ()
    engine: EngineSettings = dataclasses.field(default_factory=EngineSettings)
    log: LogSettings | None = None
    risk: RiskSettings = dataclasses.field(default_factory=RiskSettings)
    duration: float | None = None
    status_interval: float = 1.0
    cancel_on_stop: bool = True
    #: How long stop() waits for the venue to confirm the cancels (seconds).
    cancel_timeout: float = 3.0
    #: Seconds after which an order the venue has not answered is queried.
    ack_timeout: float = 30.0


def _raise_problems(what: str, problems: list[str]) -> None:
    if problems:
        raise _core.ConfigError(f"invalid {what}: " + "; ".join(problems))


def _check_dataclass(obj: Any, section: str) -> list[str]:
    """Type and range checks of the numeric and boolean fields of a settings object."""
    c = _Checker(())
    for f in dataclasses.fields(obj):
        value, path = getattr(obj, f.name), f"{section}.{f.name}"
        if f.type in ("int", int):
            c.integer(path, value, low=1)
        elif f.type in ("float", float):
            low_ok = f.name == "spin_us"
            if not _is_number(value):
                c.expected(path, "a number", value)
            elif value < 0 or (value == 0 and not low_ok):
                c.add(path, f"must be {'>= 0' if low_ok else '> 0'}, got {c.show(path, value)}")
        elif f.type in ("bool", bool):
            c.boolean(path, value)
    return c.problems


# ---------------------------------------------------------------------------------------------
# ${ENV} expansion inside string values
# ---------------------------------------------------------------------------------------------

_REF = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_MALFORMED = re.compile(r"(?<!\$)\$\{(?![A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})")


def expand_env(value: str, environ: Mapping[str, str] | None = None) -> str:
    """``value`` with ``${NAME}`` / ``${NAME:-default}`` replaced and ``$${`` made a literal
    ``${``. ConfigError naming every unset variable without a default (values never shown)."""
    expanded, missing, malformed, _ = _expand(value, os.environ if environ is None else environ)
    problems = []
    if malformed:
        problems.append("malformed ${...} reference: expected ${NAME} or ${NAME:-default}; write $${ for a literal ${")
    if missing:
        problems.append(f"environment variable(s) not set: {', '.join(missing)}")
    _raise_problems("environment reference", problems)
    return expanded


def _expand(value: str, environ: Mapping[str, str]) -> tuple[str, list[str], bool, list[str]]:
    """(expanded text, unset names, malformed?, values taken from the environment)."""
    missing: list[str] = []
    used: list[str] = []
    malformed = bool(_MALFORMED.search(value))

    def replace(m: re.Match[str]) -> str:
        if m.group(0) == "$${":
            return "${"
        name, default = m.group(1), m.group(2)
        got = environ.get(name)
        if got is None or (got == "" and default is not None):
            if default is None:
                missing.append(name)
                return ""
            return default
        used.append(got)
        return got

    return _REF.sub(replace, value), missing, malformed, used


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

_SECRET_NAMES = {"api_key", "api_secret", "secret", "password", "passphrase", "token"}
_SECRET_SUFFIXES = ("_key", "_secret", "_password", "_token")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CLASS = re.compile(r"^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:)?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
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
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    """Collects problems as "key.path: what is wrong", expanding ${ENV} in the strings it reads
    and hiding secret and environment values."""

    def __init__(self, hidden: Iterable[str], environ: Mapping[str, str] | None = None) -> None:
        self.problems: list[str] = []
        self._hidden = [h for h in hidden if h]
        self._environ = environ
        self.missing: dict[str, list[str]] = {}  # unset variable -> key paths

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    # ---- environment ----------------------------------------------------------------------

    def env(self, path: str, value: Any) -> Any:
        """``value`` with ${ENV} expanded when it is a string (recursively in tables and arrays)."""
        if isinstance(value, str):
            if self._environ is None or "${" not in value:
                return value
            text, missing, malformed, used = _expand(value, self._environ)
            self._hidden.extend(u for u in used if u)
            for name in missing:
                self.missing.setdefault(name, []).append(path)
            if malformed:
                self.add(path, "malformed ${...} reference: expected ${NAME} or ${NAME:-default}; "
                               "write $${ for a literal ${")  # fmt: skip
            return text
        if isinstance(value, Mapping):
            return {k: self.env(_join(path, k), v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.env(_join(path, i), v) for i, v in enumerate(value)]
        return value

    def scalar(self, path: str, value: Any) -> Any:
        """A number or boolean given as a string of only ${ENV} references ("${SPEED:-600}"),
        converted; any other value as it is."""
        if not (isinstance(value, str) and "${" in value):
            return value
        text = self.env(path, value).strip()
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                pass
        return text

    def missing_report(self) -> list[str]:
        return [f"{', '.join(paths)}: environment variable {name} is not set; set it, or give a default "
                f"with ${{{name}:-default}}" for name, paths in self.missing.items()]  # fmt: skip

    # ---- values -----------------------------------------------------------------------------

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
        shown = self.show(path, value)
        return f"{_type_name(value)} {shown}" if shown else _type_name(value)

    def expected(self, path: str, what: str, value: Any) -> None:
        self.add(path, f"expected {what}, got {self.got(path, value)}")

    def table(self, path: str, value: Any, known: Iterable[str] | None) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.expected(path or "the file", "a table", value)
            return None
        if known is not None:
            known = sorted(known)
            for key in value:
                if key not in known:
                    close = difflib.get_close_matches(key, known, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    self.add(_join(path, key), f"unknown key{hint}; expected one of {', '.join(known)}")
        return dict(value)

    def string(self, path: str, value: Any, *, empty: bool = False) -> str | None:
        value = self.env(path, value)
        if not isinstance(value, str):
            self.expected(path, "a string", value)
            return None
        if not empty and not value.strip():
            self.add(path, "is empty")
            return None
        return value

    def integer(self, path: str, value: Any, *, low: int | None = None, high: int | None = None) -> int | None:
        value = self.scalar(path, value)
        if not _is_int(value):
            self.expected(path, "an integer", value)
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bound = f">= {low}" if high is None else f"{low}..{high}"
            self.add(path, f"must be {bound}, got {self.show(path, value)}")
            return None
        return int(value)

    def number(self, path: str, value: Any, *, positive: bool = True) -> float | None:
        value = self.scalar(path, value)
        if not _is_number(value):
            self.expected(path, "a number", value)
            return None
        if value < 0 or (positive and value == 0):
            self.add(path, f"must be {'> 0' if positive else '>= 0'}, got {self.show(path, value)}")
            return None
        return float(value)

    def boolean(self, path: str, value: Any) -> bool | None:
        value = self.scalar(path, value)
        if not isinstance(value, bool):
            self.expected(path, "true or false", value)
            return None
        return value

    def money(self, path: str, value: Any, *, positive: bool = False, kind: Any = _core.Money) -> str | None:
        """An exact decimal string (an integer is taken as its digits); floats refused."""
        value = self.env(path, value)
        if isinstance(value, float):
            shown = self.show(path, value)
            quoted = f'"{shown}"' if not shown.startswith("(") else '"..."'
            self.add(path, f"{shown} is a TOML float, which is not exact; quote it ({quoted}) so the amount stays exact")
            return None
        if _is_int(value):
            value = str(value)
        if not isinstance(value, str):
            self.expected(path, 'an exact decimal string like "1000.5"', value)
            return None
        try:
            amount = kind(value)
        except (ValueError, OverflowError, TypeError) as exc:
            reason = str(exc).split(": ", 1)[-1] if not any(h in value for h in self._hidden) else "invalid"
            self.add(path, f"{self.show(path, value)} is not an exact decimal amount: {reason}")
            return None
        if amount < kind(0) or (positive and amount == kind(0)):
            self.add(path, f"must be {'> 0' if positive else '>= 0'}, got {self.show(path, value)}")
            return None
        return value

    def string_list(self, path: str, value: Any, what: str) -> tuple[str, ...] | None:
        """A non-empty array of distinct non-empty strings without whitespace."""
        value = self.env(path, value)
        if isinstance(value, str):
            value = [value]
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
        value = self.env(path, value)
        if not isinstance(value, str):
            self.expected(path, 'a kline interval string like "1m"', value)
            return None
        try:
            _core.interval_from_string(value)
        except (ValueError, TypeError):
            self.add(path, f"{self.show(path, value)} is not a kline interval; expected one of {_INTERVALS}")
            return None
        return value


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

_TOP_KEYS = ("name", "duration", "status_interval", "cancel_on_stop", "cancel_timeout", "ack_timeout", "engine", "log",
             "venues", "risk", "strategies")  # fmt: skip
_ENGINE_KEYS = tuple(f.name for f in dataclasses.fields(EngineSettings))
_LOG_KEYS = ("level", "file", "json")
_RISK_KEYS = ("max_order_notional", "max_position")
_STRATEGY_KEYS = ("name", "class", "symbols", "interval", "params", "enabled")
_SIMULATED_KEYS = ("kind", "name", "enabled", "symbols", "balances", "seed", "speed", "faults")
_BINANCE_EXTRA = ("kind", "enabled", "api_key", "api_secret", "credentials_file", "credentials", "network")


def _engine(c: _Checker, data: Any) -> EngineSettings:
    table = c.table("engine", data, _ENGINE_KEYS)
    if not table:
        return EngineSettings()
    values: dict[str, Any] = {}
    for f in dataclasses.fields(EngineSettings):
        if f.name not in table:
            continue
        path = f"engine.{f.name}"
        if f.type in ("int", int):
            values[f.name] = c.integer(path, table[f.name], low=1)
        else:
            values[f.name] = c.number(path, table[f.name], positive=f.name != "spin_us")
            if f.name == "spin_us" and values[f.name] is not None and values[f.name] > 1_000_000:
                c.add(path, f"must be 0..1000000 microseconds, got {c.show(path, table[f.name])}")
                values[f.name] = None
    if any(v is None for v in values.values()):
        return EngineSettings()
    return EngineSettings(**values)


def _log(c: _Checker, data: Any) -> LogSettings:
    table = c.table("log", data, _LOG_KEYS) or {}
    level, file, json_ = "info", None, False
    if "level" in table:
        value = c.string("log.level", table["level"])
        if value is not None:
            norm = value.strip().lower()
            norm = "warn" if norm == "warning" else norm
            if norm in _LOG_LEVELS:
                level = norm
            else:
                c.add("log.level", f"{c.show('log.level', value)} is not a log level; expected one of {', '.join(_LOG_LEVELS)}")
    if "file" in table:
        file = c.string("log.file", table["file"])
    if "json" in table:
        json_ = bool(c.boolean("log.json", table["json"]))
    return LogSettings(level=level, file=file, json=json_)


def _risk(c: _Checker, data: Any) -> RiskSettings:
    table = c.table("risk", data, _RISK_KEYS)
    if not table:
        return RiskSettings()
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
    return RiskSettings(max_order_notional=notional, max_position=positions)


def _simulated(c: _Checker, path: str, table: dict[str, Any]) -> Simulated | None:
    before = len(c.problems)
    kw: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in table.items():
        p = _join(path, key)
        if key in ("kind", "enabled"):
            continue
        if key == "name":
            kw["name"] = c.string(p, value)
        elif key == "symbols":
            value = c.env(p, value)
            if not isinstance(value, list) or not value:
                c.expected(p, "a non-empty array of symbols", value)
            else:
                for i, s in enumerate(value):
                    if not isinstance(s, (str, Mapping)):
                        c.expected(_join(p, i), "a symbol string or a table", s)
                kw["symbols"] = tuple(value)
        elif key == "balances":
            t = c.table(p, value, None)
            if t is not None:
                kw["balances"] = {a: c.money(_join(p, a), v) for a, v in t.items()}
        elif key == "seed":
            kw["seed"] = c.integer(p, value)
        elif key == "speed":
            kw["speed"] = c.number(p, value)
        elif key == "faults":
            t = c.table(p, value, FAULT_NAMES)
            if t is not None:
                kw["faults"] = {k: c.scalar(_join(p, k), v) for k, v in t.items()}
        else:
            options[key] = c.scalar(p, c.env(p, value))  # the exchange checks these when it starts
    if len(c.problems) > before:
        return None
    try:
        return Simulated(options=options, **kw)
    except _core.ConfigError as exc:
        c.add(path, str(exc).split(": ", 1)[-1])
        return None


def _binance(c: _Checker, path: str, table: dict[str, Any]) -> Binance | None:
    known = {f.name for f in dataclasses.fields(Binance)} | set(_BINANCE_EXTRA)
    c.table(path, table, known)
    if any(k not in known for k in table):
        return None
    values = {k: c.env(_join(path, k), v) for k, v in table.items() if k not in ("kind", "enabled")}
    for key, value in list(values.items()):
        default = getattr(Binance, key, None)
        if isinstance(default, (bool, int, float)) and isinstance(value, str):
            values[key] = c.scalar(_join(path, key), value)
    if c.missing:
        return None
    try:
        return Binance.from_mapping(values)
    except _core.ConfigError as exc:
        text = str(exc)
        for secret in (values.get("api_key"), values.get("api_secret")):
            if isinstance(secret, str) and secret:
                text = text.replace(secret, "***")
        c.add(path, text.split(": ", 1)[-1])
        return None


def _venues(c: _Checker, data: Any, legacy: Any) -> tuple[VenueConfig, ...]:
    if legacy is not None:
        c.add("venue", "the [venue] table is now [[venues]]: one table per venue, with kind = \"simulated\" or "
                       "\"binance\" and that kind's settings in it (docs/guide/configuration.md)")  # fmt: skip
    if data is None:
        return (Simulated(),) if legacy is None else ()
    if isinstance(data, Mapping):
        c.add("venues", "expected an array of tables: write [[venues]], not [venues]")
        return ()
    if not isinstance(data, list):
        c.expected("venues", "an array of tables [[venues]]", data)
        return ()
    out: list[VenueConfig] = []
    names: dict[str, int] = {}
    for i, item in enumerate(data):
        path = _join("venues", i)
        table = c.table(path, item, None)
        if table is None:
            continue
        if "enabled" in table and c.boolean(f"{path}.enabled", table["enabled"]) is False:
            continue  # not read: its ${ENV} references do not matter
        kind = c.env(f"{path}.kind", table.get("kind"))
        if kind is None:
            c.add(f"{path}.kind", 'missing: say kind = "simulated" or kind = "binance"')
            continue
        if kind == "simulated":
            c.table(path, table, _SIMULATED_KEYS + tuple(_SIM_OPTIONS))
            venue: VenueConfig | None = _simulated(c, path, table)
        elif kind == "binance":
            venue = _binance(c, path, table)
        else:
            c.add(f"{path}.kind", f'expected "simulated" or "binance", got {c.got(f"{path}.kind", kind)}')
            continue
        if venue is None:
            continue
        if venue.name in names:
            c.add(f"{path}.name", f"{venue.name!r} is already the name of venues[{names[venue.name]}]; "
                                  "venue names must be unique")  # fmt: skip
            continue
        names[venue.name] = i
        out.append(venue)
    if not out and not c.problems:
        c.add("venues", "no venue is enabled: add a [[venues]] table (kind = \"simulated\" for the simulated exchange)")
    return tuple(out)


# The simulated exchange's other settings, passed through (checked by the exchange when it starts).
_SIM_OPTIONS = ("tick_ms", "auto_tick", "trades_per_tick", "start_time_ms", "history_minutes", "max_kline_history",
                "maker_fee", "taker_fee", "weight_limit_1m", "orders_limit_10s", "orders_limit_1d",
                "requests_after_429_before_ban", "ban_seconds", "max_closed_orders", "max_trades", "host", "port",
                "ws_ping_interval_ms", "ws_pong_timeout_ms", "ws_max_age_ms", "ws_max_incoming_per_second",
                "ws_max_streams", "accounts")  # fmt: skip


def _strategies(c: _Checker, data: Any) -> tuple[StrategySpec, ...]:
    if data is None:
        return ()
    if isinstance(data, Mapping):
        c.add("strategies", "expected an array of tables: write [[strategies]], not [strategies]")
        return ()
    if not isinstance(data, list):
        c.expected("strategies", "an array of tables [[strategies]]", data)
        return ()
    out: list[StrategySpec] = []
    names: dict[str, int] = {}
    for i, item in enumerate(data):
        path = _join("strategies", i)
        table = c.table(path, item, _STRATEGY_KEYS)
        if table is None:
            continue
        if "enabled" in table and c.boolean(f"{path}.enabled", table["enabled"]) is False:
            continue
        before = len(c.problems)
        name = None
        if "name" not in table:
            c.add(f"{path}.name", "missing: every strategy needs a unique name")
        else:
            name = c.string(f"{path}.name", table["name"])
            if name is not None and name in names:
                c.add(f"{path}.name", f"{c.show(f'{path}.name', name)} is already the name of "
                                      f"strategies[{names[name]}]; names must be unique")  # fmt: skip
            elif name is not None:
                names[name] = i
        class_name = None
        if "class" in table:
            value = c.string(f"{path}.class", table["class"])
            if value is not None and not _CLASS.match(value):
                c.add(f"{path}.class", f"{c.show(f'{path}.class', value)} is not a class name like "
                                       '"SmaCross" or "pkg.module:SmaCross"')  # fmt: skip
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
            raw = c.table(f"{path}.params", table["params"], None) or {}
            params = {k: c.env(_join(f"{path}.params", k), v) for k, v in raw.items()}
        if len(c.problems) == before and name is not None and symbols is not None:
            out.append(StrategySpec(name, class_name, symbols, interval, params))
    return tuple(out)


def _report(source: str, problems: list[str], what: str = "invalid configuration") -> str:
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    return f"{source}: {what} ({count}):\n" + "\n".join(f"  - {p}" for p in problems)


def _toml_error(source: str, exc: Exception, text: str = "") -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", msg)
    if m:
        line, col = line or int(m.group(1)), col or int(m.group(2))
        msg = msg[: m.start()]
    msg = re.sub(r"\s*\(at end of document\)\s*$", " at the end of the file", msg)
    where = f" at line {line}, column {col}" if line else ""
    hint = ""
    lines = text.splitlines()
    if line and 0 < line <= len(lines) and re.search(r"=\s*\$\{", lines[line - 1]):
        hint = ' (an ${ENV} reference goes inside a string: speed = "${SPEED:-600}")'
    return f"{source}: invalid TOML{where}: {msg}{hint}"


def parse_config(text: str, source: str = "<string>", environ: Mapping[str, str] | None = None) -> NodeConfig:
    """Parse ``text`` as TOML, expand ${ENV} in the string values that are read and validate
    every key. Raises one ConfigError, starting with ``source``, that lists every problem."""
    if tomllib is None:  # pragma: no cover - Python 3.10 without tomli
        raise _core.ConfigError(f"{source}: reading TOML on Python 3.10 needs the 'tomli' package (pip install tomli)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _core.ConfigError(_toml_error(source, exc, text)) from None
    c = _Checker((), os.environ if environ is None else environ)
    c.table("", data, _TOP_KEYS + ("venue",))
    name = c.string("name", data["name"]) or "node" if "name" in data else "node"
    duration = None
    if "duration" in data:
        duration = c.number("duration", data["duration"])
    status_interval = c.number("status_interval", data["status_interval"]) or 1.0 if "status_interval" in data else 1.0
    cancel_on_stop = True
    if "cancel_on_stop" in data:
        cancel_on_stop = c.boolean("cancel_on_stop", data["cancel_on_stop"]) is not False
    cancel_timeout = c.number("cancel_timeout", data["cancel_timeout"]) or 3.0 if "cancel_timeout" in data else 3.0
    ack_timeout = c.number("ack_timeout", data["ack_timeout"]) or 30.0 if "ack_timeout" in data else 30.0
    engine = _engine(c, data["engine"]) if "engine" in data else EngineSettings()
    log = _log(c, data["log"]) if "log" in data else None
    risk = _risk(c, data["risk"]) if "risk" in data else RiskSettings()
    venues = _venues(c, data.get("venues"), data.get("venue"))
    strategies = _strategies(c, data.get("strategies"))
    problems = c.missing_report() + c.problems
    if problems:
        raise _core.ConfigError(_report(source, problems))
    return NodeConfig(name=name, venues=venues, strategies=strategies, engine=engine, log=log, risk=risk,
                      duration=duration, status_interval=status_interval, cancel_on_stop=cancel_on_stop,
                      cancel_timeout=cancel_timeout, ack_timeout=ack_timeout)  # fmt: skip


def load_config(path: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> NodeConfig:
    """Read and validate the TOML node configuration at ``path`` (see ``parse_config``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise _core.ConfigError(f"{p}: cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _core.ConfigError(f"{p}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    return parse_config(text, source=str(p), environ=environ)
