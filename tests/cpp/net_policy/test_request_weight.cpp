#include <gtest/gtest.h>

#include "net/policy/request_weight.hpp"

using namespace std::chrono_literals;
using te::TestClock;
using te::net::Duration;
using te::net::RequestWeightConfig;
using te::net::RequestWeightTracker;
using te::net::WeightState;

namespace {
constexpr te::UnixNanos kMinute = Duration(1min).count();
}

TEST(RequestWeight, ThrottlesBeforeTheLimitUntilTheNextMinute) {
    TestClock clock(10 * kMinute + Duration(20s).count());
    RequestWeightTracker w(clock);  // 6000 per minute, hold at 90 %
    EXPECT_TRUE(w.check(20).allowed);
    w.on_response(200, 5390);
    EXPECT_EQ(w.used(), 5390);
    EXPECT_TRUE(w.check(10).allowed);  // 5400: at the budget
    const auto d = w.check(11);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, WeightState::Throttled);
    EXPECT_EQ(d.wait_until, 11 * kMinute);
    EXPECT_EQ(w.throttled_total(), 1u);
    w.on_response(200, 5400);
    EXPECT_EQ(w.state(), WeightState::Throttled);
    clock.set_time(11 * kMinute);  // a new window
    EXPECT_EQ(w.used(), 0);
    EXPECT_EQ(w.state(), WeightState::Ok);
    EXPECT_TRUE(w.check(11).allowed);
}

TEST(RequestWeight, LocalCountingAndOutOfOrderHeaders) {
    TestClock clock(0);
    RequestWeightTracker w(clock, RequestWeightConfig{.limit = 100, .throttle_at = 1.0});
    w.on_sent(20);
    w.on_sent(20);
    EXPECT_EQ(w.used(), 40);
    w.on_response(200, 30);  // an older response: the local count stands
    EXPECT_EQ(w.used(), 40);
    w.on_response(200, 90);
    EXPECT_EQ(w.used(), 90);
    EXPECT_TRUE(w.check(10).allowed);
    EXPECT_FALSE(w.check(11).allowed);
}

TEST(RequestWeight, TooManyRequestsWaitsRetryAfter) {
    TestClock clock(0);
    RequestWeightTracker w(clock);
    w.on_response(429, 6001, Duration(7s));
    EXPECT_EQ(w.state(), WeightState::RateLimited);
    const auto d = w.check(1);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, WeightState::RateLimited);
    EXPECT_EQ(d.wait_until, Duration(7s).count());
    EXPECT_EQ(w.rate_limited_total(), 1u);
    clock.set_time(Duration(7s).count());
    EXPECT_TRUE(w.check(1).allowed || w.check(1).reason == WeightState::Throttled);
    EXPECT_NE(w.state(), WeightState::RateLimited);
    // Without Retry-After: the configured default (60 s).
    w.on_response(429, std::nullopt);
    EXPECT_EQ(w.check(1).wait_until, Duration(67s).count());
}

TEST(RequestWeight, BanStopsEverythingUntilItEnds) {
    TestClock clock(0);
    RequestWeightTracker w(clock);
    w.on_response(418, std::nullopt, Duration(2min));
    EXPECT_EQ(w.state(), WeightState::Banned);
    EXPECT_EQ(w.bans_total(), 1u);
    clock.advance(Duration(1min).count());
    const auto d = w.check(1);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, WeightState::Banned);
    EXPECT_EQ(d.wait_until, Duration(2min).count());
    clock.advance(Duration(1min).count());
    EXPECT_EQ(w.state(), WeightState::Ok);
    EXPECT_TRUE(w.check(1).allowed);
    // A -1003 message naming the end of the ban.
    const auto until = te::net::parse_banned_until(
        "Way too much request weight used; IP banned until 1700000000000. Please use WebSocket Streams.");
    ASSERT_TRUE(until.has_value());
    EXPECT_EQ(*until, 1700000000000 * te::kNanosPerMilli);
    w.on_banned_until(*until);
    EXPECT_EQ(w.state(), WeightState::Banned);
    EXPECT_EQ(w.blocked_until(), *until);
}

TEST(RequestWeight, HeaderParsing) {
    EXPECT_EQ(te::net::parse_header_int("1234"), 1234);
    EXPECT_EQ(te::net::parse_header_int(" 7 "), 7);
    EXPECT_FALSE(te::net::parse_header_int("").has_value());
    EXPECT_FALSE(te::net::parse_header_int("-1").has_value());
    EXPECT_FALSE(te::net::parse_header_int("12a").has_value());
    EXPECT_FALSE(te::net::parse_header_int("99999999999999999999").has_value());
    EXPECT_FALSE(te::net::parse_banned_until("Too much request weight used").has_value());
    EXPECT_FALSE(te::net::parse_banned_until("IP banned until soon").has_value());
    TestClock clock;
    EXPECT_THROW(RequestWeightTracker(clock, RequestWeightConfig{.limit = 0}), std::invalid_argument);
    EXPECT_THROW(RequestWeightTracker(clock, RequestWeightConfig{.throttle_at = 1.5}), std::invalid_argument);
}
