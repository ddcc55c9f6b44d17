#pragma once
// Closed candles from Binance's public kline CSV files (data.binance.vision), for backtests.
//
// Columns: open_time, open, high, low, close, volume, close_time, quote_volume, count,
// taker_buy_volume, taker_buy_quote_volume, ignore; a header line is optional (a first line
// not starting with a digit). Timestamps are milliseconds, or microseconds in spot files from
// 2025 on, detected from the first row. CRLF line ends and trailing empty lines are fine.
//
// Bad data throws te::DataError "<file>:<line>: <field> <value> <problem> (<expected>)". A gap
// (missing bars between two rows) is no error: it is recorded in gaps() and reading goes on.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument.hpp"
#include "core/market.hpp"
#include "core/time.hpp"
#include "replay/csv_scan.hpp"
#include "replay/data_source.hpp"  // DataGap

namespace te::replay {


// Streams closed candles from a kline CSV; holds one 1 MiB block, never the whole file.
class KlineCsvReader {
public:
    // interval: std::nullopt = inferred from the first row's close_time - open_time + 1 ms.
    KlineCsvReader(std::string path, InstrumentId instrument, std::optional<Interval> interval = std::nullopt);

    bool next(Candle& out);  // false at end of file; a file without rows is a DataError

    const std::string& path() const noexcept { return src_.path(); }
    std::size_t line() const noexcept { return src_.line(); }  // 1-based number of the last line read
    std::size_t rows() const noexcept { return rows_; }        // candles returned so far
    Interval interval() const;  // given, or known after the first row; std::logic_error before
    const std::vector<DataGap>& gaps() const noexcept { return gaps_; }

private:
    void parse_row(std::string_view line, Candle& out);
    void check_times(const detail::Stamp& open, const detail::Stamp& close, const detail::Where& where);
    Interval infer_interval(const detail::Stamp& open, const detail::Stamp& close, const detail::Where& where) const;
    void check_order(const detail::Stamp& open, const detail::Where& where);

    detail::LineSource src_;
    InstrumentId instrument_;
    std::optional<Interval> interval_;
    detail::UnitGuard unit_;
    bool header_checked_ = false;
    std::size_t rows_ = 0;
    detail::Stamp prev_open_;  // valid when rows_ > 0
    std::vector<DataGap> gaps_;
};

// The whole file at once (for small files and tests; replay should stream).
std::vector<Candle> read_kline_csv(const std::string& path, InstrumentId instrument,
                                   std::optional<Interval> interval = std::nullopt);

}  // namespace te::replay
