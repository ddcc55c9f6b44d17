// Every fixture file is accounted for: each one parses with the parser for its family, and
// the two outgoing requests are refused by the inbound dispatchers.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/logging.hpp"
#include "fixtures.hpp"
#include "venues/binance/parser.hpp"

using namespace te::binance;
using namespace te::binance::testing;

namespace {
const bool quiet_logs = (te::log::set_level(te::log::Level::Error), true);

ParseResult parse_any(Parser& p, const std::string& name, const std::string& json) {
    if (name.rfind("ws_", 0) == 0 || name.rfind("futures_", 0) == 0) {
        MarketMessage m;
        return p.parse_market(json, m);
    }
    if (name.rfind("user_", 0) == 0 || name.rfind("wsapi_", 0) == 0) {
        UserMessage m;
        return p.parse_user(json, m);
    }
    if (name.rfind("rest_error_", 0) == 0) {
        ErrorResponse e;
        return p.parse_error(json, e);
    }
    if (name == "rest_account.json") {
        Account a;
        return p.parse_account(json, a);
    }
    if (name == "rest_exchange_info_symbol.json") {
        ExchangeInfo i;
        return p.parse_exchange_info(json, i);
    }
    if (name == "rest_klines.json") {
        std::vector<te::Candle> c;
        return p.parse_klines(json, te::InstrumentId::of("X", "BINANCE"), te::Interval::M1, c);
    }
    if (name == "rest_open_orders.json") {
        std::vector<OrderReport> o;
        return p.parse_open_orders(json, o);
    }
    if (name == "rest_time.json") {
        te::UnixNanos t = 0;
        return p.parse_server_time(json, t);
    }
    OrderReport o;  // rest_order_*, rest_cancel_order
    return p.parse_order(json, o);
}
}  // namespace

TEST(Fixtures, EveryFixtureParses) {
    const std::filesystem::path dir = std::filesystem::path(TRADEENGINE_FIXTURES_DIR) / "binance";
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        Parser p;
        const auto r = parse_any(p, name, fixture(name));
        if (name.find("_request") != std::string::npos) {
            EXPECT_EQ(r.error, ParseError::UnknownMessage) << name;  // outgoing, never received
        } else {
            EXPECT_TRUE(r.ok()) << name << ": " << to_string(r.error) << " " << r.field;
        }
        ++n;
    }
    EXPECT_EQ(n, 32u);
}

TEST(Fixtures, ErrorMessagesVerbatim) {
    Parser p;
    ErrorResponse e;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"rest_error_duplicate.json", "Duplicate order sent."},
        {"rest_error_filter.json", "Filter failure: PRICE_FILTER"},
        {"rest_error_signature.json", "Signature for this request is not valid."},
        {"rest_error_timestamp.json", "Timestamp for this request is outside of the recvWindow."},
        {"rest_error_unknown_order.json", "Unknown order sent."}};
    for (const auto& [file, msg] : cases) {
        ASSERT_TRUE(p.parse_error(fixture(file), e).ok());
        EXPECT_EQ(e.msg, msg);
        EXPECT_EQ(e.id.kind, RequestId::Kind::None);
    }
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_error_unknown_method.json"), m).ok());
    EXPECT_EQ(m.error.msg,
              "Invalid request: unknown variant %s, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, "
              "`LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 28");
}
