#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "venues/binance/market_data_client.hpp"

using te::binance::MarketDataConfig;
using te::binance::plan_streams;
using te::binance::validate;

namespace {

MarketDataConfig good() {
    MarketDataConfig c;
    c.symbols = {"BTCUSDT", "ETHUSDT"};
    c.intervals = {"1m", "1h"};
    c.trades = true;
    c.quotes = true;
    return c;
}

std::string problems(const MarketDataConfig& c) {
    try {
        validate(c);
    } catch (const te::ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(MarketDataConfig, StreamNamesAndSharding) {
    auto c = good();
    const auto plan = plan_streams(c);
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0], (std::vector<std::string>{"btcusdt@kline_1m", "btcusdt@kline_1h", "btcusdt@trade",
                                                 "btcusdt@bookTicker", "ethusdt@kline_1m", "ethusdt@kline_1h",
                                                 "ethusdt@trade", "ethusdt@bookTicker"}));
    c.max_streams_per_connection = 3;
    const auto sharded = plan_streams(c);
    ASSERT_EQ(sharded.size(), 3u);
    EXPECT_EQ(sharded[0].size(), 3u);
    EXPECT_EQ(sharded[2].size(), 2u);
    EXPECT_EQ(problems(good()), "");
}

TEST(MarketDataConfig, EveryProblemIsListedBeforeAnyConnection) {
    MarketDataConfig c;
    c.stream_url = "https://stream.binance.com";
    c.rest_url = "api.binance.com";
    c.symbols = {"btcusdt", "ETHUSDT", "ETHUSDT"};
    c.intervals = {"1m", "7m"};
    c.max_streams_per_connection = 2000;
    const auto msg = problems(c);
    for (const char* part : {"stream_url", "rest_url", "symbol 'btcusdt'", "'ETHUSDT' is listed twice",
                             "Interval '7m'", "max_streams_per_connection 2000"})
        EXPECT_NE(msg.find(part), std::string::npos) << part << " missing in: " << msg;
}

TEST(MarketDataConfig, TooManyStreamsAndNothingToSubscribe) {
    MarketDataConfig c;
    c.symbols = {"BTCUSDT"};
    EXPECT_NE(problems(c).find("nothing to subscribe"), std::string::npos);
    c.intervals = {"1m"};
    c.symbols.clear();
    for (int i = 0; i < 300; ++i) c.symbols.push_back("SYM" + std::to_string(i));
    c.max_streams_per_connection = 10;
    c.max_connections = 2;
    EXPECT_NE(problems(c).find("300 streams are more than allowed"), std::string::npos) << problems(c);
}
