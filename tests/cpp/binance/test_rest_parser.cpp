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

Obj order_full_fields() {
    return Obj{{{"symbol", q("BTCUSDT")}, {"orderId", "28"}, {"orderListId", "-1"},
                {"clientOrderId", q("6gCrw2kRUAF9CvJDGP16IP")}, {"transactTime", "1507725176595"},
                {"price", q("0.00000000")}, {"origQty", q("10.00000000")}, {"executedQty", q("10.00000000")},
                {"origQuoteOrderQty", q("0.000000")}, {"cummulativeQuoteQty", q("10.00000000")},
                {"status", q("FILLED")}, {"timeInForce", q("GTC")}, {"type", q("MARKET")}, {"side", q("SELL")},
                {"workingTime", "1507725176595"}, {"selfTradePreventionMode", q("NONE")}}};
}
const char* kFills =
    R"([{"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":56},)"
    R"({"price":"3999.00000000","qty":"5.00000000","commission":"19.99500000","commissionAsset":"USDT","tradeId":57}])";

}  // namespace

TEST(RestParser, OrderAck) {
    Parser p;
    OrderReport o;
    ASSERT_TRUE(p.parse_order(fixture("rest_order_ack.json"), o).ok());
    EXPECT_EQ(o.kind, OrderResponseKind::Ack);
    EXPECT_EQ(o.symbol.view(), "BTCUSDT");
    EXPECT_EQ(o.order_id, 28);
    EXPECT_EQ(o.order_list_id, -1);
    EXPECT_EQ(o.client_order_id.view(), "6gCrw2kRUAF9CvJDGP16IP");
    EXPECT_EQ(o.transact_time, 1507725176595 * kMs);
    EXPECT_TRUE(o.fills.empty());
}

TEST(RestParser, OrderFullAndResult) {
    EXPECT_EQ(order_full_fields().with("fills", kFills).str(), fixture("rest_order_full.json"));
    Parser p;
    OrderReport o;
    ASSERT_TRUE(p.parse_order(fixture("rest_order_full.json"), o).ok());
    EXPECT_EQ(o.kind, OrderResponseKind::Full);
    EXPECT_EQ(o.symbol.view(), "BTCUSDT");
    EXPECT_EQ(o.order_id, 28);
    EXPECT_EQ(o.client_order_id.view(), "6gCrw2kRUAF9CvJDGP16IP");
    EXPECT_EQ(o.transact_time, 1507725176595 * kMs);
    EXPECT_TRUE(o.price.is_zero());
    EXPECT_EQ(o.orig_quantity, Quantity::parse("10"));
    EXPECT_EQ(o.executed_quantity, Quantity::parse("10"));
    EXPECT_TRUE(o.orig_quote_order_quantity.is_zero());
    EXPECT_EQ(o.cumulative_quote_quantity, Money::parse("10"));
    EXPECT_EQ(o.status, binance::OrderStatus::Filled);
    EXPECT_EQ(o.time_in_force, TimeInForce::Gtc);
    EXPECT_EQ(o.type, binance::OrderType::Market);
    EXPECT_EQ(o.side, Side::Sell);
    EXPECT_EQ(o.working_time, 1507725176595 * kMs);
    EXPECT_EQ(o.self_trade_prevention_mode.view(), "NONE");
    ASSERT_EQ(o.fills.size(), 2u);
    EXPECT_EQ(o.fills[0].price, Price::parse("4000"));
    EXPECT_EQ(o.fills[0].quantity, Quantity::parse("1"));
    EXPECT_EQ(o.fills[0].commission, Money::parse("4"));
    EXPECT_EQ(o.fills[0].commission_asset.view(), "USDT");
    EXPECT_EQ(o.fills[0].trade_id, 56);
    EXPECT_EQ(o.fills[1].price, Price::parse("3999"));
    EXPECT_EQ(o.fills[1].quantity, Quantity::parse("5"));
    EXPECT_EQ(o.fills[1].commission, Money::parse("19.995"));
    EXPECT_EQ(o.fills[1].trade_id, 57);

    // RESULT: the same without fills; reordered; the fills vector is reset.
    ASSERT_TRUE(p.parse_order(order_full_fields().reversed().str(), o).ok());
    EXPECT_EQ(o.kind, OrderResponseKind::Result);
    EXPECT_TRUE(o.fills.empty());
    EXPECT_EQ(o.status, binance::OrderStatus::Filled);
}

TEST(RestParser, OrderRequiredFields) {
    Parser p;
    OrderReport o;
    for (const std::string key : {"symbol", "orderId", "clientOrderId", "price", "origQty", "executedQty",
                                  "cummulativeQuoteQty", "status", "timeInForce", "type", "side"}) {
        const auto r = p.parse_order(order_full_fields().without(key).str(), o);
        EXPECT_EQ(r.error, ParseError::MissingField) << key;
        EXPECT_EQ(r.field, key);
    }
    for (const std::string key : {"price", "qty", "commission", "commissionAsset", "tradeId"}) {
        Obj fill{{{"price", q("1")}, {"qty", q("1")}, {"commission", q("0")}, {"commissionAsset", q("BNB")},
                  {"tradeId", "1"}}};
        const auto r = p.parse_order(order_full_fields().with("fills", "[" + fill.without(key).str() + "]").str(), o);
        EXPECT_EQ(r.field, "fills[]." + key);
    }
    EXPECT_EQ(p.parse_order(order_full_fields().with("status", q("DONE")).str(), o).error, ParseError::UnknownValue);
    EXPECT_EQ(p.parse_order(order_full_fields().with("side", "null").str(), o).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_order(order_full_fields().with("orderId", q("28")).str(), o).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_order(order_full_fields().with("origQty", q("1.0000000001")).str(), o).error,
              ParseError::TooPrecise);
    EXPECT_EQ(p.parse_order(order_full_fields().with("fills", "{}").str(), o).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_order("[]", o).error, ParseError::WrongType);
    EXPECT_EQ(p.stats().errors_total(), 22u);
}

TEST(RestParser, Cancel) {
    Parser p;
    OrderReport o;
    ASSERT_TRUE(p.parse_order(fixture("rest_cancel_order.json"), o).ok());
    EXPECT_EQ(o.kind, OrderResponseKind::Result);
    EXPECT_EQ(o.symbol.view(), "LTCBTC");
    EXPECT_EQ(o.orig_client_order_id.view(), "myOrder1");
    EXPECT_EQ(o.order_id, 4);
    EXPECT_EQ(o.order_list_id, -1);
    EXPECT_EQ(o.client_order_id.view(), "cancelMyOrder1");
    EXPECT_EQ(o.transact_time, 1684804350068 * kMs);
    EXPECT_EQ(o.price, Price::parse("2"));
    EXPECT_EQ(o.orig_quantity, Quantity::parse("1"));
    EXPECT_TRUE(o.executed_quantity.is_zero());
    EXPECT_TRUE(o.orig_quote_order_quantity.is_zero());
    EXPECT_TRUE(o.cumulative_quote_quantity.is_zero());
    EXPECT_EQ(o.status, binance::OrderStatus::Canceled);
    EXPECT_EQ(o.time_in_force, TimeInForce::Gtc);
    EXPECT_EQ(o.type, binance::OrderType::Limit);
    EXPECT_EQ(o.side, Side::Buy);
    EXPECT_EQ(o.self_trade_prevention_mode.view(), "NONE");
    EXPECT_EQ(to_engine_status(o.status), te::OrderStatus::Canceled);
}

TEST(RestParser, OpenOrders) {
    Parser p;
    std::vector<OrderReport> orders;
    ASSERT_TRUE(p.parse_open_orders(fixture("rest_open_orders.json"), orders).ok());
    ASSERT_EQ(orders.size(), 1u);
    const OrderReport& o = orders[0];
    EXPECT_EQ(o.symbol.view(), "LTCBTC");
    EXPECT_EQ(o.order_id, 1);
    EXPECT_EQ(o.order_list_id, -1);
    EXPECT_EQ(o.client_order_id.view(), "myOrder1");
    EXPECT_EQ(o.price, Price::parse("0.1"));
    EXPECT_EQ(o.orig_quantity, Quantity::parse("1"));
    EXPECT_TRUE(o.executed_quantity.is_zero());
    EXPECT_TRUE(o.cumulative_quote_quantity.is_zero());
    EXPECT_EQ(o.status, binance::OrderStatus::New);
    EXPECT_EQ(o.time_in_force, TimeInForce::Gtc);
    EXPECT_EQ(o.type, binance::OrderType::Limit);
    EXPECT_EQ(o.side, Side::Buy);
    EXPECT_TRUE(o.stop_price.is_zero());
    EXPECT_TRUE(o.iceberg_quantity.is_zero());
    EXPECT_EQ(o.time, 1499827319559 * kMs);
    EXPECT_EQ(o.update_time, 1499827319559 * kMs);
    EXPECT_TRUE(o.is_working);
    EXPECT_TRUE(o.orig_quote_order_quantity.is_zero());
    EXPECT_EQ(o.working_time, 1499827319559 * kMs);
    EXPECT_EQ(o.self_trade_prevention_mode.view(), "NONE");

    ASSERT_TRUE(p.parse_open_orders("[]", orders).ok());
    EXPECT_TRUE(orders.empty());
    const std::string no_time = replace(fixture("rest_open_orders.json"), R"("time":1499827319559,)", "");
    EXPECT_EQ(p.parse_open_orders(no_time, orders).field, "time");
    EXPECT_TRUE(orders.empty());  // nothing half-parsed is left behind
    EXPECT_EQ(p.parse_open_orders("{}", orders).error, ParseError::WrongType);
}

TEST(RestParser, Account) {
    Parser p;
    Account a;
    ASSERT_TRUE(p.parse_account(fixture("rest_account.json"), a).ok());
    EXPECT_EQ(a.maker_commission, 15);
    EXPECT_EQ(a.taker_commission, 15);
    EXPECT_EQ(a.commission_rates.maker, Decimal::parse("0.0015"));
    EXPECT_EQ(a.commission_rates.taker, Decimal::parse("0.0015"));
    EXPECT_TRUE(a.commission_rates.buyer.is_zero());
    EXPECT_TRUE(a.commission_rates.seller.is_zero());
    EXPECT_TRUE(a.can_trade);
    EXPECT_TRUE(a.can_withdraw);
    EXPECT_TRUE(a.can_deposit);
    EXPECT_EQ(a.update_time, 123456789 * kMs);
    EXPECT_EQ(a.account_type.view(), "SPOT");
    EXPECT_EQ(a.uid, 354937868);
    ASSERT_EQ(a.balances.size(), 2u);
    EXPECT_EQ(a.balances[0].asset.view(), "BTC");
    EXPECT_EQ(a.balances[0].free, Quantity::parse("4723846.89208129"));
    EXPECT_TRUE(a.balances[0].locked.is_zero());
    EXPECT_EQ(a.balances[1].asset.view(), "LTC");
    EXPECT_EQ(a.balances[1].free, Quantity::parse("4763368.68006011"));

    EXPECT_EQ(p.parse_account(replace(fixture("rest_account.json"), R"("canTrade":true,)", ""), a).field, "canTrade");
    EXPECT_EQ(p.parse_account(replace(fixture("rest_account.json"), R"("free":"4723846.89208129")", R"("free":1)"), a)
                  .error,
              ParseError::WrongType);
    EXPECT_EQ(p.parse_account(replace(fixture("rest_account.json"), R"("maker":"0.00150000")", R"("maker":"x")"), a)
                  .field,
              "commissionRates.maker");
}

// PEPE-sized balances (Binance: 5e10 and more) parse exactly; a value that still does not fit
// is an error for that field, and the failing entry's asset is left last for the message.
TEST(RestParser, AccountWithBalancesBeyondTheOldRange) {
    Parser p;
    Account a;
    const std::string base = fixture("rest_account.json");
    ASSERT_TRUE(p.parse_account(replace(base, R"("free":"4723846.89208129")", R"("free":"50000000000.12345678")"), a).ok());
    EXPECT_EQ(a.balances[0].free, Quantity::parse("50000000000.12345678"));
    ASSERT_TRUE(p.parse_account(replace(base, R"("free":"4723846.89208129")", R"("free":"100000000000000000000")"), a).ok());
    EXPECT_EQ(a.balances[0].free.to_string(), "100000000000000000000");

    struct Case {
        const char* text;
        ParseError error;
    };
    for (const Case& c : {Case{R"("1e400")", ParseError::OutOfRange}, Case{R"("1000000000000000000000000000000")", ParseError::OutOfRange},
                          Case{R"("0.0000000001")", ParseError::TooPrecise}, Case{R"("1.5e-12")", ParseError::TooPrecise},
                          Case{R"("12,5")", ParseError::BadDecimal}, Case{R"("")", ParseError::BadDecimal},
                          Case{R"("0x10")", ParseError::BadDecimal}, Case{R"(1e5)", ParseError::WrongType}}) {
        const auto r = p.parse_account(replace(base, R"("free":"4723846.89208129")", std::string(R"("free":)") + c.text), a);
        EXPECT_EQ(r.error, c.error) << c.text;
        EXPECT_EQ(r.field, "balances[].free") << c.text;
        ASSERT_FALSE(a.balances.empty()) << c.text;
        EXPECT_EQ(a.balances.back().asset.view(), "BTC") << c.text;
    }
    const auto before = p.stats().errors(ParseError::OutOfRange);
    (void)p.parse_account(replace(base, R"("locked":"0.00000000")", R"("locked":"1e30")"), a);
    EXPECT_EQ(p.stats().errors(ParseError::OutOfRange), before + 1);  // counted
}

TEST(RestParser, ExchangeInfoToInstrument) {
    Parser p;
    ExchangeInfo info;
    ASSERT_TRUE(p.parse_exchange_info(fixture("rest_exchange_info_symbol.json"), info).ok());
    EXPECT_EQ(info.server_time, 1565246363776 * kMs);
    ASSERT_EQ(info.rate_limits.size(), 4u);
    EXPECT_EQ(info.rate_limits[0].type, "REQUEST_WEIGHT");
    EXPECT_EQ(info.rate_limits[0].interval, "MINUTE");
    EXPECT_EQ(info.rate_limits[0].interval_num, 1);
    EXPECT_EQ(info.rate_limits[0].limit, 6000);
    EXPECT_EQ(info.rate_limits[3].type, "RAW_REQUESTS");
    EXPECT_EQ(info.rate_limits[3].limit, 61000);
    ASSERT_EQ(info.symbols.size(), 1u);
    const SymbolInfo& s = info.symbols[0];
    EXPECT_EQ(s.symbol, "BTCUSDT");
    EXPECT_EQ(s.status, "TRADING");
    EXPECT_EQ(s.base_asset, "BTC");
    EXPECT_EQ(s.quote_asset, "USDT");
    EXPECT_EQ(s.base_asset_precision, 8);
    EXPECT_EQ(s.quote_asset_precision, 8);
    EXPECT_TRUE(s.has_price_filter);
    EXPECT_EQ(s.min_price, Price::parse("0.01"));
    EXPECT_EQ(s.max_price, Price::parse("1000000"));
    EXPECT_EQ(s.tick_size, Price::parse("0.01"));
    EXPECT_TRUE(s.has_lot_size);
    EXPECT_EQ(s.min_quantity, Quantity::parse("0.00001"));
    EXPECT_EQ(s.max_quantity, Quantity::parse("9000"));
    EXPECT_EQ(s.step_size, Quantity::parse("0.00001"));
    EXPECT_TRUE(s.has_notional);
    EXPECT_EQ(s.min_notional, Money::parse("5"));
    EXPECT_EQ(s.max_notional, Money::parse("9000000"));

    const Instrument inst = to_instrument(s);
    EXPECT_EQ(inst.id().view(), "BTCUSDT.BINANCE");
    EXPECT_EQ(inst.base_asset(), "BTC");
    EXPECT_EQ(inst.quote_asset(), "USDT");
    EXPECT_EQ(inst.tick_size(), Price::parse("0.01"));
    EXPECT_EQ(inst.step_size(), Quantity::parse("0.00001"));
    EXPECT_EQ(inst.min_quantity(), Quantity::parse("0.00001"));
    EXPECT_EQ(inst.max_quantity(), Quantity::parse("9000"));
    EXPECT_EQ(inst.min_notional(), Money::parse("5"));
    EXPECT_EQ(inst.price_precision(), 2);
    EXPECT_EQ(inst.quantity_precision(), 5);
    EXPECT_FALSE(inst.check_order(Price::parse("30000.01"), Quantity::parse("0.001")).has_value());
    EXPECT_TRUE(inst.check_order(Price::parse("30000.001"), Quantity::parse("0.001")).has_value());
}

TEST(RestParser, ExchangeInfoFilterVariants) {
    Parser p;
    ExchangeInfo info;
    // Legacy MIN_NOTIONAL, a disabled tick size, a maximum beyond the old int64 range, unknown filters.
    const std::string json =
        R"({"symbols":[{"filters":[{"maxPrice":"0","tickSize":"0","filterType":"PRICE_FILTER","minPrice":"0"},)"
        R"({"filterType":"PERCENT_PRICE","multiplierUp":"5","avgPriceMins":5},)"
        R"({"filterType":"LOT_SIZE","minQty":"1","maxQty":"92141578000000.00000000","stepSize":"1"},)"
        R"({"filterType":"MIN_NOTIONAL","minNotional":"0.001","applyToMarket":true},)"
        R"({"filterType":"MAX_NUM_ORDERS","maxNumOrders":200}],)"
        R"("symbol":"SHIBUSDT","status":"TRADING","baseAsset":"SHIB","quoteAsset":"USDT","new":{"x":[1]}}]})";
    ASSERT_TRUE(p.parse_exchange_info(json, info).ok());
    const SymbolInfo& s = info.symbols.at(0);
    EXPECT_EQ(s.max_quantity, Quantity::parse("92141578000000"));  // exact, not saturated
    EXPECT_EQ(s.min_notional, Money::parse("0.001"));
    const Instrument inst = to_instrument(s);
    EXPECT_EQ(inst.tick_size().raw(), 1);  // disabled: the finest Decimal step
    EXPECT_EQ(inst.min_notional(), Money::parse("0.001"));

    EXPECT_EQ(p.parse_exchange_info(replace(json, R"(,"stepSize":"1")", ""), info).field, "LOT_SIZE.stepSize");
    EXPECT_EQ(p.parse_exchange_info(replace(json, R"("tickSize":"0")", R"("tickSize":"0.0000000001")"), info).error,
              ParseError::TooPrecise);
    EXPECT_EQ(p.parse_exchange_info(replace(json, R"("symbol":"SHIBUSDT",)", ""), info).field, "symbols[].symbol");
    EXPECT_EQ(p.parse_exchange_info(R"({"serverTime":1})", info).field, "symbols");
    EXPECT_TRUE(info.symbols.empty());

    SymbolInfo no_lot;
    no_lot.symbol = "ABC";
    no_lot.base_asset = "A";
    no_lot.quote_asset = "B";
    EXPECT_THROW(to_instrument(no_lot), std::invalid_argument);
}

TEST(RestParser, Klines) {
    Parser p;
    std::vector<Candle> rows;
    const auto id = InstrumentId::parse("BTCUSDT.BINANCE");
    ASSERT_TRUE(p.parse_klines(fixture("rest_klines.json"), id, Interval::W1, rows).ok());
    ASSERT_EQ(rows.size(), 1u);
    const Candle& c = rows[0];
    EXPECT_EQ(c.instrument_id, id);
    EXPECT_EQ(c.interval, Interval::W1);
    EXPECT_EQ(c.open_time, 1499040000000 * kMs);
    EXPECT_EQ(c.open, Price::parse("0.0163479"));
    EXPECT_EQ(c.high, Price::parse("0.8"));
    EXPECT_EQ(c.low, Price::parse("0.015758"));
    EXPECT_EQ(c.close, Price::parse("0.015771"));
    EXPECT_EQ(c.volume, Quantity::parse("148976.11427815"));
    EXPECT_EQ(c.close_time, 1499644799999 * kMs);
    EXPECT_EQ(c.quote_volume, Money::parse("2434.19055334"));
    EXPECT_EQ(c.trade_count, 308);
    EXPECT_TRUE(c.closed);

    // The last row is still open at `now`.
    ASSERT_TRUE(p.parse_klines(fixture("rest_klines.json"), id, Interval::W1, rows, 1499644799999 * kMs).ok());
    EXPECT_FALSE(rows[0].closed);
    ASSERT_TRUE(p.parse_klines("[]", id, Interval::M1, rows).ok());
    EXPECT_TRUE(rows.empty());

    EXPECT_EQ(p.parse_klines(R"([[1499040000000,"1","1","1","1","1",1499644799999,"1"]])", id, Interval::M1, rows)
                  .field,
              "[8] trades");
    EXPECT_EQ(p.parse_klines(R"([[1499040000000,1,"1","1","1","1",1499644799999,"1",3]])", id, Interval::M1, rows)
                  .field,
              "[1] open");
    EXPECT_EQ(p.parse_klines(R"([{"t":1}])", id, Interval::M1, rows).error, ParseError::WrongType);
    EXPECT_TRUE(rows.empty());
}

TEST(RestParser, ServerTimeAndErrors) {
    Parser p;
    UnixNanos t = 0;
    ASSERT_TRUE(p.parse_server_time(fixture("rest_time.json"), t).ok());
    EXPECT_EQ(t, 1499827319559 * kMs);
    EXPECT_EQ(p.parse_server_time("{}", t).field, "serverTime");
    EXPECT_EQ(p.parse_server_time(R"({"serverTime":"1"})", t).error, ParseError::WrongType);

    ErrorResponse e;
    const std::vector<std::pair<std::string, int>> cases = {{"rest_error_duplicate.json", -2010},
                                                            {"rest_error_filter.json", -1013},
                                                            {"rest_error_signature.json", -1022},
                                                            {"rest_error_timestamp.json", -1021},
                                                            {"rest_error_unknown_order.json", -2011}};
    for (const auto& [file, code] : cases) {
        ASSERT_TRUE(p.parse_error(fixture(file), e).ok()) << file;
        EXPECT_EQ(e.code, code);
    }
    ASSERT_TRUE(p.parse_error(fixture("rest_error_duplicate.json"), e).ok());
    EXPECT_EQ(e.msg, "Duplicate order sent.");
    ASSERT_TRUE(p.parse_error(R"({"msg":"Unknown order sent.","code":-2011,"extra":[]})", e).ok());
    EXPECT_EQ(e.msg, "Unknown order sent.");
    EXPECT_EQ(p.parse_error(R"({"code":-1})", e).field, "msg");
    EXPECT_EQ(p.parse_error(R"({"msg":"x"})", e).field, "code");
    EXPECT_EQ(p.parse_error(R"({"code":"-1","msg":"x"})", e).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_error(R"({"code":99999999999,"msg":"x"})", e).error, ParseError::OutOfRange);
    EXPECT_EQ(p.parse_error("<html>502 Bad Gateway</html>", e).error, ParseError::InvalidJson);
}

TEST(RestParser, ReorderedAndExtendedResponses) {
    Parser p;
    // Account: balances first, each balance reversed, an unknown nested field.
    const std::string account =
        R"({"balances":[{"locked":"0.5","free":"1","asset":"BTC","extra":{"a":[null]}}],"newField":[1,{"x":2}],)"
        R"("uid":7,"canTrade":false,"commissionRates":{"seller":"0","buyer":"0","taker":"0.001","maker":"0.002"}})";
    Account a;
    ASSERT_TRUE(p.parse_account(account, a).ok());
    ASSERT_EQ(a.balances.size(), 1u);
    EXPECT_EQ(a.balances[0].asset.view(), "BTC");
    EXPECT_EQ(a.balances[0].locked, Quantity::parse("0.5"));
    EXPECT_FALSE(a.can_trade);
    EXPECT_EQ(a.commission_rates.maker, Decimal::parse("0.002"));
    EXPECT_EQ(a.uid, 7);
    // Open orders: the fixture's object with its fields reversed, twice in the list.
    Obj order{{{"symbol", q("LTCBTC")}, {"orderId", "1"}, {"clientOrderId", q("myOrder1")}, {"price", q("0.1")},
               {"origQty", q("1.0")}, {"executedQty", q("0.0")}, {"cummulativeQuoteQty", q("0.0")},
               {"status", q("NEW")}, {"timeInForce", q("GTC")}, {"type", q("LIMIT")}, {"side", q("BUY")},
               {"time", "1499827319559"}, {"isWorking", "true"}, {"future", "null"}}};
    std::vector<OrderReport> orders;
    ASSERT_TRUE(p.parse_open_orders("[" + order.reversed().str() + "," + order.with("orderId", "2").str() + "]", orders)
                    .ok());
    ASSERT_EQ(orders.size(), 2u);
    EXPECT_EQ(orders[0].order_id, 1);
    EXPECT_EQ(orders[1].order_id, 2);
    EXPECT_EQ(orders[0].price, Price::parse("0.1"));
    EXPECT_TRUE(orders[0].is_working);
    // Klines rows with an extra trailing column are accepted.
    std::vector<te::Candle> rows;
    ASSERT_TRUE(p.parse_klines(R"([[1,"1","2","0.5","1.5","10",59999,"15",3,"5","7","0","more"]])",
                               InstrumentId::parse("X.BINANCE"), Interval::M1, rows)
                    .ok());
    EXPECT_EQ(rows.at(0).high, Price::parse("2"));
}

TEST(RestParser, MyTradesRowsAndRequiredFields) {
    te::binance::Parser parser;
    std::vector<te::binance::MyTrade> trades;
    const std::string json =
        R"([{"symbol":"BNBBTC","id":28457,"orderId":100234,"orderListId":-1,"price":"4.00000100",)"
        R"("qty":"12.00000000","quoteQty":"48.000012","commission":"10.10000000","commissionAsset":"BNB",)"
        R"("time":1499865549590,"isBuyer":true,"isMaker":false,"isBestMatch":true}])";
    ASSERT_TRUE(parser.parse_my_trades(json, trades).ok());
    ASSERT_EQ(trades.size(), 1u);
    EXPECT_EQ(trades[0].symbol.view(), "BNBBTC");
    EXPECT_EQ(trades[0].id, 28457);
    EXPECT_EQ(trades[0].order_id, 100234);
    EXPECT_EQ(trades[0].price, te::Price::parse("4.000001"));
    EXPECT_EQ(trades[0].quantity, te::Quantity::parse("12"));
    EXPECT_EQ(trades[0].commission, te::Money::parse("10.1"));
    EXPECT_EQ(trades[0].commission_asset.view(), "BNB");
    EXPECT_EQ(trades[0].time, 1499865549590LL * te::kNanosPerMilli);
    EXPECT_TRUE(trades[0].is_buyer);
    EXPECT_FALSE(trades[0].is_maker);
    const std::string missing_price = R"([{"symbol":"BNBBTC","id":1,"orderId":2,"qty":"1","commission":"0",)"
                                      R"("commissionAsset":"BNB","time":1,"isBuyer":true,"isMaker":false}])";
    const auto r = parser.parse_my_trades(missing_price, trades);
    EXPECT_EQ(r.error, te::binance::ParseError::MissingField);
    EXPECT_EQ(r.field, "price");
    EXPECT_TRUE(trades.empty());
    ASSERT_TRUE(parser.parse_my_trades("[]", trades).ok());
}
