#include "core/market.hpp"

#include <chrono>

namespace te {

std::int64_t interval_ms(Interval interval) noexcept {
    constexpr std::int64_t s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
    switch (interval) {
        case Interval::S1: return s;
        case Interval::M1: return m;
        case Interval::M3: return 3 * m;
        case Interval::M5: return 5 * m;
        case Interval::M15: return 15 * m;
        case Interval::M30: return 30 * m;
        case Interval::H1: return h;
        case Interval::H2: return 2 * h;
        case Interval::H4: return 4 * h;
        case Interval::H6: return 6 * h;
        case Interval::H8: return 8 * h;
        case Interval::H12: return 12 * h;
        case Interval::D1: return d;
        case Interval::D3: return 3 * d;
        case Interval::W1: return 7 * d;
        case Interval::Mo1: return 30 * d;
    }
    return m;
}

std::int64_t next_open_time_ms(Interval interval, std::int64_t open_ms) {
    if (interval != Interval::Mo1) return open_ms + interval_ms(interval);
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds(open_ms)};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const year_month_day next{(ymd.year() / ymd.month() / 1d) + months(1)};
    const auto in_day = t - day;
    return (sys_days(next) + in_day).time_since_epoch().count();
}

}  // namespace te
