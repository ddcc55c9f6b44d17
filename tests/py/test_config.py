"""The run configuration (tradeengine.config): ${ENV} expansion, TOML parsing, and validation
that reports every problem at once, by key path, without ever showing a secret."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

import tradeengine as te
from tradeengine.config import (
    EngineSection,
    RiskSection,
    RunConfig,
    StrategySection,
    VenueSection,
    expand_env,
    load_config,
    parse_config,
)

FULL = """\
duration = 60            # optional, seconds
status_interval = 0.5
[engine]
name = "demo"
data_capacity = 2000
batch_size = 32
[log]
level = "debug"
file = "run.log"
json = true
[venue]
kind = "binance"
[venue.simulated]
symbols = ["BTCUSDT", "ETHUSDT"]
speed = 600
seed = 7
balances = { USDT = "10000", BTC = "0.5" }
tick_ms = 20
[venue.binance]
network = "testnet"
api_key = "${BINANCE_API_KEY}"
api_secret = "${BINANCE_API_SECRET}"
trades = true
[risk]
max_order_notional = "1000"
max_position = { BTCUSDT = "0.1" }
[[strategies]]
name = "sma"
class = "SmaCross"
symbols = ["BTCUSDT"]
interval = "1m"
[strategies.params]
fast = 5
slow = 20
quantity = "0.001"
[[strategies]]
name = "other"
class = "pkg.module:Other"
symbols = ["ETHUSDT", "BTCUSDT"]
interval = "15m"
"""

KEYS = {"BINANCE_API_KEY": "key-abcdef", "BINANCE_API_SECRET": "sec-123456"}

MINIMAL = """\
[[strategies]]
name = "s"
symbols = ["BTCUSDT"]
"""


def problems(text: str, environ: dict[str, str] | None = None, source: str = "run.toml") -> str:
    with pytest.raises(te.ConfigError) as info:
        parse_config(textwrap.dedent(text), source=source, environ=environ or {})
    message = str(info.value)
    assert message.startswith(source), message
    return message


def with_strategy(text: str) -> str:
    return textwrap.dedent(text) + "\n" + MINIMAL


# ---- good configurations -------------------------------------------------------------------


def test_full_example_parses_into_frozen_sections() -> None:
    cfg = parse_config(FULL, environ=KEYS)
    assert cfg.duration == 60.0 and isinstance(cfg.duration, float)
    assert cfg.status_interval == 0.5
    assert cfg.engine == EngineSection(name="demo", data_capacity=2000, batch_size=32)
    assert (cfg.log_level, cfg.log_file, cfg.log_json) == ("debug", "run.log", True)
    assert cfg.venue.kind == "binance"
    assert cfg.venue.simulated == {
        "symbols": ["BTCUSDT", "ETHUSDT"],
        "speed": 600,
        "seed": 7,
        "balances": {"USDT": "10000", "BTC": "0.5"},
        "tick_ms": 20,  # unknown SimExchange options pass through
    }
    assert cfg.venue.binance == {
        "network": "testnet",
        "api_key": "key-abcdef",
        "api_secret": "sec-123456",
        "trades": True,
    }
    assert cfg.risk == RiskSection(max_order_notional="1000", max_position={"BTCUSDT": "0.1"})
    assert cfg.strategies == (
        StrategySection(
            name="sma",
            class_name="SmaCross",
            symbols=("BTCUSDT",),
            interval="1m",
            params={"fast": 5, "slow": 20, "quantity": "0.001"},
        ),
        StrategySection(
            name="other",
            class_name="pkg.module:Other",
            symbols=("ETHUSDT", "BTCUSDT"),
            interval="15m",
        ),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.duration = 1.0  # type: ignore[misc]


def test_defaults_of_a_minimal_configuration() -> None:
    cfg = parse_config(MINIMAL, environ={})
    assert cfg == RunConfig(
        engine=EngineSection(),
        venue=VenueSection(kind="simulated", simulated={}, binance={}),
        strategies=(StrategySection(name="s", symbols=("BTCUSDT",)),),
        risk=RiskSection(),
        duration=None,
    )
    assert cfg.engine == EngineSection("engine", 1000, 100, 50, 64)
    assert (cfg.status_interval, cfg.log_level, cfg.log_file, cfg.log_json) == (1.0, "info", None, False)
    s = cfg.strategies[0]
    assert (s.class_name, s.interval, s.params) == (None, "1m", {})


def test_the_built_sections_fit_the_runner_constructors() -> None:
    from tradeengine.venues import BinanceConfig

    cfg = parse_config(FULL, environ=KEYS)
    engine = te.Engine(**dataclasses.asdict(cfg.engine))
    assert engine.native is not None
    binance = BinanceConfig.from_mapping(cfg.venue.binance)
    assert binance.rest_url == "https://testnet.binance.vision" and binance.trades
    before = te.get_log_level()
    te.set_log_level(cfg.log_level)
    te.set_log_level(before)


def test_integer_money_is_taken_as_its_digits_and_log_level_is_normalised() -> None:
    cfg = parse_config(
        with_strategy(
            """
            [log]
            level = "WARNING"
            [risk]
            max_order_notional = 1000
            max_position = { BTCUSDT = 2, ETHUSDT = "1e-3" }
            [venue.simulated]
            balances = { USDT = 10000 }
            """
        ),
        environ={},
    )
    assert cfg.log_level == "warn"
    assert cfg.risk.max_order_notional == "1000"
    assert cfg.risk.max_position == {"BTCUSDT": "2", "ETHUSDT": "1e-3"}
    assert cfg.venue.simulated["balances"] == {"USDT": "10000"}


def test_load_config_reads_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.toml"
    path.write_text(FULL, encoding="utf-8")
    monkeypatch.setenv("BINANCE_API_KEY", "key-from-env")
    monkeypatch.setenv("BINANCE_API_SECRET", "secret-from-env")
    cfg = load_config(path)
    assert cfg.venue.binance["api_key"] == "key-from-env"
    cfg = load_config(str(path), environ=KEYS)
    assert cfg.venue.binance["api_secret"] == "sec-123456"


def test_load_config_of_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(te.ConfigError, match=r"nope\.toml: cannot read"):
        load_config(tmp_path / "nope.toml")
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(te.ConfigError, match=r"bin\.toml: not UTF-8"):
        load_config(path)


# ---- ${ENV} expansion ----------------------------------------------------------------------


def test_expand_env_substitutes_defaults_and_escapes() -> None:
    env = {"A": "alpha", "EMPTY": ""}
    assert expand_env('x = "${A}"', env) == 'x = "alpha"'
    assert expand_env('x = "${B:-beta}"', env) == 'x = "beta"'
    assert expand_env('x = "${A:-beta}"', env) == 'x = "alpha"'
    assert expand_env('x = "${EMPTY:-dflt}"', env) == 'x = "dflt"'  # unset or empty
    assert expand_env('x = "${EMPTY}"', env) == 'x = ""'
    assert expand_env('x = "${B:-}"', env) == 'x = ""'
    assert expand_env('x = "$${A}"', env) == 'x = "${A}"'
    assert expand_env("x = '$${A} and ${A}'", env) == "x = '${A} and alpha'"
    assert expand_env("speed = ${SPEED:-600}", env) == "speed = 600"
    assert expand_env("cost = $5 and $A", env) == "cost = $5 and $A"  # only ${...}


def test_expand_env_uses_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TE_CONFIG_TEST_VAR", "from-os")
    assert expand_env('v = "${TE_CONFIG_TEST_VAR}"') == 'v = "from-os"'


def test_expand_env_leaves_comments_alone() -> None:
    text = '# api_key = "${NOT_SET}"\nx = 1 # ${ALSO_NOT_SET}\n'
    assert expand_env(text, {}) == text


def test_missing_variables_are_all_named_in_one_error() -> None:
    text = 'a = "${ONE}"\nb = "${TWO}"\nc = "${ONE}"\nd = "${THREE:-ok}"\n'
    with pytest.raises(te.ConfigError) as info:
        expand_env(text, {"UNRELATED": "s3cr3t-value"})
    message = str(info.value)
    assert "ONE (lines 1, 3)" in message and "TWO (line 2)" in message
    assert "THREE" not in message and "s3cr3t-value" not in message
    assert "${NAME:-default}" in message


def test_missing_variables_in_a_file_start_with_its_path() -> None:
    message = problems(FULL, environ={"BINANCE_API_KEY": "key-abcdef"})
    assert "BINANCE_API_SECRET (line 22)" in message
    assert "key-abcdef" not in message


def test_malformed_references_are_reported() -> None:
    with pytest.raises(te.ConfigError, match=r"line 2: malformed \$\{\.\.\.\}"):
        expand_env('a = 1\nb = "${1BAD}"', {})
    with pytest.raises(te.ConfigError, match=r"line 1: malformed"):
        expand_env('b = "${UNCLOSED"', {})


def test_values_with_quotes_and_backslashes_stay_inside_their_string() -> None:
    secret = 'p"a\\ss\'word\tx'
    env = {"BINANCE_API_KEY": secret, "BINANCE_API_SECRET": "also\nodd"}
    cfg = parse_config(FULL, environ=env)
    assert cfg.venue.binance["api_key"] == secret
    assert cfg.venue.binance["api_secret"] == "also\nodd"
    # Multi-line basic strings too.
    cfg = parse_config(MINIMAL + 'params = { note = """x ${V} y""" }\n', environ={"V": 'q"""z'})
    assert cfg.strategies[0].params["note"] == 'x q"""z y'


def test_values_a_literal_string_or_bare_value_cannot_hold_are_errors() -> None:
    message = problems(MINIMAL + "params = { note = '${V}' }\n", environ={"V": "it's-hidden"})
    assert "line 4: ${V} is inside a '...' literal string" in message
    assert "it's-hidden" not in message
    message = problems("speed = ${V}\n" + MINIMAL, environ={"V": "1\nduration = -1"})
    assert "line 1: the value of ${V} contains a line break" in message
    assert "duration = -1" not in message


def test_bare_references_give_toml_values() -> None:
    text = "duration = ${DURATION:-30}\n[engine]\nbatch_size = ${BATCH}\n" + MINIMAL
    cfg = parse_config(text, environ={"BATCH": "16"})
    assert cfg.duration == 30.0 and cfg.engine.batch_size == 16


def test_a_value_from_the_environment_is_not_shown_in_validation_errors() -> None:
    message = problems('[log]\nlevel = "${LEVEL}"\n' + MINIMAL, environ={"LEVEL": "private-level"})
    assert "log.level" in message and "private-level" not in message
    assert "(a value from the environment)" in message


# ---- TOML syntax ---------------------------------------------------------------------------


def test_toml_syntax_error_names_file_line_and_column() -> None:
    message = problems('[engine]\nname = "x"\nbatch_size = = 3\n', source="conf/run.toml")
    assert message.startswith("conf/run.toml: invalid TOML at line 3, column")
    message = problems('a = "unterminated\n')
    assert "invalid TOML at line 1" in message


def test_toml_syntax_error_does_not_echo_a_secret() -> None:
    message = problems('api_key = "${K}" x\n', environ={"K": "hunter2-secret"})
    assert "invalid TOML at line 1" in message and "hunter2-secret" not in message


# ---- validation: every problem at once -----------------------------------------------------


def test_every_problem_is_listed_with_its_key_path() -> None:
    message = problems(
        """
        duration = -5
        nope = 1
        [engine]
        nmae = "x"
        batch_size = 0
        [log]
        level = "loud"
        [risk]
        max_order_notional = 1000.5
        [[strategies]]
        name = "a"
        symbols = []
        [[strategies]]
        name = "a"
        symbols = ["X"]
        interval = "2m"
        """
    )
    expected = [
        "run.toml: invalid configuration (9 problems):",
        "  - nope: unknown key; expected one of duration, engine, log, risk, status_interval, strategies, venue",
        "  - duration: must be a number of seconds > 0",
        "  - engine.nmae: unknown key (did you mean 'name'?)",
        "  - engine.batch_size: must be >= 1, got 0",
        "  - log.level: 'loud' is not a log level",
        '  - risk.max_order_notional: 1000.5 is a TOML float, which is not exact; quote it ("1000.5")',
        "  - strategies[0].symbols: is empty",
        "  - strategies[1].name: 'a' is already the name of strategies[0]",
        "  - strategies[1].interval: '2m' is not a kline interval",
    ]
    for line in expected:
        assert line in message, (line, message)


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("duration = 0", "duration", "> 0"),
        ('duration = "60"', "duration", "expected a number of seconds, got a string '60'"),
        ("duration = true", "duration", "got a boolean"),
        ("status_interval = -1.0", "status_interval", "> 0"),
        ("[engine]\nname = 3", "engine.name", "expected a string, got an integer 3"),
        ('[engine]\nname = " "', "engine.name", "is empty"),
        ("[engine]\ndata_capacity = 1.5", "engine.data_capacity", "expected an integer, got a float"),
        ("[engine]\nsignal_capacity = -1", "engine.signal_capacity", "must be >= 1"),
        ("[engine]\norder_capacity = true", "engine.order_capacity", "expected an integer, got a boolean"),
        ('engine = "x"', "engine", "expected a table, got a string"),
        ("[log]\njson = 1", "log.json", "expected true or false"),
        ("[log]\nfile = 1", "log.file", "expected a string"),
        ("[log]\nlevel = 3", "log.level", "expected a string"),
        ("[log]\ncolour = true", "log.colour", "unknown key; expected one of file, json, level"),
        ('[venue]\nkind = "ftx"', "venue.kind", 'expected "simulated" or "binance", got a string \'ftx\''),
        ('[venue]\nkind = "binance"', "venue.binance", "needs a [venue.binance] table"),
        ('[venue]\n[venue.binance]\nnetwork = "testnet"', "venue.kind", 'kind = "binance"'),
        ("[venue]\nother = 1", "venue.other", "unknown key; expected one of binance, kind, simulated"),
        ("[venue.simulated]\nsymbols = []", "venue.simulated.symbols", "is empty"),
        ('[venue.simulated]\nsymbols = "BTCUSDT"', "venue.simulated.symbols", "expected an array"),
        ("[venue.simulated]\nsymbols = [1]", "venue.simulated.symbols[0]", "expected a symbol string or a table"),
        ("[venue.simulated]\nspeed = 0", "venue.simulated.speed", "must be > 0"),
        ('[venue.simulated]\nspeed = "fast"', "venue.simulated.speed", "expected a number"),
        ('[venue.simulated]\nseed = "1"', "venue.simulated.seed", "expected an integer"),
        ("[venue.simulated]\nport = 70000", "venue.simulated.port", "must be 0..65535"),
        ("[venue.simulated]\nfaults = { lag = 1 }", "venue.simulated.faults.lag", "unknown key; expected one of"),
        ("[venue.simulated]\nbalances = { USDT = 10.5 }", "venue.simulated.balances.USDT", 'quote it ("10.5")'),
        ('[venue.simulated]\nbalances = { USDT = "-1" }', "venue.simulated.balances.USDT", "must be >= 0"),
        ('[venue.simulated]\nbalances = "lots"', "venue.simulated.balances", "expected a table"),
        ('[venue.simulated]\naccounts = [{ api_key = "kkkk" }]', "venue.simulated.accounts[0].secret", "missing"),
        ('[venue.binance]\nnetwork = "main"', "venue.binance.network", 'expected "live" or "testnet"'),
        ("[venue.binance]\nsymbol = 1", "venue.binance.symbol", "unknown key (did you mean 'symbols'?)"),
        ('[venue.binance]\nintervals = ["1m", "7m"]', "venue.binance.intervals[1]", "not a kline interval"),
        ('[venue.binance]\ntrades = "yes"', "venue.binance.trades", "expected true or false"),
        ('[venue.binance]\nmax_attempts = 2.5', "venue.binance.max_attempts", "expected an integer"),
        ('[venue.binance]\nconnect_timeout = "10"', "venue.binance.connect_timeout", "expected a number"),
        ("[venue.binance]\nbackoff = []", "venue.binance.backoff", "non-empty array"),
        ('[venue.binance]\ncredentials = "file"', "venue.binance.credentials", 'expected "env"'),
        ('[venue.binance]\napi_key = "abcdef"', "venue.binance.api_secret", "missing (api_key is given)"),
        ('[venue.binance]\napi_key = "abcdef"\napi_secret = "ghijkl"\ncredentials = "env"',
         "venue.binance", "give only one of"),
        ('[risk]\nmax_order_notional = "0"', "risk.max_order_notional", "must be > 0"),
        ('[risk]\nmax_order_notional = "1,000"', "risk.max_order_notional", "not an exact decimal amount"),
        ('[risk]\nmax_order_notional = "1.0000000001"', "risk.max_order_notional", "more than 9 decimal places"),
        ('[risk]\nmax_order_notional = true', "risk.max_order_notional", "expected an exact decimal string"),
        ("[risk]\nmax_position = { BTCUSDT = 0.1 }", "risk.max_position.BTCUSDT", 'quote it ("0.1")'),
        ('[risk]\nmax_position = { BTCUSDT = "-0.1" }', "risk.max_position.BTCUSDT", "must be >= 0"),
        ('[risk]\nmax_position = "0.1"', "risk.max_position", "expected a table"),
        ('[risk]\nlimit = "1"', "risk.limit", "unknown key; expected one of max_order_notional, max_position"),
    ],
)
def test_bad_values_name_their_key_path(text: str, path: str, words: str) -> None:
    message = problems(with_strategy(text))
    assert f"  - {path}: " in message, message
    assert words in message, message


@pytest.mark.parametrize(
    ("strategy", "path", "words"),
    [
        ('symbols = ["BTCUSDT"]', "strategies[0].name", "missing"),
        ('name = "s"', "strategies[0].symbols", "missing"),
        ('name = ""\nsymbols = ["BTCUSDT"]', "strategies[0].name", "is empty"),
        ('name = "s"\nsymbols = "BTCUSDT"', "strategies[0].symbols", "expected an array of symbols"),
        ('name = "s"\nsymbols = ["BTC USDT"]', "strategies[0].symbols[0]", "without spaces"),
        ('name = "s"\nsymbols = [7]', "strategies[0].symbols[0]", "expected a string"),
        ('name = "s"\nsymbols = ["A"]\ninterval = 1', "strategies[0].interval", "expected a kline interval"),
        ('name = "s"\nsymbols = ["A"]\ninterval = "1H"', "strategies[0].interval", "1s 1m 3m"),
        ('name = "s"\nsymbols = ["A"]\nclass = "not a class"', "strategies[0].class", "not a class name"),
        ('name = "s"\nsymbols = ["A"]\nclass = 3', "strategies[0].class", "expected a class name"),
        ('name = "s"\nsymbols = ["A"]\nparams = 3', "strategies[0].params", "expected a table"),
        ('name = "s"\nsymbols = ["A"]\nclas = "X"', "strategies[0].clas", "did you mean 'class'?"),
    ],
)
def test_bad_strategies_name_their_index(strategy: str, path: str, words: str) -> None:
    message = problems("[[strategies]]\n" + strategy + "\n")
    assert f"  - {path}: " in message, message
    assert words in message, message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("duration = 5", "strategies: missing: add at least one [[strategies]]"),
        ("strategies = []", "strategies: is empty"),
        ('[strategies]\nname = "s"', "write [[strategies]], not [strategies]"),
        ('strategies = "s"', "strategies: expected an array of tables"),
    ],
)
def test_strategies_must_be_an_array_of_tables(text: str, words: str) -> None:
    assert words in problems(text + "\n")


def test_problems_in_several_strategies_are_all_reported() -> None:
    message = problems(
        """
        [[strategies]]
        name = "a"
        symbols = ["X"]
        interval = "9m"
        [[strategies]]
        name = "b"
        symbols = ["Y", "Y"]
        [[strategies]]
        name = "c"
        symbols = ["Z"]
        interval = "2h"
        [[strategies]]
        name = "c"
        symbols = ["Z"]
        """
    )
    assert "strategies[0].interval: '9m'" in message
    assert "strategies[1].symbols[1]: 'Y' is listed twice" in message
    assert "strategies[3].name: 'c' is already the name of strategies[2]" in message
    assert "strategies[2]" not in message.replace("of strategies[2]", "")
    assert "(3 problems)" in message


def test_a_single_problem_is_counted_as_one() -> None:
    assert "run.toml: invalid configuration (1 problem):\n  - duration:" in problems(
        with_strategy("duration = -1")
    )


# ---- secrets -------------------------------------------------------------------------------

SECRET = "TOPSECRET-9f8e7d"


@pytest.mark.parametrize(
    "text",
    [
        f'[venue.binance]\napi_key = "{SECRET}"\napi_secret = 12',
        f'[venue.binance]\napi_key = ["{SECRET}"]\napi_secret = "{SECRET}"\nnetwork = "moon"',
        f'[venue.binance]\napi_secret = "{SECRET}"',
        f'[venue.binance]\napi_key = "{SECRET}"\napi_secret = "{SECRET}"\ntoken = "{SECRET}"',
        f'[venue.simulated]\naccounts = [{{ api_key = "{SECRET}", secret = 5, balances = {{ USDT = 1.5 }} }}]',
        f'[venue.simulated.password]\nvalue = "{SECRET}"\n[engine]\nname = 5',
        f'[[strategies]]\nname = "t"\nsymbols = ["A"]\nparams = {{ token = "{SECRET}" }}\ninterval = "x"',
    ],
)
def test_secret_values_never_appear_in_errors(text: str) -> None:
    message = problems(with_strategy(text))
    assert SECRET not in message, message
    assert SECRET[:8] not in message


def test_secret_of_the_wrong_type_names_the_key_only() -> None:
    message = problems(with_strategy('[venue.binance]\napi_key = 123456\napi_secret = "abc"'))
    assert "venue.binance.api_key: expected a string, got an integer" in message
    assert "123456" not in message
    assert "venue.binance.api_secret: must be at least 4 characters" in message
    assert "'abc'" not in message


def test_secret_from_the_environment_never_appears(monkeypatch: pytest.MonkeyPatch) -> None:
    text = FULL.replace('network = "testnet"', 'network = "${BINANCE_API_SECRET}"')
    message = problems(text, environ=KEYS)
    assert "venue.binance.network" in message
    assert KEYS["BINANCE_API_SECRET"] not in message and KEYS["BINANCE_API_KEY"] not in message


def test_the_guide_example_is_a_valid_configuration() -> None:
    import re

    guide = Path(__file__).resolve().parents[2] / "docs" / "guide" / "configuration.md"
    block = re.search(r"```toml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)
    assert block, "docs/guide/configuration.md has no toml example"
    cfg = parse_config(block.group(1), source=str(guide), environ=KEYS)
    assert cfg.venue.kind == "simulated" and cfg.strategies[0].name == "sma"


# ---- engine.spin_us ------------------------------------------------------------------------


def test_engine_spin_us_is_read_and_passed_as_a_float() -> None:
    cfg = parse_config(with_strategy("[engine]\nspin_us = 200\n"), environ={})
    assert cfg.engine.spin_us == 200.0 and isinstance(cfg.engine.spin_us, float)
    assert parse_config(MINIMAL, environ={}).engine.spin_us == 5.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("-1", "must be 0..1000000 microseconds, got -1"), ('"fast"', "a number of microseconds"),
     ("true", "a number of microseconds"), ("2000000", "must be 0..1000000")],
)  # fmt: skip
def test_engine_spin_us_out_of_range_or_not_a_number_is_named(value: str, expected: str) -> None:
    message = problems(with_strategy(f"[engine]\nspin_us = {value}\n"))
    assert "engine.spin_us" in message and expected in message
