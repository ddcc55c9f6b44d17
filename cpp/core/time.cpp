#include "core/time.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace te {

void TestClock::set_time(UnixNanos t) {
    UnixNanos current = now_.load(std::memory_order_acquire);
    do {
        if (t < current)
            throw std::invalid_argument(
                fmt::format("invalid time {}: the TestClock is at {} and time never goes backwards", t, current));
    } while (!now_.compare_exchange_weak(current, t, std::memory_order_acq_rel));
}

void TestClock::advance(UnixNanos delta) {
    if (delta < 0)
        throw std::invalid_argument(fmt::format("invalid delta {}: expected a non-negative number of nanoseconds", delta));
    now_.fetch_add(delta, std::memory_order_acq_rel);
}

std::string format_iso8601(UnixNanos t) {
    using namespace std::chrono;
    const auto days_since = floor<days>(sys_time<nanoseconds>(nanoseconds(t)));
    const year_month_day ymd{days_since};
    const UnixNanos in_day = t - duration_cast<nanoseconds>(days_since.time_since_epoch()).count();
    const auto secs = in_day / kNanosPerSecond;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), secs / 3600,
                       (secs / 60) % 60, secs % 60, in_day % kNanosPerSecond);
}

}  // namespace te
