#include <gtest/gtest.h>

#include "net/policy/rate_limit.hpp"

using namespace std::chrono_literals;
using te::TestClock;
using te::net::Duration;
using te::net::SlidingWindowLimiter;

TEST(SlidingWindowLimiter, FiveMessagesPerSecond) {
    TestClock clock(0);
    auto lim = SlidingWindowLimiter::outgoing_messages(clock);
    EXPECT_EQ(lim.limit(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(lim.try_acquire());
        clock.advance(Duration(100ms).count());
    }
    EXPECT_FALSE(lim.try_acquire());
    EXPECT_EQ(lim.in_window(), 5u);
    // The first message (t=0) leaves the window at t=1 s.
    EXPECT_EQ(lim.next_allowed_at(), Duration(1s).count());
    EXPECT_EQ(lim.wait_time(), Duration(500ms));
    clock.set_time(Duration(1s).count() - 1);
    EXPECT_FALSE(lim.try_acquire());
    clock.set_time(Duration(1s).count());
    EXPECT_TRUE(lim.try_acquire());
    EXPECT_FALSE(lim.try_acquire());
}

TEST(SlidingWindowLimiter, NeverMoreThanLimitInAnyWindow) {
    TestClock clock(0);
    SlidingWindowLimiter lim(clock, 5, 1s);
    std::vector<te::UnixNanos> sent;
    for (int step = 0; step < 10'000; ++step) {
        if (lim.try_acquire()) sent.push_back(clock.now_ns());
        clock.advance(Duration(7ms).count());
    }
    for (std::size_t i = 5; i < sent.size(); ++i) EXPECT_GE(sent[i] - sent[i - 5], Duration(1s).count());
    EXPECT_GT(sent.size(), 300u);  // ~5/s over 70 s
}

TEST(SlidingWindowLimiter, ConnectionAttempts300Per5Minutes) {
    TestClock clock(0);
    auto lim = SlidingWindowLimiter::connection_attempts(clock);
    for (int i = 0; i < 300; ++i) EXPECT_TRUE(lim.try_acquire());
    EXPECT_FALSE(lim.try_acquire());
    EXPECT_EQ(lim.wait_time(), Duration(5min));
    clock.advance(Duration(5min).count());
    EXPECT_TRUE(lim.try_acquire());
    EXPECT_THROW(SlidingWindowLimiter(clock, 0, 1s), std::invalid_argument);
    EXPECT_THROW(SlidingWindowLimiter(clock, 1, 0s), std::invalid_argument);
}
