// Binance kline CSV replay: good files in each of their forms, every kind of bad data refused
// with the file and line named, gaps recorded, and a large file streamed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"
#include "replay/kline_csv.hpp"

using namespace te;
using namespace te::replay;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kT0 = 1'700'000'040'000;  // 2023-11-14T22:14:00Z, on the minute
const char* const kHeader =
    "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,"
    "ignore\n";

const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");

std::string write_temp(const std::string& name, const std::string& content) {
    const std::string path = ::testing::TempDir() + "kline_" + name + ".csv";
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

// One kline row as Binance writes it; `unit` 1 for milliseconds, 1000 for microseconds.
std::string row(std::int64_t open_ms, const char* o = "41010.00000000", const char* h = "41020.50000000",
                const char* l = "41000.00000000", const char* c = "41015.10000000", std::int64_t len_ms = kMinute,
                std::int64_t unit = 1, const char* volume = "12.34500000") {
    const std::int64_t open = open_ms * unit;
    const std::int64_t close = (open_ms + len_ms) * unit - 1;
    return std::to_string(open) + "," + o + "," + h + "," + l + "," + c + "," + volume + "," + std::to_string(close) +
           ",506123.45678900,321,6.10000000,250000.12000000,0\n";
}

std::string minutes(int n, std::int64_t unit = 1) {
    std::string s;
    for (int i = 0; i < n; ++i) s += row(kT0 + i * kMinute, "41010", "41020", "41000", "41015", kMinute, unit);
    return s;
}

// The message of the DataError `f` throws ("" and a failure when it throws none).
template <class F>
std::string data_error(F&& f) {
    try {
        f();
    } catch (const DataError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no DataError";
    return {};
}

std::string read_error(const std::string& path) {
    return data_error([&] { read_kline_csv(path, kBtc); });
}

}  // namespace

TEST(KlineCsv, ReadsAFileWithoutHeader) {
    const auto path = write_temp("plain", row(kT0) + row(kT0 + kMinute));
    KlineCsvReader r(path, kBtc);
    Candle c;
    ASSERT_TRUE(r.next(c));
    EXPECT_EQ(c.instrument_id, kBtc);
    EXPECT_EQ(c.interval, Interval::M1);
    EXPECT_EQ(c.open_time, kT0 * kNanosPerMilli);
    EXPECT_EQ(c.close_time, (kT0 + kMinute - 1) * kNanosPerMilli);
    EXPECT_EQ(c.open, Price::parse("41010"));
    EXPECT_EQ(c.high, Price::parse("41020.5"));
    EXPECT_EQ(c.low, Price::parse("41000"));
    EXPECT_EQ(c.close, Price::parse("41015.1"));
    EXPECT_EQ(c.volume, Quantity::parse("12.345"));
    EXPECT_EQ(c.quote_volume, Money::parse("506123.456789"));
    EXPECT_EQ(c.trade_count, 321);
    EXPECT_TRUE(c.closed);
    EXPECT_EQ(c.ts_event, c.close_time);
    EXPECT_EQ(c.ts_recv, c.close_time);
    EXPECT_EQ(r.line(), 1u);
    ASSERT_TRUE(r.next(c));
    EXPECT_EQ(c.open_time, (kT0 + kMinute) * kNanosPerMilli);
    EXPECT_FALSE(r.next(c));
    EXPECT_FALSE(r.next(c));  // stays at the end
    EXPECT_EQ(r.rows(), 2u);
    EXPECT_EQ(r.path(), path);
    EXPECT_TRUE(r.gaps().empty());
}

TEST(KlineCsv, SkipsAHeaderLine) {
    const auto path = write_temp("header", kHeader + minutes(3));
    KlineCsvReader r(path, kBtc);
    Candle c;
    ASSERT_TRUE(r.next(c));
    EXPECT_EQ(r.line(), 2u);
    EXPECT_EQ(r.rows(), 1u);
    EXPECT_EQ(c.open_time, kT0 * kNanosPerMilli);
    EXPECT_EQ(read_kline_csv(path, kBtc).size(), 3u);
}

TEST(KlineCsv, ReadsMicrosecondTimestamps) {
    const std::int64_t t = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
    const auto path = write_temp("micros", kHeader + row(t, "1", "2", "1", "2", kMinute, 1000) +
                                               row(t + kMinute, "2", "2", "1", "1", kMinute, 1000));
    const auto candles = read_kline_csv(path, kBtc);
    ASSERT_EQ(candles.size(), 2u);
    EXPECT_EQ(candles[0].interval, Interval::M1);
    EXPECT_EQ(candles[0].open_time, t * kNanosPerMilli);
    EXPECT_EQ(candles[0].close_time, (t + kMinute) * kNanosPerMilli - kNanosPerMicro);
    EXPECT_EQ(candles[1].open_time, (t + kMinute) * kNanosPerMilli);
}

TEST(KlineCsv, AcceptsCrlfAndTrailingEmptyLines) {
    std::string crlf;
    for (const char ch : kHeader + minutes(3)) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    const auto candles = read_kline_csv(write_temp("crlf", crlf + "\r\n\r\n"), kBtc);
    ASSERT_EQ(candles.size(), 3u);
    EXPECT_EQ(candles[2].trade_count, 321);  // the last field parsed without its '\r'
    // No line end at all after the last row is fine too.
    auto last = minutes(2);
    last.pop_back();
    EXPECT_EQ(read_kline_csv(write_temp("no_final_newline", last), kBtc).size(), 2u);
}

TEST(KlineCsv, IgnoresAByteOrderMark) {
    // Spreadsheet exports start with one; it must not hide the header or the first digit.
    EXPECT_EQ(read_kline_csv(write_temp("bom_header", "\xEF\xBB\xBF" + (kHeader + minutes(2))), kBtc).size(), 2u);
    EXPECT_EQ(read_kline_csv(write_temp("bom_row", "\xEF\xBB\xBF" + minutes(2)), kBtc).size(), 2u);
}

TEST(KlineCsv, InfersTheIntervalFromTheFirstRow) {
    constexpr std::int64_t hour = 60 * kMinute, day = 24 * hour;
    const std::int64_t jan2024 = 1'704'067'200'000, feb2024 = 1'706'745'600'000, mar2024 = 1'709'251'200'000;
    struct Case {
        std::int64_t open, len;
        Interval expected;
    };
    for (const Case& k : {Case{kT0, 1000, Interval::S1}, Case{kT0 - kT0 % hour, hour, Interval::H1},
                          Case{jan2024, day, Interval::D1}, Case{jan2024, 7 * day, Interval::W1},
                          Case{jan2024, feb2024 - jan2024, Interval::Mo1}}) {
        const auto path = write_temp("infer", row(k.open, "1", "1", "1", "1", k.len));
        KlineCsvReader r(path, kBtc);
        Candle c;
        ASSERT_TRUE(r.next(c));
        EXPECT_EQ(r.interval(), k.expected) << to_string(k.expected);
        EXPECT_EQ(c.interval, k.expected);
    }
    // Calendar months: February 2024 has 29 days.
    const auto months = read_kline_csv(write_temp("months", row(jan2024, "1", "1", "1", "1", feb2024 - jan2024) +
                                                                row(feb2024, "1", "1", "1", "1", mar2024 - feb2024)),
                                       kBtc);
    ASSERT_EQ(months.size(), 2u);
    EXPECT_EQ(months[1].close_time, (mar2024 - 1) * kNanosPerMilli);
}

TEST(KlineCsv, TheIntervalIsKnownAfterTheFirstRowOrWhenGiven) {
    const auto path = write_temp("interval", minutes(2));
    KlineCsvReader inferred(path, kBtc);
    EXPECT_THROW(static_cast<void>(inferred.interval()), std::logic_error);
    KlineCsvReader given(path, kBtc, Interval::M1);
    EXPECT_EQ(given.interval(), Interval::M1);
    const auto e = data_error([&] { read_kline_csv(path, kBtc, Interval::M5); });
    EXPECT_NE(e.find(path + ":1: close_time " + std::to_string(kT0 + kMinute - 1) + " does not match the 5m interval"),
              std::string::npos)
        << e;
}

TEST(KlineCsv, RecordsGapsAndReadsOn) {
    const auto path = write_temp("gaps", kHeader + row(kT0) + row(kT0 + kMinute) + row(kT0 + 4 * kMinute) +
                                              row(kT0 + 5 * kMinute) + row(kT0 + 15 * kMinute));
    KlineCsvReader r(path, kBtc);
    Candle c;
    while (r.next(c)) {
    }
    EXPECT_EQ(r.rows(), 5u);
    ASSERT_EQ(r.gaps().size(), 2u);
    const DataGap& g = r.gaps()[0];
    EXPECT_EQ(g.file, path);
    EXPECT_EQ(g.line, 4u);
    EXPECT_EQ(g.after_open, (kT0 + kMinute) * kNanosPerMilli);
    EXPECT_EQ(g.next_open, (kT0 + 4 * kMinute) * kNanosPerMilli);
    EXPECT_EQ(g.missing_bars, 2);
    EXPECT_EQ(r.gaps()[1].line, 6u);
    EXPECT_EQ(r.gaps()[1].missing_bars, 9);
}

TEST(KlineCsv, RecordsGapsOfCalendarMonths) {
    const std::int64_t jan2024 = 1'704'067'200'000, feb2024 = 1'706'745'600'000;
    const std::int64_t may2024 = 1'714'521'600'000, jun2024 = 1'717'200'000'000;
    KlineCsvReader r(write_temp("month_gap", row(jan2024, "1", "1", "1", "1", feb2024 - jan2024) +
                                                 row(may2024, "1", "1", "1", "1", jun2024 - may2024)),
                     kBtc);
    Candle c;
    while (r.next(c)) {
    }
    ASSERT_EQ(r.gaps().size(), 1u);
    EXPECT_EQ(r.gaps()[0].missing_bars, 3);  // February, March, April
}

struct BadKlines {
    const char* name;
    std::string content;
    std::size_t line;
    std::string message;  // what the error says after "<file>:<line>: "
    friend void PrintTo(const BadKlines& b, std::ostream* os) { *os << b.name; }
};

class KlineCsvRefuses : public ::testing::TestWithParam<BadKlines> {};

TEST_P(KlineCsvRefuses, NamingTheFileLineAndField) {
    const BadKlines& bad = GetParam();
    const auto path = write_temp(std::string("bad_") + bad.name, bad.content);
    const auto e = read_error(path);
    const std::string where = path + ":" + std::to_string(bad.line) + ": ";
    EXPECT_EQ(e.rfind(where, 0), 0u) << e;
    EXPECT_NE(e.find(where + bad.message), std::string::npos) << e;
}

std::string second_row_with(const std::string& bad_row) { return kHeader + row(kT0) + bad_row; }

INSTANTIATE_TEST_SUITE_P(
    BadData, KlineCsvRefuses,
    ::testing::Values(
        BadKlines{"columns", second_row_with("1700000100000,1,1,1,1,1,1700000159999,1,1,1,1\n"), 3,
                  "expected 12 columns (Binance kline CSV: open_time,open,high,low,close,volume,close_time,"
                  "quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore), got 11"},
        BadKlines{"high_below_open", second_row_with(row(kT0 + kMinute, "41010", "41000.5", "41000", "41000")), 3,
                  "high 41000.5 is below open 41010 (expected low <= open,close <= high)"},
        BadKlines{"high_below_close", row(kT0, "1", "2", "1", "3"), 1, "high 2 is below close 3"},
        BadKlines{"low_above_open", row(kT0, "1", "2", "1.5", "2"), 1, "low 1.5 is above open 1"},
        BadKlines{"low_above_close", row(kT0, "2", "2", "1.5", "1"), 1, "low 1.5 is above close 1"},
        BadKlines{"duplicate", second_row_with(row(kT0)), 3,
                  "open_time 1700000040000 is not after the previous row's 1700000040000 (duplicated timestamp)"},
        BadKlines{"unsorted", kHeader + row(kT0) + row(kT0 + 2 * kMinute) + row(kT0 + kMinute), 4,
                  "open_time 1700000100000 is before the previous row's 1700000160000"},
        BadKlines{"close_time", second_row_with("1700000100000,1,1,1,1,1,1700000159000,1,1,1,1,0\n"), 3,
                  "close_time 1700000159000 does not match the 1m interval (expected 1700000159999"},
        BadKlines{"unknown_interval", "1700000040000,1,1,1,1,1,1700000041233,1,1,1,1,0\n", 1,
                  "close_time 1700000041233 - open_time 1700000040000 + 1 ms is 1234 milliseconds (expected the "
                  "length of a Binance interval"},
        BadKlines{"off_grid", second_row_with("1700000130000,1,1,1,1,1,1700000189999,1,1,1,1,0\n"), 3,
                  "open_time 1700000130000 is not a whole number of 1m bars after the previous row's 1700000040000"},
        BadKlines{"unit_switch", second_row_with(row(kT0 + kMinute, "1", "1", "1", "1", kMinute, 1000)), 3,
                  "timestamps switch from milliseconds to microseconds"},
        BadKlines{"unit_switch_in_row", "1700000040000,1,1,1,1,1,1700000099999999,1,1,1,1,0\n", 1,
                  "timestamps switch from milliseconds to microseconds"},
        BadKlines{"timestamp_digits", "17000000400000,1,1,1,1,1,17000000999999,1,1,1,1,0\n", 1,
                  "open_time 17000000400000 has 14 digits (expected milliseconds, 13 digits, or microseconds, 16 "
                  "digits"},
        BadKlines{"timestamp_text", "2023-11-14,1,1,1,1,1,1700000099999,1,1,1,1,0\n", 1,
                  "open_time '2023-11-14' is not a timestamp"},
        BadKlines{"price_text", second_row_with(row(kT0 + kMinute, "abc")), 3,
                  "open 'abc' is not a number (expected a price: a decimal >= 0)"},
        BadKlines{"price_empty", second_row_with(row(kT0 + kMinute, "1", "")), 3, "high is empty"},
        BadKlines{"negative_price", second_row_with(row(kT0 + kMinute, "-1", "1", "-1", "1")), 3,
                  "open -1 is negative (expected a price: a decimal >= 0)"},
        BadKlines{"negative_volume", second_row_with(row(kT0 + kMinute, "1", "1", "1", "1", kMinute, 1, "-2.5")), 3,
                  "volume -2.5 is negative (expected a volume: a decimal >= 0)"},
        BadKlines{"too_precise", second_row_with(row(kT0 + kMinute, "1", "1", "1", "1", kMinute, 1, "0.0000000001")),
                  3, "volume 0.0000000001 has more than 9 decimal places"},
        BadKlines{"count", "1700000040000,1,1,1,1,1,1700000099999,1,-3,1,1,0\n", 1,
                  "count '-3' is not a count (expected a whole number >= 0)"},
        BadKlines{"taker_volume", "1700000040000,1,1,1,1,1,1700000099999,1,3,x,1,0\n", 1,
                  "taker_buy_volume 'x' is not a number"},
        BadKlines{"empty_line_inside", kHeader + row(kT0) + "\n" + row(kT0 + kMinute), 3,
                  "empty line (expected a row; only the lines at the end may be empty)"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(KlineCsv, RefusesAnEmptyFileAndAHeaderAlone) {
    for (const std::string content : {"", "\n\n", kHeader}) {
        const auto path = write_temp("empty", content);
        EXPECT_EQ(read_error(path), path + ": no klines");
    }
}

TEST(KlineCsv, RefusesAMissingFile) {
    const std::string path = ::testing::TempDir() + "kline_does_not_exist.csv";
    std::remove(path.c_str());
    EXPECT_EQ(read_error(path), "cannot open " + path + ": No such file or directory");
}

TEST(KlineCsv, ReadsLinesLongerThanOneBlock) {
    // A 3 MiB header (the reader's buffer is 1 MiB) grows the buffer instead of splitting it.
    const auto path = write_temp("long_header", "x" + std::string(3u << 20, 'y') + "\n" + minutes(2));
    EXPECT_EQ(read_kline_csv(path, kBtc).size(), 2u);
}

TEST(KlineCsv, StreamsALargeFile) {
    constexpr int n = 100'000;
    std::string content = kHeader;
    for (int i = 0; i < n; ++i) {
        const std::string close = std::to_string(40'000 + i % 1000) + ".25";
        content += row(kT0 + i * kMinute, "40000", "41000", "39000", close.c_str());
    }
    const auto path = write_temp("large", content);  // ~9 MB: several blocks, rows across their edges
    KlineCsvReader r(path, kBtc);
    Candle c, last;
    while (r.next(c)) last = c;
    EXPECT_EQ(r.rows(), static_cast<std::size_t>(n));
    EXPECT_EQ(r.line(), static_cast<std::size_t>(n) + 1);
    EXPECT_TRUE(r.gaps().empty());
    EXPECT_EQ(last.open_time, (kT0 + (n - 1) * kMinute) * kNanosPerMilli);
    EXPECT_EQ(last.close, Price::parse("40999.25"));
}
