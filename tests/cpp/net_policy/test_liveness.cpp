#include <gtest/gtest.h>

#include "net/policy/liveness.hpp"

using namespace std::chrono_literals;
using te::TestClock;
using te::net::ConnectionAge;
using te::net::ConnectionAgeConfig;
using te::net::Duration;
using te::net::SilenceDetector;

TEST(SilenceDetector, DeadAfterTimeoutWithoutFrames) {
    TestClock clock(1000);
    SilenceDetector d(clock, 10s);
    EXPECT_FALSE(d.is_dead());
    EXPECT_EQ(d.deadline(), 1000 + Duration(10s).count());
    clock.advance(Duration(10s).count());
    EXPECT_FALSE(d.is_dead());  // exactly at the deadline: not yet
    clock.advance(1);
    EXPECT_TRUE(d.is_dead());
    d.on_frame();
    EXPECT_FALSE(d.is_dead());
    EXPECT_EQ(d.silence(), Duration(0));
    clock.advance(Duration(4s).count());
    EXPECT_EQ(d.silence(), Duration(4s));
    d.on_frame();
    clock.advance(Duration(9s).count());
    EXPECT_FALSE(d.is_dead());
    EXPECT_THROW(SilenceDetector(clock, 0s), std::invalid_argument);
}

TEST(ConnectionAge, ReconnectsBeforeThe24hLimit) {
    TestClock clock(0);
    ConnectionAgeConfig c;
    c.margin = 10min;
    c.spread = 0min;
    ConnectionAge age(clock, c);
    EXPECT_FALSE(age.should_reconnect());
    EXPECT_FALSE(age.reconnect_at().has_value());
    age.on_connected();
    EXPECT_EQ(*age.reconnect_at(), Duration(23h + 50min).count());
    clock.advance(Duration(23h + 49min).count());
    EXPECT_FALSE(age.should_reconnect());
    clock.advance(Duration(1min).count());
    EXPECT_TRUE(age.should_reconnect());
    age.on_disconnected();
    EXPECT_FALSE(age.should_reconnect());
}

TEST(ConnectionAge, SpreadIsDeterministicAndBounded) {
    TestClock clock(0);
    ConnectionAgeConfig c;
    c.seed = 7;
    ConnectionAge a(clock, c), b(clock, c);
    for (int i = 0; i < 20; ++i) {
        a.on_connected();
        b.on_connected();
        EXPECT_EQ(a.reconnect_at(), b.reconnect_at());
        EXPECT_LE(*a.reconnect_at(), Duration(24h - 10min).count());
        EXPECT_GE(*a.reconnect_at(), Duration(24h - 15min).count());
    }
    c.margin = 20h;
    c.spread = 4h;
    EXPECT_THROW(ConnectionAge(clock, c), std::invalid_argument);
}
