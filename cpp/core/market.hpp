#pragma once
// Market data value types. All are trivially copyable (no heap), so they travel through the
// EventBus without allocation. ts_event is the venue's time, ts_recv our receive time.
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "core/enums.hpp"
#include "core/instrument.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace te {

// Binance's 16 kline intervals.
enum class Interval : std::uint8_t { S1, M1, M3, M5, M15, M30, H1, H2, H4, H6, H8, H12, D1, D3, W1, Mo1 };

template <> struct EnumInfo<Interval> {
    static constexpr std::string_view type_name = "Interval";
    static constexpr std::array<std::string_view, 16> names = {"1s", "1m", "3m", "5m",  "15m", "30m", "1h", "2h",
                                                               "4h", "6h", "8h", "12h", "1d",  "3d",  "1w", "1M"};
};

// Open time of the interval after the one opening at `open_ms` (calendar months for 1M).
std::int64_t next_open_time_ms(Interval interval, std::int64_t open_ms);
// Binance's close time: the next open time minus one millisecond.
inline std::int64_t close_time_ms(Interval interval, std::int64_t open_ms) {
    return next_open_time_ms(interval, open_ms) - 1;
}
// Nominal length in milliseconds (1M counts 30 days; use next_open_time_ms for exact months).
std::int64_t interval_ms(Interval interval) noexcept;

struct Candle {
    InstrumentId instrument_id;
    Interval interval = Interval::M1;
    UnixNanos open_time = 0;
    UnixNanos close_time = 0;
    Price open, high, low, close;
    Quantity volume;        // base asset
    Money quote_volume;     // quote asset
    std::int64_t trade_count = 0;
    bool closed = false;    // true for the final update of the interval
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
};

struct Trade {
    InstrumentId instrument_id;
    Price price;
    Quantity quantity;
    std::int64_t trade_id = 0;
    Side aggressor_side = Side::Buy;  // the taker's side (Binance: m=true means a seller took)
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
};

struct Quote {
    InstrumentId instrument_id;
    Price bid_price;
    Quantity bid_size;
    Price ask_price;
    Quantity ask_size;
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
};

static_assert(std::is_trivially_copyable_v<Candle>);
static_assert(std::is_trivially_copyable_v<Trade>);
static_assert(std::is_trivially_copyable_v<Quote>);

}  // namespace te
