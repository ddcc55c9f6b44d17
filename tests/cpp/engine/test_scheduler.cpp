// Scheduler: ScheduledTrigger events (seed 001) on the signal lane, driven by a TestClock.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "engine/trading_engine.hpp"
#include "eventually.hpp"

namespace te {
namespace {

using testing::eventually;

struct Fixture {
    std::shared_ptr<TestClock> clock = std::make_shared<TestClock>(1'000 * kNanosPerSecond);
    EventBus bus;
    Scheduler sched{bus, clock};
    std::vector<ScheduledTrigger> fired;
    std::vector<Lane> lanes;
    Fixture() {
        bus.subscribe(EventType::ScheduledTrigger, [this](const Event& e) {
            fired.push_back(std::get<ScheduledTrigger>(e.payload));
            lanes.push_back(e.lane);
        }, "timer");
    }
    void drain() { bus.shutdown(5.0); }
};

TEST(Scheduler, OneShotFiresOnceWhenDue) {
    Fixture f;
    const auto t0 = f.clock->now_ns();
    f.sched.schedule_once("rebalance", t0 + kNanosPerSecond);
    EXPECT_EQ(f.sched.poll(), 0u);
    f.clock->advance(kNanosPerSecond + 5);
    EXPECT_EQ(f.sched.poll(), 1u);
    EXPECT_EQ(f.sched.poll(), 0u);
    f.drain();
    ASSERT_EQ(f.fired.size(), 1u);
    EXPECT_STREQ(f.fired[0].trigger_type, "rebalance");
    EXPECT_EQ(f.fired[0].scheduled_time, t0 + kNanosPerSecond);
    EXPECT_EQ(f.fired[0].actual_time, t0 + kNanosPerSecond + 5);
    EXPECT_EQ(f.lanes[0], Lane::Signal);
    EXPECT_EQ(f.sched.pending(), 0u);
}

TEST(Scheduler, PeriodicFiresEveryInterval) {
    Fixture f;
    const auto t0 = f.clock->now_ns();
    f.sched.schedule_periodic("heartbeat", kNanosPerSecond);
    for (int i = 0; i < 3; ++i) {
        f.clock->advance(kNanosPerSecond);
        EXPECT_EQ(f.sched.poll(), 1u);
    }
    f.drain();
    ASSERT_EQ(f.fired.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(f.fired[static_cast<std::size_t>(i)].scheduled_time, t0 + (i + 1) * kNanosPerSecond);
}

TEST(Scheduler, PeriodicCoalescesMissedPeriods) {
    Fixture f;
    const auto t0 = f.clock->now_ns();
    f.sched.schedule_periodic("heartbeat", kNanosPerSecond);
    f.clock->advance(10 * kNanosPerSecond + 1);
    EXPECT_EQ(f.sched.poll(), 1u);
    f.clock->advance(kNanosPerSecond);
    EXPECT_EQ(f.sched.poll(), 1u);
    f.drain();
    ASSERT_EQ(f.fired.size(), 2u);
    EXPECT_EQ(f.fired[0].scheduled_time, t0 + 10 * kNanosPerSecond);
    EXPECT_EQ(f.fired[1].scheduled_time, t0 + 11 * kNanosPerSecond);
}

TEST(Scheduler, TimersFireInDueOrderDeterministically) {
    Fixture f;
    const auto t0 = f.clock->now_ns();
    f.sched.schedule_once("b", t0 + 2);
    f.sched.schedule_once("a", t0 + 1);
    f.sched.schedule_once("c", t0 + 2);
    f.clock->advance(10);
    EXPECT_EQ(f.sched.poll(), 3u);
    f.drain();
    ASSERT_EQ(f.fired.size(), 3u);
    EXPECT_STREQ(f.fired[0].trigger_type, "a");
    EXPECT_STREQ(f.fired[1].trigger_type, "b");
    EXPECT_STREQ(f.fired[2].trigger_type, "c");
}

TEST(Scheduler, CancelStopsATimer) {
    Fixture f;
    const auto id = f.sched.schedule_periodic("x", kNanosPerSecond);
    EXPECT_TRUE(f.sched.cancel(id));
    EXPECT_FALSE(f.sched.cancel(id));
    f.clock->advance(5 * kNanosPerSecond);
    EXPECT_EQ(f.sched.poll(), 0u);
}

TEST(Scheduler, BadInputIsRejected) {
    Fixture f;
    EXPECT_THROW(f.sched.schedule_once("", 0), std::invalid_argument);
    EXPECT_THROW(f.sched.schedule_once(std::string(40, 'x'), 0), std::invalid_argument);
    EXPECT_THROW(f.sched.schedule_periodic("x", 0), std::invalid_argument);
    EXPECT_THROW(f.sched.schedule_periodic("x", -5), std::invalid_argument);
    EXPECT_EQ(f.sched.pending(), 0u);
}

TEST(Scheduler, LiveClockThreadFiresTimers) {
    EngineConfig cfg;  // LiveClock: the engine runs the scheduler thread
    TradingEngine e(cfg);
    std::atomic<int> n{0};
    e.bus().subscribe(EventType::ScheduledTrigger, [&](const Event&) { ++n; }, "timer");
    e.set_components({});
    e.run();
    e.scheduler().schedule_periodic("tick", 2 * kNanosPerMilli);
    EXPECT_TRUE(eventually([&] { return n.load() >= 3; }));
    e.stop();
}

}  // namespace
}  // namespace te
