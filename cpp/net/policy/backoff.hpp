#pragma once
// Exponential backoff with jitter for reconnects and request retries. A plain class driven by
// an injected clock and a seeded RNG, so its decisions are deterministic in tests.
//
// The schedule lists the base delay of each attempt; attempts beyond it reuse the last entry
// (the maximum). Jitter spreads each delay uniformly over [base*(1-jitter), base*(1+jitter)],
// capped at the maximum, so many clients that lost the same server do not return together.
// After a connection has stayed up for `healthy_after`, the next failure starts again at the
// first entry.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "core/time.hpp"

namespace te::net {

using Duration = std::chrono::nanoseconds;

struct BackoffConfig {
    // Seed 004 EXCH-15.4: 3 s, 5 s, 10 s, then 30 s at most.
    std::vector<Duration> schedule = {std::chrono::seconds(3), std::chrono::seconds(5), std::chrono::seconds(10),
                                      std::chrono::seconds(30)};
    double jitter = 0.2;                          // 0 .. 1
    Duration healthy_after = std::chrono::seconds(60);
    std::uint32_t max_attempts = 0;               // 0: retry for ever
    std::uint64_t seed = 0x7e5eedULL;

    // initial, initial*factor, ... up to max (inclusive), e.g. exponential(100ms, 2, 400ms).
    static std::vector<Duration> exponential(Duration initial, double factor, Duration max);
    // Seed 004 REQ-WF-002: 3 attempts, 100 ms initial, doubling.
    static BackoffConfig request_retry();
};

class Backoff {
public:
    // Throws std::invalid_argument for an empty schedule, a non-positive delay, or a jitter
    // outside 0..1.
    Backoff(const Clock& clock, BackoffConfig config = {});

    // The delay before the next attempt, counting it; nullopt once max_attempts is used up.
    std::optional<Duration> next_delay();

    // A connection came up / went down: a connection that was up for healthy_after resets
    // the schedule before the next delay is taken.
    void on_connected();
    void on_disconnected();
    void reset() noexcept { attempts_ = 0; }

    std::uint32_t attempts() const noexcept { return attempts_; }
    Duration max_delay() const noexcept { return max_; }
    const BackoffConfig& config() const noexcept { return config_; }

private:
    double uniform() noexcept;  // [0, 1)

    const Clock& clock_;
    BackoffConfig config_;
    Duration max_{};
    std::mt19937_64 rng_;
    std::uint32_t attempts_ = 0;
    std::optional<UnixNanos> connected_at_;
};

}  // namespace te::net
