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
std::int64_t raw(const char* s) { return Decimal::parse(s).raw(); }
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
    EXPECT_EQ(raw("9223372036.854775807"), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(raw("-9223372036.854775808"), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(status("9223372036.854775808"), ParseStatus::Overflow);
    EXPECT_EQ(status("-9223372036.854775809"), ParseStatus::Overflow);
    EXPECT_EQ(status("10000000000"), ParseStatus::Overflow);
    EXPECT_EQ(status("1e10"), ParseStatus::Overflow);
    EXPECT_EQ(status("1e999999999"), ParseStatus::Overflow);
    EXPECT_EQ(status("99999999999999999999999999999999999999999"), ParseStatus::Overflow);
}

TEST(DecimalParse, FastAndGeneralPathsMeetAtTheEdges) {
    // Values the 64-bit fast path declines must still be decided exactly by the general path.
    EXPECT_EQ(raw("9223372035.999999999"), 9'223'372'035'999'999'999);
    EXPECT_EQ(raw("9223372036.000000000"), 9'223'372'036'000'000'000);
    EXPECT_EQ(raw("-9223372036.854775808"), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(raw("0000000000001.5"), 1'500'000'000);
    EXPECT_EQ(raw("1.1234567890"), 1'123'456'789);
    EXPECT_EQ(status("1.12345678901"), ParseStatus::TooPrecise);
    EXPECT_EQ(status("99999999999.5"), ParseStatus::Overflow);
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
    EXPECT_THROW(Decimal::parse("1e20"), std::overflow_error);
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
    EXPECT_EQ(Decimal::max().to_string(), "9223372036.854775807");
    EXPECT_EQ(Decimal::min().to_string(), "-9223372036.854775808");
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
                          "0.000000001", "42.000000042"})
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
    EXPECT_THROW(d("100000") * d("100000"), std::overflow_error);
}

TEST(DecimalArithmetic, Divide) {
    EXPECT_EQ(d("1") / d("4"), d("0.25"));
    EXPECT_EQ(d("1") / d("3"), d("0.333333333"));
    EXPECT_EQ(d("2") / d("3"), d("0.666666667"));
    EXPECT_EQ(d("-2") / d("3"), d("-0.666666667"));
    EXPECT_EQ(d("2").div(d("3"), Rounding::Down), d("0.666666666"));
    EXPECT_EQ(d("1").div(d("-3"), Rounding::Floor), d("-0.333333334"));
    EXPECT_THROW(d("1") / d("0"), te::DivisionByZero);
    EXPECT_THROW(d("1000000000") / d("0.01"), std::overflow_error);
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
    EXPECT_THROW(Decimal::from_int(10'000'000'000), std::overflow_error);
    EXPECT_LT(d("-1"), d("0.5"));
}
