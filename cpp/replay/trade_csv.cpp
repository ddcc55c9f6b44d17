#include "replay/trade_csv.hpp"

#include <array>

#include "core/errors.hpp"

namespace te::replay {

namespace {

using detail::Stamp;
using detail::Where;

constexpr std::string_view kAggTradesLayout =
    "8 columns (Binance aggTrades CSV: agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,"
    "is_buyer_maker,is_best_match)";
constexpr std::string_view kTradesLayout =
    "7 columns (Binance trades CSV: id,price,qty,quote_qty,time,is_buyer_maker,is_best_match)";
constexpr std::string_view kPrice = "a price: a decimal >= 0";
constexpr std::string_view kQuantity = "a quantity: a decimal >= 0";

std::string text(std::int64_t v) { return std::to_string(v); }

bool starts_with_digit(std::string_view line) { return !line.empty() && line[0] >= '0' && line[0] <= '9'; }

// Where each layout keeps the fields a Trade needs.
struct Layout {
    std::size_t time = 0;
    std::size_t buyer_maker = 0;
    std::string_view time_name;
};
constexpr Layout kAggTrades{5, 6, "transact_time"};
constexpr Layout kTrades{4, 5, "time"};

}  // namespace

TradeCsvReader::TradeCsvReader(std::string path, InstrumentId instrument)
    : src_(std::move(path)), instrument_(instrument) {}

bool TradeCsvReader::next(Trade& out) {
    std::string_view line;
    while (src_.next(line)) {
        const bool header = !header_checked_ && !starts_with_digit(line);
        header_checked_ = true;
        if (header) continue;
        parse_row(line, out);
        ++rows_;
        return true;
    }
    if (rows_ == 0) throw DataError(path() + ": no trades");
    return false;
}

void TradeCsvReader::parse_row(std::string_view line, Trade& out) {
    const Where where{path(), src_.line()};
    std::array<std::string_view, 8> f;
    const TradeCsvFormat format = check_columns(detail::split_fields(line, f), where);
    const Layout& at = format == TradeCsvFormat::AggTrades ? kAggTrades : kTrades;

    const std::int64_t id = detail::parse_count(f[0], format == TradeCsvFormat::AggTrades ? "agg_trade_id" : "id", where);
    const Decimal price = detail::parse_non_negative(f[1], "price", kPrice, where);
    const Decimal quantity = detail::parse_non_negative(f[2], format == TradeCsvFormat::AggTrades ? "quantity" : "qty",
                                                        kQuantity, where);
    if (format == TradeCsvFormat::AggTrades) {
        const std::int64_t first = detail::parse_count(f[3], "first_trade_id", where);
        const std::int64_t last = detail::parse_count(f[4], "last_trade_id", where);
        if (last < first)
            where.fail("last_trade_id " + text(last) + " is below first_trade_id " + text(first) +
                       " (expected first_trade_id <= last_trade_id)");
    } else {
        detail::parse_non_negative(f[3], "quote_qty", kQuantity, where);
    }
    const Stamp time = detail::parse_stamp(f[at.time], at.time_name, where);
    check_time(time, at.time_name, where);
    const bool buyer_maker = detail::parse_bool(f[at.buyer_maker], "is_buyer_maker", where);
    detail::parse_bool(f[at.buyer_maker + 1], "is_best_match", where);

    out.instrument_id = instrument_;
    out.price = Price(price);
    out.quantity = Quantity(quantity);
    out.trade_id = id;
    // The buyer made the market, so the seller took it.
    out.aggressor_side = buyer_maker ? Side::Sell : Side::Buy;
    out.ts_event = out.ts_recv = time.nanos();
}

// The first row decides the layout; every later row must have the same.
TradeCsvFormat TradeCsvReader::check_columns(std::size_t count, const Where& where) {
    if (!format_) {
        if (count == 8) return *(format_ = TradeCsvFormat::AggTrades);
        if (count == 7) return *(format_ = TradeCsvFormat::Trades);
        where.fail("expected " + std::string(kTradesLayout) + " or " + std::string(kAggTradesLayout) + ", got " +
                   std::to_string(count));
    }
    const bool agg = *format_ == TradeCsvFormat::AggTrades;
    if (count != (agg ? 8u : 7u))
        where.fail("expected " + std::string(agg ? kAggTradesLayout : kTradesLayout) + ", got " + std::to_string(count));
    return *format_;
}

void TradeCsvReader::check_time(const Stamp& time, std::string_view name, const Where& where) {
    unit_.check(time, where);
    if (rows_ > 0 && time.value < prev_time_.value)
        where.fail(std::string(name) + " " + text(time.value) + " is before the previous row's " +
                   text(prev_time_.value) + " (rows out of order; expected non-decreasing times)");
    prev_time_ = time;
}

std::vector<Trade> read_trade_csv(const std::string& path, InstrumentId instrument) {
    TradeCsvReader reader(path, instrument);
    std::vector<Trade> trades;
    Trade t;
    while (reader.next(t)) trades.push_back(t);
    return trades;
}

}  // namespace te::replay
