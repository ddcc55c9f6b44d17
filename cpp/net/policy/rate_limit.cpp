#include "net/policy/rate_limit.hpp"

#include <stdexcept>

namespace te::net {

SlidingWindowLimiter::SlidingWindowLimiter(const Clock& clock, std::uint32_t limit, Duration window)
    : clock_(clock), limit_(limit), window_(window) {
    if (limit == 0 || window.count() <= 0)
        throw std::invalid_argument("rate limiter: limit and window must both be > 0");
}

void SlidingWindowLimiter::expire(UnixNanos now) {
    // An event at t counts for [t, t + window).
    while (!events_.empty() && events_.front() + window_.count() <= now) events_.pop_front();
}

bool SlidingWindowLimiter::try_acquire() {
    const UnixNanos now = clock_.now_ns();
    expire(now);
    if (events_.size() >= limit_) return false;
    events_.push_back(now);
    return true;
}

UnixNanos SlidingWindowLimiter::next_allowed_at() {
    const UnixNanos now = clock_.now_ns();
    expire(now);
    if (events_.size() < limit_) return now;
    return events_.front() + window_.count();
}

std::uint32_t SlidingWindowLimiter::in_window() {
    expire(clock_.now_ns());
    return static_cast<std::uint32_t>(events_.size());
}

}  // namespace te::net
