// Seed 002 §7 (unit, integration, stress) and the lane policies of ARCHITECTURE §3.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "bus/event_bus.hpp"
#include "core/errors.hpp"
#include "eventually.hpp"

namespace te {
namespace {

using testing::eventually;

Event custom(Lane lane, std::int64_t tag = 0) {
    Event e(EventType::Custom, lane, std::monostate{});
    e.ts_event = tag;
    return e;
}

Event candle_event(std::int64_t tag) {
    Candle c;
    c.closed = true;
    c.ts_event = tag;
    return Event::candle(c);
}

BusConfig small_config() {
    BusConfig c;
    c.data = {8, 20 * kNanosPerMilli};
    c.signal = {4, 20 * kNanosPerMilli};
    c.order = {4, -1};
    c.spin_ns = 1000;
    return c;
}

// Blocks the dispatcher inside a handler until released, so lanes can be filled.
struct Plug {
    std::promise<void> entered;
    std::promise<void> release;
    std::shared_future<void> released{release.get_future().share()};
    std::atomic<bool> used{false};
    void operator()() {
        if (used.exchange(true)) return;
        entered.set_value();
        released.wait();
    }
};

void expect_invariant(const BusStats& s) {
    for (const auto& l : s.lanes)
        EXPECT_EQ(l.published, l.delivered + l.dropped + l.left_at_shutdown + l.depth)
            << "lane " << to_string(l.lane);
}

// ---- unit: subscriptions ----------------------------------------------------------------

TEST(EventBusUnit, test_subscribe_adds_handler) {
    EventBus bus;
    bus.subscribe(EventType::CandleClosed, [](const Event&) {}, "h");
    EXPECT_EQ(bus.handler_count(EventType::CandleClosed), 1u);
    EXPECT_EQ(bus.handlers().front().name, "h");
}

TEST(EventBusUnit, test_multiple_handlers_same_event) {
    EventBus bus;
    bus.subscribe(EventType::CandleClosed, [](const Event&) {}, "h1");
    bus.subscribe(EventType::CandleClosed, [](const Event&) {}, "h2");
    EXPECT_EQ(bus.handler_count(EventType::CandleClosed), 2u);
}

TEST(EventBusUnit, HandlersRunInSubscriptionOrder) {
    EventBus bus;
    std::vector<int> calls;
    for (int i = 0; i < 5; ++i) bus.subscribe(EventType::Custom, [&calls, i](const Event&) { calls.push_back(i); }, "h");
    bus.start();
    bus.publish(custom(Lane::Signal));
    bus.shutdown(1.0);
    EXPECT_EQ(calls, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(EventBusUnit, UnsubscribeRemovesOnlyThatHandler) {
    EventBus bus;
    std::atomic<int> a{0}, b{0};
    auto ia = bus.subscribe(EventType::Custom, [&](const Event&) { ++a; }, "a");
    bus.subscribe(EventType::Custom, [&](const Event&) { ++b; }, "b");
    EXPECT_TRUE(bus.unsubscribe(ia));
    EXPECT_FALSE(bus.unsubscribe(ia));
    bus.start();
    bus.publish(custom(Lane::Signal));
    bus.shutdown(1.0);
    EXPECT_EQ(a.load(), 0);
    EXPECT_EQ(b.load(), 1);
}

TEST(EventBusUnit, SubscribeDuringDispatchTakesEffectFromNextEvent) {
    EventBus bus;
    std::atomic<int> late_calls{0};
    std::vector<std::int64_t> seen_by_late;
    std::mutex m;
    bool added = false;
    bus.subscribe(
        EventType::Custom,
        [&](const Event& e) {
            if (!added) {
                added = true;
                bus.subscribe(EventType::Custom, [&](const Event& ev) {
                    std::lock_guard lk(m);
                    seen_by_late.push_back(ev.ts_event);
                    ++late_calls;
                }, "late");
            }
            (void)e;
        },
        "first");
    bus.start();
    bus.publish(custom(Lane::Signal, 1));
    bus.publish(custom(Lane::Signal, 2));
    bus.shutdown(1.0);
    std::lock_guard lk(m);
    EXPECT_EQ(seen_by_late, (std::vector<std::int64_t>{2}));
}

TEST(EventBusUnit, UnsubscribeDuringDispatchTakesEffectFromNextEvent) {
    EventBus bus;
    std::atomic<int> second_calls{0};
    SubscriptionId second = 0;
    bus.subscribe(EventType::Custom, [&](const Event&) { bus.unsubscribe(second); }, "first");
    second = bus.subscribe(EventType::Custom, [&](const Event&) { ++second_calls; }, "second");
    bus.start();
    bus.publish(custom(Lane::Signal, 1));
    bus.publish(custom(Lane::Signal, 2));
    bus.shutdown(1.0);
    EXPECT_EQ(second_calls.load(), 1);  // still called for the event during which it was removed
}

TEST(EventBusUnit, EmptyHandlerIsRejected) {
    EventBus bus;
    EXPECT_THROW(bus.subscribe(EventType::Custom, HandlerFn{}, "x"), std::invalid_argument);
}

TEST(EventBusUnit, InvalidConfigIsRejected) {
    BusConfig c;
    c.data.capacity = 0;
    EXPECT_THROW(EventBus{c}, std::invalid_argument);
    BusConfig d;
    d.batch_size = 0;
    EXPECT_THROW(EventBus{d}, std::invalid_argument);
}

TEST(EventBusUnit, InvalidLaneIsRejected) {
    EventBus bus;
    Event e = custom(Lane::Signal);
    e.lane = static_cast<Lane>(7);
    EXPECT_THROW(bus.publish(e), std::invalid_argument);
}

TEST(EventBusUnit, NegativeOrNanShutdownTimeoutIsRejected) {
    EventBus bus;
    EXPECT_THROW(bus.shutdown(-1.0), std::invalid_argument);
    EXPECT_THROW(bus.shutdown(std::nan("")), std::invalid_argument);
    EXPECT_FALSE(bus.shut_down());
}

TEST(EventBusUnit, StartTwiceIsAnError) {
    EventBus bus;
    bus.start();
    EXPECT_THROW(bus.start(), StateTransitionError);
    bus.shutdown(1.0);
    EXPECT_THROW(bus.start(), StateTransitionError);
}

// ---- unit: lanes and policies ---------------------------------------------------------------

TEST(EventBusLanes, test_data_queue_drops_on_overflow) {
    auto cfg = small_config();
    EventBus bus(cfg);
    for (int i = 0; i < 9; ++i) bus.publish(candle_event(i));  // not started: 8 fit, 1 waits 20 ms then drops
    const auto s = bus.stats();
    EXPECT_EQ(s.lanes[2].depth, 8u);
    EXPECT_EQ(s.lanes[2].dropped, 1u);
    EXPECT_EQ(s.lanes[2].published, 9u);
    EXPECT_GT(s.lanes[2].blocked_ns, 0);
    EXPECT_EQ(s.lanes[2].high_water, 8u);
    expect_invariant(s);
}

TEST(EventBusLanes, test_order_queue_blocks_on_overflow) {
    EventBus bus(small_config());
    for (int i = 0; i < 4; ++i) EXPECT_EQ(bus.publish(custom(Lane::Order, i)), PublishResult::Accepted);
    auto blocked = std::async(std::launch::async, [&] { return bus.publish(custom(Lane::Order, 4)); });
    EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);  // still blocked
    std::atomic<int> delivered{0};
    bus.subscribe(EventType::Custom, [&](const Event&) { ++delivered; }, "count");
    bus.start();
    EXPECT_EQ(blocked.get(), PublishResult::Accepted);  // never dropped: waits for room
    EXPECT_TRUE(eventually([&] { return delivered.load() == 5; }));
    bus.shutdown(1.0);
    EXPECT_EQ(bus.stats().lanes[0].dropped, 0u);
}

TEST(EventBusLanes, SignalLaneRaisesQueueFullAfterTimeout) {
    EventBus bus(small_config());
    for (int i = 0; i < 4; ++i) bus.publish(custom(Lane::Signal, i));
    EXPECT_THROW(bus.publish(custom(Lane::Signal, 4)), QueueFullError);
    const auto s = bus.stats();
    EXPECT_EQ(s.lanes[1].dropped, 1u);
    EXPECT_EQ(s.lanes[1].depth, 4u);
    expect_invariant(s);
}

TEST(EventBusLanes, NoWaitPublishDropsImmediately) {
    EventBus bus(small_config());
    for (int i = 0; i < 4; ++i) bus.publish(custom(Lane::Signal, i));
    EXPECT_EQ(bus.publish(custom(Lane::Signal, 4), PublishMode::NoWait), PublishResult::Dropped);
}

TEST(EventBusLanes, StrictPriorityOrderSignalData) {
    EventBus bus;
    std::vector<Lane> seen;
    auto record = [&](const Event& e) { seen.push_back(e.lane); };
    bus.subscribe(EventType::Custom, record, "rec");
    bus.subscribe(EventType::CandleClosed, record, "rec");
    for (int i = 0; i < 3; ++i) bus.publish(candle_event(i));
    for (int i = 0; i < 3; ++i) bus.publish(custom(Lane::Signal, i));
    for (int i = 0; i < 3; ++i) bus.publish(custom(Lane::Order, i));
    bus.start();
    bus.shutdown(1.0);
    EXPECT_EQ(seen, (std::vector<Lane>{Lane::Order, Lane::Order, Lane::Order, Lane::Signal, Lane::Signal,
                                       Lane::Signal, Lane::Data, Lane::Data, Lane::Data}));
}

TEST(EventBusLanes, WaitingOrderEventIsNextAfterTheDataEventInProgress) {
    // ARCHITECTURE §3: strict priority per event. An order event published while a data
    // batch is being served is delivered after the data delivery in progress, not after the
    // rest of the batch (up to batch_size - 1 more data events).
    BusConfig c;
    c.batch_size = 64;
    EventBus bus(c);
    std::vector<Lane> seen;
    Plug plug;
    bus.subscribe(EventType::CandleClosed, [&](const Event& e) {
        seen.push_back(e.lane);
        plug();
    }, "data");
    bus.subscribe(EventType::Custom, [&](const Event& e) { seen.push_back(e.lane); }, "order");
    for (int i = 0; i < 40; ++i) bus.publish(candle_event(i));
    bus.start();
    plug.entered.get_future().wait();  // the first data event is being handled
    bus.publish(custom(Lane::Order));
    plug.release.set_value();
    bus.shutdown(2.0);
    ASSERT_EQ(seen.size(), 41u);
    EXPECT_EQ(seen[0], Lane::Data);
    EXPECT_EQ(seen[1], Lane::Order) << "the order event waited behind more data events";
}

TEST(EventBusLanes, WaitingSignalEventPreemptsTheDataBatch) {
    BusConfig c;
    c.batch_size = 64;
    EventBus bus(c);
    std::vector<Lane> seen;
    Plug plug;
    bus.subscribe(EventType::CandleClosed, [&](const Event& e) {
        seen.push_back(e.lane);
        plug();
    }, "data");
    bus.subscribe(EventType::Custom, [&](const Event& e) { seen.push_back(e.lane); }, "signal");
    for (int i = 0; i < 10; ++i) bus.publish(candle_event(i));
    bus.start();
    plug.entered.get_future().wait();
    bus.publish(custom(Lane::Signal));
    plug.release.set_value();
    bus.shutdown(2.0);
    ASSERT_EQ(seen.size(), 11u);
    EXPECT_EQ(seen[1], Lane::Signal);
}

TEST(EventBusLanes, ReentrantPublishOnFullOrderLaneNeverBlocks) {
    // A handler places 20 orders on a lane of 4 while the dispatcher is the only consumer:
    // they go to the overflow, nothing blocks, nothing is lost, their order is kept.
    EventBus bus(small_config());
    std::vector<std::int64_t> orders;
    bus.subscribe(EventType::CandleClosed, [&](const Event&) {
        for (int i = 0; i < 20; ++i) bus.publish(custom(Lane::Order, i));
    }, "strategy");
    bus.subscribe(EventType::Custom, [&](const Event& e) { orders.push_back(e.ts_event); }, "oms");
    bus.start();
    bus.publish(candle_event(0));
    const auto report = bus.shutdown(5.0);
    ASSERT_EQ(orders.size(), 20u);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(orders[static_cast<std::size_t>(i)], i);
    const auto s = bus.stats();
    EXPECT_EQ(s.lanes[0].overflowed, 16u);
    EXPECT_EQ(s.lanes[0].dropped, 0u);
    EXPECT_EQ(report.total_left(), 0u);
    expect_invariant(s);
}

TEST(EventBusLanes, ReentrantSignalOverflowIsBoundedAndRaises) {
    EventBus bus(small_config());
    std::atomic<int> raised{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) {
        for (int i = 0; i < 9; ++i) {
            try {
                bus.publish(custom(Lane::Signal, i));
            } catch (const QueueFullError&) {
                ++raised;
            }
        }
    }, "strategy");
    bus.start();
    bus.publish(candle_event(0));
    bus.shutdown(5.0);
    EXPECT_EQ(raised.load(), 1);  // 4 in the ring + 4 in the overflow, the 9th refused
}

// ---- unit: error isolation ----------------------------------------------------------------

TEST(EventBusErrors, test_handler_exception_doesnt_crash_processor) {
    EventBus bus;
    std::atomic<bool> working_called{false};
    std::vector<ErrorInfo> errors;
    bus.subscribe(EventType::CandleClosed, [](const Event&) { throw std::runtime_error("Test error"); }, "failing_handler");
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { working_called = true; }, "working_handler");
    bus.subscribe(EventType::Error, [&](const Event& e) { errors.push_back(e.get<ErrorInfo>()); }, "on_error");
    bus.start();
    bus.publish(candle_event(1));
    EXPECT_TRUE(eventually([&] { return working_called.load(); }));
    bus.publish(candle_event(2));
    bus.shutdown(1.0);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_STREQ(errors[0].handler, "failing_handler");
    EXPECT_STREQ(errors[0].message, "Test error");
    EXPECT_EQ(errors[0].event_type, EventType::CandleClosed);
    const auto s = bus.stats();
    EXPECT_EQ(s.handler_errors, 2u);
    EXPECT_EQ(s.lanes[2].handler_errors, 2u);
    for (const auto& h : bus.handlers())
        if (h.name == "failing_handler") {
            EXPECT_EQ(h.errors, 2u);
        }
}

TEST(EventBusErrors, FailingErrorHandlerDoesNotLoop) {
    EventBus bus;
    std::atomic<int> error_calls{0};
    bus.subscribe(EventType::Custom, [](const Event&) { throw std::runtime_error("x"); }, "bad");
    bus.subscribe(EventType::Error, [&](const Event&) { ++error_calls; throw std::runtime_error("y"); }, "bad_error");
    bus.start();
    bus.publish(custom(Lane::Signal));
    bus.shutdown(1.0);
    EXPECT_EQ(error_calls.load(), 1);
    EXPECT_EQ(bus.stats().handler_errors, 2u);
}

TEST(EventBusErrors, ReportedAsyncErrorsAreCounted) {
    EventBus bus;
    auto id = bus.subscribe(EventType::Custom, [](const Event&) {}, "coro");
    bus.report_handler_error(id, EventType::Custom, Lane::Signal, "ValueError", "boom");
    EXPECT_EQ(bus.handlers().front().errors, 1u);
    EXPECT_EQ(bus.stats().lanes[1].handler_errors, 1u);
}

// ---- lifecycle -------------------------------------------------------------------------

TEST(EventBusLifecycle, ShutdownDrainsOrderLaneAndReturnsLeftovers) {
    EventBus bus(small_config());
    Plug plug;
    std::atomic<int> orders{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { plug(); }, "plug");
    bus.subscribe(EventType::Custom, [&](const Event& e) {
        if (e.lane == Lane::Order) ++orders;
    }, "count");
    bus.start();
    bus.publish(candle_event(0));
    plug.entered.get_future().wait();
    for (int i = 0; i < 8; ++i) bus.publish(candle_event(i + 1));
    for (int i = 0; i < 4; ++i) bus.publish(custom(Lane::Signal, i));
    for (int i = 0; i < 4; ++i) bus.publish(custom(Lane::Order, i));
    auto fut = std::async(std::launch::async, [&] { return bus.shutdown(0.0); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let shutdown pass its deadline
    plug.release.set_value();
    const auto report = fut.get();
    EXPECT_EQ(orders.load(), 4);          // the order lane always drains
    EXPECT_EQ(report.left[0], 0u);
    EXPECT_EQ(report.left[1], 4u);
    EXPECT_EQ(report.left[2], 8u);
    EXPECT_EQ(report.left_events.size(), 12u);
    EXPECT_TRUE(report.timed_out);
    const auto s = bus.stats();
    for (const auto& l : s.lanes) {
        EXPECT_EQ(l.depth, 0u);
        EXPECT_EQ(l.published, l.delivered + l.dropped + l.left_at_shutdown);
    }
}

TEST(EventBusLifecycle, ShutdownWithTimeDrainsEverything) {
    EventBus bus;
    std::atomic<int> n{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { ++n; }, "count");
    for (int i = 0; i < 500; ++i) bus.publish(candle_event(i));
    const auto report = bus.shutdown(10.0);  // never started: shutdown starts the dispatcher to drain
    EXPECT_EQ(n.load(), 500);
    EXPECT_EQ(report.total_left(), 0u);
    EXPECT_FALSE(report.timed_out);
}

TEST(EventBusLifecycle, PublishAfterShutdownIsRefusedAndCounted) {
    EventBus bus;
    bus.shutdown(0.0);
    EXPECT_EQ(bus.publish(custom(Lane::Order)), PublishResult::Closed);
    const auto s = bus.stats();
    EXPECT_EQ(s.lanes[0].dropped, 1u);
    expect_invariant(s);
}

TEST(EventBusLifecycle, StopKeepsEventsAndStartResumes) {
    EventBus bus;
    std::atomic<int> n{0};
    bus.subscribe(EventType::Custom, [&](const Event&) { ++n; }, "count");
    bus.start();
    bus.stop();
    EXPECT_FALSE(bus.running());
    bus.publish(custom(Lane::Signal));
    EXPECT_EQ(bus.depth(), 1u);
    bus.start();
    EXPECT_TRUE(eventually([&] { return n.load() == 1; }));
    bus.shutdown(1.0);
}

TEST(EventBusLifecycle, StopFromHandlerIsRefused) {
    EventBus bus;
    std::atomic<bool> refused{false};
    bus.subscribe(EventType::Custom, [&](const Event&) {
        try {
            bus.stop();
        } catch (const StateTransitionError&) {
            refused = true;
        }
    }, "stopper");
    bus.start();
    bus.publish(custom(Lane::Signal));
    bus.shutdown(1.0);
    EXPECT_TRUE(refused.load());
}

TEST(EventBusLifecycle, BlockedPublisherIsReleasedByShutdown) {
    EventBus bus(small_config());
    for (int i = 0; i < 4; ++i) bus.publish(custom(Lane::Order, i));
    auto blocked = std::async(std::launch::async, [&] { return bus.publish(custom(Lane::Order, 9)); });
    EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
    bus.shutdown(1.0);
    EXPECT_EQ(blocked.get(), PublishResult::Closed);
    expect_invariant(bus.stats());
}

// ---- integration ---------------------------------------------------------------------------

TEST(EventBusIntegration, test_end_to_end_pipeline) {
    // data -> strategy -> signal -> order manager -> order -> exchange
    EventBus bus;
    std::atomic<int> analyzed{0}, created{0}, executed{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) {
        ++analyzed;
        bus.publish(Event(EventType::Signal, std::monostate{}));
    }, "strategy");
    bus.subscribe(EventType::Signal, [&](const Event&) {
        ++created;
        bus.publish(Event(EventType::OrderCreated, std::monostate{}));
    }, "order_manager");
    bus.subscribe(EventType::OrderCreated, [&](const Event&) { ++executed; }, "exchange");
    bus.start();
    bus.publish(candle_event(1));
    EXPECT_TRUE(eventually([&] { return executed.load() == 1; }));
    bus.shutdown(1.0);
    EXPECT_EQ(analyzed.load(), 1);
    EXPECT_EQ(created.load(), 1);
}

TEST(EventBusIntegration, PublishToDeliveryLatencyIsRecorded) {
    EventBus bus;
    bus.subscribe(EventType::CandleClosed, [](const Event&) {}, "noop");
    bus.start();
    for (int i = 0; i < 100; ++i) bus.publish(candle_event(i));
    bus.shutdown(5.0);
    const auto s = bus.stats();
    EXPECT_EQ(s.latency.count, 100u);
    EXPECT_GE(s.latency.p99_ns, s.latency.p50_ns);
    EXPECT_GE(s.latency.p999_ns, s.latency.p99_ns);
}

TEST(EventBusIntegration, ParkedDispatcherIsWokenByEveryPublish) {
    // Each event is published the moment the dispatcher parks, the window a lost wake-up needs:
    // it would stay parked until its 50 ms timeout, which the bus counts as missed.
    BusConfig cfg;
    cfg.spin_ns = 1000;
    EventBus bus(cfg);
    std::atomic<int> seen{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { seen.fetch_add(1); }, "count");
    bus.start();
    constexpr int kEvents = 500;
    for (int i = 0; i < kEvents; ++i) {
        ASSERT_TRUE(eventually([&] { return bus.dispatcher_parked(); }));
        bus.publish(candle_event(i));
    }
    EXPECT_TRUE(eventually([&] { return seen.load() == kEvents; }));
    EXPECT_EQ(bus.stats().missed_wakeups, 0u);
    bus.shutdown(1.0);
}

// ---- stress --------------------------------------------------------------------------------

TEST(EventBusStress, test_high_throughput) {
    EventBus bus;
    std::atomic<std::uint64_t> count{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { count.fetch_add(1, std::memory_order_relaxed); }, "counter");
    bus.start();
    for (int i = 0; i < 10'000; ++i) bus.publish(candle_event(i));
    EXPECT_TRUE(eventually([&] { return count.load() == 10'000; }));
    bus.shutdown(1.0);
}

TEST(EventBusStress, SixteenProducersKeepTheAccountingInvariant) {
    // 16 producers x 100,000 events over the three lanes; data may drop, order never does.
    BusConfig cfg;
    cfg.data.publish_timeout_ns = 50 * kNanosPerMicro;  // force drops under contention
    EventBus bus(cfg);
    std::atomic<std::uint64_t> handled{0};
    std::array<std::atomic<std::uint64_t>, 3> per_lane{};
    auto h = [&](const Event& e) {
        handled.fetch_add(1, std::memory_order_relaxed);
        per_lane[static_cast<std::size_t>(e.lane)].fetch_add(1, std::memory_order_relaxed);
    };
    bus.subscribe(EventType::CandleClosed, h, "data");
    bus.subscribe(EventType::Signal, h, "signal");
    bus.subscribe(EventType::OrderCreated, h, "order");
    bus.start();
    constexpr int kProducers = 16;
    constexpr int kEach = 100'000;
    std::atomic<std::uint64_t> accepted_orders{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p)
        producers.emplace_back([&, p] {
            for (int i = 0; i < kEach; ++i) {
                const int k = (i + p) % 100;
                if (k == 0) {
                    if (bus.publish(Event(EventType::OrderCreated, std::monostate{})) == PublishResult::Accepted)
                        accepted_orders.fetch_add(1, std::memory_order_relaxed);
                } else if (k < 5) {
                    bus.publish(Event(EventType::Signal, std::monostate{}));
                } else {
                    bus.publish(candle_event(i));
                }
            }
        });
    for (auto& t : producers) t.join();
    const auto report = bus.shutdown(10.0);
    const auto s = bus.stats();
    std::uint64_t published = 0;
    for (const auto& l : s.lanes) {
        EXPECT_EQ(l.published, l.delivered + l.dropped + l.left_at_shutdown) << to_string(l.lane);
        EXPECT_EQ(l.depth, 0u);
        EXPECT_EQ(l.delivered, per_lane[static_cast<std::size_t>(l.lane)].load()) << to_string(l.lane);
        published += l.published;
    }
    EXPECT_EQ(published, static_cast<std::uint64_t>(kProducers) * kEach);
    EXPECT_EQ(s.lanes[0].dropped, 0u);
    EXPECT_EQ(s.lanes[0].delivered, accepted_orders.load());
    EXPECT_EQ(s.lanes[0].delivered, static_cast<std::uint64_t>(kProducers) * kEach / 100);
    EXPECT_EQ(report.left[0], 0u);
}

TEST(EventBusStress, ShutdownDuringActiveFlowLosesNoOrders) {
    EventBus bus;
    std::atomic<std::uint64_t> orders{0};
    bus.subscribe(EventType::OrderCreated, [&](const Event&) { orders.fetch_add(1, std::memory_order_relaxed); }, "oms");
    bus.subscribe(EventType::CandleClosed, [](const Event&) {}, "noop");
    bus.start();
    std::atomic<bool> go{true};
    std::atomic<std::uint64_t> accepted{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p)
        producers.emplace_back([&] {
            while (go.load(std::memory_order_relaxed)) {
                if (bus.publish(Event(EventType::OrderCreated, std::monostate{})) == PublishResult::Closed) break;
                accepted.fetch_add(1, std::memory_order_relaxed);
                bus.publish(candle_event(0));
            }
        });
    EXPECT_TRUE(eventually([&] { return orders.load() > 1000; }));
    const auto report = bus.shutdown(0.0);
    go = false;
    for (auto& t : producers) t.join();
    EXPECT_EQ(orders.load(), accepted.load());
    const auto s = bus.stats();
    EXPECT_EQ(report.left[0], 0u);
    for (const auto& l : s.lanes) EXPECT_EQ(l.published, l.delivered + l.dropped + l.left_at_shutdown);
    EXPECT_EQ(report.left[2], s.lanes[2].left_at_shutdown);
}

}  // namespace
}  // namespace te
