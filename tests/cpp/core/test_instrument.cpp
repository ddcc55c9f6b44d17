#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <utility>

#include "core/instrument.hpp"

using namespace te;

namespace {

Instrument btcusdt() {
    return Instrument(InstrumentSpec{InstrumentId::parse("BTCUSDT.BINANCE"), "BTC", "USDT", Price::parse("0.01"),
                                     Quantity::parse("0.00001"), Quantity::parse("0.00001"), Quantity::parse("9000"),
                                     Money::parse("5"), std::nullopt, std::nullopt});
}

}  // namespace

TEST(InstrumentId, ParseAndParts) {
    const auto id = InstrumentId::parse("BTCUSDT.BINANCE");
    EXPECT_EQ(id.symbol(), "BTCUSDT");
    EXPECT_EQ(id.venue(), "BINANCE");
    EXPECT_EQ(id.to_string(), "BTCUSDT.BINANCE");
    EXPECT_EQ(id, InstrumentId::of("BTCUSDT", "BINANCE"));
    EXPECT_NE(id, InstrumentId::parse("ETHUSDT.BINANCE"));
    std::unordered_set<InstrumentId> set{id, InstrumentId::parse("BTCUSDT.BINANCE")};
    EXPECT_EQ(set.size(), 1u);
    EXPECT_TRUE(std::is_trivially_copyable_v<InstrumentId>);
}

TEST(InstrumentId, EqualityComparesTheWholeIdAndAgreesWithOrdering) {
    const auto a = InstrumentId::parse("BTCUSDT.BINANCE");
    const InstrumentId copy = a;
    EXPECT_EQ(copy, a);
    EXPECT_NE(a, InstrumentId::parse("BTCUSDT.BINANC"));     // a prefix
    EXPECT_NE(a, InstrumentId::parse("BTCUSDT.BINANCEX"));   // longer
    EXPECT_NE(a, InstrumentId::parse("BTCUSD.TBINANCE"));    // same characters, another split
    EXPECT_NE(InstrumentId{}, a);
    EXPECT_EQ(InstrumentId{}, InstrumentId{});
    const auto longest = InstrumentId::of(std::string(15, 'A'), std::string(15, 'B'));
    EXPECT_EQ(longest, InstrumentId::parse(longest.view()));
    EXPECT_NE(longest, InstrumentId::of(std::string(15, 'A'), std::string(14, 'B') + "C"));
    for (const auto& [x, y] : {std::pair{a, copy}, std::pair{a, longest}})
        EXPECT_EQ(x == y, (x <=> y) == 0);
}

TEST(InstrumentId, RejectsMalformed) {
    for (const char* bad : {"", "BTCUSDT", ".BINANCE", "BTCUSDT.", "btcusdt.BINANCE", "BTC USDT.BINANCE",
                            "BTCUSDT.BIN.", "AVERYLONGSYMBOLNAMEXXXXXXXXX.BINANCE"}) {
        EXPECT_THROW(InstrumentId::parse(bad), std::invalid_argument) << bad;
    }
    try {
        InstrumentId::parse("btc");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'btc'"), std::string::npos);
    }
}

TEST(Instrument, DerivedPrecisionAndRounding) {
    const auto i = btcusdt();
    EXPECT_EQ(i.price_precision(), 2);
    EXPECT_EQ(i.quantity_precision(), 5);
    EXPECT_EQ(i.round_price(Price::parse("30000.125")), Price::parse("30000.12"));
    EXPECT_EQ(i.round_price(Price::parse("30000.125"), Rounding::Up), Price::parse("30000.13"));
    EXPECT_EQ(i.round_quantity(Quantity::parse("0.123456789")), Quantity::parse("0.12345"));
}

TEST(Instrument, CheckOrderGivesReasons) {
    const auto i = btcusdt();
    EXPECT_EQ(i.check_order(Price::parse("30000"), Quantity::parse("0.001")), std::nullopt);
    EXPECT_EQ(i.check_order(std::nullopt, Quantity::parse("0.00001")), std::nullopt);
    auto reason = [&](const char* p, const char* q) {
        return i.check_order(Price::parse(p), Quantity::parse(q)).value_or("");
    };
    EXPECT_NE(reason("30000", "0.000001").find("step size"), std::string::npos);
    EXPECT_NE(reason("30000.001", "0.001").find("tick size"), std::string::npos);
    EXPECT_NE(reason("30000", "9001").find("maximum"), std::string::npos);
    EXPECT_NE(reason("1", "0.001").find("notional"), std::string::npos);
    EXPECT_NE(reason("30000", "0").find("> 0"), std::string::npos);
    EXPECT_NE(reason("0", "1").find("price"), std::string::npos);
    EXPECT_NE(reason("100000000000000000000000000", "9000").find("out of range"), std::string::npos);
}

TEST(Instrument, InvalidSpecListsEveryProblem) {
    try {
        Instrument(InstrumentSpec{InstrumentId::parse("X.Y"), "", "USDT", Price::parse("0"), Quantity::parse("-1"),
                                  Quantity::parse("2"), Quantity::parse("1"), Money::parse("0"), 12, std::nullopt});
        FAIL();
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        for (const char* part : {"base_asset", "tick_size", "step_size", "max_quantity", "price_precision"})
            EXPECT_NE(msg.find(part), std::string::npos) << part << " missing in: " << msg;
    }
}
