// A manual bus (BusConfig.manual): no dispatcher thread; the thread that started it serves the
// lanes with dispatch_pending(), in the same strict priority as the dispatcher thread.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "bus/event_bus.hpp"
#include "core/errors.hpp"

using namespace te;

namespace {

BusConfig manual_config() {
    BusConfig c;
    c.manual = true;
    c.name = "manual";
    return c;
}

Event signal(int i) {
    Event e(EventType::Custom, Lane::Signal, std::monostate{});
    e.ts_event = i;
    return e;
}

}  // namespace

TEST(ManualBus, NothingIsDeliveredUntilTheOwnerDispatches) {
    EventBus bus(manual_config());
    std::vector<std::int64_t> seen;
    bus.subscribe(EventType::Custom, [&](const Event& e) { seen.push_back(e.ts_event); }, "h");
    bus.start();
    for (int i = 0; i < 3; ++i) bus.publish(signal(i));
    EXPECT_TRUE(seen.empty());
    EXPECT_EQ(bus.dispatch_pending(), 3u);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2}));
    EXPECT_EQ(bus.dispatch_pending(), 0u);
    bus.shutdown(1.0);
}

TEST(ManualBus, OrderLaneFirstAndWhatHandlersPublishIsServedInTheSameCall) {
    EventBus bus(manual_config());
    std::vector<std::string> order;
    bus.subscribe(EventType::Custom, [&](const Event& e) {
        order.push_back("signal" + std::to_string(e.ts_event));
        if (e.ts_event == 0) {  // a handler placing an order: it is served before the next signal
            Event o(EventType::OrderUpdate, Lane::Order, std::monostate{});
            bus.publish(o);
        }
    }, "signals");
    bus.subscribe(EventType::OrderUpdate, [&](const Event&) { order.push_back("order"); }, "orders");
    bus.start();
    bus.publish(signal(0));
    bus.publish(signal(1));
    EXPECT_EQ(bus.dispatch_pending(), 3u);
    EXPECT_EQ(order, (std::vector<std::string>{"signal0", "order", "signal1"}));
    bus.shutdown(1.0);
}

TEST(ManualBus, TheOwnerIsTheDispatcherButNotInAHandler) {
    EventBus bus(manual_config());
    bool in_handler = false;
    bus.subscribe(EventType::Custom, [&](const Event&) {
        in_handler = bus.in_handler();
        EXPECT_THROW(bus.dispatch_pending(), StateTransitionError);  // no re-entry
        EXPECT_THROW(bus.stop(), StateTransitionError);
    }, "h");
    bus.start();
    EXPECT_TRUE(bus.on_dispatcher_thread());
    EXPECT_FALSE(bus.in_handler());
    bus.publish(signal(0));
    bus.dispatch_pending();
    EXPECT_TRUE(in_handler);
    bus.shutdown(1.0);
}

TEST(ManualBus, RefusesToDispatchFromAnotherThreadOrWhenThreaded) {
    EventBus bus(manual_config());
    EXPECT_THROW(bus.dispatch_pending(), StateTransitionError) << "before start";
    bus.start();
    std::thread other([&] { EXPECT_THROW(bus.dispatch_pending(), StateTransitionError); });
    other.join();
    bus.shutdown(1.0);
    EventBus threaded{BusConfig{}};
    threaded.start();
    EXPECT_THROW(threaded.dispatch_pending(), StateTransitionError);
    threaded.shutdown(1.0);
}

TEST(ManualBus, ShutdownDrainsOnTheOwnerAndKeepsTheAccounting) {
    EventBus bus(manual_config());
    int n = 0;
    bus.subscribe(EventType::Custom, [&](const Event&) { ++n; }, "h");
    bus.start();
    for (int i = 0; i < 5; ++i) bus.publish(signal(i));
    const auto report = bus.shutdown(1.0);
    EXPECT_EQ(n, 5);
    EXPECT_EQ(report.total_left(), 0u);
    const auto s = bus.stats();
    const auto& L = s.lanes[static_cast<std::size_t>(Lane::Signal)];
    EXPECT_EQ(L.published, L.delivered + L.dropped + L.left_at_shutdown);
    EXPECT_TRUE(bus.shut_down());
}

TEST(ManualBus, WithoutLatencyMeasurementEventsCarryNoPublishStampAndStatsCountNone) {
    for (const bool measure : {true, false}) {
        auto config = manual_config();
        config.measure_latency = measure;
        EventBus bus(config);
        std::vector<std::int64_t> stamps;
        bus.subscribe(EventType::Custom, [&](const Event& e) { stamps.push_back(e.ts_publish); }, "h");
        bus.start();
        for (int i = 0; i < 5; ++i) bus.publish(signal(i));
        EXPECT_EQ(bus.dispatch_pending(), 5u);
        ASSERT_EQ(stamps.size(), 5u) << "measure_latency=" << measure;
        for (const auto t : stamps) EXPECT_EQ(t != 0, measure) << "measure_latency=" << measure;
        EXPECT_EQ(bus.stats().latency.count, measure ? 5u : 0u);
        bus.shutdown(1.0);
    }
}
