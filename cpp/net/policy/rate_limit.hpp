#pragma once
// Sliding-window limits on what we send: connection attempts (Binance: 300 per 5 min per IP)
// and messages on one WebSocket (Binance: 5 per second, pongs and control messages included).
// A plain class on an injected clock: the client asks before it acts.
#include <chrono>
#include <cstdint>
#include <deque>

#include "core/time.hpp"
#include "net/policy/backoff.hpp"

namespace te::net {

class SlidingWindowLimiter {
public:
    // At most `limit` events in any window of length `window`. Throws std::invalid_argument
    // unless limit > 0 and window > 0.
    SlidingWindowLimiter(const Clock& clock, std::uint32_t limit, Duration window);

    // Binance defaults.
    static SlidingWindowLimiter connection_attempts(const Clock& clock) {
        return {clock, 300, std::chrono::minutes(5)};
    }
    static SlidingWindowLimiter outgoing_messages(const Clock& clock) { return {clock, 5, std::chrono::seconds(1)}; }

    // Records the event and returns true if it fits now; false (nothing recorded) otherwise.
    bool try_acquire();
    // When the next event will fit (now if it fits already).
    UnixNanos next_allowed_at();
    Duration wait_time() { return Duration(next_allowed_at() - clock_.now_ns()); }
    std::uint32_t in_window();  // events in the current window

    std::uint32_t limit() const noexcept { return limit_; }
    Duration window() const noexcept { return window_; }

private:
    void expire(UnixNanos now);

    const Clock& clock_;
    std::uint32_t limit_;
    Duration window_;
    std::deque<UnixNanos> events_;  // at most limit_ entries
};

}  // namespace te::net
