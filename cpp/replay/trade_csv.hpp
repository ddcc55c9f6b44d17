#pragma once
// Trades from Binance's public trade CSV files (data.binance.vision), for backtests. Two
// layouts, told apart by the first row's column count:
//   aggTrades (8): agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
//                  is_buyer_maker, is_best_match
//   trades (7):    id, price, qty, quote_qty, time, is_buyer_maker, is_best_match
// A header line is optional; times are milliseconds, or microseconds (spot files from 2025
// on), detected from the first row; CRLF and trailing empty lines are fine. Times must not
// decrease (several trades share a millisecond).
//
// Bad data throws te::DataError "<file>:<line>: <field> <value> <problem> (<expected>)".
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument.hpp"
#include "core/market.hpp"
#include "core/time.hpp"
#include "replay/csv_scan.hpp"

namespace te::replay {

enum class TradeCsvFormat : std::uint8_t { AggTrades, Trades };

// Streams trades from a trades or aggTrades CSV; holds one 1 MiB block, never the whole file.
class TradeCsvReader {
public:
    TradeCsvReader(std::string path, InstrumentId instrument);

    bool next(Trade& out);  // false at end of file; a file without rows is a DataError

    const std::string& path() const noexcept { return src_.path(); }
    std::size_t line() const noexcept { return src_.line(); }  // 1-based number of the last line read
    std::size_t rows() const noexcept { return rows_; }        // trades returned so far
    std::optional<TradeCsvFormat> format() const noexcept { return format_; }  // known after the first row

private:
    void parse_row(std::string_view line, Trade& out);
    TradeCsvFormat check_columns(std::size_t count, const detail::Where& where);
    void check_time(const detail::Stamp& time, std::string_view name, const detail::Where& where);

    detail::LineSource src_;
    InstrumentId instrument_;
    std::optional<TradeCsvFormat> format_;
    detail::UnitGuard unit_;
    bool header_checked_ = false;
    std::size_t rows_ = 0;
    detail::Stamp prev_time_;  // valid when rows_ > 0
};

// The whole file at once (for small files and tests; replay should stream).
std::vector<Trade> read_trade_csv(const std::string& path, InstrumentId instrument);

}  // namespace te::replay
