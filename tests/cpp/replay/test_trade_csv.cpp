// Binance trades and aggTrades CSV replay: both layouts, with and without header, ms and µs,
// the aggressor side, and bad data refused with the file and line named.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <ostream>
#include <string>

#include "core/errors.hpp"
#include "replay/trade_csv.hpp"

using namespace te;
using namespace te::replay;

namespace {

constexpr std::int64_t kT0 = 1'700'000'040'123;
const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");
const char* const kAggHeader =
    "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\n";
const char* const kTradesHeader = "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n";

std::string write_temp(const std::string& name, const std::string& content) {
    const std::string path = ::testing::TempDir() + "trades_" + name + ".csv";
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::string agg(std::int64_t id, std::int64_t time, const char* maker = "True", const char* price = "41010.50000000",
                const char* qty = "0.01200000") {
    return std::to_string(id) + "," + price + "," + qty + "," + std::to_string(id * 10) + "," +
           std::to_string(id * 10 + 2) + "," + std::to_string(time) + "," + maker + ",True\n";
}

std::string trade(std::int64_t id, std::int64_t time, const char* maker = "false", const char* price = "41010.5",
                  const char* qty = "0.5") {
    return std::to_string(id) + "," + price + "," + qty + ",20505.25," + std::to_string(time) + "," + maker + ",true\n";
}

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
    return data_error([&] { read_trade_csv(path, kBtc); });
}

}  // namespace

TEST(TradeCsv, ReadsAggTradesWithoutHeader) {
    const auto path = write_temp("agg", agg(7, kT0, "True") + agg(8, kT0, "False") + agg(9, kT0 + 5, "true"));
    TradeCsvReader r(path, kBtc);
    Trade t;
    ASSERT_TRUE(r.next(t));
    EXPECT_EQ(r.format(), TradeCsvFormat::AggTrades);
    EXPECT_EQ(t.instrument_id, kBtc);
    EXPECT_EQ(t.trade_id, 7);
    EXPECT_EQ(t.price, Price::parse("41010.5"));
    EXPECT_EQ(t.quantity, Quantity::parse("0.012"));
    EXPECT_EQ(t.aggressor_side, Side::Sell);  // the buyer was the maker: a seller took
    EXPECT_EQ(t.ts_event, kT0 * kNanosPerMilli);
    EXPECT_EQ(t.ts_recv, t.ts_event);
    ASSERT_TRUE(r.next(t));  // the same millisecond is fine
    EXPECT_EQ(t.aggressor_side, Side::Buy);
    ASSERT_TRUE(r.next(t));
    EXPECT_EQ(t.aggressor_side, Side::Sell);
    EXPECT_EQ(r.line(), 3u);
    EXPECT_FALSE(r.next(t));
    EXPECT_EQ(r.rows(), 3u);
    EXPECT_EQ(r.path(), path);
}

TEST(TradeCsv, ReadsTradesWithHeaderInMicrosecondsAndCrlf) {
    const std::int64_t t0 = 1'735'689'600'123'456;  // 2025-01-01, microseconds
    std::string content = std::string(kTradesHeader) + trade(1, t0, "false") + trade(2, t0 + 1, "False") +
                          trade(3, t0 + 1, "true") + "\n";
    std::string crlf;
    for (const char ch : content) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    TradeCsvReader r(write_temp("trades_us", crlf), kBtc);
    Trade t;
    ASSERT_TRUE(r.next(t));
    EXPECT_EQ(r.format(), TradeCsvFormat::Trades);
    EXPECT_EQ(r.line(), 2u);
    EXPECT_EQ(t.trade_id, 1);
    EXPECT_EQ(t.quantity, Quantity::parse("0.5"));
    EXPECT_EQ(t.aggressor_side, Side::Buy);
    EXPECT_EQ(t.ts_event, t0 * kNanosPerMicro);
    ASSERT_TRUE(r.next(t));
    ASSERT_TRUE(r.next(t));
    EXPECT_EQ(t.aggressor_side, Side::Sell);  // read from "true\r": the '\r' is gone
    EXPECT_FALSE(r.next(t));
    EXPECT_EQ(r.rows(), 3u);
}

TEST(TradeCsv, ReadsAggTradesWithHeaderAsAVector) {
    const auto trades = read_trade_csv(write_temp("agg_header", kAggHeader + agg(1, kT0) + agg(2, kT0 + 1)), kBtc);
    ASSERT_EQ(trades.size(), 2u);
    EXPECT_EQ(trades[1].trade_id, 2);
}

struct BadTrades {
    const char* name;
    std::string content;
    std::size_t line;
    std::string message;  // what the error says after "<file>:<line>: "
    friend void PrintTo(const BadTrades& b, std::ostream* os) { *os << b.name; }
};

class TradeCsvRefuses : public ::testing::TestWithParam<BadTrades> {};

TEST_P(TradeCsvRefuses, NamingTheFileLineAndField) {
    const BadTrades& bad = GetParam();
    const auto path = write_temp(std::string("bad_") + bad.name, bad.content);
    const auto e = read_error(path);
    const std::string where = path + ":" + std::to_string(bad.line) + ": ";
    EXPECT_EQ(e.rfind(where, 0), 0u) << e;
    EXPECT_NE(e.find(where + bad.message), std::string::npos) << e;
}

INSTANTIATE_TEST_SUITE_P(
    BadData, TradeCsvRefuses,
    ::testing::Values(
        BadTrades{"columns_first", std::string(kTradesHeader) + "1,2,3,4,5,6\n", 2,
                  "expected 7 columns (Binance trades CSV: id,price,qty,quote_qty,time,is_buyer_maker,is_best_match) "
                  "or 8 columns (Binance aggTrades CSV: "},
        BadTrades{"columns_later", agg(1, kT0) + trade(2, kT0), 2,
                  "expected 8 columns (Binance aggTrades CSV: agg_trade_id,price,quantity,first_trade_id,"
                  "last_trade_id,transact_time,is_buyer_maker,is_best_match), got 7"},
        BadTrades{"decreasing", agg(1, kT0) + agg(2, kT0 + 3) + agg(3, kT0 + 2), 3,
                  "transact_time 1700000040125 is before the previous row's 1700000040126 (rows out of order"},
        BadTrades{"decreasing_trades", trade(1, kT0) + trade(2, kT0 - 1), 2,
                  "time 1700000040122 is before the previous row's 1700000040123"},
        BadTrades{"unit_switch", agg(1, kT0) + agg(2, kT0 * 1000), 2,
                  "timestamps switch from milliseconds to microseconds"},
        BadTrades{"unit_switch_back", trade(1, kT0 * 1000) + trade(2, kT0 + 1), 2,
                  "timestamps switch from microseconds to milliseconds"},
        BadTrades{"boolean", agg(1, kT0) + agg(2, kT0, "yes"), 2,
                  "is_buyer_maker 'yes' is not a boolean (expected True, true, False or false)"},
        BadTrades{"best_match", "1,1,1,1,1,1700000040123,True,TRUE\n", 1, "is_best_match 'TRUE' is not a boolean"},
        BadTrades{"price_text", trade(1, kT0, "true", "41k"), 1,
                  "price '41k' is not a number (expected a price: a decimal >= 0)"},
        BadTrades{"negative_qty", trade(1, kT0, "true", "1", "-0.5"), 1,
                  "qty -0.5 is negative (expected a quantity: a decimal >= 0)"},
        BadTrades{"negative_agg_qty", agg(1, kT0, "true", "1", "-0.5"), 1, "quantity -0.5 is negative"},
        BadTrades{"trade_ids", "1,1,1,20,10,1700000040123,True,True\n", 1,
                  "last_trade_id 10 is below first_trade_id 20 (expected first_trade_id <= last_trade_id)"},
        BadTrades{"id_text", agg(1, kT0) + "x1,1,1,20,30,1700000040123,True,True\n", 2,
                  "agg_trade_id 'x1' is not a count"},
        BadTrades{"time_text", "1,1,1,1,1.5,true,true\n", 1, "time '1.5' is not a timestamp"},
        BadTrades{"empty_line_inside", agg(1, kT0) + "\r\n" + agg(2, kT0), 2, "empty line"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(TradeCsv, RefusesAnEmptyFileAndAHeaderAlone) {
    for (const std::string content : {"", "\r\n", kAggHeader}) {
        const auto path = write_temp("empty", content);
        EXPECT_EQ(read_error(path), path + ": no trades");
    }
}

TEST(TradeCsv, RefusesAMissingFile) {
    const std::string path = ::testing::TempDir() + "trades_does_not_exist.csv";
    std::remove(path.c_str());
    EXPECT_EQ(read_error(path), "cannot open " + path + ": No such file or directory");
}

TEST(TradeCsv, StreamsALargeFile) {
    constexpr int n = 100'000;
    std::string content = kAggHeader;
    for (int i = 0; i < n; ++i) content += agg(i, kT0 + i / 3, i % 2 == 0 ? "True" : "False");
    TradeCsvReader r(write_temp("large", content), kBtc);
    Trade t, last;
    while (r.next(t)) last = t;
    EXPECT_EQ(r.rows(), static_cast<std::size_t>(n));
    EXPECT_EQ(last.trade_id, n - 1);
    EXPECT_EQ(last.ts_event, (kT0 + (n - 1) / 3) * kNanosPerMilli);
    EXPECT_EQ(last.aggressor_side, Side::Buy);
}
