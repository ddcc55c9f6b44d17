// Sans-I/O protocol state: stream-control messages, stream names, rate limits, config.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "venues/sim/config.hpp"
#include "venues/sim/exchange.hpp"
#include "venues/sim/rate_limit.hpp"
#include "venues/sim/streams.hpp"

using namespace te::sim;

namespace {
bool valid(std::string_view s) { return s.starts_with("btcusdt@"); }
}  // namespace

TEST(Subscriptions, SubscribeListUnsubscribe) {
    Subscriptions subs(3, false);
    auto r = subs.handle(R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@aggTrade"],"id":1})", valid);
    EXPECT_EQ(r.response, R"({"result":null,"id":1})");
    EXPECT_EQ(r.added.size(), 2u);
    r = subs.handle(R"({"method":"LIST_SUBSCRIPTIONS","id":"x1"})", valid);
    EXPECT_EQ(r.response, R"({"result":["btcusdt@aggTrade","btcusdt@trade"],"id":"x1"})");
    r = subs.handle(R"({"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":2})", valid);
    EXPECT_EQ(r.removed, std::vector<std::string>{"btcusdt@trade"});
    r = subs.handle(R"({"method":"SUBSCRIBE","params":["a","b"],"id":3})", valid);
    EXPECT_NE(r.response.find(R"("code":2)"), std::string::npos);
    r = subs.handle(R"({"method":"SUBSCRIBE","params":["btcusdt@1","btcusdt@2","btcusdt@3"],"id":4})", valid);
    EXPECT_NE(r.response.find("too many streams"), std::string::npos);
    EXPECT_TRUE(r.added.empty());
}

TEST(Subscriptions, PropertiesAndErrors) {
    Subscriptions subs(10, false);
    EXPECT_EQ(subs.handle(R"({"method":"GET_PROPERTY","params":["combined"],"id":2})", valid).response,
              R"({"result":false,"id":2})");
    EXPECT_EQ(subs.handle(R"({"method":"SET_PROPERTY","params":["combined",true],"id":5})", valid).response,
              R"({"result":null,"id":5})");
    EXPECT_TRUE(subs.combined());
    EXPECT_EQ(subs.handle(R"({"method":"GET_PROPERTY","params":["x"],"id":7})", valid).response,
              R"({"code":0,"msg":"Unknown property","id":7})");
    EXPECT_EQ(subs.handle(R"({"method":"SET_PROPERTY","params":["combined","no"],"id":7})", valid).response,
              R"({"code":1,"msg":"Invalid value type: expected Boolean","id":7})");
    EXPECT_NE(subs.handle("{\"method\":", valid).response.find(R"("code":3,"msg":"Invalid JSON)"), std::string::npos);
    EXPECT_NE(subs.handle(R"({"method":"GO","id":1})", valid).response.find("unknown variant `GO`"), std::string::npos);
    EXPECT_NE(subs.handle(R"({"id":1})", valid).response.find("missing field `method`"), std::string::npos);
    EXPECT_NE(subs.handle(R"({"method":"LIST_SUBSCRIPTIONS","id":1.5})", valid).response.find("request ID"),
              std::string::npos);
}

TEST(StreamNames, ParseAll) {
    SimConfig c = SimConfig::defaults();
    c.history_minutes = 1;
    Exchange ex(c, 1'700'000'040'000);
    EXPECT_TRUE(parse_stream(ex, "btcusdt@trade"));
    EXPECT_TRUE(parse_stream(ex, "ethusdt@aggTrade"));
    EXPECT_TRUE(parse_stream(ex, "btcusdt@bookTicker"));
    for (auto iv : te::EnumInfo<te::Interval>::names) EXPECT_TRUE(parse_stream(ex, "btcusdt@kline_" + std::string(iv)));
    EXPECT_FALSE(parse_stream(ex, "BTCUSDT@trade"));
    EXPECT_FALSE(parse_stream(ex, "btcusdt@kline_2m"));
    EXPECT_FALSE(parse_stream(ex, "xrpusdt@trade"));
    EXPECT_FALSE(parse_stream(ex, "btcusdt@depth"));
    EXPECT_FALSE(parse_stream(ex, "@trade"));
    EXPECT_EQ(stream_name(ex, 0, StreamKind::Kline, 1), "btcusdt@kline_1m");
}

TEST(WeightLimiter, Limit429ThenBan) {
    WeightLimiter w(10, 2, 60'000);
    const std::int64_t t = 60'000 * 100;
    EXPECT_EQ(w.charge("ip", 10, t).status, 200u);
    auto v = w.charge("ip", 1, t + 30'000);
    EXPECT_EQ(v.status, 429u);
    EXPECT_EQ(v.retry_after_s, 30);
    EXPECT_EQ(w.charge("ip", 1, t + 30'000).status, 429u);
    v = w.charge("ip", 1, t + 30'000);
    EXPECT_EQ(v.status, 418u);
    EXPECT_EQ(v.retry_after_s, 60);
    EXPECT_EQ(w.charge("ip", 1, t + 61'000).status, 418u);  // banned across the window
    EXPECT_EQ(w.charge("other", 1, t + 30'000).status, 200u);
    EXPECT_EQ(w.charge("ip", 1, t + 91'000).status, 200u);  // ban over, new window
}

TEST(OrderCounter, TenSecondWindow) {
    OrderCounter c(2, 100);
    EXPECT_TRUE(c.try_add(0, 10'000));
    EXPECT_TRUE(c.try_add(0, 10'001));
    EXPECT_FALSE(c.try_add(0, 19'999));
    EXPECT_TRUE(c.try_add(1, 19'999));
    EXPECT_TRUE(c.try_add(0, 20'000));
    EXPECT_EQ(c.count_10s(0, 20'000), 1);
    EXPECT_EQ(c.count_1d(0, 20'000), 3);
}

TEST(SimConfig, ParsesAndRejectsBadInput) {
    auto c = SimConfig::from_json(R"({"symbols":["BTCUSDT",{"symbol":"SOLUSDT","base_asset":"SOL","quote_asset":"USDT",
        "tick_size":"0.01","start_price":"150"}],"seed":9,"speed":600,"faults":{"stall":true}})");
    ASSERT_EQ(c.symbols.size(), 2u);
    EXPECT_EQ(c.symbols[1].start_price, te::Decimal::parse("150"));
    EXPECT_TRUE(c.faults.stall);
    EXPECT_THROW(SimConfig::from_json(R"({"nope":1})"), te::ConfigError);
    EXPECT_THROW(SimConfig::from_json(R"({"symbols":[{"symbol":"X","base_asset":"X","quote_asset":"Y","tick_size":0.01}]})"),
                 te::ConfigError);  // floats are refused for money
    EXPECT_THROW(SimConfig::from_json("{"), te::ConfigError);
    EXPECT_THROW(SimConfig::from_json(R"({"speed":0})"), te::ConfigError);
    auto f = faults_from_json(R"({"latency_us":5})", FaultConfig{});
    EXPECT_EQ(f.latency_us, 5);
    EXPECT_THROW(faults_from_json(R"({"meteor":true})", FaultConfig{}), te::ConfigError);
}
