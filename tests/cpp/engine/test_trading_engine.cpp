// Seed 000 features 1, 2, 3 and 6 (one test per Gherkin scenario) and failure modes
// FM-1, FM-2, FM-3 and FM-5.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <cmath>
#include <future>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "engine/trading_engine.hpp"
#include "eventually.hpp"

namespace te {
namespace {

using testing::eventually;

struct Recorder : EngineComponent {
    explicit Recorder(std::string n, std::vector<std::string>* journal = nullptr) : name_(std::move(n)), journal_(journal) {}
    std::string name() const override { return name_; }
    void on_start(TradingEngine& e) override {
        started = true;
        state_at_start = e.state();
        if (journal_) journal_->push_back(name_ + ".start");
    }
    void on_stop(TradingEngine&) override {
        stopped = true;
        if (journal_) journal_->push_back(name_ + ".stop");
    }
    std::string name_;
    std::vector<std::string>* journal_;
    std::atomic<bool> started{false}, stopped{false};
    EngineState state_at_start = EngineState::Created;
};

struct FailingStart : EngineComponent {
    std::string name() const override { return "failing"; }
    void on_start(TradingEngine&) override { throw std::runtime_error("cannot start"); }
};

Candle make_candle(std::int64_t i, bool closed = true) {
    Candle c;
    c.instrument_id = InstrumentId::parse("BTCUSDT.BINANCE");
    c.open_time = i;
    c.closed = closed;
    c.ts_event = i;
    return c;
}

EngineConfig small(std::size_t data_capacity = 1000, std::int64_t data_timeout_ns = kNanosPerSecond) {
    EngineConfig c;
    c.bus.data = {data_capacity, data_timeout_ns};
    c.clock = std::make_shared<TestClock>(1'700'000'000'000'000'000);
    return c;
}

struct Running {
    explicit Running(EngineConfig cfg = small()) : engine(std::move(cfg)) {
        engine.bus().subscribe(EventType::CandleClosed, [this](const Event&) { ++handled; }, "strategy");
        engine.set_components({});
        engine.run();
        engine.wait_until_ready(5.0);
    }
    ~Running() {
        if (engine.state() == EngineState::Running) engine.stop(1.0);
    }
    TradingEngine engine;
    std::atomic<int> handled{0};
};

// ---- Feature 1: event loop management ----------------------------------------------------

TEST(Feature1, RunFromEventLoopSetsRunningAndReady) {
    TradingEngine e(small());
    e.set_components({});
    EXPECT_EQ(e.state(), EngineState::Initialized);
    e.run();
    e.wait_until_ready(0.0);  // ready is signalled by run() itself
    EXPECT_EQ(e.state(), EngineState::Running);
    EXPECT_TRUE(e.health_check().event_loop_running);
    EXPECT_EQ(e.metrics().state_transitions.at("INITIALIZED->RUNNING"), 1u);
    e.stop();
}

TEST(Feature1, WaitUntilReadyBlocksUntilReady) {
    TradingEngine e(small());
    e.set_components({});
    auto waiter = std::async(std::launch::async, [&] { e.wait_until_ready(5.0); });
    EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(30)), std::future_status::timeout);
    e.run();
    waiter.get();  // returns, no exception
    e.stop();
}

TEST(Feature1, WaitUntilReadyTimesOutWithEngineNotRunningError) {
    TradingEngine e(small());
    e.set_components({});
    EXPECT_THROW(e.wait_until_ready(0.05), EngineNotRunningError);
    EXPECT_EQ(e.state(), EngineState::Initialized);
}

TEST(Feature1, CandleInCreatedStateIsRejectedWithoutException) {
    TradingEngine e(small());
    EXPECT_NO_THROW(e.on_candle_received(make_candle(1)));
    const auto m = e.metrics();
    EXPECT_EQ(m.candles_dropped_not_running, 1u);
    EXPECT_EQ(m.events_dropped, 1u);
    EXPECT_EQ(m.events_published, 0u);
}

TEST(Feature1, InvalidTransitionRaisesAndStateUnchanged) {
    TradingEngine e(small());
    EXPECT_THROW(e.run(), StateTransitionError);  // CREATED -> RUNNING
    EXPECT_EQ(e.state(), EngineState::Created);
    EXPECT_FALSE(e.bus().running());
}

TEST(Feature1, BadInputsRaiseAndKeepState) {
    TradingEngine e(small());
    EXPECT_THROW(e.stop(), StateTransitionError);  // stop() before run()
    e.set_components({});
    EXPECT_THROW(e.set_components({}), StateTransitionError);
    EXPECT_THROW(e.stop(), StateTransitionError);
    EXPECT_THROW(e.wait_until_ready(-1.0), std::invalid_argument);
    EXPECT_THROW(e.wait_until_ready(std::nan("")), std::invalid_argument);
    EXPECT_EQ(e.state(), EngineState::Initialized);
    e.run();
    EXPECT_THROW(e.run(), StateTransitionError);  // run() twice
    EXPECT_EQ(e.state(), EngineState::Running);
    EXPECT_THROW(e.stop(-1.0), std::invalid_argument);
    EXPECT_EQ(e.state(), EngineState::Running);
    e.stop();
    EXPECT_THROW(e.run(), StateTransitionError);
    EXPECT_THROW(e.stop(), StateTransitionError);
    EXPECT_EQ(e.state(), EngineState::Stopped);
}

TEST(Feature1, WaitUntilReadyOnStoppedEngineRaisesAtOnce) {
    TradingEngine e(small());
    e.set_components({});
    e.run();
    e.stop();
    EXPECT_THROW(e.wait_until_ready(5.0), EngineNotRunningError);
}

// ---- Feature 2: candle callback --------------------------------------------------------------

TEST(Feature2, CandleWhileRunningIsPublishedAndCounted) {
    Running r;
    r.engine.on_candle_received(make_candle(1));
    EXPECT_TRUE(eventually([&] { return r.handled.load() == 1; }));
    const auto m = r.engine.metrics();
    EXPECT_EQ(m.candles_received, 1u);
    EXPECT_EQ(m.events_published, 1u);
    EXPECT_EQ(m.events_dropped, 0u);
    EXPECT_GT(m.publish_latency_p99_us, 0.0);
}

namespace {
// A component that still sends a candle from on_stop, i.e. in STOPPING.
struct LateCollector : EngineComponent {
    std::atomic<bool>* dropped_in_stopping = nullptr;
    std::string name() const override { return "late-collector"; }
    void on_stop(TradingEngine& e) override {
        e.on_candle_received(make_candle(3));
        *dropped_in_stopping = e.state() == EngineState::Stopping && e.metrics().candles_dropped_not_running == 3;
    }
};
}  // namespace

TEST(Feature2, CandleWhenNotRunningIsDroppedInEveryOtherState) {
    TradingEngine e(small());
    e.on_candle_received(make_candle(1));  // CREATED
    std::atomic<bool> dropped_in_stopping{false};
    auto late = std::make_shared<LateCollector>();
    late->dropped_in_stopping = &dropped_in_stopping;
    e.set_components({late});
    e.on_candle_received(make_candle(2));  // INITIALIZED
    e.run();
    e.stop();
    e.on_candle_received(make_candle(4));  // STOPPED
    EXPECT_TRUE(dropped_in_stopping.load());
    const auto m = e.metrics();
    EXPECT_EQ(m.candles_received, 4u);
    EXPECT_EQ(m.candles_dropped_not_running, 4u);
    EXPECT_EQ(m.events_dropped, 4u);
}

TEST(Feature3, StopHooksRunWhileRunningSoWhatCollectorsDeliverIsKept) {
    Running r;
    std::atomic<bool> running_in_hook{false};
    r.engine.add_stop_hook("collector", [&] {
        running_in_hook = r.engine.state() == EngineState::Running;
        r.engine.on_candle_received(make_candle(7));  // the collector's last candle
    });
    r.engine.stop();
    EXPECT_TRUE(running_in_hook.load());
    EXPECT_EQ(r.handled.load(), 1) << "drained, not dropped";
    EXPECT_EQ(r.engine.metrics().candles_dropped_not_running, 0u);
}

TEST(Feature2, CandleDuringShutdownRaceIsDroppedAndLogged) {
    // The "event loop is None" race of seed 000: a collector thread keeps calling while the
    // engine stops. Nothing throws, every candle is either published or counted as dropped.
    Running r;
    std::atomic<bool> go{true};
    std::thread collector([&] {
        for (std::int64_t i = 0; go.load(); ++i) r.engine.on_candle_received(make_candle(i));
    });
    EXPECT_TRUE(eventually([&] { return r.handled.load() > 100; }));
    r.engine.stop(1.0);
    go = false;
    collector.join();
    const auto m = r.engine.metrics();
    EXPECT_EQ(m.candles_received, m.events_published + m.events_dropped);
    EXPECT_EQ(static_cast<std::uint64_t>(r.handled.load()) + m.bus.lanes[2].left_at_shutdown, m.events_published);
}

TEST(Feature2, ThreadSafetyTenThreadsTimesHundredCalls) {
    Running r;
    std::vector<std::thread> threads;
    for (int t = 0; t < 10; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) r.engine.on_candle_received(make_candle(t * 100 + i));
        });
    for (auto& t : threads) t.join();
    EXPECT_TRUE(eventually([&] { return r.handled.load() == 1000; }));
    const auto m = r.engine.metrics();
    EXPECT_EQ(m.candles_received, 1000u);
    EXPECT_EQ(m.events_published, 1000u);
    EXPECT_EQ(m.events_dropped, 0u);
}

TEST(Feature2, QueueFullCandleIsDroppedCounted) {
    // FM-3: the data lane stays full (the strategy is blocked) -> drop after the timeout.
    // Declared before the engine so they outlive its dispatcher.
    std::promise<void> release;
    auto released = release.get_future().share();
    std::promise<void> entered;
    std::atomic<bool> first{true};
    Running r(small(4, 5 * kNanosPerMilli));
    r.engine.bus().subscribe(EventType::CandleUpdate, [&](const Event&) {
        if (first.exchange(false)) {
            entered.set_value();
            released.wait();
        }
    }, "slow");
    r.engine.on_candle_received(make_candle(0, false));
    entered.get_future().wait();
    for (int i = 1; i <= 6; ++i) EXPECT_NO_THROW(r.engine.on_candle_received(make_candle(i, false)));
    auto m = r.engine.metrics();
    EXPECT_EQ(m.candles_dropped_lane_full, 2u);
    EXPECT_EQ(m.events_dropped, 2u);
    EXPECT_EQ(m.bus.lanes[2].dropped, 2u);
    release.set_value();
    r.engine.stop(1.0);
}

// ---- Feature 3: initialisation order ---------------------------------------------------------

TEST(Feature3, InitializationSequenceInDependencyOrder) {
    std::vector<std::string> journal;
    auto strategy = std::make_shared<Recorder>("strategy", &journal);
    auto risk = std::make_shared<Recorder>("risk", &journal);
    const auto t0 = std::chrono::steady_clock::now();
    TradingEngine e(small());                           // 1. engine, bus inside
    EXPECT_NO_THROW(e.bus().stats());
    e.set_components({strategy}, risk);                 // 2. components
    e.run();                                            // 3. run
    e.wait_until_ready(5.0);                            // 4. ready barrier
    std::function<void(const Candle&)> callback = [&e](const Candle& c) { e.on_candle_received(c); };  // 5. collector
    std::atomic<int> got{0};
    e.bus().subscribe(EventType::CandleClosed, [&](const Event&) { ++got; }, "strategy");
    callback(make_candle(1));                           // 6. connected: data flows
    EXPECT_TRUE(eventually([&] { return got.load() == 1; }));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    EXPECT_EQ(strategy->state_at_start, EngineState::Initialized);  // started before RUNNING is announced
    e.stop();
    EXPECT_EQ(journal, (std::vector<std::string>{"risk.start", "strategy.start", "strategy.stop", "risk.stop"}));
}

TEST(Feature3, RunFailsToStartWaitTimesOutAndCleansUp) {
    TradingEngine e(small());
    e.set_components({std::make_shared<FailingStart>()});
    EXPECT_THROW(e.run(), std::runtime_error);
    EXPECT_EQ(e.state(), EngineState::Initialized);  // aborted, state unchanged
    EXPECT_FALSE(e.bus().running());                 // resources cleaned up
    EXPECT_THROW(e.wait_until_ready(0.05), EngineNotRunningError);
}

TEST(Feature3, NullComponentIsRejected) {
    TradingEngine e(small());
    EXPECT_THROW(e.set_components({nullptr}), std::invalid_argument);
    EXPECT_EQ(e.state(), EngineState::Created);
}

TEST(Feature3, StopOrderCollectorsFirstThenDrainThenComponents) {
    std::mutex m;
    std::vector<std::string> journal;
    auto note = [&](std::string s) {
        std::lock_guard lk(m);
        journal.push_back(std::move(s));
    };
    struct Comp : EngineComponent {
        std::function<void(std::string)> note;
        std::string name() const override { return "strategy"; }
        void on_stop(TradingEngine&) override { note("strategy.stop"); }
    };
    auto strategy = std::make_shared<Comp>();
    strategy->note = note;
    TradingEngine e(small());
    e.bus().subscribe(EventType::OrderCreated, [&](const Event&) { note("order.delivered"); }, "oms");
    e.set_components({strategy});
    e.add_stop_hook("collector-a", [&] { note("collector-a.stop"); });
    e.add_stop_hook("collector-b", [&] {
        note("collector-b.stop");
        e.bus().publish(Event(EventType::OrderCreated, std::monostate{}));
    });
    e.run();
    e.stop();
    std::lock_guard lk(m);
    auto pos = [&](const std::string& s) { return std::find(journal.begin(), journal.end(), s) - journal.begin(); };
    ASSERT_EQ(journal.size(), 4u);
    EXPECT_LT(pos("collector-b.stop"), pos("collector-a.stop"));  // newest hook first
    EXPECT_LT(pos("collector-b.stop"), pos("order.delivered"));
    EXPECT_EQ(journal.back(), "strategy.stop");                    // components after the drain
}

// ---- Feature 6: monitoring ------------------------------------------------------------------

TEST(Feature6, DropsCountedAccuratelyAcrossThreads) {
    TradingEngine e(small());
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 250; ++i) e.on_candle_received(make_candle(i));
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(e.metrics().events_dropped, 2000u);
}

TEST(Feature6, HealthCheckHealthyWhenRunning) {
    Running r;
    r.engine.on_candle_received(make_candle(1));
    const auto h = r.engine.health_check();
    EXPECT_TRUE(h.healthy);
    EXPECT_EQ(h.status, "healthy");
    EXPECT_TRUE(h.event_loop_running);
    EXPECT_EQ(h.state, EngineState::Running);
    EXPECT_GE(h.uptime_seconds, 0.0);
    EXPECT_EQ(h.drop_rate, 0.0);
    EXPECT_LE(h.eventbus_depth, 1u);
}

TEST(Feature6, HealthCheckUnhealthyWhenNotRunning) {
    TradingEngine e(small());
    e.on_candle_received(make_candle(1));
    const auto h = e.health_check();
    EXPECT_FALSE(h.healthy);
    EXPECT_EQ(h.status, "unhealthy");
    EXPECT_FALSE(h.event_loop_running);
    EXPECT_EQ(h.drop_rate, 1.0);
}

TEST(Feature6, StateTransitionsAreCounted) {
    TradingEngine e(small());
    e.set_components({});
    e.run();
    e.stop();
    const auto m = e.metrics();
    for (const char* k : {"CREATED->INITIALIZED", "INITIALIZED->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"})
        EXPECT_EQ(m.state_transitions.at(k), 1u) << k;
    EXPECT_EQ(m.state, EngineState::Stopped);
}

TEST(Feature6, MetricsSnapshotHasEveryField) {
    Running r;
    for (int i = 0; i < 1000; ++i) r.engine.on_candle_received(make_candle(i));
    EXPECT_TRUE(eventually([&] { return r.handled.load() == 1000; }));
    const auto m = r.engine.metrics();
    EXPECT_EQ(m.candles_received, 1000u);
    EXPECT_EQ(m.events_published, 1000u);
    EXPECT_EQ(m.events_dropped, 0u);
    EXPECT_EQ(m.callback_errors, 0u);
    EXPECT_GT(m.publish_latency_p50_us, 0.0);
    EXPECT_GE(m.publish_latency_p99_us, m.publish_latency_p50_us);
    EXPECT_EQ(m.state, EngineState::Running);
    EXPECT_GE(m.uptime_seconds, 0.0);
    EXPECT_EQ(m.state_transitions.size(), 4u);
    EXPECT_EQ(m.lane_depth.size(), 3u);
    EXPECT_EQ(m.bus.lanes[2].delivered, 1000u);
}

TEST(Feature6, MetricsReadConcurrentlyWithUpdates) {
    Running r;
    std::atomic<bool> go{true};
    std::thread reader([&] {
        while (go) {
            const auto m = r.engine.metrics();
            EXPECT_LE(m.events_published, m.candles_received);
        }
    });
    for (int i = 0; i < 2000; ++i) r.engine.on_candle_received(make_candle(i));
    go = false;
    reader.join();
}

// ---- failure modes ---------------------------------------------------------------------------

TEST(FailureModes, FM1_EventLoopStopped) {
    Running r(small(4, kNanosPerMilli));
    r.engine.bus().stop();  // the dispatcher is gone while the engine says RUNNING
    for (int i = 0; i < 10; ++i) EXPECT_NO_THROW(r.engine.on_candle_received(make_candle(i)));
    const auto h = r.engine.health_check();
    EXPECT_FALSE(h.event_loop_running);
    EXPECT_EQ(h.status, "unhealthy");
    const auto m = r.engine.metrics();
    EXPECT_EQ(m.events_dropped, 6u);  // 4 fit in the lane, the rest time out
    EXPECT_EQ(m.lane_depth[2], 4u);
}

TEST(FailureModes, FM2_CallbackBeforeRun) {
    TradingEngine e(small());
    e.set_components({});
    for (int i = 0; i < 5; ++i) EXPECT_NO_THROW(e.on_candle_received(make_candle(i)));
    EXPECT_EQ(e.metrics().events_dropped, 5u);
    EXPECT_EQ(e.bus().depth(), 0u);
}

TEST(FailureModes, FM5_HandlerExceptionIsIsolated) {
    Running r;
    std::atomic<int> errors_seen{0};
    r.engine.bus().subscribe(EventType::CandleClosed, [](const Event&) { throw std::runtime_error("strategy bug"); },
                             "buggy_strategy");
    r.engine.bus().subscribe(EventType::Error, [&](const Event&) { ++errors_seen; }, "on_error");
    for (int i = 0; i < 3; ++i) r.engine.on_candle_received(make_candle(i));
    EXPECT_TRUE(eventually([&] { return errors_seen.load() == 3 && r.handled.load() == 3; }));
    EXPECT_EQ(r.engine.metrics().callback_errors, 3u);
    EXPECT_TRUE(r.engine.health_check().healthy);
}

}  // namespace
}  // namespace te
