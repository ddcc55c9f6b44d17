#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "core/decimal.hpp"
#include "core/errors.hpp"

using te::Decimal;
using te::ParseStatus;
using te::Rounding;

namespace {

Decimal d(const char* s) { return Decimal::parse(s); }
te::Int128 raw(const char* s) { return Decimal::parse(s).raw(); }
constexpr te::Int128 kMax = te::kInt128Max;
constexpr te::Int128 kMin = te::kInt128Min;
ParseStatus status(std::string_view s) {
    Decimal out;
    return Decimal::try_parse(s, out);
}

}  // namespace

TEST(DecimalParse, PlainForms) {
    EXPECT_EQ(raw("0"), 0);
    EXPECT_EQ(raw("1"), 1'000'000'000);
    EXPECT_EQ(raw("1.5"), 1'500'000'000);
    EXPECT_EQ(raw("-1.5"), -1'500'000'000);
    EXPECT_EQ(raw("+2.25"), 2'250'000'000);
    EXPECT_EQ(raw("0.000000001"), 1);
    EXPECT_EQ(raw("123456.789012345"), 123'456'789'012'345);
}

TEST(DecimalParse, LeadingAndTrailingZerosAreAccepted) {
    EXPECT_EQ(raw("007.50"), 7'500'000'000);
    EXPECT_EQ(raw("1.10"), raw("1.1"));
    EXPECT_EQ(raw("0.01000000"), 10'000'000);
    // More than 9 decimals is fine when the extra ones are zeros: nothing is lost.
    EXPECT_EQ(raw("1.000000000000000000000"), 1'000'000'000);
    EXPECT_EQ(raw("0.1000000000"), 100'000'000);
}

TEST(DecimalParse, NegativeZeroIsZero) {
    EXPECT_EQ(raw("-0"), 0);
    EXPECT_EQ(raw("-0.000"), 0);
    EXPECT_EQ(d("-0").to_string(), "0");
}

TEST(DecimalParse, PointWithoutDigitsOnOneSide) {
    EXPECT_EQ(raw(".5"), 500'000'000);
    EXPECT_EQ(raw("-.5"), -500'000'000);
    EXPECT_EQ(raw("5."), 5'000'000'000);
}

TEST(DecimalParse, ExponentNotation) {
    EXPECT_EQ(raw("1e-9"), 1);
    EXPECT_EQ(raw("1E-8"), 10);
    EXPECT_EQ(raw("1.5e2"), 150'000'000'000);
    EXPECT_EQ(raw("1.5E+2"), 150'000'000'000);
    EXPECT_EQ(raw("-2.5e-3"), -2'500'000);
    EXPECT_EQ(raw("0e999999999"), 0);
    EXPECT_EQ(raw("12345e-4"), 1'234'500'000);
}

TEST(DecimalParse, MaxAndMin) {
    EXPECT_EQ(raw("170141183460469231731687303715.884105727"), kMax);
    EXPECT_EQ(raw("-170141183460469231731687303715.884105728"), kMin);
    EXPECT_EQ(status("170141183460469231731687303715.884105728"), ParseStatus::Overflow);
    EXPECT_EQ(status("-170141183460469231731687303715.884105729"), ParseStatus::Overflow);
    EXPECT_EQ(status("1000000000000000000000000000000"), ParseStatus::Overflow);
    EXPECT_EQ(status("1e30"), ParseStatus::Overflow);
    EXPECT_EQ(status("1.7e29"), ParseStatus::Ok);
    EXPECT_EQ(status("1.702e29"), ParseStatus::Overflow);
    EXPECT_EQ(status("1e999999999"), ParseStatus::Overflow);
    EXPECT_EQ(status("99999999999999999999999999999999999999999"), ParseStatus::Overflow);
}

TEST(DecimalParse, FastAndGeneralPathsMeetAtTheEdges) {
    // Values the 64-bit fast path declines must still be decided exactly by the general path.
    EXPECT_EQ(raw("9223372035.999999999"), 9'223'372'035'999'999'999);
    EXPECT_EQ(raw("9223372036.000000000"), 9'223'372'036'000'000'000);
    EXPECT_EQ(raw("-9223372036.854775808"), std::numeric_limits<std::int64_t>::min());
    // The 64-bit fast path ends at 18446744073 and 19 integer digits; the 128-bit one beyond.
    EXPECT_EQ(raw("18446744072.999999999"), static_cast<te::Int128>(18'446'744'072'999'999'999ULL));
    EXPECT_EQ(raw("18446744073.5"), static_cast<te::Int128>(18'446'744'073) * 1'000'000'000 + 500'000'000);
    EXPECT_EQ(raw("9999999999999999999.999999999"), static_cast<te::Int128>(9'999'999'999'999'999'999ULL) * 1'000'000'000 + 999'999'999);
    EXPECT_EQ(raw("-10000000000000000000"), -static_cast<te::Int128>(10'000'000'000'000'000'000ULL) * 1'000'000'000);
    EXPECT_EQ(raw("0000000000001.5"), 1'500'000'000);
    EXPECT_EQ(raw("1.1234567890"), 1'123'456'789);
    EXPECT_EQ(status("1.12345678901"), ParseStatus::TooPrecise);
    EXPECT_EQ(status("999999999999999999999999999999.5"), ParseStatus::Overflow);
    EXPECT_EQ(status("1.5-"), ParseStatus::Syntax);
    EXPECT_EQ(status("-"), ParseStatus::Syntax);
    EXPECT_EQ(status("-."), ParseStatus::Syntax);
}

TEST(DecimalParse, NineDecimalsAcceptedTenRefused) {
    EXPECT_EQ(status("0.123456789"), ParseStatus::Ok);
    EXPECT_EQ(status("0.1234567891"), ParseStatus::TooPrecise);
    EXPECT_EQ(status("1e-10"), ParseStatus::TooPrecise);
    EXPECT_EQ(status("0.0000000001"), ParseStatus::TooPrecise);
}

TEST(DecimalParse, GarbageIsRefused) {
    EXPECT_EQ(status(""), ParseStatus::Empty);
    for (const char* bad : {" 1", "1 ", " ", "\t1", "+", "-", ".", "-.", "1.2.3", "1,000", "1_000", "0x10", "nan",
                            "NaN", "inf", "-Infinity", "1e", "1e+", "e5", "--1", "+-1", "1-", "abc", "1.5x", "١"}) {
        EXPECT_EQ(status(bad), ParseStatus::Syntax) << "'" << bad << "'";
    }
}

TEST(DecimalParse, ErrorMessagesNameTheInput) {
    try {
        Decimal::parse("12a", "Price");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Price '12a'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("expected"), std::string::npos) << e.what();
    }
    try {
        Decimal::parse("0.0000000001", "Quantity");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("more than 9 decimal places"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Decimal::parse("1e30"), std::overflow_error);
    try {
        Decimal::parse("1e30", "Quantity");
        FAIL();
    } catch (const std::overflow_error& e) {
        EXPECT_NE(std::string(e.what()).find("Quantity '1e30' is out of range"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("170141183460469231731687303715.884105727"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Decimal::parse(""), std::invalid_argument);
}

TEST(DecimalParse, ExplicitRoundingOfExtraDecimals) {
    EXPECT_EQ(Decimal::parse("0.0000000015", Rounding::HalfEven).raw(), 2);
    EXPECT_EQ(Decimal::parse("0.0000000025", Rounding::HalfEven).raw(), 2);
    EXPECT_EQ(Decimal::parse("0.00000000250001", Rounding::HalfEven).raw(), 3);
    EXPECT_EQ(Decimal::parse("0.0000000019", Rounding::Down).raw(), 1);
    EXPECT_EQ(Decimal::parse("0.0000000011", Rounding::Up).raw(), 2);
    EXPECT_EQ(Decimal::parse("-0.0000000011", Rounding::Floor).raw(), -2);
    EXPECT_EQ(Decimal::parse("-0.0000000019", Rounding::Ceiling).raw(), -1);
    EXPECT_EQ(Decimal::parse("0.00000000000001", Rounding::Up).raw(), 1);
    EXPECT_EQ(Decimal::parse("0.00000000000001", Rounding::HalfUp).raw(), 0);
    EXPECT_EQ(Decimal::parse("0.0000000005", Rounding::HalfUp).raw(), 1);
    EXPECT_EQ(Decimal::parse("0.0000000005", Rounding::HalfEven).raw(), 0);
    EXPECT_EQ(Decimal::parse("1e-30", Rounding::Ceiling).raw(), 1);
}

TEST(DecimalFormat, ShortestExactForm) {
    EXPECT_EQ(d("0").to_string(), "0");
    EXPECT_EQ(d("1.10").to_string(), "1.1");
    EXPECT_EQ(d("-0.5").to_string(), "-0.5");
    EXPECT_EQ(d("100").to_string(), "100");
    EXPECT_EQ(d("0.000000001").to_string(), "0.000000001");
    EXPECT_EQ(Decimal::max().to_string(), "170141183460469231731687303715.884105727");
    EXPECT_EQ(Decimal::min().to_string(), "-170141183460469231731687303715.884105728");
    EXPECT_EQ(d("92233720368").to_string(), "92233720368");
    EXPECT_EQ(d("18446744073.709551616").to_string(), "18446744073.709551616");
    EXPECT_EQ(d("-12345678901234567890123.000000001").to_string(), "-12345678901234567890123.000000001");
    char buf[Decimal::kMaxTextLength];
    EXPECT_EQ(Decimal::min().format_to(buf), 41u);
}

TEST(DecimalFormat, FixedPlaces) {
    EXPECT_EQ(d("1.5").to_string_fixed(8), "1.50000000");
    EXPECT_EQ(d("100").to_string_fixed(2), "100.00");
    EXPECT_EQ(d("100").to_string_fixed(0), "100");
    EXPECT_EQ(d("-0.01").to_string_fixed(2), "-0.01");
    EXPECT_THROW(d("1.234").to_string_fixed(2), std::invalid_argument);
    EXPECT_THROW(d("1").to_string_fixed(10), std::invalid_argument);
}

TEST(DecimalFormat, RoundTripsThroughText) {
    for (const char* s : {"0", "1", "-1", "0.1", "123.456", "-9223372036.854775808", "9223372036.854775807",
                          "0.000000001", "42.000000042", "92233720368", "170141183460469231731687303715.884105727",
                          "-170141183460469231731687303715.884105728", "100000000000000000000.5",
                          "18446744073709551616", "-18446744073.709551616"})
        EXPECT_EQ(d(s), Decimal::parse(d(s).to_string())) << s;
}

TEST(DecimalArithmetic, AddSubExact) {
    EXPECT_EQ(d("0.1") + d("0.2"), d("0.3"));
    EXPECT_EQ(d("1") - d("1.000000001"), d("-0.000000001"));
    EXPECT_THROW(Decimal::max() + d("0.000000001"), std::overflow_error);
    EXPECT_THROW(Decimal::min() - d("0.000000001"), std::overflow_error);
    EXPECT_THROW(-Decimal::min(), std::overflow_error);
    EXPECT_EQ(Decimal::min() + Decimal::max(), d("-0.000000001"));
}

TEST(DecimalArithmetic, MultiplyRoundsHalfEvenToNinePlaces) {
    EXPECT_EQ(d("1.5") * d("2"), d("3"));
    EXPECT_EQ(d("30000.12") * d("0.00012345"), d("3.703514814"));
    EXPECT_EQ(d("0.000000001") * d("0.5"), d("0"));           // 0.0000000005 -> even (0)
    EXPECT_EQ(d("0.000000003") * d("0.5"), d("0.000000002"));  // 0.0000000015 -> 0.000000002
    EXPECT_EQ(d("0.000000001").mul(d("0.5"), Rounding::Up), d("0.000000001"));
    EXPECT_EQ(d("-0.000000001").mul(d("0.5"), Rounding::Floor), d("-0.000000001"));
    EXPECT_EQ(d("100000") * d("100000"), d("10000000000"));  // beyond the old int64 range
    EXPECT_THROW(d("1000000000000000") * d("1000000000000000"), std::overflow_error);
}

TEST(DecimalArithmetic, Divide) {
    EXPECT_EQ(d("1") / d("4"), d("0.25"));
    EXPECT_EQ(d("1") / d("3"), d("0.333333333"));
    EXPECT_EQ(d("2") / d("3"), d("0.666666667"));
    EXPECT_EQ(d("-2") / d("3"), d("-0.666666667"));
    EXPECT_EQ(d("2").div(d("3"), Rounding::Down), d("0.666666666"));
    EXPECT_EQ(d("1").div(d("-3"), Rounding::Floor), d("-0.333333334"));
    EXPECT_THROW(d("1") / d("0"), te::DivisionByZero);
    EXPECT_EQ(d("1000000000") / d("0.01"), d("100000000000"));
    EXPECT_THROW(d("1000000000000000000000000000") / d("0.001"), std::overflow_error);
}

TEST(DecimalRounding, ToIncrementEveryMode) {
    const Decimal tick = d("0.05");
    struct Case {
        const char* value;
        Rounding mode;
        const char* expected;
    };
    const Case cases[] = {
        {"1.12", Rounding::Down, "1.1"},      {"1.12", Rounding::Up, "1.15"},     {"1.12", Rounding::Floor, "1.1"},
        {"1.12", Rounding::Ceiling, "1.15"},  {"1.12", Rounding::HalfEven, "1.1"}, {"1.13", Rounding::HalfEven, "1.15"},
        {"1.125", Rounding::HalfEven, "1.1"}, {"1.175", Rounding::HalfEven, "1.2"}, {"1.125", Rounding::HalfUp, "1.15"},
        {"-1.12", Rounding::Down, "-1.1"},    {"-1.12", Rounding::Up, "-1.15"},   {"-1.12", Rounding::Floor, "-1.15"},
        {"-1.12", Rounding::Ceiling, "-1.1"}, {"-1.125", Rounding::HalfEven, "-1.1"}, {"-1.125", Rounding::HalfUp, "-1.15"},
        {"1.15", Rounding::Up, "1.15"},       {"0", Rounding::Up, "0"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(d(c.value).round_to_increment(tick, c.mode), d(c.expected))
            << c.value << " " << te::to_string(c.mode);
    EXPECT_THROW(d("1").round_to_increment(d("0"), Rounding::Down), std::invalid_argument);
    EXPECT_THROW(d("1").round_to_increment(d("-0.1"), Rounding::Down), std::invalid_argument);
    EXPECT_THROW(Decimal::max().round_to_increment(d("1"), Rounding::Up), std::overflow_error);
}

TEST(DecimalRounding, ToPlaces) {
    EXPECT_EQ(d("2.345").round_to_places(2, Rounding::HalfEven), d("2.34"));
    EXPECT_EQ(d("2.355").round_to_places(2, Rounding::HalfEven), d("2.36"));
    EXPECT_EQ(d("2.5").round_to_places(0, Rounding::HalfEven), d("2"));
    EXPECT_EQ(d("3.5").round_to_places(0, Rounding::HalfEven), d("4"));
    EXPECT_THROW(d("1").round_to_places(10, Rounding::Down), std::invalid_argument);
}

TEST(DecimalRounding, ModeNames) {
    EXPECT_EQ(te::rounding_from_string("half_even"), Rounding::HalfEven);
    EXPECT_EQ(te::to_string(Rounding::Ceiling), "ceiling");
    EXPECT_THROW(te::rounding_from_string("nearest"), std::invalid_argument);
}

TEST(DecimalMisc, DecimalPlacesAndMultiples) {
    EXPECT_EQ(d("1").decimal_places(), 0);
    EXPECT_EQ(d("1.10").decimal_places(), 1);
    EXPECT_EQ(d("0.000000001").decimal_places(), 9);
    EXPECT_TRUE(d("0.15").is_multiple_of(d("0.05")));
    EXPECT_FALSE(d("0.151").is_multiple_of(d("0.05")));
    EXPECT_THROW(d("1").is_multiple_of(d("0")), std::invalid_argument);
    EXPECT_DOUBLE_EQ(d("0.1").to_double(), 0.1);
    EXPECT_DOUBLE_EQ(d("-12345.678").to_double(), -12345.678);
    EXPECT_EQ(Decimal::from_int(42), d("42"));
    EXPECT_EQ(Decimal::from_int(10'000'000'000), d("10000000000"));
    EXPECT_EQ(Decimal::from_int(INT64_MIN).to_string(), "-9223372036854775808");
    EXPECT_LT(d("-1"), d("0.5"));
}

// Products and quotients past 128 bits go through the 256-bit path; the expected values are
// from Python's decimal module at 60 digits, rounded half-even to 9 places.
TEST(DecimalWide, MultiplyBeyond128BitIntermediates) {
    // PEPE-sized notionals: 5e10 at 0.00001234 and 1e11 at 0.000012345678.
    EXPECT_EQ(d("50000000000") * d("0.00001234"), d("617000"));
    EXPECT_EQ(d("100000000000") * d("0.000012345"), d("1234500"));
    EXPECT_EQ(d("123456789012345.123456789") * d("9876543210.987654321"),
              d("1219326311370212466378589.109878066"));
    EXPECT_EQ(d("-123456789012345.123456789") * d("9876543210.987654321"),
              d("-1219326311370212466378589.109878066"));
    // Exactly half a unit at the ninth place, in the wide path: half-even, half-up, floor.
    const Decimal big = d("100000000000000000000");  // 1e20: raw 1e29 > 2^64
    EXPECT_EQ(big * d("0.000000001"), d("100000000000"));
    EXPECT_EQ(d("10000000000000000000.000000001") * d("0.5"), d("5000000000000000000"));
    EXPECT_EQ(d("10000000000000000000.000000003") * d("0.5"), d("5000000000000000000.000000002"));
    EXPECT_EQ(d("10000000000000000000.000000001").mul(d("0.5"), Rounding::HalfUp), d("5000000000000000000.000000001"));
    EXPECT_EQ(d("-10000000000000000000.000000001").mul(d("0.5"), Rounding::Floor), d("-5000000000000000000.000000001"));
    EXPECT_EQ(d("-10000000000000000000.000000001").mul(d("0.5"), Rounding::Ceiling), d("-5000000000000000000"));
    EXPECT_EQ(Decimal::max() * d("1"), Decimal::max());
    EXPECT_EQ(Decimal::min() * d("1"), Decimal::min());
    EXPECT_THROW(Decimal::min() * d("-1"), std::overflow_error);
}

TEST(DecimalWide, DivideBeyond128BitIntermediates) {
    EXPECT_EQ(d("617000") / d("0.00001234"), d("50000000000"));
    EXPECT_EQ(d("1000000000000000000000") / d("3"), d("333333333333333333333.333333333"));
    EXPECT_EQ(d("2000000000000000000000") / d("3"), d("666666666666666666666.666666667"));
    EXPECT_EQ(d("-2000000000000000000000") / d("3"), d("-666666666666666666666.666666667"));
    EXPECT_EQ(d("2000000000000000000000").div(d("-3"), Rounding::Down), d("-666666666666666666666.666666666"));
    EXPECT_EQ(d("1000000000000000000000").div(d("-3"), Rounding::Floor), d("-333333333333333333333.333333334"));
    EXPECT_EQ(Decimal::max() / d("1"), Decimal::max());
    EXPECT_EQ(Decimal::min() / d("1"), Decimal::min());
    EXPECT_EQ(Decimal::max() / Decimal::max(), d("1"));
    EXPECT_EQ(Decimal::min() / Decimal::min(), d("1"));
    EXPECT_EQ(d("1") / Decimal::min(), d("0"));
    EXPECT_THROW(Decimal::min() / d("-1"), std::overflow_error);
    EXPECT_THROW(d("1") / Decimal::from_raw(0), te::DivisionByZero);
}

TEST(DecimalWide, RoundingNearTheLimits) {
    EXPECT_EQ(Decimal::max().round_to_increment(d("0.000000001"), Rounding::Up), Decimal::max());
    EXPECT_EQ(Decimal::min().round_to_increment(d("1"), Rounding::Down), d("-170141183460469231731687303715"));
    EXPECT_THROW(Decimal::min().round_to_increment(d("1"), Rounding::Floor), std::overflow_error);
    EXPECT_EQ(d("92233720368.123456789").round_to_increment(d("0.01"), Rounding::HalfEven), d("92233720368.12"));
    EXPECT_TRUE(d("92233720368").is_multiple_of(d("1")));
    EXPECT_EQ(d("92233720368.5").round_to_places(0, Rounding::HalfEven), d("92233720368"));
    EXPECT_EQ(te::round_div(te::kInt128Max, te::kInt128Max - 1, Rounding::HalfEven), 1);
    EXPECT_EQ(te::round_div(te::kInt128Min, te::kInt128Max, Rounding::Floor), -2);
}

TEST(DecimalWide, ParseWithRoundingAtTheLimit) {
    EXPECT_EQ(Decimal::parse("170141183460469231731687303715.8841057274", Rounding::HalfEven), Decimal::max());
    EXPECT_THROW(Decimal::parse("170141183460469231731687303715.8841057275", Rounding::Up), std::overflow_error);
    EXPECT_EQ(Decimal::parse("-170141183460469231731687303715.8841057280001", Rounding::Ceiling), Decimal::min());
    EXPECT_EQ(Decimal::parse("50000000000.0000000005", Rounding::HalfUp), d("50000000000.000000001"));
}

TEST(DecimalWide, OverflowErrorsNameTheOperationAndOperands) {
    auto message = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const std::overflow_error& e) {
            return e.what();
        }
        return "no overflow";
    };
    const std::string add = message([] { return Decimal::max() + d("1"); });
    EXPECT_NE(add.find("170141183460469231731687303715.884105727 + 1"), std::string::npos) << add;
    const std::string mul = message([] { return d("1e20") * d("1e10"); });
    EXPECT_NE(mul.find("100000000000000000000 * 10000000000"), std::string::npos) << mul;
    EXPECT_NE(mul.find("exceeds the range"), std::string::npos) << mul;
    const std::string div = message([] { return d("1e27") / d("0.0001"); });
    EXPECT_NE(div.find("1000000000000000000000000000 / 0.0001"), std::string::npos) << div;
    const std::string neg = message([] { return -Decimal::min(); });
    EXPECT_NE(neg.find("-(-170141183460469231731687303715.884105728)"), std::string::npos) << neg;
}

TEST(DecimalWide, Int128Text) {
    EXPECT_EQ(te::int128_to_string(te::kInt128Min), "-170141183460469231731687303715884105728");
    EXPECT_EQ(te::int128_to_string(0), "0");
    te::Int128 v = 0;
    EXPECT_TRUE(te::int128_from_string("170141183460469231731687303715884105727", v));
    EXPECT_EQ(v, te::kInt128Max);
    EXPECT_TRUE(te::int128_from_string("-170141183460469231731687303715884105728", v));
    EXPECT_EQ(v, te::kInt128Min);
    EXPECT_FALSE(te::int128_from_string("170141183460469231731687303715884105728", v));
    EXPECT_FALSE(te::int128_from_string("", v));
    EXPECT_FALSE(te::int128_from_string("-", v));
    EXPECT_FALSE(te::int128_from_string("1.5", v));
}

TEST(DecimalWide, LayoutIsTwoWordsOrderedAsTheValue) {
    static_assert(sizeof(Decimal) == 16 && alignof(Decimal) == 8);
    EXPECT_LT(d("-18446744073.709551616"), d("-1"));
    EXPECT_LT(d("-1"), d("0"));
    EXPECT_LT(d("18446744073.709551615"), d("18446744073.709551616"));
    EXPECT_LT(Decimal::min(), Decimal::max());
    EXPECT_EQ(d("-1").raw_hi(), -1);
    EXPECT_EQ(d("-0.000000001").raw(), -1);
}
