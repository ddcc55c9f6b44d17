#include <gtest/gtest.h>

#include "core/enums.hpp"
#include "core/time.hpp"

using namespace te;

TEST(Clock, LiveClockIsWallTime) {
    const LiveClock c;
    const auto t = c.now_ns();
    EXPECT_GT(t, 1'600'000'000LL * kNanosPerSecond);
    EXPECT_GE(c.now_ns(), t);
}

TEST(Clock, TestClockIsSetByHandAndNeverGoesBack) {
    TestClock c(1000);
    EXPECT_EQ(c.now_ns(), 1000);
    c.advance(500);
    EXPECT_EQ(c.now_ns(), 1500);
    c.set_time(2000);
    EXPECT_EQ(c.now_ns(), 2000);
    EXPECT_THROW(c.set_time(1999), std::invalid_argument);
    EXPECT_THROW(c.advance(-1), std::invalid_argument);
    EXPECT_EQ(c.now_ns(), 2000);
}

TEST(Clock, Iso8601) {
    EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00.000000000Z");
    EXPECT_EQ(format_iso8601(1'704'067'200'123'456'789LL), "2024-01-01T00:00:00.123456789Z");
    EXPECT_EQ(format_iso8601(1'709'251'199'000'000'001LL), "2024-02-29T23:59:59.000000001Z");  // leap day
    EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999999999Z");
    EXPECT_EQ(format_iso8601(INT64_MAX), "2262-04-11T23:47:16.854775807Z");  // the last UnixNanos
}

TEST(Enums, NamesAndParsing) {
    EXPECT_EQ(to_string(Side::Buy), "BUY");
    EXPECT_EQ(to_string(OrderType::LimitMaker), "LIMIT_MAKER");
    EXPECT_EQ(to_string(OrderStatus::PartiallyFilled), "PARTIALLY_FILLED");
    EXPECT_EQ(to_string(EngineState::Stopping), "STOPPING");
    EXPECT_EQ(enum_from_string<TimeInForce>("FOK"), TimeInForce::Fok);
    EXPECT_EQ(enum_from_string<EventType>("ORDER_FILL"), EventType::OrderFill);
    try {
        enum_from_string<Side>("buy");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "invalid Side 'buy': expected one of BUY, SELL");
    }
}

TEST(Enums, LanesAndTerminalStates) {
    EXPECT_EQ(default_lane(EventType::CandleClosed), Lane::Data);
    EXPECT_EQ(default_lane(EventType::ScheduledTrigger), Lane::Signal);
    EXPECT_EQ(default_lane(EventType::OrderFill), Lane::Order);
    EXPECT_EQ(default_lane(EventType::Error), Lane::Order);
    EXPECT_TRUE(is_terminal(OrderStatus::Filled));
    EXPECT_FALSE(is_terminal(OrderStatus::PartiallyFilled));
}
