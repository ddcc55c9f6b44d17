// The strategy runtime on a Node trading the simulated exchange: routing by subscription and
// ownership, error policies, order-rate budgets, slow callbacks, timers, calls from other
// threads, and positions that match the account.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../node/node_fixture.hpp"
#include "core/errors.hpp"

using namespace std::chrono_literals;
using namespace te;
using te::testing::eventually;
using te::testing::kSimBtc;
using te::testing::kSimEth;

namespace {

// Counts candles; throws on candle `fail_on`; buys once on `buy_on`.
class Counter : public Strategy {
public:
    Counter(std::string name, int fail_on = 0, StrategyOptions o = {}) : Strategy(std::move(name), o), fail_on_(fail_on) {}
    std::atomic<int> candles{0}, errors_seen{0}, stops{0};

protected:
    void on_start() override { subscribe_candles(kSimBtc, Interval::M1); }
    void on_stop() override { stops++; }
    void on_candle(const Candle&) override {
        if (++candles == fail_on_) throw std::runtime_error("strategy bug");
    }
    void on_error(std::string_view, std::string_view, std::string_view) noexcept override { errors_seen++; }

private:
    int fail_on_;
};

const StrategyStatus& status_of(const std::vector<StrategyStatus>& all, std::string_view name) {
    for (const auto& s : all)
        if (s.name == name) return s;
    throw std::runtime_error("no strategy " + std::string(name));
}

}  // namespace

TEST(StrategyRuntime, APausedStrategyGetsNoDataWhileTheOtherGoesOn) {
    auto node = te::testing::sim_node();
    auto bad = std::make_shared<Counter>("bad", /*fail_on=*/2);
    auto good = std::make_shared<Counter>("good");
    node->add_strategy(bad);
    node->add_strategy(good);
    node->start();
    ASSERT_TRUE(eventually([&] { return status_of(node->strategies().status(), "bad").paused; }, 20s));
    const int bad_candles = bad->candles;
    const int good_candles = good->candles;
    ASSERT_TRUE(eventually([&] { return good->candles >= good_candles + 5; }, 20s));
    EXPECT_EQ(bad->candles.load(), bad_candles);
    const auto st = status_of(node->strategies().status(), "bad");
    EXPECT_EQ(st.errors, 1u);
    EXPECT_EQ(st.state, ComponentState::Degraded);
    EXPECT_NE(st.last_error.find("strategy bug"), std::string::npos) << st.last_error;
    EXPECT_EQ(bad->errors_seen.load(), 1);
    EXPECT_EQ(node->strategies().failed(), 1u);
    node->strategies().resume(*node->strategies().find("bad"));
    EXPECT_TRUE(eventually([&] { return bad->candles > bad_candles; }, 20s)) << "resumed";
    node->stop();
}

TEST(StrategyRuntime, StopPolicyStopsTheStrategyAndContinuePolicyKeepsIt) {
    StrategyOptions stop_opts;
    stop_opts.on_error = ErrorPolicy::Stop;
    StrategyOptions continue_opts;
    continue_opts.on_error = ErrorPolicy::Continue;
    auto node = te::testing::sim_node();
    auto stopper = std::make_shared<Counter>("stopper", 2, stop_opts);
    auto stubborn = std::make_shared<Counter>("stubborn", 2, continue_opts);
    node->add_strategy(stopper);
    node->add_strategy(stubborn);
    node->start();
    ASSERT_TRUE(eventually([&] { return stubborn->candles >= 6; }, 20s));
    EXPECT_EQ(stopper->candles.load(), 2);
    EXPECT_EQ(stopper->stops.load(), 1) << "on_stop ran once, at the error";
    const auto all = node->strategies().status();
    EXPECT_EQ(status_of(all, "stopper").state, ComponentState::Faulted);
    EXPECT_EQ(status_of(all, "stubborn").state, ComponentState::Running);
    EXPECT_EQ(status_of(all, "stubborn").errors, 1u);
    node->stop();
    EXPECT_EQ(stopper->stops.load(), 1) << "not a second time at the node's stop";
    EXPECT_EQ(stubborn->stops.load(), 1);
}

TEST(StrategyRuntime, OneStrategysBurstIsRefusedByItsBudgetAndTheOtherStillTrades) {
    class Burst : public Strategy {
    public:
        Burst(std::string name, int orders) : Strategy(std::move(name)), orders_(orders) {}
        std::vector<std::string> ids;
        std::atomic<int> rejected{0}, accepted{0};
        std::atomic<bool> sent{false};

    protected:
        void on_start() override { subscribe_candles(kSimBtc, Interval::M1); }
        void on_candle(const Candle&) override {
            if (sent.exchange(true)) return;
            // Far below the market: they rest in the book (notional 10 USDT each).
            for (int i = 0; i < orders_; ++i) ids.push_back(buy(kSimBtc, Quantity::parse("0.01"), Price::parse("1000")));
        }
        void on_order_update(const OrderUpdate& u) override {
            if (u.status == OrderStatus::Rejected) rejected++;
            if (u.status == OrderStatus::Accepted) accepted++;
        }

    private:
        int orders_;
    };
    auto node = te::testing::sim_node();
    auto flood = std::make_shared<Burst>("flood", 200);
    auto polite = std::make_shared<Burst>("polite", 1);
    node->add_strategy(flood);
    node->add_strategy(polite);
    node->start();
    ASSERT_TRUE(eventually([&] { return polite->accepted == 1; }, 20s)) << "the other strategy's order went through";
    ASSERT_TRUE(eventually([&] { return flood->rejected + flood->accepted == 200; }, 20s));
    EXPECT_EQ(flood->accepted.load(), 20) << "the burst allowance";
    EXPECT_EQ(flood->rejected.load(), 180);
    const auto view = node->order_manager().order(flood->ids.back());
    ASSERT_TRUE(view);
    EXPECT_NE(view->reason.find("order rate budget of strategy flood"), std::string::npos) << view->reason;
    EXPECT_EQ(status_of(node->strategies().status(), "flood").orders_refused_budget, 180u);
    node->stop();
}

TEST(StrategyRuntime, ASlowCallbackIsCountedWithItsStrategysName) {
    class Sleepy : public Strategy {
    public:
        Sleepy() : Strategy("sleepy", [] {
            StrategyOptions o;
            o.callback_budget = 25ms;  // on_start's subscribe took 5 ms on a loaded machine
            return o;
        }()) {}
        std::atomic<int> candles{0};

    protected:
        void on_start() override { subscribe_candles(kSimBtc, Interval::M1); }
        void on_candle(const Candle&) override {
            if (++candles == 1) std::this_thread::sleep_for(100ms);
        }
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<Sleepy>();
    node->add_strategy(s);
    node->start();
    ASSERT_TRUE(eventually([&] { return s->candles >= 2; }, 20s));
    const auto st = status_of(node->strategies().status(), "sleepy");
    EXPECT_GE(st.slow_callbacks, 1u);  // the sleeping on_candle; a loaded machine may add on_start
    EXPECT_GE(st.slowest_callback_ms, 100.0);
    node->stop();
}

TEST(StrategyRuntime, TimersFireOnceOrPeriodicallyAndStopWithTheStrategy) {
    class Clocked : public Strategy {
    public:
        Clocked() : Strategy("clocked") {}
        std::atomic<int> once{0}, every{0};

    protected:
        void on_start() override {
            set_timer("once", 10 * kNanosPerMilli, true);
            set_timer("every", 10 * kNanosPerMilli);
        }
        void on_timer(std::string_view name) override { (name == "once" ? once : every)++; }
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<Clocked>();
    node->add_strategy(s);
    node->start();
    ASSERT_TRUE(eventually([&] { return s->every >= 5; }, 20s));
    EXPECT_EQ(s->once.load(), 1);
    node->stop();
    const int after_stop = s->every;
    EXPECT_EQ(status_of(node->strategies().status(), "clocked").timers, 0u);
    EXPECT_EQ(s->every.load(), after_stop);
}

TEST(StrategyRuntime, OrdersFromAnotherThreadReachTheirOwner) {
    class Owner : public Strategy {
    public:
        Owner() : Strategy("owner") {}
        std::atomic<int> updates{0}, fills{0};
        std::string buy_now() { return buy(kSimBtc, Quantity::parse("0.001")); }

    protected:
        void on_start() override { subscribe_quotes(kSimBtc); }  // a price for the market order
        void on_order_update(const OrderUpdate&) override { updates++; }
        void on_fill(const Fill&) override { fills++; }
    };
    auto node = te::testing::sim_node();
    auto s = std::make_shared<Owner>();
    node->add_strategy(s);
    node->start();
    ASSERT_TRUE(eventually([&] { return node->cache().last_price(kSimBtc).has_value(); }, 20s));
    std::string id;
    std::thread other([&] { id = s->buy_now(); });  // a foreign thread: a safe hand-off
    other.join();
    ASSERT_TRUE(eventually([&] { return s->fills >= 1; }, 20s));
    EXPECT_GE(s->updates.load(), 2);  // SUBMITTED, FILLED
    EXPECT_EQ(node->strategies().owner(id), "owner");
    node->stop();
}

TEST(StrategyRuntime, PositionsMatchTheAccountWhenTheFeeIsChargedInTheBaseAsset) {
    // The simulated exchange, like Binance, takes a buy's commission from the bought asset: the
    // account holds quantity - fee, and so must the position (else close_position is rejected).
    class RoundTrip : public Strategy {
    public:
        RoundTrip() : Strategy("roundtrip") {}
        std::atomic<int> fills{0};
        std::atomic<bool> bought{false}, sold{false};
        std::atomic<bool> sell_rejected{false};

    protected:
        void on_start() override { subscribe_candles(kSimBtc, Interval::M1); }
        void on_candle(const Candle&) override {
            if (!bought.exchange(true)) buy(kSimBtc, Quantity::parse("0.001"));
            else if (fills >= 1 && !sold.exchange(true)) close_position(kSimBtc);
        }
        void on_fill(const Fill&) override { fills++; }
        void on_order_update(const OrderUpdate& u) override {
            if (u.status == OrderStatus::Rejected) sell_rejected = true;
        }
    };
    auto node = te::testing::sim_node([](sim::SimulatedVenueConfig& c) {
        c.exchange.accounts[0].balances = {{"USDT", Decimal::parse("10000")}};  // quote only
    });
    auto s = std::make_shared<RoundTrip>();
    node->add_strategy(s);
    node->start();
    ASSERT_TRUE(eventually([&] { return s->fills >= 1; }, 20s));
    const auto pos = node->order_manager().position(kSimBtc);
    EXPECT_EQ(pos.quantity.to_string(), "0.000999") << "0.001 bought, 0.000001 BTC commission";
    ASSERT_TRUE(eventually([&] { return s->sold && node->order_manager().closable(kSimBtc).is_zero(); }, 20s));
    EXPECT_FALSE(s->sell_rejected) << "the sellable part of the position was sold";
    EXPECT_EQ(node->order_manager().position(kSimBtc).quantity.to_string(), "0.000009")
        << "the dust below the step size stays, as at the venue";
    auto& server = static_cast<sim::SimulatedVenue*>(node->venue("SIM"))->server();
    EXPECT_NE(server.balances_json(0).find("\"BTC\""), std::string::npos);
    node->stop();
}
