"""The node configuration (tradeengine.config): TOML parsed with tomllib, ${ENV} expanded
inside the string values that are read (only in the sections that are used), and validation
that reports every problem at once, by key path, without ever showing a secret."""

from __future__ import annotations

import dataclasses
import pickle
import textwrap
from pathlib import Path

import pytest

import tradeengine as te
from tradeengine.config import EngineSettings, NodeConfig, RiskSettings, StrategySpec, expand_env, load_config, parse_config
from tradeengine.venues import Binance, Simulated

FULL = """\
name = "demo"
duration = 60            # optional, seconds
status_interval = 0.5
[engine]
data_capacity = 2000
batch_size = 32
[log]
level = "debug"
file = "run.log"
json = true
[[venues]]
kind = "simulated"
symbols = ["BTCUSDT", "ETHUSDT"]
speed = 600
seed = 7
balances = { USDT = "10000", BTC = "0.5" }
tick_ms = 20
[[venues]]
kind = "binance"
network = "testnet"
api_key = "${BINANCE_API_KEY}"
api_secret = "${BINANCE_API_SECRET}"
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


def test_full_example_parses_into_typed_frozen_objects() -> None:
    cfg = parse_config(FULL, environ=KEYS)
    assert cfg.name == "demo" and cfg.duration == 60.0 and isinstance(cfg.duration, float)
    assert cfg.status_interval == 0.5
    assert cfg.engine == EngineSettings(data_capacity=2000, batch_size=32)
    assert cfg.log == te.LogSettings(level="debug", file="run.log", json=True)
    sim, binance = cfg.venues
    assert isinstance(sim, Simulated) and isinstance(binance, Binance)
    assert sim.symbols == ("BTCUSDT", "ETHUSDT") and sim.speed == 600 and sim.seed == 7
    assert sim.balances == {"USDT": "10000", "BTC": "0.5"} and sim.options == {"tick_ms": 20}
    assert binance.rest_url == "https://testnet.binance.vision" and binance.trading
    assert binance.credentials is not None and binance.credentials.api_key == "key-abcdef"
    assert cfg.risk == RiskSettings(max_order_notional="1000", max_position={"BTCUSDT": "0.1"})
    assert cfg.strategies == (
        StrategySpec("sma", "SmaCross", ("BTCUSDT",), "1m", {"fast": 5, "slow": 20, "quantity": "0.001"}),
        StrategySpec("other", "pkg.module:Other", ("ETHUSDT", "BTCUSDT"), "15m"),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.duration = 1.0  # type: ignore[misc]


def test_defaults_of_a_minimal_configuration() -> None:
    cfg = parse_config(MINIMAL, environ={})
    assert cfg == NodeConfig(venues=(Simulated(),), strategies=(StrategySpec(name="s", symbols=("BTCUSDT",)),))
    assert (cfg.status_interval, cfg.log, cfg.duration, cfg.cancel_on_stop) == (1.0, None, None, True)
    s = cfg.strategies[0]
    assert (s.class_name, s.interval, s.params) == (None, "1m", {})
    assert parse_config("", environ={}).strategies == (), "a node may run without strategies"


def test_a_configuration_builds_a_node_that_runs() -> None:
    cfg = parse_config(
        """
        [[venues]]
        kind = "simulated"
        speed = 3000
        tick_ms = 20
        history_minutes = 10
        [[strategies]]
        name = "sma"
        class = "SmaCross"
        symbols = ["BTCUSDT"]
        [strategies.params]
        fast = 2
        slow = 4
        """,
        environ={},
    )
    node = te.Node.from_config(cfg)
    assert [s.name for s in node.strategies] == ["sma"]
    summary = node.run(duration=1)
    assert summary.ok and node.state == te.ComponentState.STOPPED


def test_integer_money_is_taken_as_its_digits_and_log_level_is_normalised() -> None:
    cfg = parse_config(
        with_strategy(
            """
            [log]
            level = "WARNING"
            [risk]
            max_order_notional = 1000
            max_position = { BTCUSDT = 2, ETHUSDT = "1e-3" }
            [[venues]]
            kind = "simulated"
            balances = { USDT = 10000 }
            """
        ),
        environ={},
    )
    assert cfg.log is not None and cfg.log.level == "warn"
    assert cfg.risk.max_order_notional == "1000"
    assert cfg.risk.max_position == {"BTCUSDT": "2", "ETHUSDT": "1e-3"}
    assert cfg.venues[0].balances == {"USDT": "10000"}  # type: ignore[union-attr]


def test_load_config_reads_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "run.toml"
    path.write_text(FULL, encoding="utf-8")
    monkeypatch.setenv("BINANCE_API_KEY", "key-from-env")
    monkeypatch.setenv("BINANCE_API_SECRET", "secret-from-env")
    binance = load_config(path).venues[1]
    assert isinstance(binance, Binance) and binance.credentials and binance.credentials.api_key == "key-from-env"
    binance = load_config(str(path), environ=KEYS).venues[1]
    assert isinstance(binance, Binance) and binance.credentials and binance.credentials.api_secret == "sec-123456"


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
    assert expand_env("${A}", env) == "alpha"
    assert expand_env("${B:-beta}", env) == "beta"
    assert expand_env("${A:-beta}", env) == "alpha"
    assert expand_env("${EMPTY:-dflt}", env) == "dflt"  # unset or empty
    assert expand_env("${EMPTY}", env) == ""
    assert expand_env("${B:-}", env) == ""
    assert expand_env("$${A}", env) == "${A}"
    assert expand_env("$${A} and ${A}", env) == "${A} and alpha"
    assert expand_env("cost = $5 and $A", env) == "cost = $5 and $A"  # only ${...}


def test_expand_env_uses_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TE_CONFIG_TEST_VAR", "from-os")
    assert expand_env("v=${TE_CONFIG_TEST_VAR}") == "v=from-os"


def test_references_in_comments_and_unread_tables_do_not_matter() -> None:
    text = '# api_key = "${NOT_SET}"\n' + MINIMAL
    assert parse_config(text, environ={}).strategies[0].name == "s"


def test_an_unset_variable_only_matters_in_a_section_that_is_used() -> None:
    text = """
        [[venues]]
        kind = "simulated"
        [[venues]]
        kind = "binance"
        enabled = false
        api_key = "${BINANCE_API_KEY}"
        api_secret = "${BINANCE_API_SECRET}"
        """
    cfg = parse_config(with_strategy(text), environ={})
    assert [v.kind for v in cfg.venues] == ["simulated"]
    message = problems(with_strategy(text.replace("enabled = false", "enabled = true")))
    assert "venues[1].api_key: environment variable BINANCE_API_KEY is not set" in message
    assert "venues[1].api_secret: environment variable BINANCE_API_SECRET is not set" in message


def test_missing_variables_are_named_with_their_key_paths() -> None:
    message = problems(with_strategy('[log]\nfile = "${ONE}"\nlevel = "${TWO:-info}"\n'))
    assert "log.file: environment variable ONE is not set" in message
    assert "TWO" not in message
    assert "${ONE:-default}" in message


def test_malformed_references_are_reported() -> None:
    message = problems(with_strategy('[log]\nfile = "${1BAD}"\n'))
    assert "log.file: malformed ${...} reference" in message
    with pytest.raises(te.ConfigError, match="malformed"):
        expand_env("${UNCLOSED", {})


def test_values_with_quotes_and_backslashes_arrive_as_they_are() -> None:
    secret = 'p"a\\ss\'word\tx'
    env = {"BINANCE_API_KEY": secret, "BINANCE_API_SECRET": "also\nodd"}
    binance = parse_config(FULL, environ=env).venues[1]
    assert isinstance(binance, Binance) and binance.credentials is not None
    assert binance.credentials.api_key == secret and binance.credentials.api_secret == "also\nodd"
    cfg = parse_config(MINIMAL + 'params = { note = """x ${V} y""" }\n', environ={"V": 'q"""z'})
    assert cfg.strategies[0].params["note"] == 'x q"""z y'


def test_numbers_and_booleans_come_from_the_environment_as_strings() -> None:
    text = 'duration = "${DURATION:-30}"\ncancel_on_stop = "${CANCEL}"\n[engine]\nbatch_size = "${BATCH}"\n' + MINIMAL
    cfg = parse_config(text, environ={"BATCH": "16", "CANCEL": "false"})
    assert cfg.duration == 30.0 and cfg.engine.batch_size == 16 and cfg.cancel_on_stop is False
    message = problems(text, environ={"BATCH": "many", "CANCEL": "false"})
    assert "engine.batch_size: expected an integer" in message and "many" not in message


def test_a_bare_reference_is_a_toml_error_with_a_hint() -> None:
    message = problems("speed = ${SPEED:-600}\n" + MINIMAL)
    assert "invalid TOML at line 1" in message and 'speed = "${SPEED:-600}"' in message


def test_a_value_from_the_environment_is_not_shown_in_validation_errors() -> None:
    message = problems('[log]\nlevel = "${LEVEL}"\n' + MINIMAL, environ={"LEVEL": "private-level"})
    assert "log.level" in message and "private-level" not in message
    assert "(a value from the environment)" in message


# ---- TOML syntax ---------------------------------------------------------------------------


def test_toml_syntax_error_names_file_line_and_column() -> None:
    message = problems('[engine]\nbatch_size = = 3\n', source="conf/run.toml")
    assert message.startswith("conf/run.toml: invalid TOML at line 2, column")
    message = problems('a = "unterminated\n')
    assert "invalid TOML at line 1" in message


def test_toml_syntax_error_does_not_echo_a_secret() -> None:
    message = problems('api_key = "hunter2-secret" x\n')
    assert "invalid TOML at line 1" in message and "hunter2-secret" not in message


# ---- validation: every problem at once -----------------------------------------------------


def test_every_problem_is_listed_with_its_key_path() -> None:
    message = problems(
        """
        duration = -5
        nope = 1
        [engine]
        batchsize = 3
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
        "  - nope: unknown key; expected one of",
        "  - duration: must be > 0",
        "  - engine.batchsize: unknown key (did you mean 'batch_size'?)",
        "  - engine.batch_size: must be >= 1, got 0",
        "  - log.level: 'loud' is not a log level",
        '  - risk.max_order_notional: 1000.5 is a TOML float, which is not exact; quote it ("1000.5")',
        "  - strategies[0].symbols: is empty",
        "  - strategies[1].name: 'a' is already the name of strategies[0]",
        "  - strategies[1].interval: '2m' is not a kline interval",
    ]
    for line in expected:
        assert line in message, (line, message)


SIM = "[[venues]]\nkind = \"simulated\"\n"
BIN = "[[venues]]\nkind = \"binance\"\n"


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("duration = 0", "duration", "> 0"),
        ('duration = "60"', "duration", "expected a number, got a string '60'"),
        ("duration = true", "duration", "got a boolean"),
        ("status_interval = -1.0", "status_interval", "> 0"),
        ('name = 3', "name", "expected a string, got an integer 3"),
        ("[engine]\ndata_capacity = 1.5", "engine.data_capacity", "expected an integer, got a float"),
        ("[engine]\nsignal_capacity = -1", "engine.signal_capacity", "must be >= 1"),
        ("[engine]\norder_capacity = true", "engine.order_capacity", "expected an integer, got a boolean"),
        ('engine = "x"', "engine", "expected a table, got a string"),
        ("[log]\njson = 1", "log.json", "expected true or false"),
        ("[log]\nfile = 1", "log.file", "expected a string"),
        ("[log]\nlevel = 3", "log.level", "expected a string"),
        ("[log]\ncolour = true", "log.colour", "unknown key; expected one of file, json, level"),
        ('[venue]\nkind = "simulated"', "venue", "the [venue] table is now [[venues]]"),
        ('[venues]\nkind = "simulated"', "venues", "write [[venues]], not [venues]"),
        ('[[venues]]\nkind = "ftx"', "venues[0].kind", 'expected "simulated" or "binance", got a string \'ftx\''),
        ("[[venues]]\nspeed = 1", "venues[0].kind", 'missing: say kind = "simulated"'),
        (SIM + "symbols = []", "venues[0].symbols", "expected a non-empty array of symbols"),
        (SIM + 'symbols = "BTCUSDT"', "venues[0].symbols", "expected a non-empty array"),
        (SIM + "symbols = [1]", "venues[0].symbols[0]", "expected a symbol string or a table"),
        (SIM + "speed = 0", "venues[0].speed", "must be > 0"),
        (SIM + 'speed = "fast"', "venues[0].speed", "expected a number"),
        (SIM + 'seed = "1"', "venues[0].seed", "expected an integer"),
        (SIM + "faults = { lag = 1 }", "venues[0].faults.lag", "unknown key; expected one of"),
        (SIM + "balances = { USDT = 10.5 }", "venues[0].balances.USDT", 'quote it ("10.5")'),
        (SIM + 'balances = { USDT = "-1" }', "venues[0].balances.USDT", "must be >= 0"),
        (SIM + 'balances = "lots"', "venues[0].balances", "expected a table"),
        (SIM + "spede = 1", "venues[0].spede", "unknown key (did you mean 'speed'?)"),
        (SIM + 'name = "sim"', "venues[0]", "name 'sim'"),
        (SIM + SIM, "venues[1].name", "'SIM' is already the name of venues[0]"),
        (BIN + 'network = "main"', "venues[0]", "network 'main': expected 'live' or 'testnet'"),
        (BIN + "symbol = 1", "venues[0].symbol", "unknown key (did you mean 'symbols'?)"),
        (BIN + "max_attempts = 2.5", "venues[0]", "max_attempts 2.5 must be an integer"),
        (BIN + 'connect_timeout = "10"', "venues[0]", "connect_timeout '10' must be a number of seconds"),
        (BIN + "backoff = []", "venues[0]", "backoff"),
        (BIN + 'credentials = "file"', "venues[0]", 'expected "env"'),
        ('[risk]\nmax_order_notional = "0"', "risk.max_order_notional", "must be > 0"),
        ('[risk]\nmax_order_notional = "1,000"', "risk.max_order_notional", "not an exact decimal amount"),
        ('[risk]\nmax_order_notional = "1.0000000001"', "risk.max_order_notional", "more than 9 decimal places"),
        ("[risk]\nmax_order_notional = true", "risk.max_order_notional", "expected an exact decimal string"),
        ("[risk]\nmax_position = { BTCUSDT = 0.1 }", "risk.max_position.BTCUSDT", 'quote it ("0.1")'),
        ('[risk]\nmax_position = { BTCUSDT = "-0.1" }', "risk.max_position.BTCUSDT", "must be >= 0"),
        ('[risk]\nmax_position = "0.1"', "risk.max_position", "expected a table"),
        ('[risk]\nlimit = "1"', "risk.limit", "unknown key; expected one of max_order_notional, max_position"),
        ("[engine]\nspin_us = -1", "engine.spin_us", "must be >= 0"),
        ('[engine]\nspin_us = "fast"', "engine.spin_us", "expected a number"),
    ],
)
def test_bad_values_name_their_key_path(text: str, path: str, words: str) -> None:
    message = problems(with_strategy(text))
    assert f"  - {path}: " in message or f"  - {path}." in message, message
    assert words in message, message


@pytest.mark.parametrize(
    ("strategy", "path", "words"),
    [
        ('symbols = ["BTCUSDT"]', "strategies[0].name", "missing"),
        ('name = "s"', "strategies[0].symbols", "missing"),
        ('name = ""\nsymbols = ["BTCUSDT"]', "strategies[0].name", "is empty"),
        ('name = "s"\nsymbols = 5', "strategies[0].symbols", "expected an array of symbols"),
        ('name = "s"\nsymbols = ["BTC USDT"]', "strategies[0].symbols[0]", "without spaces"),
        ('name = "s"\nsymbols = [7]', "strategies[0].symbols[0]", "expected a string"),
        ('name = "s"\nsymbols = ["A"]\ninterval = 1', "strategies[0].interval", "expected a kline interval"),
        ('name = "s"\nsymbols = ["A"]\ninterval = "1H"', "strategies[0].interval", "1s 1m 3m"),
        ('name = "s"\nsymbols = ["A"]\nclass = "not a class"', "strategies[0].class", "not a class name"),
        ('name = "s"\nsymbols = ["A"]\nclass = 3', "strategies[0].class", "expected a string"),
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
    assert "(3 problems)" in message


def test_a_single_problem_is_counted_as_one() -> None:
    assert "run.toml: invalid configuration (1 problem):\n  - duration:" in problems(with_strategy("duration = -1"))


# ---- secrets -------------------------------------------------------------------------------

SECRET = "TOPSECRET-9f8e7d"


@pytest.mark.parametrize(
    "text",
    [
        f'{BIN}api_key = "{SECRET}"\napi_secret = 12',
        f'{BIN}api_key = ["{SECRET}"]\napi_secret = "{SECRET}"\nnetwork = "moon"',
        f'{BIN}api_secret = "{SECRET}"',
        f'{BIN}api_key = "{SECRET}"\napi_secret = "{SECRET}"\ntoken = "{SECRET}"',
        f'[[strategies]]\nname = "t"\nsymbols = ["A"]\nparams = {{ token = "{SECRET}" }}\ninterval = "x"',
    ],
)
def test_secret_values_never_appear_in_errors(text: str) -> None:
    message = problems(with_strategy(text))
    assert SECRET not in message, message
    assert SECRET[:8] not in message


def test_secret_from_the_environment_never_appears() -> None:
    text = FULL.replace('network = "testnet"', 'network = "${BINANCE_API_SECRET}"')
    message = problems(text, environ=KEYS)
    assert "venues[1]" in message
    assert KEYS["BINANCE_API_SECRET"] not in message and KEYS["BINANCE_API_KEY"] not in message


def test_repr_and_pickle_of_a_config_never_hold_a_secret() -> None:
    cfg = parse_config(FULL, environ=KEYS)
    text = repr(cfg)
    assert KEYS["BINANCE_API_SECRET"] not in text and KEYS["BINANCE_API_KEY"] not in text
    with pytest.raises(TypeError, match="picklable"):
        pickle.dumps(cfg)
    sim_only = parse_config(MINIMAL, environ={})
    assert pickle.loads(pickle.dumps(sim_only)) == sim_only, "a config without secrets pickles"


def test_the_guide_example_is_a_valid_configuration_with_unused_sections_unset() -> None:
    import re

    guide = Path(__file__).resolve().parents[2] / "docs" / "guide" / "configuration.md"
    block = re.search(r"```toml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)
    assert block, "docs/guide/configuration.md has no toml example"
    cfg = parse_config(block.group(1), source=str(guide), environ={})
    assert cfg.venues[0].kind == "simulated" and cfg.strategies[0].name == "sma"


def test_engine_spin_us_is_read_as_a_float() -> None:
    cfg = parse_config(with_strategy("[engine]\nspin_us = 200\n"), environ={})
    assert cfg.engine.spin_us == 200.0 and isinstance(cfg.engine.spin_us, float)
    assert parse_config(MINIMAL, environ={}).engine.spin_us == 5.0
    assert "engine.spin_us: must be 0..1000000" in problems(with_strategy("[engine]\nspin_us = 2000000\n"))
