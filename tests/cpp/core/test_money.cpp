#include <gtest/gtest.h>

#include <type_traits>

#include "core/money.hpp"

using te::Money;
using te::Price;
using te::Quantity;

TEST(Money, TypedArithmetic) {
    const Price p = Price::parse("30000.12");
    const Quantity q = Quantity::parse("0.5");
    EXPECT_EQ(p * q, Money::parse("15000.06"));
    EXPECT_EQ(q * p, Money::parse("15000.06"));
    EXPECT_EQ(Money::parse("15000.06") / p, q);
    EXPECT_EQ(Money::parse("15000.06") / q, p);
    EXPECT_EQ(p - Price::parse("0.12"), Price::parse("30000"));
    EXPECT_EQ(p / Price::parse("2"), te::Decimal::parse("15000.06"));
    EXPECT_EQ(p * te::Decimal::parse("2"), Price::parse("60000.24"));
}

TEST(Money, UnitsDoNotMix) {
    static_assert(!std::is_invocable_v<std::plus<>, Price, Quantity>);
    static_assert(!std::is_invocable_v<std::multiplies<>, Price, Price>);
    static_assert(!std::is_convertible_v<Price, Quantity>);
    static_assert(std::is_trivially_copyable_v<Price>);
    static_assert(sizeof(Price) == 16);
    static_assert(alignof(Price) == 8);  // two 64-bit words: no padding in structs of Decimals
}

TEST(Money, ParseErrorsNameTheType) {
    try {
        Price::parse("abc");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Price 'abc'"), std::string::npos) << e.what();
    }
    try {
        Quantity::parse("");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Quantity"), std::string::npos) << e.what();
    }
}

TEST(Money, NotionalWithExplicitRounding) {
    const Price p = Price::parse("0.000000003");
    const Quantity q = Quantity::parse("0.5");
    EXPECT_EQ(te::notional(p, q, te::Rounding::Up), Money::parse("0.000000002"));
    EXPECT_EQ(te::notional(p, q, te::Rounding::Down), Money::parse("0.000000001"));
}
