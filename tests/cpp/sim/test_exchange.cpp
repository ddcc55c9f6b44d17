// Matching, balances, filters and price paths of the simulated exchange, without sockets.
#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "core/errors.hpp"

#include "venues/sim/exchange.hpp"

using namespace te;
using namespace te::sim;

namespace {

Decimal D(const char* s) { return Decimal::parse(s); }

constexpr std::int64_t kStart = 1'700'000'040'000;  // a minute boundary

struct Recorder : UserSink {
    std::vector<ExecutionEvent> events;
    int positions = 0;
    void on_execution(int, const ExecutionEvent& ev) override { events.push_back(ev); }
    void on_account_position(int, std::int64_t, const std::vector<std::pair<std::string, Balance>>&) override {
        ++positions;
    }
    void on_balance_update(int, const std::string&, Decimal, std::int64_t) override {}
    std::vector<std::string> types() const {
        std::vector<std::string> out;
        for (auto& e : events) out.emplace_back(std::string(e.exec_type) + "/" + std::string(to_string(e.order.status)));
        return out;
    }
};

SimConfig config() {
    SimConfig c = SimConfig::defaults();
    c.symbols.resize(1);
    c.symbols[0].start_price = D("50000");
    c.symbols[0].level_qty = D("1");
    c.symbols[0].depth_levels = 3;
    c.history_minutes = 5;
    c.accounts[0].balances = {{"USDT", D("1000000")}, {"BTC", D("2")}};
    return c;
}

OrderRequest limit(Side side, const char* price, const char* qty, TimeInForce tif = TimeInForce::Gtc) {
    OrderRequest r;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = OrderType::Limit;
    r.tif = tif;
    r.price = D(price);
    r.quantity = D(qty);
    return r;
}

OrderRequest market(Side side, const char* qty) {
    OrderRequest r;
    r.symbol = "BTCUSDT";
    r.side = side;
    r.type = OrderType::Market;
    r.quantity = D(qty);
    return r;
}

const ApiError& error_of(const std::variant<ApiError, PlaceResult>& r) { return std::get<ApiError>(r); }
const PlaceResult& result_of(const std::variant<ApiError, PlaceResult>& r) { return std::get<PlaceResult>(r); }

struct ExchangeTest : ::testing::Test {
    Exchange ex{config(), kStart};
    Recorder rec;
    void SetUp() override { ex.set_user_sink(&rec); }
    Decimal free(const char* asset) { return ex.balances(0).at(asset).free; }
    Decimal locked(const char* asset) { return ex.balances(0).at(asset).locked; }
    // Re-center the book at a known price by fixing the path: use its current book instead.
    Decimal ask() { return ex.book(0).ask; }
    Decimal bid() { return ex.book(0).bid; }
};

}  // namespace

TEST_F(ExchangeTest, RestingLimitLocksQuoteAndCancelUnlocks) {
    const Decimal p = bid() - D("100");
    auto r = ex.place(0, limit(Side::Buy, p.to_string().c_str(), "0.5"), kStart, false);
    const auto& o = result_of(r).order;
    EXPECT_EQ(o.status, Status::New);
    EXPECT_EQ(locked("USDT"), p * D("0.5"));
    EXPECT_EQ(free("USDT"), D("1000000") - p * D("0.5"));
    auto c = ex.cancel(0, "BTCUSDT", o.order_id, {}, "cx", kStart + 1);
    ASSERT_TRUE(std::holds_alternative<Order>(c));
    EXPECT_EQ(std::get<Order>(c).status, Status::Canceled);
    EXPECT_EQ(std::get<Order>(c).client_order_id, "cx");
    EXPECT_EQ(locked("USDT"), D("0"));
    EXPECT_EQ(free("USDT"), D("1000000"));
    EXPECT_EQ(rec.types(), (std::vector<std::string>{"NEW/NEW", "CANCELED/CANCELED"}));
    EXPECT_EQ(rec.events[1].orig_client_order_id, o.client_order_id);
    // cancelling twice: unknown order
    auto again = ex.cancel(0, "BTCUSDT", o.order_id, {}, {}, kStart + 2);
    EXPECT_EQ(std::get<ApiError>(again).code, -2011);
}

TEST_F(ExchangeTest, MarketBuyWalksTheBookAndPaysTakerFeeInBase) {
    const Decimal a = ask();
    auto r = ex.place(0, market(Side::Buy, "1.5"), kStart, false);
    const auto& res = result_of(r);
    ASSERT_EQ(res.fills.size(), 2u);  // 1 at the best ask, 0.5 one tick higher
    EXPECT_EQ(res.fills[0].price, a);
    EXPECT_EQ(res.fills[0].qty, D("1"));
    EXPECT_EQ(res.fills[1].price, a + D("0.01"));
    EXPECT_EQ(res.fills[1].qty, D("0.5"));
    EXPECT_EQ(res.order.status, Status::Filled);
    EXPECT_EQ(res.fills[0].commission, D("0.001"));
    EXPECT_EQ(res.fills[0].commission_asset, "BTC");
    const Decimal cost = a * D("1") + (a + D("0.01")) * D("0.5");
    EXPECT_EQ(free("USDT"), D("1000000") - cost);
    EXPECT_EQ(free("BTC"), D("2") + D("1.5") - D("0.0015"));
    EXPECT_EQ(locked("USDT"), D("0"));
    EXPECT_EQ(rec.types(), (std::vector<std::string>{"NEW/NEW", "TRADE/PARTIALLY_FILLED", "TRADE/FILLED"}));
}

TEST_F(ExchangeTest, MarketOrderBeyondDepthExpiresPartiallyFilled) {
    auto r = ex.place(0, market(Side::Sell, "2"), kStart, false);  // depth 3 levels x 1, fine
    EXPECT_EQ(result_of(r).order.status, Status::Filled);
    ex.deposit(0, "BTC", D("5"), kStart);
    auto r2 = ex.place(0, market(Side::Sell, "4"), kStart, false);
    const auto& o = result_of(r2).order;
    EXPECT_EQ(o.status, Status::Expired);
    EXPECT_EQ(o.executed_qty, D("3"));
    EXPECT_EQ(locked("BTC"), D("0"));
    EXPECT_EQ(free("BTC"), D("2") - D("2") + D("5") - D("3"));
}

TEST_F(ExchangeTest, MarketByQuoteOrderQty) {
    OrderRequest r = market(Side::Buy, "1");
    r.quantity.reset();
    r.quote_order_qty = D("1000");
    auto res = ex.place(0, r, kStart, false);
    const auto& o = result_of(res).order;
    EXPECT_EQ(o.status, Status::Filled);
    EXPECT_LE(o.cum_quote, D("1000"));
    EXPECT_GT(o.cum_quote, D("999"));
    EXPECT_EQ(o.orig_quote_qty, D("1000"));
    EXPECT_TRUE(o.executed_qty.is_multiple_of(D("0.00001")));
}

TEST_F(ExchangeTest, IocRemainderExpiresAndFokAllOrNothing) {
    const Decimal a = ask();
    auto ioc = ex.place(0, limit(Side::Buy, a.to_string().c_str(), "1.5", TimeInForce::Ioc), kStart, false);
    EXPECT_EQ(result_of(ioc).order.status, Status::Expired);
    EXPECT_EQ(result_of(ioc).order.executed_qty, D("1"));
    EXPECT_EQ(locked("USDT"), D("0"));
    rec.events.clear();
    auto fok = ex.place(0, limit(Side::Buy, a.to_string().c_str(), "1.5", TimeInForce::Fok), kStart, false);
    EXPECT_EQ(result_of(fok).order.status, Status::Expired);
    EXPECT_EQ(result_of(fok).order.executed_qty, D("0"));
    EXPECT_EQ(rec.types(), (std::vector<std::string>{"NEW/NEW", "EXPIRED/EXPIRED"}));
    auto fok_ok = ex.place(0, limit(Side::Buy, (a + D("0.01")).to_string().c_str(), "1.5", TimeInForce::Fok), kStart, false);
    EXPECT_EQ(result_of(fok_ok).order.status, Status::Filled);
}

TEST_F(ExchangeTest, GtcRemainderRestsAndTakerPartIsRefunded) {
    const Decimal a = ask();
    const Decimal limit_price = a + D("10");  // crosses all 3 levels, 1 left resting
    auto r = ex.place(0, limit(Side::Buy, limit_price.to_string().c_str(), "4"), kStart, false);
    const auto& o = result_of(r).order;
    EXPECT_EQ(o.status, Status::PartiallyFilled);
    EXPECT_EQ(o.executed_qty, D("3"));
    EXPECT_EQ(locked("USDT"), limit_price * D("1"));
    const Decimal cost = a * D("3") + D("0.03");  // a + (a+0.01) + (a+0.02)
    EXPECT_EQ(free("USDT"), D("1000000") - cost - limit_price);
}

TEST_F(ExchangeTest, LimitMakerThatWouldTakeIsRejected) {
    OrderRequest r = limit(Side::Buy, ask().to_string().c_str(), "0.1");
    r.type = OrderType::LimitMaker;
    r.tif.reset();
    auto res = ex.place(0, r, kStart, false);
    EXPECT_EQ(error_of(res).code, -2010);
    EXPECT_EQ(error_of(res).msg, "Order would immediately match and take.");
    r.price = bid();
    EXPECT_EQ(result_of(ex.place(0, r, kStart, false)).order.status, Status::New);
}

TEST_F(ExchangeTest, FiltersUseExactDecimals) {
    EXPECT_EQ(error_of(ex.place(0, limit(Side::Buy, "100.001", "0.1"), kStart, false)).msg, "Filter failure: PRICE_FILTER");
    EXPECT_EQ(error_of(ex.place(0, limit(Side::Buy, "100", "0.000001"), kStart, false)).msg, "Filter failure: LOT_SIZE");
    EXPECT_EQ(error_of(ex.place(0, limit(Side::Buy, "100", "0.00003"), kStart, false)).msg, "Filter failure: NOTIONAL");
    EXPECT_EQ(error_of(ex.place(0, limit(Side::Buy, "100", "10000"), kStart, false)).msg, "Filter failure: LOT_SIZE");
    auto bad = limit(Side::Buy, "100", "1");
    bad.symbol = "NOPE";
    EXPECT_EQ(error_of(ex.place(0, bad, kStart, false)).code, -1121);
    auto no_tif = limit(Side::Buy, "100", "1");
    no_tif.tif.reset();
    EXPECT_EQ(error_of(ex.place(0, no_tif, kStart, false)).code, -1102);
}

TEST_F(ExchangeTest, InsufficientBalanceAndDuplicateClientId) {
    EXPECT_EQ(error_of(ex.place(0, limit(Side::Buy, "40000", "30"), kStart, false)).msg,
              "Account has insufficient balance for requested action.");
    auto r = limit(Side::Buy, "40000", "0.1");
    r.client_order_id = "dup";
    ASSERT_TRUE(std::holds_alternative<PlaceResult>(ex.place(0, r, kStart, false)));
    EXPECT_EQ(error_of(ex.place(0, r, kStart, false)).msg, "Duplicate order sent.");
    ASSERT_TRUE(std::holds_alternative<Order>(ex.cancel(0, "BTCUSDT", std::nullopt, "dup", {}, kStart)));
    EXPECT_TRUE(std::holds_alternative<PlaceResult>(ex.place(0, r, kStart, false)));  // free again once closed
}

TEST_F(ExchangeTest, RestingOrderFillsWhenThePathCrossesAsMaker) {
    // A sell far below the market would take; a buy just under the bid rests and fills when
    // the path trades down through it. Drive the path until it does (bounded).
    const Decimal p = bid() - D("1");
    auto r = ex.place(0, limit(Side::Buy, p.to_string().c_str(), "0.1"), kStart, false);
    const auto id = result_of(r).order.order_id;
    std::int64_t t = kStart;
    for (int i = 0; i < 100000 && ex.open_orders(0, 0).size() == 1; ++i) {
        t += 100;
        ex.advance(t, t, nullptr);
    }
    auto q = ex.query(0, "BTCUSDT", id, {});
    ASSERT_TRUE(std::holds_alternative<Order>(q));
    EXPECT_EQ(std::get<Order>(q).status, Status::Filled);
    ASSERT_FALSE(rec.events.empty());
    const auto& last = rec.events.back();
    EXPECT_EQ(last.exec_type, "TRADE");
    EXPECT_TRUE(last.fill->maker);
    EXPECT_EQ(last.fill->price, p);
    EXPECT_EQ(last.fill->commission, D("0.0001"));
    EXPECT_EQ(locked("USDT"), D("0"));
}

TEST_F(ExchangeTest, TestOrderValidatesOnly) {
    auto r = ex.place(0, limit(Side::Buy, "40000", "0.1"), kStart, true);
    EXPECT_TRUE(std::holds_alternative<PlaceResult>(r));
    EXPECT_TRUE(ex.open_orders(0, -1).empty());
    EXPECT_TRUE(rec.events.empty());
}

TEST(PricePath, SameSeedSamePath) {
    auto a = config(), b = config();
    Exchange x(a, kStart), y(b, kStart);
    for (int i = 1; i <= 50; ++i) {
        x.advance(kStart + i * 100, kStart, nullptr);
        y.advance(kStart + i * 100, kStart, nullptr);
        ASSERT_EQ(x.last_price(0), y.last_price(0));
    }
    auto c = config();
    c.seed = 2;
    Exchange z(c, kStart);
    z.advance(kStart + 5000, kStart, nullptr);
    EXPECT_NE(z.last_price(0), x.last_price(0));
}

TEST(PricePath, KlineTimesAreConsistent) {
    Exchange x(config(), kStart);
    auto ks = x.klines(0, Interval::M1, std::nullopt, std::nullopt, 1000);
    ASSERT_EQ(ks.size(), 6u);  // 5 minutes of history + the current one
    for (std::size_t i = 0; i < ks.size(); ++i) {
        EXPECT_EQ(ks[i].close_time, ks[i].open_time + 60'000 - 1);
        if (i) {
            EXPECT_EQ(ks[i].open_time, ks[i - 1].close_time + 1);
        }
        EXPECT_LE(ks[i].low, ks[i].open);
        EXPECT_GE(ks[i].high, ks[i].close);
    }
    EXPECT_EQ(ks.back().open_time, kStart);
    EXPECT_EQ(interval_open_time(Interval::W1, 1'700'000'000'000), 1'699'833'600'000);  // Monday 2023-11-13
    EXPECT_EQ(interval_open_time(Interval::Mo1, 1'700'000'000'000), 1'698'796'800'000);  // 2023-11-01
}

TEST(PricePath, KlineCsvReplayReproducesTheFile) {
    const std::string path = ::testing::TempDir() + "sim_replay.csv";
    {
        std::FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("open_time,open,high,low,close,volume\n", f);
        std::fputs("1499040000000,100.00,105.00,99.00,104.00,10\n", f);
        std::fputs("1499040060000,104.00,104.50,101.00,102.00,20\n", f);
        std::fputs("1499040120000,102.00,103.00,100.50,103.00,30\n", f);
        std::fclose(f);
    }
    SimConfig c = config();
    c.symbols[0].kline_csv = path;
    c.trades_per_tick = 4;
    Exchange x(c, kStart);
    for (std::int64_t t = kStart + 1000; t <= kStart + 3 * 60'000; t += 1000) x.advance(t, t, nullptr);
    auto ks = x.klines(0, Interval::M1, kStart, std::nullopt, 3);
    ASSERT_EQ(ks.size(), 3u);
    EXPECT_EQ(ks[0].open, D("100"));  // the first trade lands in the first quarter
    EXPECT_EQ(ks[0].high, D("105"));
    EXPECT_EQ(ks[0].low, D("99"));
    EXPECT_EQ(ks[0].close, D("104"));
    EXPECT_EQ(ks[1].high, D("104.5"));
    EXPECT_EQ(ks[1].low, D("101"));
    EXPECT_EQ(ks[1].close, D("102"));
    EXPECT_EQ(ks[2].close, D("103"));
    EXPECT_GT(ks[2].volume, ks[0].volume);
    std::remove(path.c_str());
    SimConfig bad = config();
    bad.symbols[0].kline_csv = "/nonexistent/file.csv";
    EXPECT_THROW(Exchange(bad, kStart), te::ConfigError);
}
