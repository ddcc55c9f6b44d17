"""Property tests: Price/Quantity/Money agree with Python's decimal module over the whole
representable range (128-bit mantissa, 9 decimal places), through both the 64-bit fast
paths and the 128/256-bit ones."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeengine import Money, Price, Quantity, Rounding

RAW_MIN, RAW_MAX = -(2**127), 2**127 - 1
SCALE = Decimal("1e-9")
CTX = decimal.Context(prec=100, traps=[decimal.InvalidOperation, decimal.DivisionByZero])

raws = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),  # the common range (64-bit fast paths)
    st.integers(min_value=-(2**80), max_value=2**80),  # PEPE-sized: products past 128 bits
    st.integers(min_value=RAW_MIN, max_value=RAW_MAX),
)
small_raws = st.integers(min_value=-(10**13), max_value=10**13)  # |x| <= 10,000: products stay in range
nonzero_raws = raws.filter(lambda r: r != 0)

ROUNDINGS = {
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
    Rounding.CEILING: decimal.ROUND_CEILING,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
}


def exact(raw: int) -> Decimal:
    return CTX.multiply(Decimal(raw), SCALE)


def in_range(d: Decimal) -> bool:
    return exact(RAW_MIN) <= d <= exact(RAW_MAX)


def to_9dp(d: Decimal, mode: str = decimal.ROUND_HALF_EVEN) -> Decimal:
    return d.quantize(SCALE, rounding=mode, context=CTX)


@settings(max_examples=2000)
@given(raws)
def test_format_then_parse_is_identity_and_matches_decimal(raw: int) -> None:
    p = Price.from_raw(raw)
    assert Decimal(str(p)) == exact(raw)
    assert Price(str(p)) == p
    assert p.as_decimal() == exact(raw)
    # The shortest form: no trailing zeros, no exponent.
    text = str(p)
    assert "e" not in text.lower()
    if "." in text:
        assert not text.endswith("0")


@settings(max_examples=1000)
@given(raws, st.sampled_from(["plain", "sci", "padded", "eng"]))
def test_parse_every_spelling_python_produces(raw: int, spelling: str) -> None:
    d = exact(raw)
    text = {
        "plain": format(d, "f"),
        "sci": format(d, "e"),
        "padded": format(d, ".15f"),
        "eng": d.to_eng_string(),
    }[spelling]
    assert Quantity(text).as_decimal() == d
    assert Quantity(Decimal(text)).as_decimal() == d


@settings(max_examples=1000)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=12, min_value=-(10**30), max_value=10**30))
def test_parse_refuses_exactly_what_does_not_fit(d: Decimal) -> None:
    fits = in_range(d) and to_9dp(d) == d
    if fits:
        assert Money(str(d)).as_decimal() == d
    else:
        with pytest.raises((ValueError, OverflowError)):
            Money(str(d))


@settings(max_examples=1000)
@given(raws, raws)
def test_add_and_sub_are_exact_or_overflow(a: int, b: int) -> None:
    for op, ref in ((lambda x, y: x + y, CTX.add), (lambda x, y: x - y, CTX.subtract)):
        expected = ref(exact(a), exact(b))
        if in_range(expected):
            assert op(Money.from_raw(a), Money.from_raw(b)).as_decimal() == expected
        else:
            with pytest.raises(OverflowError):
                op(Money.from_raw(a), Money.from_raw(b))


@settings(max_examples=1000)
@given(raws, raws)
def test_price_times_quantity_rounds_half_even_to_9_places(a: int, b: int) -> None:
    expected = to_9dp(CTX.multiply(exact(a), exact(b)))
    if in_range(expected):
        assert (Price.from_raw(a) * Quantity.from_raw(b)).as_decimal() == expected
    else:
        with pytest.raises(OverflowError):
            Price.from_raw(a) * Quantity.from_raw(b)


@settings(max_examples=1000)
@given(st.one_of(small_raws, raws), nonzero_raws)
def test_division_rounds_half_even_to_9_places(a: int, b: int) -> None:
    expected = to_9dp(CTX.divide(exact(a), exact(b)))
    if in_range(expected):
        assert (Price.from_raw(a) / Price.from_raw(b)) == expected
    else:
        with pytest.raises(OverflowError):
            Price.from_raw(a) / Price.from_raw(b)


@settings(max_examples=1000)
@given(raws, st.integers(min_value=1, max_value=10**12), st.sampled_from(list(ROUNDINGS)))
def test_round_to_increment_matches_decimal_every_mode(raw: int, inc_raw: int, mode: Rounding) -> None:
    value, inc = exact(raw), exact(inc_raw)
    units = CTX.divide(value, inc).quantize(Decimal(1), rounding=ROUNDINGS[mode], context=CTX)
    expected = CTX.multiply(units, inc)
    if in_range(expected):
        assert Price.from_raw(raw).round_to(Price.from_raw(inc_raw), mode).as_decimal() == expected
    else:
        with pytest.raises(OverflowError):
            Price.from_raw(raw).round_to(Price.from_raw(inc_raw), mode)


@settings(max_examples=500)
@given(raws, raws)
def test_ordering_and_hash_agree_with_decimal(a: int, b: int) -> None:
    pa, pb = Price.from_raw(a), Price.from_raw(b)
    assert (pa < pb) == (exact(a) < exact(b))
    assert (pa == pb) == (a == b)
    if a == b:
        assert hash(pa) == hash(pb)
