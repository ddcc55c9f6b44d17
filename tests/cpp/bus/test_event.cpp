// Event payloads: inline market data, order payloads in an Indirect with value semantics.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <variant>

#include "bus/event_bus.hpp"
#include "eventually.hpp"

namespace te {
namespace {

OrderUpdate sample_update() {
    OrderUpdate u;
    u.instrument_id = InstrumentId::parse("BTCUSDT.BINANCE");
    u.client_order_id.assign("te-s1-7");
    u.status = OrderStatus::Rejected;
    u.reason.assign("Account has insufficient balance for requested action.");
    u.ts_event = 11;
    u.ts_recv = 12;
    return u;
}

TEST(Event, MarketDataTravelsInlineAndOrderPayloadsIndirect) {
    EXPECT_LE(sizeof(Event), 248u);
    const Event c = Event::candle(Candle{});
    EXPECT_TRUE(c.holds<Candle>());
    EXPECT_TRUE(std::holds_alternative<Candle>(c.payload));
    const Event u = Event::order_update(sample_update());
    EXPECT_TRUE(u.holds<OrderUpdate>());
    EXPECT_TRUE(std::holds_alternative<Indirect<OrderUpdate>>(u.payload));
    EXPECT_EQ(u.type, EventType::OrderReject);
    EXPECT_EQ(u.lane, Lane::Order);
    EXPECT_EQ(u.ts_event, 11);
    EXPECT_EQ(u.ts_recv, 12);
}

TEST(Event, CopiesOwnTheirOrderPayload) {
    std::optional<Event> original(Event::order_update(sample_update()));
    const Event copy = *original;
    EXPECT_NE(&original->get<OrderUpdate>(), &copy.get<OrderUpdate>());  // a deep copy
    original.reset();
    EXPECT_EQ(copy.get<OrderUpdate>().client_order_id.view(), "te-s1-7");
    EXPECT_EQ(copy.get<OrderUpdate>().reason.view(), "Account has insufficient balance for requested action.");
}

TEST(Event, MovesHandOverThePayloadWithoutCopying) {
    Event a = Event::fill(Fill{});
    const Fill* where = &a.get<Fill>();
    Event b = std::move(a);
    EXPECT_EQ(&b.get<Fill>(), where);
}

TEST(Event, AskingForTheWrongPayloadTypeIsAnError) {
    const Event e = Event::trade(Trade{});
    EXPECT_EQ(e.get_if<OrderUpdate>(), nullptr);
    EXPECT_EQ(e.get_if<Candle>(), nullptr);
    EXPECT_NE(e.get_if<Trade>(), nullptr);
    EXPECT_THROW((void)e.get<Fill>(), std::bad_variant_access);
}

TEST(Event, OrderPayloadsArriveIntactThroughTheBusAndAtShutdown) {
    EventBus bus;
    std::atomic<int> intact{0};
    bus.subscribe(EventType::OrderReject, [&](const Event& e) {
        if (e.get<OrderUpdate>().client_order_id.view() == "te-s1-7") intact.fetch_add(1);
    }, "oms");
    bus.start();
    for (int i = 0; i < 200; ++i) bus.publish(Event::order_update(sample_update()));
    EXPECT_TRUE(testing::eventually([&] { return intact.load() == 200; }));
    bus.stop();
    // Left in a lane at shutdown: returned whole in the report (and freed with it).
    ErrorInfo info;
    copy_text(info.handler, "strategy.on_bar");
    bus.publish(Event(EventType::Error, Lane::Signal, info));
    const auto report = bus.shutdown(0.0);
    ASSERT_EQ(report.left_events.size(), 1u);
    EXPECT_STREQ(report.left_events[0].get<ErrorInfo>().handler, "strategy.on_bar");
}

}  // namespace
}  // namespace te
