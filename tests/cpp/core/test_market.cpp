#include <gtest/gtest.h>

#include "core/market.hpp"

using namespace te;

TEST(Interval, NamesRoundTrip) {
    for (std::size_t i = 0; i < enum_count<Interval>(); ++i) {
        const auto iv = static_cast<Interval>(i);
        EXPECT_EQ(enum_from_string<Interval>(to_string(iv)), iv);
    }
    EXPECT_EQ(enum_from_string<Interval>("1M"), Interval::Mo1);
    EXPECT_EQ(enum_from_string<Interval>("1m"), Interval::M1);
    EXPECT_THROW(enum_from_string<Interval>("2m"), std::invalid_argument);
}

TEST(Interval, CloseTimeIsNextOpenMinusOneMs) {
    const std::int64_t t = 1'700'000'040'000 - (1'700'000'040'000 % 60'000);
    EXPECT_EQ(close_time_ms(Interval::M1, t), t + 60'000 - 1);
    EXPECT_EQ(close_time_ms(Interval::H4, 0), 4 * 3'600'000 - 1);
    EXPECT_EQ(close_time_ms(Interval::W1, 0), 7 * 86'400'000LL - 1);
}

TEST(Interval, MonthsFollowTheCalendar) {
    // 2024-01-01T00:00:00Z -> 2024-02-01, 2024-02-01 -> 2024-03-01 (leap year: 29 days).
    const std::int64_t jan = 1'704'067'200'000;
    const std::int64_t feb = next_open_time_ms(Interval::Mo1, jan);
    EXPECT_EQ(feb - jan, 31LL * 86'400'000);
    EXPECT_EQ(next_open_time_ms(Interval::Mo1, feb) - feb, 29LL * 86'400'000);
}

TEST(MarketTypes, TriviallyCopyableAndSmall) {
    EXPECT_TRUE(std::is_trivially_copyable_v<Candle>);
    EXPECT_LE(sizeof(Candle), 184u);
    EXPECT_LE(sizeof(Quote), 120u);
}
