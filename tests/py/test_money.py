"""Price, Quantity and Money from Python: exact, immutable, hashable, ordered, typed."""

from __future__ import annotations

import copy
import decimal
import pickle
from decimal import Decimal

import pytest

import tradeengine as te
from tradeengine import Money, Price, Quantity, Rounding


def test_readme_example_prints_exact_sum() -> None:
    assert str(Price("0.1") + Price("0.2")) == "0.3"


def test_equal_values_with_different_trailing_zeros() -> None:
    assert Price("1.10") == Price("1.1")
    assert hash(Price("1.10")) == hash(Price("1.1"))
    assert len({Price("1.10"), Price("1.1"), Price("1.100000000")}) == 1


def test_construction_from_str_int_and_decimal() -> None:
    assert Price(5) == Price("5")
    assert Quantity(Decimal("0.001")) == Quantity("0.001")
    assert Money(Decimal("1E-9")) == Money("0.000000001")
    assert Price(Price("2")) == Price("2")
    assert Price("-0") == Price("0")
    assert str(Price("-0")) == "0"


@pytest.mark.parametrize("bad", ["", " 1", "1 ", "abc", "1.2.3", "1,000", "1_000", "nan", "inf", "0x10", "+"])
def test_malformed_text_is_refused_with_the_input_named(bad: str) -> None:
    with pytest.raises(ValueError, match="Price") as info:
        Price(bad)
    if bad:
        assert repr(bad)[1:-1] in str(info.value)


def test_too_precise_text_is_refused_unless_rounded_explicitly() -> None:
    with pytest.raises(ValueError, match="more than 9 decimal places"):
        Quantity("0.0000000001")
    assert Quantity.from_str("0.0000000015", Rounding.HALF_EVEN) == Quantity("0.000000002")
    assert Quantity.from_str("0.0000000019", Rounding.DOWN) == Quantity("0.000000001")


def test_out_of_range_is_an_overflow_error() -> None:
    with pytest.raises(OverflowError, match="out of range"):
        Money("170141183460469231731687303715.884105728")
    with pytest.raises((OverflowError, ValueError), match="out of range"):
        Money(10**30)
    with pytest.raises(OverflowError, match=r"170141183460469231731687303715 \+ 1"):
        Money("170141183460469231731687303715") + Money("1")


def test_amounts_beyond_the_old_int64_range_are_exact() -> None:
    # PEPE balances, exchangeInfo maxQty and kline volumes above 1e10.
    assert Quantity("92233720368") == Quantity(92233720368)
    assert Money("50000000000.5").as_decimal() == Decimal("50000000000.5")
    assert Quantity(10**20).as_decimal() == Decimal(10**20)
    q, p = Quantity("100000000000"), Price("0.000012345")
    assert p * q == Money("1234500")
    assert Money("1234500") / p == q
    assert int(Quantity("-123456789012345678901.9")) == -123456789012345678901
    big = Quantity("170141183460469231731687303715.884105727")
    assert big.raw == 2**127 - 1
    assert Quantity.from_raw(-(2**127)).as_decimal() == Decimal("-170141183460469231731687303715.884105728")
    with pytest.raises(ValueError, match="out of range"):
        Quantity.from_raw(2**127)
    assert hash(Quantity("92233720368")) == hash(Quantity("92233720368.000"))
    for value in (big, Quantity("-92233720368.000000001"), Money(10**25)):
        restored = pickle.loads(pickle.dumps(value))
        assert restored == value and type(restored) is type(value)


def test_floats_are_refused_implicitly_and_converted_explicitly() -> None:
    with pytest.raises(TypeError, match="floats are inexact"):
        Price(0.1)  # type: ignore[arg-type]
    assert Price.from_float(0.1) == Price("0.1")
    assert float(Price("0.25")) == 0.25
    assert Price("0.25").to_float() == 0.25
    with pytest.raises(ValueError):
        Price.from_float(float("nan"))
    with pytest.raises(TypeError):
        Price(True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Price([1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        Price(Decimal("NaN"))


def test_conversions() -> None:
    p = Price("1234.5678")
    assert p.as_decimal() == Decimal("1234.5678")
    assert isinstance(p.as_decimal(), Decimal)
    assert str(p) == "1234.5678"
    assert repr(p) == "Price('1234.5678')"
    assert eval(repr(p), {"Price": Price}) == p
    assert f"{p}" == "1234.5678"
    assert f"{p:.2f}" == "1234.57"
    assert p.to_string_fixed(6) == "1234.567800"
    assert int(Price("-2.7")) == -2
    assert p.raw == 1234567800000
    assert Price.from_raw(1) == Price("0.000000001")
    assert p.decimal_places == 4
    assert bool(Price("0")) is False


def test_immutable_copy_and_pickle() -> None:
    p = Price("1.5")
    with pytest.raises(AttributeError):
        p.raw = 5  # type: ignore[misc]
    assert copy.copy(p) == p and copy.deepcopy(p) == p
    for value in (Price("-12.000000001"), Quantity("9223372036.854775807"), Money("0")):
        restored = pickle.loads(pickle.dumps(value))
        assert restored == value and type(restored) is type(value)


def test_mixed_type_arithmetic_rules() -> None:
    p, q, m = Price("2.5"), Quantity("4"), Money("10")
    assert p - Price("0.5") == Price("2")
    assert p * q == m and isinstance(p * q, Money)
    assert q * p == m
    assert m / p == q and isinstance(m / p, Quantity)
    assert m / q == p and isinstance(m / q, Price)
    assert p * 2 == Price("5") and 2 * p == Price("5")
    assert p * Decimal("0.5") == Price("1.25")
    assert p / 2 == Price("1.25")
    assert p / Price("0.5") == Decimal("5")
    assert -p == Price("-2.5") and abs(Price("-1")) == Price("1") and +p == p
    assert sum([m, m, m]) == Money("30")
    with pytest.raises(TypeError):
        p + q  # type: ignore[operator]
    with pytest.raises(TypeError):
        p * p  # type: ignore[operator]
    with pytest.raises(TypeError):
        p + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        p * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        q / p  # type: ignore[operator]
    with pytest.raises(ZeroDivisionError):
        p / 0
    with pytest.raises(ZeroDivisionError):
        m / Price("0")


def test_ordering_within_a_type_only() -> None:
    assert Price("1") < Price("1.000000001") <= Price("2") and Price("3") > Price("-3")
    assert sorted([Price("2"), Price("-1"), Price("0.5")]) == [Price("-1"), Price("0.5"), Price("2")]
    assert Price("1") != Quantity("1")
    assert Price("1") != 1
    with pytest.raises(TypeError):
        Price("1") < Quantity("2")  # type: ignore[operator]


def test_rounding_to_tick_and_step() -> None:
    tick = Price("0.05")
    assert Price("1.12").round_to(tick) == Price("1.1")
    assert Price("1.13").round_to(tick, Rounding.HALF_EVEN) == Price("1.15")
    assert Price("1.12").round_to(tick, Rounding.UP) == Price("1.15")
    assert Price("-1.12").round_to(tick, Rounding.FLOOR) == Price("-1.15")
    assert Price("1.15").is_multiple_of(tick)
    with pytest.raises(ValueError, match="positive"):
        Price("1").round_to(Price("0"))
    with pytest.raises(TypeError):
        Price("1").round_to(Quantity("0.1"))  # type: ignore[arg-type]


def test_rounding_enum_is_a_python_enum() -> None:
    import enum

    assert issubclass(Rounding, enum.Enum)
    assert {r.name for r in Rounding} == {"DOWN", "UP", "FLOOR", "CEILING", "HALF_EVEN", "HALF_UP"}
    assert te.Rounding.HALF_EVEN is Rounding.HALF_EVEN
