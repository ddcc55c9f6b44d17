// The backtest venue: a Node on a TestClock and a manual bus, fed by replayed candles, whose
// orders fill in the simulated exchange's matching engine in process.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/errors.hpp"
#include "node/node.hpp"
#include "replay/backtest_venue.hpp"
#include "strategy/strategy.hpp"

using namespace te;
using namespace te::replay;

namespace {

constexpr UnixNanos kMinute = 60'000'000'000;
constexpr UnixNanos kStart = 1'704'067'200'000'000'000;  // 2024-01-01T00:00:00Z
const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BACKTEST");

// Bar i: open 100+i, close 100+i+0.5 (up), high close+1, low open-1.
Candle bar(int i) {
    Candle c;
    c.instrument_id = kBtc;
    c.interval = Interval::M1;
    c.open_time = kStart + i * kMinute;
    c.close_time = c.open_time + kMinute - 1'000'000;
    c.open = Price(Decimal::from_int(100 + i));
    c.close = c.open + Price::parse("0.5");
    c.high = c.close + Price::parse("1");
    c.low = c.open - Price::parse("1");
    c.volume = Quantity::parse("10");
    c.closed = true;
    c.ts_event = c.ts_recv = c.close_time;
    return c;
}

std::vector<MarketItem> bars(int n) {
    std::vector<MarketItem> out;
    for (int i = 0; i < n; ++i) out.emplace_back(bar(i));
    return out;
}

BacktestVenueConfig venue_config() {
    BacktestVenueConfig c;
    sim::SymbolConfig s;
    s.symbol = "BTCUSDT";
    s.base_asset = "BTC";
    s.quote_asset = "USDT";
    s.min_notional = Decimal::parse("1");
    s.level_qty = Decimal::parse("1000");
    c.exchange.symbols = {s};
    sim::AccountConfig a;
    a.api_key = a.secret = "backtest";
    a.balances = {{"USDT", Decimal::parse("10000")}};
    c.exchange.accounts = {a};
    return c;
}

std::shared_ptr<Node> backtest_node() {
    NodeConfig c;
    c.name = "bt";
    return std::make_shared<Node>(backtest_node_config(c));
}

// What a strategy saw and did; `act` decides per candle.
class Recorder : public Strategy {
public:
    using Act = std::function<void(Recorder&, const Candle&, int)>;
    explicit Recorder(Act act = {}) : Strategy("recorder"), act_(std::move(act)) {}
    using Strategy::buy;  // the tests' actions call these from outside the class
    using Strategy::close_position;
    using Strategy::is_flat;
    using Strategy::set_timer;
    std::vector<UnixNanos> candle_clock;  // the engine clock when each candle arrived
    std::vector<Fill> fills;
    std::vector<std::string> timers;
    std::vector<UnixNanos> timer_clock;
    Decimal sum;
    int candles = 0;
    TradingEngine* engine = nullptr;

protected:
    void on_start() override { subscribe_candles(kBtc, Interval::M1); }
    void on_candle(const Candle& c) override {
        candle_clock.push_back(engine->clock().now_ns());
        sum += c.close.value();
        if (act_) act_(*this, c, candles);
        ++candles;
    }
    void on_fill(const Fill& f) override { fills.push_back(f); }
    void on_timer(std::string_view name) override {
        timers.emplace_back(name);
        timer_clock.push_back(engine->clock().now_ns());
    }

private:
    Act act_;
};

struct Run {
    std::shared_ptr<Node> node;
    std::shared_ptr<BacktestVenue> venue;
    std::shared_ptr<Recorder> strategy;
    BacktestReport report;
};

Run run(int n, Recorder::Act act = {}, BacktestVenueConfig config = venue_config()) {
    Run r;
    r.node = backtest_node();
    r.venue = std::make_shared<BacktestVenue>(std::move(config));
    r.venue->add_source(std::make_unique<VectorSource>("bars", bars(n)));
    r.node->add_venue(r.venue);
    r.strategy = std::make_shared<Recorder>(std::move(act));
    r.strategy->engine = &r.node->engine();
    r.node->add_strategy(r.strategy);
    r.report = r.venue->run(*r.node);
    return r;
}

}  // namespace

TEST(BacktestVenue, ReplaysEveryCandleOnTheDataClock) {
    const auto r = run(100);
    EXPECT_EQ(r.report.candles, 100u);
    EXPECT_FALSE(r.report.stopped_early);
    ASSERT_EQ(r.strategy->candles, 100);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(r.strategy->candle_clock[static_cast<std::size_t>(i)], bar(i).close_time);
    Decimal expected;
    for (int i = 0; i < 100; ++i) expected += bar(i).close.value();
    EXPECT_EQ(r.strategy->sum, expected);
    EXPECT_EQ(r.node->state(), ComponentState::Stopped);
    EXPECT_EQ(r.venue->equity().size(), 100u);
}

TEST(BacktestVenue, TheSubscribedStreamCountsEveryCandleDelivered) {
    auto node = backtest_node();
    auto venue = std::make_shared<BacktestVenue>(venue_config());
    venue->add_source(std::make_unique<VectorSource>("bars", bars(100)));
    node->add_venue(venue);
    std::vector<FeedStatus> feeds;  // as the last candle arrives (the stop unsubscribes)
    auto recorder = std::make_shared<Recorder>([&](Recorder&, const Candle&, int i) {
        if (i == 99) feeds = venue->feeds();
    });
    recorder->engine = &node->engine();
    node->add_strategy(recorder);
    venue->run(*node);
    ASSERT_EQ(feeds.size(), 1u);
    EXPECT_EQ(feeds[0].stream, (StreamKey{StreamKind::Candles, kBtc, Interval::M1}));
    EXPECT_EQ(feeds[0].messages, 100u);
    EXPECT_EQ(venue->exchange().last_price(0), bar(99).close.value()) << "each close reached the matching engine";
}

TEST(BacktestVenue, ABookSetsTheLevelsAMarketOrderWalks) {
    auto book = [](int i) {
        BookDepth b;
        b.instrument_id = kBtc;
        b.ts_event = kStart + i * 1'000'000'000;
        for (int k = 0; k < 3; ++k) {
            b.bids.emplace_back(Price(Decimal::from_int(99 - k)), Quantity::parse("0.5"));
            b.asks.emplace_back(Price(Decimal::from_int(101 + k)), Quantity::parse("0.5"));
        }
        return b;
    };
    auto node = backtest_node();
    auto venue = std::make_shared<BacktestVenue>(venue_config());
    venue->add_source(std::make_unique<VectorSource>("books", std::vector<MarketItem>{book(0), book(1)}));
    node->add_venue(venue);
    struct Taker : Strategy {
        Taker() : Strategy("taker") {}
        int quotes = 0;
        Quote first;
        void on_start() override { subscribe_quotes(kBtc); }
        void on_quote(const Quote& q) override {
            if (quotes++ == 0) {
                first = q;
                buy(kBtc, Quantity::parse("1.2"));
            }
        }
    };
    auto s = std::make_shared<Taker>();
    node->add_strategy(s);
    const auto report = venue->run(*node);
    EXPECT_EQ(report.books, 2u);
    EXPECT_EQ(s->quotes, 2);
    EXPECT_EQ(s->first.bid_price, Price::parse("99"));
    EXPECT_EQ(s->first.ask_price, Price::parse("101"));
    EXPECT_EQ(s->first.ask_size, Quantity::parse("0.5"));
    const auto& fills = venue->fills();
    ASSERT_EQ(fills.size(), 3u);
    EXPECT_EQ(fills[0].price, Price::parse("101"));
    EXPECT_EQ(fills[1].price, Price::parse("102"));
    EXPECT_EQ(fills[2].price, Price::parse("103"));
    EXPECT_EQ(fills[2].quantity, Quantity::parse("0.2"));
}

TEST(BacktestVenue, AMarketBuyFillsAtTheCloseOfTheBarThatDecidedIt) {
    const auto r = run(20, [](Recorder& s, const Candle&, int i) {
        if (i == 10) s.buy(kBtc, Quantity::parse("1"));
    });
    ASSERT_EQ(r.strategy->fills.size(), 1u);
    const auto& f = r.strategy->fills[0];
    EXPECT_EQ(f.price, bar(10).close);
    EXPECT_EQ(f.ts_event, bar(10).close_time);
    EXPECT_FALSE(f.maker);
    EXPECT_EQ(f.commission, Money::parse("0.001")) << "taker fee 0.1 % of 1 BTC, in BTC";
    const auto p = r.node->order_manager().position(kBtc);
    EXPECT_EQ(p.quantity, Quantity::parse("0.999"));
}

TEST(BacktestVenue, ARestingLimitFillsAtItsPriceWhenTheIntrabarPathCrossesIt) {
    // Bar 11 opens at 111 and goes down to 110 (its low) first (an up bar): a buy at 110.25 fills there.
    const auto r = run(20, [](Recorder& s, const Candle&, int i) {
        if (i == 10) s.buy(kBtc, Quantity::parse("1"), Price::parse("110.25"));
    });
    ASSERT_EQ(r.strategy->fills.size(), 1u);
    const auto& f = r.strategy->fills[0];
    EXPECT_EQ(f.price, Price::parse("110.25"));
    EXPECT_TRUE(f.maker);
    EXPECT_EQ(f.ts_event, bar(11).open_time + (bar(11).close_time - bar(11).open_time) / 3) << "at the low, the path's 2nd point";
}

TEST(BacktestVenue, OrderLatencyMovesTheFillToWhereThePathIsWhenTheOrderArrives) {
    auto config = venue_config();
    config.order_latency = std::chrono::seconds(30);
    const auto r = run(20, [](Recorder& s, const Candle&, int i) {
        if (i == 10) s.buy(kBtc, Quantity::parse("1"));
    }, config);
    ASSERT_EQ(r.strategy->fills.size(), 1u);
    const auto& f = r.strategy->fills[0];
    EXPECT_EQ(f.ts_event, bar(10).close_time + 30'000'000'000);
    // Bar 11's path: open 111 at +0 s, low 110 at +20 s, high 112.5 at +40 s: the order meets the low.
    EXPECT_EQ(f.price, bar(11).low);
}

TEST(BacktestVenue, SameDataConfigAndSeedGiveIdenticalFills) {
    auto act = [](Recorder& s, const Candle& c, int i) {
        if (i % 7 == 3) s.buy(kBtc, Quantity::parse("0.5"), c.close - Price::parse("0.25"));
        if (i % 7 == 6 && !s.is_flat(kBtc)) s.close_position(kBtc);
    };
    const auto a = run(300, act);
    const auto b = run(300, act);
    ASSERT_GT(a.venue->fills().size(), 10u);
    ASSERT_EQ(a.venue->fills().size(), b.venue->fills().size());
    for (std::size_t i = 0; i < a.venue->fills().size(); ++i) {
        const auto& x = a.venue->fills()[i];
        const auto& y = b.venue->fills()[i];
        EXPECT_EQ(x.client_order_id, y.client_order_id);
        EXPECT_EQ(x.price, y.price);
        EXPECT_EQ(x.quantity, y.quantity);
        EXPECT_EQ(x.commission, y.commission);
        EXPECT_EQ(x.trade_id, y.trade_id);
        EXPECT_EQ(x.ts_event, y.ts_event);
    }
    EXPECT_EQ(a.venue->equity().back().cash, b.venue->equity().back().cash);
}

TEST(BacktestVenue, TimersFireAtTheirDataTime) {
    const auto r = run(60, [](Recorder& s, const Candle&, int i) {
        if (i == 0) s.set_timer("five", 5 * kMinute);
    });
    // Set at bar 0's close; fires every 5 minutes of data time after it, up to the last item.
    ASSERT_GE(r.strategy->timers.size(), 11u);
    for (std::size_t k = 0; k < r.strategy->timer_clock.size(); ++k)
        EXPECT_EQ(r.strategy->timer_clock[k], bar(0).close_time + static_cast<UnixNanos>(k + 1) * 5 * kMinute);
}

TEST(BacktestVenue, DataOutsideStartAndEndIsSkippedAndCounted) {
    auto config = venue_config();
    config.start = bar(10).open_time;
    config.end = bar(30).open_time;
    const auto r = run(50, {}, config);
    EXPECT_EQ(r.report.candles, 20u);
    EXPECT_EQ(r.report.skipped_before_start, 10u);
    EXPECT_EQ(r.report.skipped_after_end, 20u);
    EXPECT_EQ(r.strategy->candle_clock.front(), bar(10).close_time);
}

TEST(BacktestVenue, AStrategyThatThrowsEndsTheRunAndKeepsWhatRan) {
    const auto r = run(100, [](Recorder& s, const Candle&, int i) {
        if (i == 5) s.buy(kBtc, Quantity::parse("1"));
        if (i == 40) throw std::runtime_error("bad bar");
    });
    EXPECT_TRUE(r.report.stopped_early);
    EXPECT_NE(r.report.stop_reason.find("recorder"), std::string::npos) << r.report.stop_reason;
    EXPECT_NE(r.report.stop_reason.find("bad bar"), std::string::npos) << r.report.stop_reason;
    EXPECT_LT(r.report.candles, 45u);
    EXPECT_EQ(r.venue->fills().size(), 1u);
    EXPECT_EQ(r.node->state(), ComponentState::Stopped);
}

TEST(BacktestVenue, AnUnknownSymbolIsADataErrorNamingTheSource) {
    auto node = backtest_node();
    auto venue = std::make_shared<BacktestVenue>(venue_config());
    Candle c = bar(0);
    c.instrument_id = InstrumentId::parse("ETHUSDT.BACKTEST");
    venue->add_source(std::make_unique<VectorSource>("eth.csv", std::vector<MarketItem>{c}));
    node->add_venue(venue);
    try {
        venue->run(*node);
        FAIL() << "expected DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("eth.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("ETHUSDT"), std::string::npos) << e.what();
    }
    EXPECT_EQ(node->state(), ComponentState::Stopped);
}

TEST(BacktestVenue, UnsortedInMemoryRowsAreADataErrorNamingTheRow) {
    auto items = bars(5);
    std::swap(items[2], items[3]);
    try {
        VectorSource s("frame", std::move(items));
        FAIL() << "expected DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("frame: row 3"), std::string::npos) << e.what();
    }
}

TEST(BacktestVenue, ANodeWithoutATestClockAndManualBusIsRefused) {
    auto node = std::make_shared<Node>(NodeConfig{});
    auto venue = std::make_shared<BacktestVenue>(venue_config());
    venue->add_source(std::make_unique<VectorSource>("bars", bars(3)));
    node->add_venue(venue);
    EXPECT_THROW(venue->run(*node), ConfigError);
}
