#pragma once
// Time is int64 nanoseconds since the Unix epoch (UnixNanos). A Clock gives "now": the
// LiveClock reads the system clock; the TestClock is set by hand, so replay and tests are
// deterministic.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace te {

using UnixNanos = std::int64_t;

constexpr UnixNanos kNanosPerMicro = 1'000;
constexpr UnixNanos kNanosPerMilli = 1'000'000;
constexpr UnixNanos kNanosPerSecond = 1'000'000'000;

class Clock {
public:
    virtual ~Clock() = default;
    virtual UnixNanos now_ns() const noexcept = 0;
};

class LiveClock final : public Clock {
public:
    UnixNanos now_ns() const noexcept override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

// Settable clock for tests and replay. Time never goes backwards: set_time() to an earlier
// instant and advance() by a negative amount throw std::invalid_argument.
class TestClock final : public Clock {
public:
    explicit TestClock(UnixNanos start = 0) : now_(start) {}
    UnixNanos now_ns() const noexcept override { return now_.load(std::memory_order_acquire); }
    void set_time(UnixNanos t);
    void advance(UnixNanos delta);

private:
    std::atomic<UnixNanos> now_;
};

// Monotonic nanoseconds for measuring durations (latency, timeouts); not wall time.
inline std::int64_t monotonic_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// "2026-11-23T18:12:05.123456789Z"
std::string format_iso8601(UnixNanos t);

}  // namespace te
