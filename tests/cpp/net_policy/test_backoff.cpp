#include <gtest/gtest.h>

#include "net/policy/backoff.hpp"

using namespace std::chrono_literals;
using te::TestClock;
using te::net::Backoff;
using te::net::BackoffConfig;
using te::net::Duration;

namespace {
BackoffConfig no_jitter() {
    BackoffConfig c;
    c.jitter = 0.0;
    return c;
}
}  // namespace

TEST(Backoff, DefaultScheduleIsSeed004) {
    TestClock clock;
    Backoff b(clock, no_jitter());
    EXPECT_EQ(*b.next_delay(), Duration(3s));
    EXPECT_EQ(*b.next_delay(), Duration(5s));
    EXPECT_EQ(*b.next_delay(), Duration(10s));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(*b.next_delay(), Duration(30s));  // capped
    EXPECT_EQ(b.attempts(), 8u);
    EXPECT_EQ(b.max_delay(), Duration(30s));
}

TEST(Backoff, JitterStaysInBandAndUnderTheMaximum) {
    TestClock clock;
    BackoffConfig c;
    c.jitter = 0.2;
    Backoff b(clock, c);
    const std::vector<double> base = {3, 5, 10, 30, 30, 30};
    bool any_differs = false;
    for (int round = 0; round < 50; ++round) {
        b.reset();
        for (double s : base) {
            const double d = std::chrono::duration<double>(*b.next_delay()).count();
            EXPECT_GE(d, s * 0.8 - 1e-9);
            EXPECT_LE(d, std::min(s * 1.2, 30.0) + 1e-9);
            if (d != s) any_differs = true;
        }
    }
    EXPECT_TRUE(any_differs);
}

TEST(Backoff, SameSeedSameDelays) {
    TestClock clock;
    BackoffConfig c;
    c.seed = 42;
    Backoff a(clock, c), b(clock, c);
    c.seed = 43;
    Backoff other(clock, c);
    bool differs = false;
    for (int i = 0; i < 10; ++i) {
        const auto da = *a.next_delay();
        EXPECT_EQ(da, *b.next_delay());
        if (da != *other.next_delay()) differs = true;
    }
    EXPECT_TRUE(differs);
}

TEST(Backoff, ResetsAfterAHealthyConnection) {
    TestClock clock(1'000'000'000);
    BackoffConfig c = no_jitter();
    c.healthy_after = 60s;
    Backoff b(clock, c);
    b.next_delay();
    b.next_delay();
    b.on_connected();
    clock.advance(Duration(59s).count());
    b.on_disconnected();  // up for 59 s: not healthy, the schedule continues
    EXPECT_EQ(*b.next_delay(), Duration(10s));
    b.on_connected();
    clock.advance(Duration(60s).count());
    b.on_disconnected();  // up for 60 s: start again
    EXPECT_EQ(b.attempts(), 0u);
    EXPECT_EQ(*b.next_delay(), Duration(3s));
    b.on_disconnected();  // a failed attempt (never connected) does not reset
    EXPECT_EQ(*b.next_delay(), Duration(5s));
}

TEST(Backoff, RequestRetryIsThreeAttemptsFrom100ms) {
    TestClock clock;
    BackoffConfig c = BackoffConfig::request_retry();
    c.jitter = 0;
    Backoff b(clock, c);
    EXPECT_EQ(*b.next_delay(), Duration(100ms));
    EXPECT_EQ(*b.next_delay(), Duration(200ms));
    EXPECT_EQ(*b.next_delay(), Duration(400ms));
    EXPECT_FALSE(b.next_delay().has_value());
    b.reset();
    EXPECT_TRUE(b.next_delay().has_value());
}

TEST(Backoff, ExponentialScheduleBuilder) {
    EXPECT_EQ(BackoffConfig::exponential(1s, 2.0, 10s),
              (std::vector<Duration>{Duration(1s), Duration(2s), Duration(4s), Duration(8s), Duration(10s)}));
    EXPECT_EQ(BackoffConfig::exponential(1s, 1.0, 1s), std::vector<Duration>{Duration(1s)});
    EXPECT_THROW(BackoffConfig::exponential(0s, 2.0, 1s), std::invalid_argument);
    EXPECT_THROW(BackoffConfig::exponential(1s, 0.5, 2s), std::invalid_argument);
    EXPECT_THROW(BackoffConfig::exponential(2s, 2.0, 1s), std::invalid_argument);
}

TEST(Backoff, BadConfigIsRefused) {
    TestClock clock;
    BackoffConfig c;
    c.schedule = {};
    EXPECT_THROW(Backoff(clock, c), std::invalid_argument);
    c.schedule = {Duration(1s), Duration(0s)};
    EXPECT_THROW(Backoff(clock, c), std::invalid_argument);
    c = BackoffConfig{};
    c.jitter = 1.5;
    EXPECT_THROW(Backoff(clock, c), std::invalid_argument);
    c.jitter = -0.1;
    EXPECT_THROW(Backoff(clock, c), std::invalid_argument);
}
