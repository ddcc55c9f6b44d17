#pragma once
// The plumbing the Binance CSV readers share: a block-buffered line source, a field splitter,
// and field parsers whose errors are te::DataError messages of the form
// "<file>:<line>: <field> <value> <problem> (<what was expected>)".
//
// There is no CSV library in the project, and Binance's files need none: no quoting, no
// escapes, ',' between fields, '\n' or "\r\n" between lines. The split is measured in
// bench/bench_kline_csv.cpp (1,000,000 kline rows, Release, 2-core VM, medians of 5): lines
// and fields by memchr take 86 ms (BM_KlineCsvSplitOnly) of the full read's 299 ms
// (BM_KlineCsvRead; the rest is mostly Decimal parsing, ten numbers a row). A plain byte loop
// instead of memchr was 1.8x slower (158 vs 88 ms of CPU at -O2).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace te::replay::detail {

// Reads a file in large blocks and hands out its lines without copying them.
class LineSource {
public:
    static constexpr std::size_t kBlockSize = std::size_t{1} << 20;  // 1 MiB per fread

    // Throws DataError "cannot open <path>: <strerror>".
    explicit LineSource(std::string path);

    // The next non-empty line, without its "\n" or "\r\n"; valid until the next call. False
    // at the end of the file. Empty lines are accepted only at the end: one followed by more
    // data is a DataError naming the empty line.
    bool next(std::string_view& line);

    const std::string& path() const noexcept { return path_; }
    std::size_t line() const noexcept { return line_; }  // 1-based number of the line last returned

private:
    struct FileCloser {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    bool take_line(std::string_view& line);
    bool refill();

    std::string path_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    std::vector<char> buf_;
    std::size_t pos_ = 0;  // unread data is buf_[pos_, end_)
    std::size_t end_ = 0;
    bool eof_ = false;
    std::size_t line_ = 0;        // number of the last line taken, empty or not
    std::size_t first_blank_ = 0;  // number of the first empty line not yet followed by data
};

// Splits `line` on ','. Fills min(count, out.size()) fields and returns the line's field
// count, so a caller can report "got 11" without a second pass.
std::size_t split_fields(std::string_view line, std::span<std::string_view> out) noexcept;

// Where a row came from, for error messages.
struct Where {
    std::string_view path;
    std::size_t line = 0;
    // Throws DataError "<path>:<line>: <what>".
    [[noreturn]] void fail(std::string_view what) const;
};

enum class TimeUnit : std::uint8_t { Millis, Micros };

std::string_view unit_name(TimeUnit unit) noexcept;  // "milliseconds", "microseconds"
UnixNanos nanos_per(TimeUnit unit) noexcept;

// A timestamp as written: milliseconds (up to 13 digits) or microseconds (16 digits, Binance
// spot files from 2025 on).
struct Stamp {
    std::int64_t value = 0;
    TimeUnit unit = TimeUnit::Millis;
    UnixNanos nanos() const noexcept { return value * nanos_per(unit); }
};
Stamp parse_stamp(std::string_view field, std::string_view name, const Where& where);

// The unit of a file is its first row's; a row in the other one is a DataError.
class UnitGuard {
public:
    void check(const Stamp& stamp, const Where& where);

private:
    bool known_ = false;
    TimeUnit unit_ = TimeUnit::Millis;
};

// A whole number >= 0 (trade counts, trade ids).
std::int64_t parse_count(std::string_view field, std::string_view name, const Where& where);
// A decimal >= 0 (prices, quantities, volumes); `expected` says what the field holds.
Decimal parse_non_negative(std::string_view field, std::string_view name, std::string_view expected,
                           const Where& where);
// "True"/"true"/"False"/"false", as Binance writes is_buyer_maker and is_best_match.
bool parse_bool(std::string_view field, std::string_view name, const Where& where);

}  // namespace te::replay::detail
