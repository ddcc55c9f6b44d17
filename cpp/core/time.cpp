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
    // Digits written by hand: every log line carries a timestamp, and a runtime fmt format
    // string with widths costs ~10x this.
    char buf[] = "0000-00-00T00:00:00.000000000Z";
    auto put = [&buf](std::size_t at, std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) buf[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    const int year = static_cast<int>(ymd.year());  // 1677..2262: int64 nanoseconds always fit 4 digits
    put(0, year, 4);
    put(5, static_cast<unsigned>(ymd.month()), 2);
    put(8, static_cast<unsigned>(ymd.day()), 2);
    put(11, secs / 3600, 2);
    put(14, (secs / 60) % 60, 2);
    put(17, secs % 60, 2);
    put(20, in_day % kNanosPerSecond, 9);
    return std::string(buf, sizeof buf - 1);
}

}  // namespace te
