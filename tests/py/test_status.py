"""Terminal output of the runner (tradeengine.status): a status line rewritten in place only
on a terminal, throttled and cut to the width, and the status and summary formats."""

from __future__ import annotations

import io
import os
from decimal import Decimal

import pytest

import tradeengine as te
from tradeengine.status import StatusLine, format_status, format_summary

CLR = "\x1b[K"


class FakeTty(io.StringIO):
    """A StringIO that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(autouse=True)
def width(monkeypatch: pytest.MonkeyPatch) -> None:
    # shutil.get_terminal_size reads COLUMNS first.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")


# ---- StatusLine ----------------------------------------------------------------------------


def test_nothing_is_written_when_not_a_terminal() -> None:
    out = io.StringIO()
    line = StatusLine(out, interval=0)
    assert not line.enabled
    assert line.update("hello") is False
    line.update("again", force=True)
    line.clear()
    line.close()
    assert out.getvalue() == ""


def test_enabled_false_silences_even_a_terminal() -> None:
    out = FakeTty()
    line = StatusLine(out, enabled=False)
    line.update("x", force=True)
    line.close()
    assert out.getvalue() == ""


def test_enabled_true_writes_to_a_plain_stream() -> None:
    out = io.StringIO()
    StatusLine(out, enabled=True).update("x")
    assert out.getvalue() == "\rx" + CLR


def test_defaults_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    line = StatusLine()
    assert not line.enabled  # pytest's captured stderr is not a terminal
    line.update("quiet")
    assert capsys.readouterr().err == ""


def test_a_stream_without_isatty_is_not_a_terminal() -> None:
    class Bare:
        def write(self, s: str) -> None:
            raise AssertionError("must not write")

        def flush(self) -> None:
            pass

    StatusLine(Bare()).update("x")  # type: ignore[arg-type]


def test_rewrites_one_line_in_place_on_a_terminal() -> None:
    out = FakeTty()
    line = StatusLine(out, interval=0)
    assert line.enabled
    assert line.update("first") is True
    assert line.update("second") is True
    line.close()
    assert out.getvalue() == "\rfirst" + CLR + "\rsecond" + CLR + "\n"
    assert "\n" not in out.getvalue()[:-1]


def test_updates_are_throttled_to_the_interval() -> None:
    out, clock = FakeTty(), Clock()
    line = StatusLine(out, interval=1.0, clock=clock)
    assert line.update("a") is True
    clock.t += 0.5
    assert line.update("b") is False
    clock.t += 0.4
    assert line.update("c") is False
    assert out.getvalue() == "\ra" + CLR
    clock.t += 0.1  # a full second since "a"
    assert line.update("d") is True
    assert out.getvalue() == "\ra" + CLR + "\rd" + CLR


def test_force_writes_at_once_and_restarts_the_interval() -> None:
    out, clock = FakeTty(), Clock()
    line = StatusLine(out, interval=1.0, clock=clock)
    line.update("a")
    clock.t += 0.1
    assert line.update("b", force=True) is True
    clock.t += 0.95
    assert line.update("c") is False  # 0.95 s after the forced write
    assert out.getvalue().endswith("\rb" + CLR)


def test_close_writes_the_newest_throttled_text_then_ends_the_line() -> None:
    out, clock = FakeTty(), Clock()
    line = StatusLine(out, interval=10.0, clock=clock)
    line.update("a")
    line.update("latest")
    line.close()
    assert out.getvalue() == "\ra" + CLR + "\rlatest" + CLR + "\n"
    line.close()  # idempotent
    assert out.getvalue().count("\n") == 1
    line.update("next line")  # starts afresh, not throttled
    assert out.getvalue().endswith("\n\rnext line" + CLR)


def test_close_without_any_update_writes_nothing() -> None:
    out = FakeTty()
    StatusLine(out).close()
    assert out.getvalue() == ""


def test_clear_erases_the_line() -> None:
    out = FakeTty()
    line = StatusLine(out, interval=0)
    line.update("status")
    line.clear()
    assert out.getvalue() == "\rstatus" + CLR + "\r" + CLR
    line.clear()  # nothing shown: nothing written
    line.close()  # nothing shown: no newline
    assert out.getvalue() == "\rstatus" + CLR + "\r" + CLR


def test_context_manager_closes() -> None:
    out = FakeTty()
    with StatusLine(out) as line:
        line.update("x")
    assert out.getvalue() == "\rx" + CLR + "\n"


def test_text_is_cut_to_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    out = FakeTty()
    line = StatusLine(out, interval=0)
    line.update("x" * 50)
    written = out.getvalue()
    body = written[1 : -len(CLR)]
    assert written.startswith("\r") and written.endswith(CLR)
    assert len(body) == 19  # one column spare so the terminal never wraps
    assert body.endswith(".") or body.endswith("…")
    out.truncate(0), out.seek(0)
    line.update("y" * 19)
    assert out.getvalue() == "\r" + "y" * 19 + CLR


def test_truncation_marker_depends_on_the_stream_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "10")

    class Utf8Tty(FakeTty):
        encoding = "utf-8"  # type: ignore[assignment]

    class AsciiTty(FakeTty):
        encoding = "ascii"  # type: ignore[assignment]

    utf8, ascii_ = Utf8Tty(), AsciiTty()
    StatusLine(utf8).update("abcdefghijklmnop")
    StatusLine(ascii_).update("abcdefghijklmnop")
    assert utf8.getvalue() == "\rabcdefgh…" + CLR
    assert ascii_.getvalue() == "\rabcdef..." + CLR


def test_newlines_in_the_text_are_flattened() -> None:
    out = FakeTty()
    StatusLine(out).update("a\nb")
    assert out.getvalue() == "\ra b" + CLR


def test_a_failing_stream_switches_the_line_off() -> None:
    out = FakeTty()
    line = StatusLine(out, interval=0)
    out.close()
    assert line.update("x") is False
    assert not line.enabled
    line.close()


def test_width_comes_from_the_terminal_when_columns_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(
        "shutil.get_terminal_size", lambda fallback=(80, 24): os.terminal_size((12, 5))
    )
    out = FakeTty()
    StatusLine(out).update("z" * 40)
    assert len(out.getvalue()) == 1 + 11 + len(CLR)


# ---- format_status -------------------------------------------------------------------------


def test_format_status_full_line() -> None:
    figures = {
        "prices": {"BTCUSDT": te.Price("50012.31"), "ETHUSDT": "3010.2"},
        "positions": {"BTCUSDT": te.Quantity("0.003"), "ETHUSDT": 0},
        "pnl": Decimal("12.34"),
        "quote": "USDT",
        "open_orders": 3,
        "filled_orders": 17,
        "events_per_s": 1234.5,
    }
    assert format_status(figures) == (
        "BTCUSDT 50012.31 pos 0.003 | ETHUSDT 3010.2 pos 0 | PnL +12.34 USDT"
        " | orders 3 open, 17 filled | 1.2k ev/s"
    )


def test_format_status_leaves_missing_keys_out() -> None:
    assert format_status({}) == ""
    assert format_status({"prices": {"BTCUSDT": "1.5"}}) == "BTCUSDT 1.5"
    assert format_status({"positions": {"ETHUSDT": "-0.2"}}) == "ETHUSDT pos -0.2"
    assert format_status({"pnl": "5"}) == "PnL +5"
    assert format_status({"open_orders": 2}) == "orders 2 open"
    assert format_status({"filled_orders": 9}) == "orders 9 filled"
    assert format_status({"events_per_s": 12.0}) == "12 ev/s"
    assert (
        format_status({"prices": {"A": "1"}, "positions": {"B": "2"}, "events_per_s": 0})
        == "A 1 | B pos 2 | 0 ev/s"
    )


def test_format_status_pnl_sign_and_exact_digits() -> None:
    assert format_status({"pnl": Decimal("-3.10"), "quote": "USDT"}) == "PnL -3.10 USDT"
    assert format_status({"pnl": "0.00"}) == "PnL 0.00"
    assert format_status({"pnl": "+1"}) == "PnL +1"
    assert format_status({"pnl": te.Money("0.000000001")}) == "PnL +0.000000001"
    assert format_status({"pnl": Decimal("12345678.123456789")}) == "PnL +12345678.123456789"


@pytest.mark.parametrize(
    ("rate", "text"),
    [(0, "0"), (0.5, "0.5"), (9.94, "9.9"), (10, "10"), (999, "999"), (1000, "1.0k"),
     (1234.5, "1.2k"), (56_789, "56.8k"), (999_949, "999.9k"), (2_500_000, "2.5M")],
)
def test_format_status_event_rates(rate: float, text: str) -> None:
    assert format_status({"events_per_s": rate}) == f"{text} ev/s"


# ---- format_summary ------------------------------------------------------------------------


def test_format_summary_aligned_table() -> None:
    text = format_summary(
        {
            "duration_s": 75.0,
            "orders_submitted": 20,
            "orders_filled": 17,
            "orders_canceled": 2,
            "orders_rejected": 1,
            "fills": 1234,
            "realized_pnl": Decimal("12.340"),
            "unrealized_pnl": "-1.2",
            "fees": {"USDT": "0.12", "BNB": Decimal("0.0001")},
            "events_dropped": 0,
            "latency_p50_us": 35.2,
            "latency_p99_us": 210,
            "positions": {"BTCUSDT": te.Quantity("0.003"), "ETHUSDT": "0"},
            "balances": {"USDT": "9987.66", "BTC": "0.503"},
        }
    )
    assert text.splitlines() == [
        "duration          75.0 s (1m 15s)",
        "orders submitted  20",
        "orders filled     17",
        "orders canceled   2",
        "orders rejected   1",
        "fills             1,234",
        "realized PnL      12.340",
        "unrealized PnL    -1.2",
        "fees              USDT  0.12",
        "                  BNB   0.0001",
        "events dropped    0",
        "latency p50       35 us",
        "latency p99       210 us",
        "positions         BTCUSDT  0.003",
        "                  ETHUSDT  0",
        "balances          USDT  9987.66",
        "                  BTC   0.503",
    ]


def test_format_summary_leaves_missing_keys_out_and_keeps_money_exact() -> None:
    assert format_summary({}) == ""
    text = format_summary({"realized_pnl": Decimal("0.100000000"), "fills": 3})
    assert text.splitlines() == ["fills         3", "realized PnL  0.100000000"]
    assert format_summary({"fees": {}}) == "fees  none"
    assert format_summary({"latency_p99_us": 25_000}) == "latency p99  25.0 ms"
    assert format_summary({"duration_s": 3725}) == "duration  3725.0 s (1h 02m 05s)"
    assert format_summary({"latency_p50_us": 2.25}) == "latency p50  2.2 us"
