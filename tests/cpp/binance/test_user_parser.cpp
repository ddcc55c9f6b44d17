#include <gtest/gtest.h>

#include "core/logging.hpp"
#include "fixtures.hpp"
#include "venues/binance/parser.hpp"

using namespace te;
using namespace te::binance;
using namespace te::binance::testing;

namespace {

const bool quiet_logs = (te::log::set_level(te::log::Level::Error), true);
constexpr UnixNanos kMs = kNanosPerMilli;

Obj execution_report() {
    return Obj{{{"e", q("executionReport")}, {"E", "1499405658658"}, {"s", q("ETHBTC")},
                {"c", q("mUvoqJxFIILMdfAW5iGSOW")}, {"S", q("BUY")}, {"o", q("LIMIT")}, {"f", q("GTC")},
                {"q", q("1.00000000")}, {"p", q("0.10264410")}, {"P", q("0.00000000")}, {"F", q("0.00000000")},
                {"g", "-1"}, {"C", q("")}, {"x", q("NEW")}, {"X", q("NEW")}, {"r", q("NONE")}, {"i", "4293153"},
                {"l", q("0.00000000")}, {"z", q("0.00000000")}, {"L", q("0.00000000")}, {"n", q("0")},
                {"N", "null"}, {"T", "1499405658657"}, {"t", "-1"}, {"v", "3"}, {"I", "8641984"}, {"w", "true"},
                {"m", "false"}, {"M", "false"}, {"O", "1499405658657"}, {"Z", q("0.00000000")},
                {"Y", q("0.00000000")}, {"Q", q("0.00000000")}, {"W", "1499405658657"}, {"V", q("NONE")}}};
}

// A fill of the same order.
Obj execution_report_fill() {
    return execution_report()
        .with("x", q("TRADE"))
        .with("X", q("PARTIALLY_FILLED"))
        .with("l", q("0.40000000"))
        .with("z", q("0.40000000"))
        .with("L", q("0.10264410"))
        .with("n", q("0.00000041"))
        .with("N", q("BNB"))
        .with("t", "77")
        .with("m", "true")
        .with("w", "false")
        .with("Z", q("0.04105764"))
        .with("Y", q("0.04105764"));
}

void expect_fixture_report(const ExecutionReport& r) {
    EXPECT_EQ(r.event_time, 1499405658658 * kMs);
    EXPECT_EQ(r.symbol.view(), "ETHBTC");
    EXPECT_EQ(r.client_order_id.view(), "mUvoqJxFIILMdfAW5iGSOW");
    EXPECT_EQ(r.side, Side::Buy);
    EXPECT_EQ(r.order_type, binance::OrderType::Limit);
    EXPECT_EQ(r.time_in_force, TimeInForce::Gtc);
    EXPECT_EQ(r.quantity, Quantity::parse("1"));
    EXPECT_EQ(r.price, Price::parse("0.1026441"));
    EXPECT_TRUE(r.stop_price.is_zero());
    EXPECT_TRUE(r.iceberg_quantity.is_zero());
    EXPECT_EQ(r.order_list_id, -1);
    EXPECT_TRUE(r.orig_client_order_id.empty());
    EXPECT_EQ(r.execution_type, ExecutionType::New);
    EXPECT_EQ(r.status, binance::OrderStatus::New);
    EXPECT_EQ(r.reject_reason.view(), "NONE");
    EXPECT_EQ(r.order_id, 4293153);
    EXPECT_TRUE(r.last_quantity.is_zero());
    EXPECT_TRUE(r.cumulative_quantity.is_zero());
    EXPECT_TRUE(r.last_price.is_zero());
    EXPECT_TRUE(r.commission.is_zero());
    EXPECT_TRUE(r.commission_asset.empty());  // "N": null
    EXPECT_EQ(r.transaction_time, 1499405658657 * kMs);
    EXPECT_EQ(r.trade_id, -1);
    EXPECT_EQ(r.prevented_match_id, 3);
    EXPECT_EQ(r.execution_id, 8641984);
    EXPECT_TRUE(r.is_working);
    EXPECT_FALSE(r.is_maker);
    EXPECT_EQ(r.order_creation_time, 1499405658657 * kMs);
    EXPECT_TRUE(r.cumulative_quote_quantity.is_zero());
    EXPECT_TRUE(r.last_quote_quantity.is_zero());
    EXPECT_TRUE(r.quote_order_quantity.is_zero());
    EXPECT_EQ(r.working_time, 1499405658657 * kMs);
    EXPECT_EQ(r.self_trade_prevention_mode.view(), "NONE");
    EXPECT_TRUE(r.expiry_reason.empty());
    EXPECT_FALSE(r.is_fill());
    EXPECT_EQ(to_engine_status(r.status), te::OrderStatus::Accepted);
}

}  // namespace

TEST(UserParser, BuilderReproducesTheFixture) {
    EXPECT_EQ(execution_report().str(), fixture("user_executionReport_new.json"));
}

TEST(UserParser, ExecutionReportFixture) {
    Parser p;
    UserMessage m;
    ASSERT_TRUE(p.parse_user(fixture("user_executionReport_new.json"), m, 11).ok());
    ASSERT_EQ(m.type, UserMessageType::ExecutionReport);
    EXPECT_FALSE(m.subscription_id.has_value());
    expect_fixture_report(m.execution_report);
    EXPECT_EQ(m.execution_report.ts_recv, 11);
}

TEST(UserParser, ExecutionReportFill) {
    Parser p;
    UserMessage m;
    ASSERT_TRUE(p.parse_user(execution_report_fill().with("eR", q("UNFILLED_IOC_QUANTITY_EXPIRED")).str(), m).ok());
    const auto& r = m.execution_report;
    EXPECT_TRUE(r.is_fill());
    EXPECT_EQ(r.status, binance::OrderStatus::PartiallyFilled);
    EXPECT_EQ(r.last_quantity, Quantity::parse("0.4"));
    EXPECT_EQ(r.last_price, Price::parse("0.1026441"));
    EXPECT_EQ(r.commission, Money::parse("0.00000041"));
    EXPECT_EQ(r.commission_asset.view(), "BNB");
    EXPECT_EQ(r.trade_id, 77);
    EXPECT_TRUE(r.is_maker);
    EXPECT_EQ(r.cumulative_quote_quantity, Money::parse("0.04105764"));
    EXPECT_EQ(r.expiry_reason.view(), "UNFILLED_IOC_QUANTITY_EXPIRED");
}

TEST(UserParser, ExecutionReportReorderedWithExtrasAndNulls) {
    Parser p;
    UserMessage m;
    Obj o = execution_report().reversed().with("d", "4").with("j", "1").with("Cs", "null").with("zz", "{\"a\":[]}");
    o = o.with("P", "null").with("C", "null").with("V", "null");
    ASSERT_TRUE(p.parse_user(o.str(), m).ok()) << o.str();
    EXPECT_EQ(m.execution_report.client_order_id.view(), "mUvoqJxFIILMdfAW5iGSOW");
    EXPECT_TRUE(m.execution_report.stop_price.is_zero());
    EXPECT_TRUE(m.execution_report.self_trade_prevention_mode.empty());
}

TEST(UserParser, ExecutionReportRequiredFields) {
    Parser p;
    UserMessage m;
    const std::vector<std::string> required = {"E", "s", "c", "S", "o", "f", "q", "p", "x", "X",
                                               "i", "l", "z", "L", "n", "T", "t", "m", "Z"};
    for (const auto& key : execution_report().keys()) {
        const bool is_required = std::find(required.begin(), required.end(), key) != required.end();
        const auto r = p.parse_user(execution_report().without(key).str(), m);
        if (key == "e") {
            EXPECT_EQ(r.error, ParseError::UnknownMessage);
        } else if (is_required) {
            EXPECT_EQ(r.error, ParseError::MissingField) << key;
            EXPECT_EQ(r.field, key);
        } else {
            EXPECT_TRUE(r.ok()) << key;
        }
    }
    EXPECT_EQ(p.stats().errors(ParseError::MissingField), required.size());
}

TEST(UserParser, ExecutionReportMistyped) {
    Parser p;
    UserMessage m;
    EXPECT_EQ(p.parse_user(execution_report().with("S", q("HOLD")).str(), m).error, ParseError::UnknownValue);
    EXPECT_EQ(p.parse_user(execution_report().with("x", q("MAGIC")).str(), m).error, ParseError::UnknownValue);
    EXPECT_EQ(p.parse_user(execution_report().with("X", "null").str(), m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_user(execution_report().with("q", "1.0").str(), m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_user(execution_report().with("q", q("1.0000000001")).str(), m).error, ParseError::TooPrecise);
    EXPECT_EQ(p.parse_user(execution_report().with("i", q("4293153")).str(), m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_user(execution_report().with("c", q(std::string(60, 'x'))).str(), m).error,
              ParseError::OutOfRange);
    // New order types and time-in-force values stay readable.
    ASSERT_TRUE(p.parse_user(execution_report().with("o", q("STOP_LOSS")).with("f", q("GTD")).str(), m).ok());
    EXPECT_EQ(m.execution_report.order_type, binance::OrderType::StopLoss);
    EXPECT_FALSE(m.execution_report.time_in_force.has_value());
    EXPECT_EQ(p.stats().errors_total(), 7u);
}

TEST(UserParser, AccountPositionFixtureAndWrapper) {
    Parser p;
    UserMessage m;
    ASSERT_TRUE(p.parse_user(fixture("user_outboundAccountPosition.json"), m).ok());
    ASSERT_EQ(m.type, UserMessageType::AccountPosition);
    EXPECT_EQ(m.account_position.event_time, 1564034571105 * kMs);
    EXPECT_EQ(m.account_position.last_update, 1564034571073 * kMs);
    ASSERT_EQ(m.account_position.balances.size(), 1u);
    EXPECT_EQ(m.account_position.balances[0].asset.view(), "ETH");
    EXPECT_EQ(m.account_position.balances[0].free, Quantity::parse("10000"));
    EXPECT_TRUE(m.account_position.balances[0].locked.is_zero());

    ASSERT_TRUE(p.parse_user(fixture("wsapi_event_wrapper.json"), m).ok());
    ASSERT_EQ(m.type, UserMessageType::AccountPosition);
    EXPECT_EQ(m.subscription_id, 0);
    ASSERT_EQ(m.account_position.balances.size(), 1u);
    EXPECT_EQ(m.account_position.balances[0].free, Quantity::parse("10000"));

    // Wrapper reversed, event first.
    const std::string rev = R"({"event":)" + execution_report().str() + R"(,"subscriptionId":3})";
    ASSERT_TRUE(p.parse_user(rev, m).ok());
    ASSERT_EQ(m.type, UserMessageType::ExecutionReport);
    EXPECT_EQ(m.subscription_id, 3);
    expect_fixture_report(m.execution_report);

    EXPECT_EQ(p.parse_user(R"({"subscriptionId":0,"event":{"E":1}})", m).field, "event.e");
    EXPECT_EQ(p.parse_user(R"({"subscriptionId":0})", m).field, "event");
    EXPECT_EQ(p.parse_user(R"({"event":{"e":"eventStreamTerminated","E":1}})", m).field, "subscriptionId");
    EXPECT_EQ(p.parse_user(R"({"e":"outboundAccountPosition","E":1,"u":2,"B":[{"a":"ETH","f":"1"}]})", m).field,
              "balances[].locked");
    EXPECT_EQ(p.parse_user(R"({"e":"outboundAccountPosition","E":1,"u":2,"B":{}})", m).error, ParseError::WrongType);
}

TEST(UserParser, BalanceUpdateAndTermination) {
    Parser p;
    UserMessage m;
    ASSERT_TRUE(p.parse_user(fixture("user_balanceUpdate.json"), m).ok());
    ASSERT_EQ(m.type, UserMessageType::BalanceUpdate);
    EXPECT_EQ(m.balance_update.event_time, 1573200697110 * kMs);
    EXPECT_EQ(m.balance_update.asset.view(), "BTC");
    EXPECT_EQ(m.balance_update.delta, Quantity::parse("100"));
    EXPECT_EQ(m.balance_update.clear_time, 1573200697068 * kMs);
    for (const std::string key : {"E", "a", "d", "T"}) {
        Obj o{{{"e", q("balanceUpdate")}, {"E", "1"}, {"a", q("BTC")}, {"d", q("-1.5")}, {"T", "2"}}};
        EXPECT_EQ(p.parse_user(o.without(key).str(), m).field, key);
        ASSERT_TRUE(p.parse_user(o.reversed().str(), m).ok());
        EXPECT_EQ(m.balance_update.delta, Quantity::parse("-1.5"));
    }
    ASSERT_TRUE(p.parse_user(R"({"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1728973001334}})", m)
                    .ok());
    ASSERT_EQ(m.type, UserMessageType::StreamTerminated);
    EXPECT_EQ(m.terminated.event_time, 1728973001334 * kMs);
    ASSERT_TRUE(p.parse_user(R"({"e":"listStatus","E":1,"s":"X"})", m).ok());
    EXPECT_EQ(m.type, UserMessageType::Unknown);
    EXPECT_EQ(m.event_name, "listStatus");
    EXPECT_EQ(p.stats().messages_ignored(), 1u);
}

TEST(UserParser, ApiEnvelope) {
    Parser p;
    UserMessage m;
    ASSERT_TRUE(p.parse_user(fixture("wsapi_userDataStream_subscribe_response.json"), m).ok());
    ASSERT_EQ(m.type, UserMessageType::ApiResponse);
    const WsApiResponse& r = m.response;
    EXPECT_EQ(r.id.kind, RequestId::Kind::Str);
    EXPECT_EQ(r.id.str.view(), "d3df8a22-98ea-4fe0-9f4e-0fcea5d418b7");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.has_error);
    EXPECT_EQ(r.subscription_id, 0);
    EXPECT_EQ(r.result_json, R"({"subscriptionId":0})");

    ASSERT_TRUE(p.parse_user(fixture("wsapi_error.json"), m).ok());
    EXPECT_EQ(m.response.id.str.view(), "abc");
    EXPECT_EQ(m.response.status, 400);
    EXPECT_TRUE(m.response.has_error);
    EXPECT_EQ(m.response.error_code, -2010);
    EXPECT_EQ(m.response.error_msg, "Account has insufficient balance for requested action.");
    EXPECT_FALSE(m.response.subscription_id.has_value());

    const std::string with_limits =
        R"({"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":70},)"
        R"({"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50}],)"
        R"("result":{"symbol":"BTCUSDT","orderId":28},"status":200,"id":17})";
    ASSERT_TRUE(p.parse_user(with_limits, m).ok());
    EXPECT_EQ(m.response.id.num, 17);
    EXPECT_EQ(m.response.result_json, R"({"symbol":"BTCUSDT","orderId":28})");
    ASSERT_EQ(m.response.rate_limit_count, 2u);
    EXPECT_EQ(m.response.rate_limits[0].type.view(), "REQUEST_WEIGHT");
    EXPECT_EQ(m.response.rate_limits[0].interval.view(), "MINUTE");
    EXPECT_EQ(m.response.rate_limits[0].interval_num, 1);
    EXPECT_EQ(m.response.rate_limits[0].limit, 6000);
    EXPECT_EQ(m.response.rate_limits[0].count, 70);
    EXPECT_EQ(m.response.rate_limits[1].limit, 50);

    ASSERT_TRUE(p.parse_user(R"({"id":null,"status":200,"result":[1,2]})", m).ok());
    EXPECT_EQ(m.response.result_json, "[1,2]");
    EXPECT_EQ(m.response.id.kind, RequestId::Kind::None);

    EXPECT_EQ(p.parse_user(R"({"id":1,"result":{}})", m).field, "status");
    EXPECT_EQ(p.parse_user(R"({"id":1,"status":400})", m).field, "error");
    EXPECT_EQ(p.parse_user(R"({"id":1,"status":200})", m).field, "result");
    EXPECT_EQ(p.parse_user(R"({"id":1,"status":400,"error":{"code":-1}})", m).field, "msg");
    EXPECT_EQ(p.parse_user(R"({"id":[1],"status":200,"result":null})", m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_user(R"({"id":1,"status":200,"result":{},"rateLimits":[{"limit":1}]})", m).field,
              "rateLimits[].rateLimitType");
    EXPECT_EQ(p.parse_user(R"({"hello":1})", m).error, ParseError::UnknownMessage);
}

TEST(UserParser, TruncatedInputIsACountedError) {
    Parser p;
    UserMessage m;
    const std::string full = fixture("wsapi_event_wrapper.json");
    for (std::size_t n = 0; n < full.size(); ++n) EXPECT_FALSE(p.parse_user(full.substr(0, n), m).ok()) << n;
    EXPECT_EQ(p.stats().errors_total(), full.size());
    EXPECT_TRUE(p.parse_user(full, m).ok());
}
