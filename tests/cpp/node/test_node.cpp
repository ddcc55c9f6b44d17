// The Node: assembly, the start and stop order, status, and the bad inputs of its API.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/errors.hpp"
#include "node_fixture.hpp"

using namespace std::chrono_literals;
using namespace te;
using te::testing::eventually;
using te::testing::kSimBtc;
using te::testing::kSimEth;

namespace {

// Buys on every 3rd closed candle while flat, sells what it holds on the next.
class PingPong : public Strategy {
public:
    explicit PingPong(std::string name = "pingpong") : Strategy(std::move(name)) {}
    std::atomic<int> candles{0}, fills{0}, updates{0}, inside{0}, overlaps{0};
    std::atomic<bool> started{false}, stopped{false};

protected:
    void on_start() override {
        subscribe_candles(kSimBtc, Interval::M1);
        started = true;
    }
    void on_stop() override { stopped = true; }
    void on_candle(const Candle&) override {
        if (inside++ > 0) overlaps++;
        if (++candles % 3 == 0 && open_orders().empty()) {
            if (is_flat(kSimBtc)) buy(kSimBtc, Quantity::parse("0.001"));
            else close_position(kSimBtc);
        }
        inside--;
    }
    void on_fill(const Fill&) override { fills++; }
    void on_order_update(const OrderUpdate&) override { updates++; }
};

ComponentState state_of(const NodeStatus& s, std::string_view name) {
    for (const auto& c : s.components)
        if (c.name == name) return c.state;
    ADD_FAILURE() << "no component " << name;
    return ComponentState::Faulted;
}

}  // namespace

TEST(Node, TradesACppStrategyOnTheSimulatedExchange) {
    auto node = te::testing::sim_node();
    auto s = std::make_shared<PingPong>();
    node->add_strategy(s);
    node->start();
    EXPECT_TRUE(s->started);
    ASSERT_TRUE(eventually([&] { return s->fills >= 4; }, 20s));
    EXPECT_GT(s->updates.load(), 0);
    EXPECT_EQ(s->overlaps.load(), 0) << "never two callbacks at once";
    node->stop();
    EXPECT_TRUE(s->stopped);
    EXPECT_EQ(node->state(), ComponentState::Stopped);
    EXPECT_EQ(node->order_manager().stats().open_orders, 0u);
}

TEST(Node, StatusShowsEveryComponentRunningThenStopped) {
    auto node = te::testing::sim_node();
    EXPECT_EQ(node->status().state, ComponentState::Ready);
    node->start();
    auto s = node->status();
    EXPECT_EQ(s.state, ComponentState::Running);
    EXPECT_EQ(state_of(s, "node"), ComponentState::Running);
    EXPECT_EQ(state_of(s, "SIM"), ComponentState::Running);
    EXPECT_EQ(state_of(s, "orders"), ComponentState::Running);
    node->stop();
    s = node->status();
    EXPECT_EQ(s.state, ComponentState::Stopped);
    EXPECT_EQ(state_of(s, "SIM"), ComponentState::Stopped);
    EXPECT_EQ(state_of(s, "node"), ComponentState::Stopped);
}

TEST(Node, SubscribingDrivesTheVenueAndUnsubscribingReleasesIt) {
    class FiveMinutes : public Strategy {
    public:
        FiveMinutes() : Strategy("five") {}
        std::atomic<int> candles{0};
        void drop() { unsubscribe(StreamKey{StreamKind::Candles, kSimEth, Interval::M5}); }

    protected:
        void on_start() override { subscribe_candles(kSimEth, Interval::M5); }
        void on_candle(const Candle& c) override {
            EXPECT_EQ(c.interval, Interval::M5);
            EXPECT_EQ(c.instrument_id, kSimEth);
            candles++;
        }
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<FiveMinutes>();
    node->add_strategy(s);
    node->start();
    ASSERT_TRUE(eventually([&] { return s->candles >= 2; }, 20s)) << "the venue subscribed ethusdt@kline_5m";
    auto feeds = node->venue("SIM")->feeds();
    ASSERT_EQ(feeds.size(), 1u);
    EXPECT_EQ(feeds[0].stream.to_string(), "ETHUSDT.SIM candles 5m");
    s->drop();
    EXPECT_TRUE(eventually([&] { return node->venue("SIM")->feeds().empty(); }));
    node->stop();
}

TEST(Node, ADataOnlyStrategyNeedsNoOrderManagerWiring) {
    class Watcher : public Strategy {
    public:
        Watcher() : Strategy("watcher") {}
        std::atomic<int> trades{0};

    protected:
        void on_start() override { subscribe_trades(kSimBtc); }
        void on_trade(const Trade&) override { trades++; }
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<Watcher>();
    node->add_strategy(s);
    node->start();
    EXPECT_TRUE(eventually([&] { return s->trades >= 5; }, 20s));
    node->stop();
    EXPECT_TRUE(node->order_manager().orders().empty());
}

TEST(Node, TwoVenuesWithOneNameAreRefused) {
    Node node;
    node.add_venue(te::testing::sim_venue());
    try {
        node.add_venue(te::testing::sim_venue());
        FAIL() << "expected invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("two venues named 'SIM'"), std::string::npos) << e.what();
    }
}

TEST(Node, AStrategyAddedTwiceOrToTwoNodesIsRefused) {
    auto s = std::make_shared<PingPong>();
    Node a, b;
    a.add_strategy(s);
    EXPECT_THROW(a.add_strategy(s), std::invalid_argument);
    EXPECT_THROW(b.add_strategy(s), std::invalid_argument);
    EXPECT_THROW(a.add_strategy(std::make_shared<PingPong>("pingpong")), std::invalid_argument) << "same name";
}

TEST(Node, StartTwiceStopBeforeStartAndNoVenueAreClearErrors) {
    Node empty;
    EXPECT_THROW(empty.start(), ConfigError);
    Node never;
    never.add_venue(te::testing::sim_venue());
    EXPECT_THROW(never.stop(), StateTransitionError);
    auto node = te::testing::sim_node();
    node->start();
    EXPECT_THROW(node->start(), StateTransitionError);
    node->stop();
    node->stop();  // idempotent once started
    EXPECT_THROW(node->start(), StateTransitionError) << "a node runs once";
}

TEST(Node, SubscribingToAnInstrumentNoVenueListsFailsTheStartAndStopsEverything) {
    class Lost : public Strategy {
    public:
        Lost() : Strategy("lost") {}

    protected:
        void on_start() override { subscribe_candles(InstrumentId::parse("DOGEUSDT.SIM"), Interval::M1); }
    };
    auto node = te::testing::sim_node();
    node->add_strategy(std::make_shared<Lost>());
    try {
        node->start();
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("DOGEUSDT"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not list"), std::string::npos) << e.what();
    }
    EXPECT_EQ(node->state(), ComponentState::Stopped);
    EXPECT_EQ(node->engine().state(), EngineState::Stopped);
    EXPECT_EQ(node->venue("SIM")->state(), ComponentState::Stopped);
}

TEST(Node, ResolvesSymbolsToTheOneVenueListingThem) {
    auto node = te::testing::sim_node();
    node->start();
    EXPECT_EQ(node->resolve("BTCUSDT"), kSimBtc);
    EXPECT_EQ(node->resolve("ETHUSDT.SIM"), kSimEth);
    EXPECT_THROW(node->resolve("DOGEUSDT"), ConfigError);
    EXPECT_THROW(node->resolve("BTCUSDT.BINANCE"), ConfigError);
    EXPECT_THROW(node->resolve(""), ConfigError);
    node->stop();
}

TEST(Node, InterruptDuringStartStopsEverythingAndSendsNoOrder) {
    // The exchange answers REST slowly, so the start is still connecting when interrupted.
    auto node = te::testing::sim_node([](sim::SimulatedVenueConfig& c) { c.exchange.faults.latency_us = 300'000; });
    auto s = std::make_shared<PingPong>();
    node->add_strategy(s);
    std::thread ctrl_c([&] {
        std::this_thread::sleep_for(100ms);
        node->interrupt();
    });
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_THROW(node->start(), EngineNotRunningError);
    const auto took = std::chrono::steady_clock::now() - t0;
    ctrl_c.join();
    EXPECT_FALSE(s->started) << "no strategy starts after the interrupt";
    EXPECT_TRUE(node->order_manager().orders().empty());
    EXPECT_EQ(node->state(), ComponentState::Stopped);
    EXPECT_LT(took, 5s) << "the interrupt is honoured within the REST round trip in progress";
}

TEST(Node, StopFromACallbackIsRefusedAndRequestStopIsTheWay) {
    class Quitter : public Strategy {
    public:
        explicit Quitter(Node& n) : Strategy("quitter"), node_(n) {}
        std::atomic<bool> refused{false};

    protected:
        void on_start() override { subscribe_candles(kSimBtc, Interval::M1); }
        void on_candle(const Candle&) override {
            try {
                node_.stop();
            } catch (const StateTransitionError&) {
                refused = true;
            }
            node_.request_stop();
        }

    private:
        Node& node_;
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<Quitter>(*node);
    node->add_strategy(s);
    node->start();
    EXPECT_TRUE(node->wait_for_stop(20s));
    EXPECT_TRUE(s->refused);
    node->stop();
}
