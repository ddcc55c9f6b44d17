#include "replay/kline_csv.hpp"

#include <array>
#include <stdexcept>

#include "core/errors.hpp"

namespace te::replay {

namespace {

using detail::Stamp;
using detail::Where;

constexpr std::size_t kColumns = 12;
constexpr std::string_view kColumnNames =
    "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,"
    "ignore";
constexpr std::string_view kPrice = "a price: a decimal >= 0";
constexpr std::string_view kVolume = "a volume: a decimal >= 0";

std::string text(std::int64_t v) { return std::to_string(v); }
std::string text(Decimal d) { return d.to_string(); }
std::string interval_name(Interval i) { return std::string(to_string(i)); }

// The open time of the bar after the one opening at `open` (calendar months for 1M). Binance
// opens bars on whole milliseconds, so the sub-millisecond part only carries over.
UnixNanos next_open_ns(Interval interval, UnixNanos open) {
    return next_open_time_ms(interval, open / kNanosPerMilli) * kNanosPerMilli + open % kNanosPerMilli;
}

bool starts_with_digit(std::string_view line) { return !line.empty() && line[0] >= '0' && line[0] <= '9'; }

// Binance's rule for a bar: its extremes bound its open and close.
void check_range(Decimal open, Decimal high, Decimal low, Decimal close, const Where& where) {
    constexpr std::string_view rule = " (expected low <= open,close <= high)";
    if (high < open) where.fail("high " + text(high) + " is below open " + text(open) + std::string(rule));
    if (high < close) where.fail("high " + text(high) + " is below close " + text(close) + std::string(rule));
    if (low > open) where.fail("low " + text(low) + " is above open " + text(open) + std::string(rule));
    if (low > close) where.fail("low " + text(low) + " is above close " + text(close) + std::string(rule));
}

}  // namespace

KlineCsvReader::KlineCsvReader(std::string path, InstrumentId instrument, std::optional<Interval> interval)
    : src_(std::move(path)), instrument_(instrument), interval_(interval) {}

Interval KlineCsvReader::interval() const {
    if (!interval_) throw std::logic_error("KlineCsvReader(" + path() + "): the interval is known after the first row");
    return *interval_;
}

bool KlineCsvReader::next(Candle& out) {
    std::string_view line;
    while (src_.next(line)) {
        const bool header = !header_checked_ && !starts_with_digit(line);
        header_checked_ = true;
        if (header) continue;
        parse_row(line, out);
        ++rows_;
        return true;
    }
    if (rows_ == 0) throw DataError(path() + ": no klines");
    return false;
}

void KlineCsvReader::parse_row(std::string_view line, Candle& out) {
    const Where where{path(), src_.line()};
    std::array<std::string_view, kColumns> f;
    const std::size_t n = detail::split_fields(line, f);
    if (n != kColumns)
        where.fail("expected 12 columns (Binance kline CSV: " + std::string(kColumnNames) + "), got " +
                   std::to_string(n));

    const Stamp open_time = detail::parse_stamp(f[0], "open_time", where);
    const Stamp close_time = detail::parse_stamp(f[6], "close_time", where);
    check_times(open_time, close_time, where);

    const Decimal open = detail::parse_non_negative(f[1], "open", kPrice, where);
    const Decimal high = detail::parse_non_negative(f[2], "high", kPrice, where);
    const Decimal low = detail::parse_non_negative(f[3], "low", kPrice, where);
    const Decimal close = detail::parse_non_negative(f[4], "close", kPrice, where);
    check_range(open, high, low, close, where);
    const Decimal volume = detail::parse_non_negative(f[5], "volume", kVolume, where);
    const Decimal quote_volume = detail::parse_non_negative(f[7], "quote_volume", kVolume, where);
    const std::int64_t count = detail::parse_count(f[8], "count", where);
    // Not carried by Candle, but a broken column means a broken file.
    detail::parse_non_negative(f[9], "taker_buy_volume", kVolume, where);
    detail::parse_non_negative(f[10], "taker_buy_quote_volume", kVolume, where);

    out.instrument_id = instrument_;
    out.interval = *interval_;
    out.open_time = open_time.nanos();
    out.close_time = close_time.nanos();
    out.open = Price(open);
    out.high = Price(high);
    out.low = Price(low);
    out.close = Price(close);
    out.volume = Quantity(volume);
    out.quote_volume = Money(quote_volume);
    out.trade_count = count;
    out.closed = true;
    out.ts_event = out.ts_recv = out.close_time;  // a file's bar is known once it has closed
}

// One unit per file; close_time ends the interval (inferred from the first row if not given);
// open times ascend, with gaps recorded.
void KlineCsvReader::check_times(const Stamp& open, const Stamp& close, const Where& where) {
    unit_.check(open, where);
    unit_.check(close, where);
    if (!interval_) interval_ = infer_interval(open, close, where);
    const std::int64_t expected_close = next_open_ns(*interval_, open.nanos()) / detail::nanos_per(open.unit) - 1;
    if (close.value != expected_close)
        where.fail("close_time " + text(close.value) + " does not match the " + interval_name(*interval_) +
                   " interval (expected " + text(expected_close) + " for open_time " + text(open.value) + ")");
    check_order(open, where);
    prev_open_ = open;
}

Interval KlineCsvReader::infer_interval(const Stamp& open, const Stamp& close, const Where& where) const {
    const UnixNanos unit = detail::nanos_per(open.unit);
    const UnixNanos span = close.nanos() + unit - open.nanos();
    for (std::size_t k = 0; k < enum_count<Interval>(); ++k) {
        const auto i = static_cast<Interval>(k);
        if (next_open_ns(i, open.nanos()) - open.nanos() == span) return i;
    }
    const std::string one = open.unit == detail::TimeUnit::Millis ? "1 ms" : "1 us";
    where.fail("close_time " + text(close.value) + " - open_time " + text(open.value) + " + " + one + " is " +
               text(span / unit) + " " + std::string(detail::unit_name(open.unit)) +
               " (expected the length of a Binance interval: 1s, 1m, 3m, ..., 1d, 3d, 1w, 1M)");
}

void KlineCsvReader::check_order(const Stamp& open, const Where& where) {
    if (rows_ == 0) return;
    const auto previous = [&] { return " the previous row's " + text(prev_open_.value); };  // built only to fail
    if (open.value == prev_open_.value)
        where.fail("open_time " + text(open.value) + " is not after" + previous() + " (duplicated timestamp)");
    if (open.value < prev_open_.value)
        where.fail("open_time " + text(open.value) + " is before" + previous() +
                   " (rows out of order; expected ascending open_time)");
    const Interval iv = *interval_;
    UnixNanos bar = next_open_ns(iv, prev_open_.nanos());
    if (bar == open.nanos()) return;  // the usual case: no gap
    std::int64_t missing = 0;
    if (iv == Interval::Mo1) {
        for (; bar < open.nanos(); bar = next_open_ns(iv, bar)) ++missing;
    } else {
        const UnixNanos step = interval_ms(iv) * kNanosPerMilli;
        missing = (open.nanos() - prev_open_.nanos()) / step - 1;
        bar = prev_open_.nanos() + (missing + 1) * step;
    }
    if (bar != open.nanos())
        where.fail("open_time " + text(open.value) + " is not a whole number of " + interval_name(iv) +
                   " bars after" + previous() + " (expected bars on one grid)");
    gaps_.push_back(DataGap{path(), where.line, prev_open_.nanos(), open.nanos(), missing});
}

std::vector<Candle> read_kline_csv(const std::string& path, InstrumentId instrument, std::optional<Interval> interval) {
    KlineCsvReader reader(path, instrument, interval);
    std::vector<Candle> candles;
    Candle c;
    while (reader.next(c)) candles.push_back(c);
    return candles;
}

}  // namespace te::replay
