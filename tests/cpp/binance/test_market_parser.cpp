#include <gtest/gtest.h>

#include "core/logging.hpp"
#include "fixtures.hpp"
#include "venues/binance/parser.hpp"

using namespace te;
using namespace te::binance;
using namespace te::binance::testing;

namespace {

// Parse errors are logged by design; keep the test output readable.
const bool quiet_logs = (te::log::set_level(te::log::Level::Error), true);

constexpr UnixNanos kMs = kNanosPerMilli;

// The fixtures as field lists (checked below to reproduce the files byte for byte).
Obj kline_k() {
    return Obj{{{"t", "1672515780000"}, {"T", "1672515839999"}, {"s", q("BNBBTC")}, {"i", q("1m")},
                {"f", "100"}, {"L", "200"}, {"o", q("0.0010")}, {"c", q("0.0020")}, {"h", q("0.0025")},
                {"l", q("0.0015")}, {"v", q("1000")}, {"n", "100"}, {"x", "false"}, {"q", q("1.0000")},
                {"V", q("500")}, {"Q", q("0.500")}, {"B", q("123456")}}};
}
Obj kline(const Obj& k = kline_k()) {
    return Obj{{{"e", q("kline")}, {"E", "1672515782136"}, {"s", q("BNBBTC")}, {"k", k.str()}}};
}
Obj trade() {
    return Obj{{{"e", q("trade")}, {"E", "1672515782136"}, {"s", q("BNBBTC")}, {"t", "12345"}, {"p", q("0.001")},
                {"q", q("100")}, {"T", "1672515782136"}, {"m", "true"}, {"M", "true"}}};
}
Obj agg_trade() {
    return Obj{{{"e", q("aggTrade")}, {"E", "1672515782136"}, {"s", q("BNBBTC")}, {"a", "12345"}, {"p", q("0.001")},
                {"q", q("100")}, {"f", "100"}, {"l", "105"}, {"T", "1672515782136"}, {"m", "true"}, {"M", "true"}}};
}
Obj book_ticker() {
    return Obj{{{"u", "400900217"}, {"s", q("BNBUSDT")}, {"b", q("25.35190000")}, {"B", q("31.21000000")},
                {"a", q("25.36520000")}, {"A", q("40.66000000")}}};
}

Price P(const char* s) { return Price::parse(s); }
Quantity Q(const char* s) { return Quantity::parse(s); }

void expect_fixture_kline(const MarketMessage& m) {
    ASSERT_EQ(m.type, MarketMessageType::Kline);
    const Candle& c = m.kline.candle;
    EXPECT_EQ(c.instrument_id.view(), "BNBBTC.BINANCE");
    EXPECT_EQ(c.interval, Interval::M1);
    EXPECT_EQ(c.open_time, 1672515780000 * kMs);
    EXPECT_EQ(c.close_time, 1672515839999 * kMs);
    EXPECT_EQ(c.open, P("0.0010"));
    EXPECT_EQ(c.close, P("0.0020"));
    EXPECT_EQ(c.high, P("0.0025"));
    EXPECT_EQ(c.low, P("0.0015"));
    EXPECT_EQ(c.volume, Q("1000"));
    EXPECT_EQ(c.quote_volume, Money::parse("1.0000"));
    EXPECT_EQ(c.trade_count, 100);
    EXPECT_FALSE(c.closed);
    EXPECT_EQ(c.ts_event, 1672515782136 * kMs);
    EXPECT_EQ(c.ts_recv, 42);
    EXPECT_EQ(m.kline.first_trade_id, 100);
    EXPECT_EQ(m.kline.last_trade_id, 200);
    EXPECT_EQ(m.kline.taker_buy_base_volume, Q("500"));
    EXPECT_EQ(m.kline.taker_buy_quote_volume, Money::parse("0.5"));
}

}  // namespace

TEST(MarketParser, BuildersReproduceTheFixtures) {
    EXPECT_EQ(kline().str(), fixture("ws_kline.json"));
    EXPECT_EQ(trade().str(), fixture("ws_trade.json"));
    EXPECT_EQ(agg_trade().str(), fixture("ws_aggTrade.json"));
    EXPECT_EQ(book_ticker().str(), fixture("ws_bookTicker.json"));
}

TEST(MarketParser, KlineFixture) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_kline.json"), m, 42).ok());
    expect_fixture_kline(m);
    EXPECT_EQ(m.stream, "");
    EXPECT_EQ(m.event_name, "kline");
    EXPECT_EQ(p.stats().messages_ok(), 1u);
    EXPECT_EQ(p.stats().errors_total(), 0u);
}

TEST(MarketParser, ClosedKlineInCombinedStream) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_kline_closed_combined.json"), m, 7).ok());
    ASSERT_EQ(m.type, MarketMessageType::Kline);
    EXPECT_EQ(m.stream, "btcusdt@kline_1m");
    const Candle& c = m.kline.candle;
    EXPECT_EQ(c.instrument_id.view(), "BTCUSDT.BINANCE");
    EXPECT_EQ(c.interval, Interval::M1);
    EXPECT_EQ(c.open_time, 1672515780000 * kMs);
    EXPECT_EQ(c.close_time, 1672515839999 * kMs);
    EXPECT_EQ(c.open, P("16541.77"));
    EXPECT_EQ(c.close, P("16550.12"));
    EXPECT_EQ(c.high, P("16553"));
    EXPECT_EQ(c.low, P("16539.5"));
    EXPECT_EQ(c.volume, Q("12.345"));
    EXPECT_EQ(c.quote_volume, Money::parse("204261.1125"));
    EXPECT_EQ(c.trade_count, 150);
    EXPECT_TRUE(c.closed);
    EXPECT_EQ(c.ts_event, 1672515840001 * kMs);
    EXPECT_EQ(m.kline.first_trade_id, 2001);
    EXPECT_EQ(m.kline.last_trade_id, 2150);
    EXPECT_EQ(m.kline.taker_buy_base_volume, Q("6.1"));
    EXPECT_EQ(m.kline.taker_buy_quote_volume, Money::parse("100912.45"));
}

TEST(MarketParser, TradeFixture) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_trade.json"), m, 5).ok());
    ASSERT_EQ(m.type, MarketMessageType::Trade);
    const Trade& t = m.trade.trade;
    EXPECT_EQ(t.instrument_id.view(), "BNBBTC.BINANCE");
    EXPECT_EQ(t.trade_id, 12345);
    EXPECT_EQ(t.price, P("0.001"));
    EXPECT_EQ(t.quantity, Q("100"));
    EXPECT_EQ(t.ts_event, 1672515782136 * kMs);
    EXPECT_EQ(t.ts_recv, 5);
    EXPECT_EQ(t.aggressor_side, Side::Sell);  // m=true: the buyer was the maker
    EXPECT_EQ(m.trade.event_time, 1672515782136 * kMs);
}

TEST(MarketParser, TradeTakerBuy) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(trade().with("m", "false").str(), m).ok());
    EXPECT_EQ(m.trade.trade.aggressor_side, Side::Buy);
}

TEST(MarketParser, AggTradeFixture) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_aggTrade.json"), m, 5).ok());
    ASSERT_EQ(m.type, MarketMessageType::AggTrade);
    const Trade& t = m.agg_trade.trade;
    EXPECT_EQ(t.instrument_id.view(), "BNBBTC.BINANCE");
    EXPECT_EQ(t.trade_id, 12345);
    EXPECT_EQ(t.price, P("0.001"));
    EXPECT_EQ(t.quantity, Q("100"));
    EXPECT_EQ(t.ts_event, 1672515782136 * kMs);
    EXPECT_EQ(t.aggressor_side, Side::Sell);
    EXPECT_EQ(m.agg_trade.first_trade_id, 100);
    EXPECT_EQ(m.agg_trade.last_trade_id, 105);
    EXPECT_EQ(m.agg_trade.event_time, 1672515782136 * kMs);
}

TEST(MarketParser, BookTickerFixture) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_bookTicker.json"), m, 99).ok());
    ASSERT_EQ(m.type, MarketMessageType::BookTicker);
    const Quote& qt = m.book_ticker.quote;
    EXPECT_EQ(qt.instrument_id.view(), "BNBUSDT.BINANCE");
    EXPECT_EQ(m.book_ticker.update_id, 400900217);
    EXPECT_EQ(qt.bid_price, P("25.3519"));
    EXPECT_EQ(qt.bid_size, Q("31.21"));
    EXPECT_EQ(qt.ask_price, P("25.3652"));
    EXPECT_EQ(qt.ask_size, Q("40.66"));
    EXPECT_EQ(qt.ts_event, 99);
    EXPECT_EQ(qt.ts_recv, 99);
}

TEST(MarketParser, BookTickerInCombinedStream) {
    Parser p;
    MarketMessage m;
    const std::string json = R"({"stream":"bnbusdt@bookTicker","data":)" + book_ticker().reversed().str() + "}";
    ASSERT_TRUE(p.parse_market(json, m).ok());
    ASSERT_EQ(m.type, MarketMessageType::BookTicker);
    EXPECT_EQ(m.stream, "bnbusdt@bookTicker");
    EXPECT_EQ(m.book_ticker.quote.ask_size, Q("40.66"));
}

TEST(MarketParser, ServerShutdownRawAndCombined) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_serverShutdown.json"), m).ok());
    ASSERT_EQ(m.type, MarketMessageType::ServerShutdown);
    EXPECT_EQ(m.shutdown.event_time, 1770123456789 * kMs);
    ASSERT_TRUE(p.parse_market(R"({"data":{"E":1770123456789,"e":"serverShutdown"},"stream":"!serverShutdown"})", m)
                    .ok());
    ASSERT_EQ(m.type, MarketMessageType::ServerShutdown);
    EXPECT_EQ(m.stream, "!serverShutdown");
    EXPECT_EQ(m.shutdown.event_time, 1770123456789 * kMs);
}

TEST(MarketParser, ControlResponses) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_subscribe_response.json"), m).ok());
    ASSERT_EQ(m.type, MarketMessageType::ControlResponse);
    EXPECT_TRUE(m.control.result_is_null);
    EXPECT_EQ(m.control.id.kind, RequestId::Kind::Int);
    EXPECT_EQ(m.control.id.num, 1);

    ASSERT_TRUE(p.parse_market(fixture("ws_list_subscriptions_response.json"), m).ok());
    ASSERT_EQ(m.type, MarketMessageType::ControlResponse);
    EXPECT_FALSE(m.control.result_is_null);
    EXPECT_EQ(m.control.result_json, R"(["btcusdt@aggTrade"])");
    EXPECT_EQ(m.control.id.num, 3);

    ASSERT_TRUE(p.parse_market(R"({"id":"abc-1","result":true})", m).ok());
    EXPECT_EQ(m.control.id.kind, RequestId::Kind::Str);
    EXPECT_EQ(m.control.id.str.view(), "abc-1");
    EXPECT_EQ(m.control.result_json, "true");

    ASSERT_TRUE(p.parse_market(R"({"result":null,"id":null})", m).ok());
    EXPECT_EQ(m.control.id.kind, RequestId::Kind::None);
}

TEST(MarketParser, StreamErrors) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_error_invalid_json.json"), m).ok());
    ASSERT_EQ(m.type, MarketMessageType::Error);
    EXPECT_EQ(m.error.code, 3);
    EXPECT_EQ(m.error.msg, "Invalid JSON: expected value at line %s column %s");
    ASSERT_TRUE(p.parse_market(fixture("ws_error_unknown_method.json"), m).ok());
    EXPECT_EQ(m.error.code, 2);
    EXPECT_NE(m.error.msg.find("unknown variant"), std::string::npos);
    ASSERT_TRUE(p.parse_market(R"({"code": 0, "msg": "Unknown property","id": 7})", m).ok());
    EXPECT_EQ(m.error.id.num, 7);
}

TEST(MarketParser, UnknownEventIsIgnoredNotAnError) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("futures_markPriceUpdate.json"), m).ok());
    EXPECT_EQ(m.type, MarketMessageType::Unknown);
    EXPECT_EQ(m.event_name, "markPriceUpdate");
    EXPECT_EQ(p.stats().messages_ignored(), 1u);
    EXPECT_EQ(p.stats().errors_total(), 0u);
}

TEST(MarketParser, FieldOrderDoesNotMatter) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(kline(kline_k().reversed()).reversed().str(), m, 42).ok());
    expect_fixture_kline(m);
    // "e" last, inside a combined wrapper whose "data" comes before "stream".
    const std::string wrapped = R"({"data":)" + kline(kline_k().reversed()).reversed().str() + R"(,"stream":"x"})";
    ASSERT_TRUE(p.parse_market(wrapped, m, 42).ok());
    expect_fixture_kline(m);
    EXPECT_EQ(m.stream, "x");
    for (const Obj& o : {trade(), agg_trade(), book_ticker()}) {
        ASSERT_TRUE(p.parse_market(o.reversed().str(), m).ok()) << o.reversed().str();
    }
    EXPECT_EQ(m.type, MarketMessageType::BookTicker);
    // A key in the middle.
    Obj mid = trade();
    std::swap(mid.fields[0], mid.fields[4]);
    ASSERT_TRUE(p.parse_market(mid.str(), m).ok());
    EXPECT_EQ(m.trade.trade.trade_id, 12345);
}

TEST(MarketParser, UnknownFieldsAreIgnored) {
    Parser p;
    MarketMessage m;
    Obj k = kline_k().with("zz", R"({"nested":[1,2,{"a":null}],"x":"y"})").with("Z", "null");
    Obj o = kline(k).with("extra", "[1,2,3]").with("s2", q("?"));
    o.fields.insert(o.fields.begin(), {"first", R"({"k":{"t":"not a time"}})"});
    ASSERT_TRUE(p.parse_market(o.str(), m, 42).ok()) << o.str();
    expect_fixture_kline(m);
    ASSERT_TRUE(p.parse_market(trade().with("b", "88").with("a", "99").str(), m).ok());
    EXPECT_EQ(m.trade.trade.trade_id, 12345);
}

TEST(MarketParser, EachRequiredFieldRemovedIsACountedError) {
    Parser p;
    MarketMessage m;
    std::uint64_t expected_errors = 0;
    for (const auto& key : kline_k().keys()) {
        if (key == "B") continue;  // "Ignore"
        const auto r = p.parse_market(kline(kline_k().without(key)).str(), m);
        EXPECT_EQ(r.error, ParseError::MissingField) << key;
        EXPECT_EQ(r.field, "k." + key);
        EXPECT_EQ(p.stats().errors_total(), ++expected_errors);
    }
    for (const std::string key : {"E", "k"}) {
        EXPECT_EQ(p.parse_market(kline().without(key).str(), m).field, key);
        ++expected_errors;
    }
    for (const auto& key : trade().keys()) {
        if (key == "M" || key == "e") continue;
        const auto r = p.parse_market(trade().without(key).str(), m);
        EXPECT_EQ(r.error, ParseError::MissingField) << key;
        EXPECT_EQ(r.field, key);
        ++expected_errors;
    }
    for (const auto& key : agg_trade().keys()) {
        if (key == "M" || key == "e") continue;
        const auto r = p.parse_market(agg_trade().without(key).str(), m);
        EXPECT_EQ(r.error, ParseError::MissingField) << key;
        EXPECT_EQ(r.field, key);
        ++expected_errors;
    }
    for (const auto& key : book_ticker().keys()) {
        const auto r = p.parse_market(book_ticker().without(key).str(), m);
        EXPECT_EQ(r.error, ParseError::MissingField) << key;
        EXPECT_EQ(r.field, key);
        ++expected_errors;
    }
    EXPECT_FALSE(p.parse_market(R"({"e":"serverShutdown"})", m).ok());
    ++expected_errors;
    EXPECT_EQ(p.stats().errors_total(), expected_errors);
    EXPECT_EQ(p.stats().errors(ParseError::MissingField), expected_errors);
    EXPECT_EQ(p.stats().messages_ok(), 0u);
}

TEST(MarketParser, MistypedFields) {
    Parser p;
    MarketMessage m;
    struct Case {
        Obj obj;
        std::string_view field;
        ParseError error;
    };
    const std::vector<Case> cases = {
        {kline(kline_k().with("o", "0.001")), "k.o", ParseError::WrongType},  // number, not string
        {kline(kline_k().with("t", q("1672515780000"))), "k.t", ParseError::WrongType},
        {kline(kline_k().with("t", "1.5")), "k.t", ParseError::WrongType},
        {kline(kline_k().with("x", q("false"))), "k.x", ParseError::WrongType},
        {kline(kline_k().with("x", "null")), "k.x", ParseError::WrongType},
        {kline(kline_k().with("n", "null")), "k.n", ParseError::WrongType},
        {kline(kline_k().with("i", q("7m"))), "k.i", ParseError::UnknownValue},
        {kline(kline_k().with("i", "1")), "k.i", ParseError::WrongType},
        {kline(kline_k().with("s", q("bnb btc"))), "k.s", ParseError::UnknownValue},
        {kline(kline_k().with("s", q(""))), "k.s", ParseError::OutOfRange},
        {kline(kline_k().with("o", q("abc"))), "k.o", ParseError::BadDecimal},
        {kline(kline_k().with("o", q(""))), "k.o", ParseError::BadDecimal},
        {kline(kline_k().with("o", q("1e400"))), "k.o", ParseError::OutOfRange},
        {kline(kline_k().with("o", q("1000000000000000000000000000000"))), "k.o", ParseError::OutOfRange},
        {kline(kline_k().with("v", q("-1e30"))), "k.v", ParseError::OutOfRange},
        {kline(kline_k().with("t", "-1")), "k.t", ParseError::OutOfRange},
        {kline(kline_k().with("t", "9223372036854775808")), "k.t", ParseError::OutOfRange},
        {kline(kline_k().with("t", "99999999999999999999")), "k.t", ParseError::OutOfRange},
        {kline(kline_k().with("t", "1e12")), "k.t", ParseError::WrongType},
        {kline(kline_k().with("t", "9223372036854775")), "k.t", ParseError::OutOfRange},  // past 2262
        {kline().with("k", "[]"), "k", ParseError::WrongType},
        {kline().with("E", q("now")), "E", ParseError::WrongType},
        {trade().with("m", "1"), "m", ParseError::WrongType},
        {trade().with("t", q("12345")), "t", ParseError::WrongType},
        {book_ticker().with("b", "25.3519"), "b", ParseError::WrongType},
        {book_ticker().with("u", "{}"), "u", ParseError::WrongType},
    };
    for (const auto& c : cases) {
        const auto r = p.parse_market(c.obj.str(), m);
        EXPECT_EQ(r.error, c.error) << c.obj.str();
        EXPECT_EQ(r.field, c.field) << c.obj.str();
    }
    EXPECT_EQ(p.stats().errors_total(), cases.size());
    EXPECT_EQ(p.parse_market(R"({"e":5})", m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_market(R"({"stream":"a","data":[1]})", m).error, ParseError::WrongType);
    EXPECT_EQ(p.parse_market(R"({"stream":"a","data":{"stream":"b","data":{}}})", m).error,
              ParseError::UnknownMessage);
    EXPECT_EQ(p.parse_market(R"({"stream":"a"})", m).error, ParseError::MissingField);
}

// PEPEUSDT: 1m base volumes above 1e10, trades and book sizes of that order, all exact.
TEST(MarketParser, PepeSizedVolumesAndQuantitiesAreExact) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(kline(kline_k().with("v", q("23456789012.00000000")).with("q", q("281481.46814400"))).str(), m).ok());
    EXPECT_EQ(m.kline.candle.volume, Quantity::parse("23456789012"));
    EXPECT_EQ(m.kline.candle.quote_volume, Money::parse("281481.468144"));
    ASSERT_TRUE(p.parse_market(kline(kline_k().with("v", q("99999999999999999999.999999999"))).str(), m).ok());
    EXPECT_EQ(m.kline.candle.volume.to_string(), "99999999999999999999.999999999");
    ASSERT_TRUE(p.parse_market(book_ticker().with("B", q("92233720368.5")).with("A", q("5e10")).str(), m).ok());
    EXPECT_EQ(m.book_ticker.quote.bid_size, Quantity::parse("92233720368.5"));
    EXPECT_EQ(m.book_ticker.quote.ask_size, Quantity::parse("50000000000"));
    ASSERT_TRUE(p.parse_market(trade().with("q", q("50000000000")).str(), m).ok());
    EXPECT_EQ(p.stats().errors_total(), 0u);
}

TEST(MarketParser, DecimalsBeyondNinePlacesAreRefusedNotRounded) {
    Parser p;
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(kline(kline_k().with("o", q("0.123456789"))).str(), m).ok());
    EXPECT_EQ(m.kline.candle.open.raw(), 123456789);
    ASSERT_TRUE(p.parse_market(kline(kline_k().with("o", q("0.1234567890000000"))).str(), m).ok());
    EXPECT_EQ(m.kline.candle.open.raw(), 123456789);  // trailing zeros are exact
    const auto r = p.parse_market(kline(kline_k().with("o", q("0.1234567891"))).str(), m);
    EXPECT_EQ(r.error, ParseError::TooPrecise);
    EXPECT_EQ(r.field, "k.o");
    EXPECT_EQ(p.parse_market(book_ticker().with("B", q("1.00000000001")).str(), m).error, ParseError::TooPrecise);
    EXPECT_EQ(p.stats().errors(ParseError::TooPrecise), 2u);
}

TEST(MarketParser, MicrosecondTimestamps) {
    Parser p(ParserOptions{.time_unit = TimeUnit::Microsecond});
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(kline(kline_k().with("t", "1672515780000123")).str(), m).ok());
    EXPECT_EQ(m.kline.candle.open_time, 1672515780000123 * kNanosPerMicro);
}

TEST(MarketParser, VenueOption) {
    Parser p(ParserOptions{.venue = "BINANCE_TESTNET"});
    MarketMessage m;
    ASSERT_TRUE(p.parse_market(fixture("ws_trade.json"), m).ok());
    EXPECT_EQ(m.trade.trade.instrument_id.view(), "BNBBTC.BINANCE_TESTNET");
    EXPECT_THROW(Parser(ParserOptions{.venue = "bad venue"}), std::invalid_argument);
}

TEST(MarketParser, TruncatedAndGarbageInputNeverCrashes) {
    Parser p;
    MarketMessage m;
    const std::string full = fixture("ws_kline_closed_combined.json");
    std::uint64_t errors = 0;
    for (std::size_t n = 0; n < full.size(); ++n) {
        const auto r = p.parse_market(std::string_view(full).substr(0, n), m);
        EXPECT_FALSE(r.ok()) << n;
        ++errors;
    }
    for (std::string_view bad : {"", " ", "null", "[]", "[1,2]", "42", "\"kline\"", "{", "}", "{}", "{\"e\":}",
                                 "{\"e\":\"kline\",}", "{\"e\":\"kline\"}{}", "{\"e\":\"trade\"} x", "\xff\xfe",
                                 "{\"e\":\"kline\",\"k\":{\"t\":1}}}"}) {
        EXPECT_FALSE(p.parse_market(bad, m).ok()) << bad;
        ++errors;
    }
    EXPECT_EQ(p.stats().errors_total(), errors);
    EXPECT_EQ(p.stats().messages_ok(), 0u);
    // The parser recovers: the next good message parses.
    ASSERT_TRUE(p.parse_market(full, m).ok());
}

TEST(MarketParser, SizeLimit) {
    Parser p(ParserOptions{.max_message_bytes = 64});
    MarketMessage m;
    EXPECT_EQ(p.parse_market(fixture("ws_kline.json"), m).error, ParseError::TooLarge);
    EXPECT_TRUE(p.parse_market(fixture("ws_serverShutdown.json"), m).ok());
}

TEST(MarketParser, ReusesItsBuffersAcrossMessagesOfAnySize) {
    Parser p;
    MarketMessage m;
    std::string big = R"({"e":"trade","pad":")" + std::string(100000, 'x') + R"(",)" + trade().str().substr(13);
    ASSERT_TRUE(p.parse_market(big, m).ok()) << big.substr(0, 80);
    ASSERT_TRUE(p.parse_market(fixture("ws_kline.json"), m, 42).ok());
    expect_fixture_kline(m);
}

TEST(MarketParser, SymbolsAlternatingBetweenMessages) {
    Parser p;
    MarketMessage m;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(p.parse_market(fixture("ws_kline.json"), m).ok());
        EXPECT_EQ(m.kline.candle.instrument_id.view(), "BNBBTC.BINANCE");
        ASSERT_TRUE(p.parse_market(fixture("ws_kline_closed_combined.json"), m).ok());
        EXPECT_EQ(m.kline.candle.instrument_id.view(), "BTCUSDT.BINANCE");
        ASSERT_TRUE(p.parse_market(fixture("ws_bookTicker.json"), m).ok());
        EXPECT_EQ(m.book_ticker.quote.instrument_id.view(), "BNBUSDT.BINANCE");
        EXPECT_FALSE(p.parse_market(trade().with("s", q("bnbusdt")).str(), m).ok());
    }
}
