// A C++ strategy trading on the simulated exchange through the order manager: callbacks,
// fills, the error policy, stop.
#include <gtest/gtest.h>

#include <atomic>

#include "../binance_sim/sim_fixture.hpp"
#include "net/client/io_thread.hpp"
#include "strategy/strategy.hpp"
#include "venues/binance/binance_venue.hpp"
#include "venues/binance/execution_client.hpp"
#include "venues/binance/market_data_client.hpp"
#include "venues/engine_sinks.hpp"

using namespace std::chrono_literals;
using namespace te;
using te::testing::eventually;

namespace {

const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");

// Buys on every 3rd closed candle while flat, sells on the next; throws on candle `fail_on`.
class PingPong : public Strategy {
public:
    PingPong(std::string name, oms::OrderManager& oms, int fail_on = 0) : Strategy(std::move(name), oms), fail_on_(fail_on) {}
    std::atomic<int> candles{0}, fills{0}, updates{0}, inside{0}, overlaps{0};
    std::atomic<bool> started{false}, stopped{false};

protected:
    void on_start() override {
        subscribe_candles(kBtc, Interval::M1);
        started = true;
    }
    void on_stop() override { stopped = true; }
    void on_candle(const Candle&) override {
        if (inside++ > 0) overlaps++;
        const int n = ++candles;
        if (n == fail_on_) {
            inside--;
            throw std::runtime_error("strategy bug");
        }
        if (n % 3 == 0) {
            if (position(kBtc).is_flat()) buy(kBtc, Quantity::parse("0.001"));
            else sell(kBtc, position(kBtc).quantity);
        }
        inside--;
    }
    void on_fill(const Fill&) override { fills++; }
    void on_order_update(const OrderUpdate&) override { updates++; }

private:
    int fail_on_;
};

struct Live {
    std::unique_ptr<sim::SimServer> sim = te::testing::start_sim([](sim::SimConfig& c) {
        c.tick_ms = 20;
        c.speed = 3000;
        c.history_minutes = 10;
    });
    TradingEngine engine;
    EngineExecutionSink sink{engine, /*for_order_manager=*/true};
    EngineDataSink data{engine};
    net::IoThread io;
    std::unique_ptr<binance::ExecutionClient> ex;
    std::unique_ptr<binance::BinanceVenue> venue;
    std::unique_ptr<oms::OrderManager> oms;
    std::unique_ptr<binance::MarketDataClient> md;

    Live() {
        binance::ExecutionConfig c;
        c.rest_url = te::testing::rest_url(*sim);
        c.ws_api_url = te::testing::ws_url(*sim) + "/ws-api/v3";
        c.credentials = {sim->config().accounts[0].api_key, sim->config().accounts[0].secret};
        c.symbols = {"BTCUSDT"};
        ex = std::make_unique<binance::ExecutionClient>(io.context(), c, sink);
        venue = std::make_unique<binance::BinanceVenue>(io.context(), *ex, sink);
        oms = std::make_unique<oms::OrderManager>(engine, *venue);
        binance::MarketDataConfig m;
        m.stream_url = te::testing::ws_url(*sim);
        m.rest_url = te::testing::rest_url(*sim);
        m.symbols = {"BTCUSDT"};
        m.intervals = {"1m"};
        md = std::make_unique<binance::MarketDataClient>(io.context(), m, data);
    }
    void start(std::vector<ComponentPtr> strategies) {
        engine.set_components(std::move(strategies));
        engine.run();
        ex->start();
        md->start();
    }
    ~Live() {
        md->stop();
        if (engine.state() == EngineState::Running) engine.stop();
        ex->stop();
        io.stop();
    }
};

}  // namespace

TEST(CppStrategy, TradesOnTheSimulatorWithFillsBackInItsCallbacks) {
    Live live;
    auto s = std::make_shared<PingPong>("pingpong", *live.oms);
    live.start({s});
    EXPECT_TRUE(s->started);
    ASSERT_TRUE(eventually([&] { return s->fills >= 4; }));
    EXPECT_GT(s->updates.load(), 0);
    EXPECT_EQ(s->overlaps.load(), 0) << "never two callbacks at once";
    live.md->stop();
    live.engine.stop();
    EXPECT_TRUE(s->stopped);
    for (const auto& o : live.oms->orders("pingpong"))
        EXPECT_TRUE(o.status == OrderStatus::Filled) << o.request.client_order_id.view();
}

TEST(CppStrategy, AFailingStrategyIsPausedAndTheOtherGoesOn) {
    Live live;
    auto bad = std::make_shared<PingPong>("bad", *live.oms, /*fail_on=*/2);
    auto good = std::make_shared<PingPong>("good", *live.oms);
    live.start({bad, good});
    ASSERT_TRUE(eventually([&] { return bad->paused(); }));
    const int bad_candles = bad->candles;
    const int good_candles = good->candles;
    ASSERT_TRUE(eventually([&] { return good->candles >= good_candles + 10; }));
    EXPECT_EQ(bad->candles.load(), bad_candles);
    EXPECT_EQ(bad->errors(), 1u);
    EXPECT_EQ(live.engine.state(), EngineState::Running);
}
