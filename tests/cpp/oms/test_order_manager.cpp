// The OrderManager on a venue that fills at once (no network): routing by venue, indexes, and
// memory that stays bounded — finished orders leave after their retention.
#include <gtest/gtest.h>

#include <atomic>

#include "../bus/eventually.hpp"
#include "oms/order_manager.hpp"
#include "oms_fixtures.hpp"

using namespace te;
using namespace te::oms;
using namespace te::oms::testing;
using te::testing::eventually;

namespace {

// Reports every order FILLED with one fill, from the calling thread, through the engine's
// order lane as a real venue's sink would.
class InstantVenue final : public ExecutionVenue {
public:
    InstantVenue(TradingEngine& engine, std::string name) : engine_(engine), name_(std::move(name)),
          inst_(InstrumentSpec{InstrumentId::of("BTCUSDT", name_), "BTC", "USDT", px("0.01"), qty("0.00001"),
                               qty("0.00001"), qty("9000"), money("5"), std::nullopt, std::nullopt}) {}
    std::string name() const override { return name_; }
    void submit(const OrderRequest& r) override {
        OrderUpdate u;
        u.instrument_id = r.instrument_id;
        u.client_order_id = r.client_order_id;
        u.venue_order_id = ++venue_id_;
        u.status = OrderStatus::Filled;
        u.side = r.side;
        u.type = r.type;
        u.price = r.price.value_or(px("100"));
        u.quantity = r.quantity;
        u.filled_quantity = r.quantity;
        u.filled_quote = u.price * r.quantity;
        Fill f;
        f.instrument_id = r.instrument_id;
        f.client_order_id = r.client_order_id;
        f.venue_order_id = u.venue_order_id;
        f.trade_id = u.venue_order_id;
        f.side = r.side;
        f.price = u.price;
        f.quantity = r.quantity;
        submitted++;
        Event fe = Event::fill(f);
        fe.type = EventType::VenueFill;
        engine_.on_order_event(fe);
        Event ue = Event::order_update(u);
        ue.type = EventType::VenueOrderUpdate;
        engine_.on_order_event(ue);
    }
    void cancel(const InstrumentId&, std::string_view) override {}
    void query(const InstrumentId&, std::string_view) override {}
    const Instrument* instrument(const InstrumentId& id) const override { return id == inst_.id() ? &inst_ : nullptr; }
    std::atomic<int> submitted{0};

private:
    TradingEngine& engine_;
    std::string name_;
    Instrument inst_;
    std::atomic<std::int64_t> venue_id_{0};
};

OrderRequest limit_on(std::string_view venue, std::string_view quantity = "0.1") {
    OrderRequest r;
    r.instrument_id = InstrumentId::of("BTCUSDT", venue);
    r.side = Side::Buy;
    r.type = OrderType::Limit;
    r.quantity = qty(quantity);
    r.price = px("100");
    return r;
}

}  // namespace

TEST(OrderManager, FinishedOrdersLeaveMemoryBeyondTheirRetention) {
    TradingEngine engine;
    engine.set_components({});
    engine.run();
    InstantVenue venue(engine, "SIM");
    OmsConfig c;
    c.max_closed_orders = 50;
    OrderManager oms(engine, venue, c);
    for (int i = 0; i < 500; ++i) oms.submit("s", limit_on("SIM"));
    ASSERT_TRUE(eventually([&] { return oms.stats().venue_fills == 500; }));
    // The 1 s timer prunes; poll until it ran.
    ASSERT_TRUE(eventually([&] { return oms.stats().orders_in_memory <= 50; }, std::chrono::seconds(5)));
    const auto s = oms.stats();
    EXPECT_EQ(s.closed_pruned, 450u);
    EXPECT_EQ(s.open_orders, 0u);
    EXPECT_EQ(oms.position(InstrumentId::of("BTCUSDT", "SIM")).quantity, qty("50")) << "fills stay in the portfolio";
    EXPECT_EQ(oms.orders().size(), 50u);
    engine.stop();
}

TEST(OrderManager, RetentionByAgeForgetsOldFinishedOrders) {
    TradingEngine engine;
    engine.set_components({});
    engine.run();
    InstantVenue venue(engine, "SIM");
    OmsConfig c;
    c.closed_order_retention = std::chrono::milliseconds(0);
    OrderManager oms(engine, venue, c);
    const auto id = oms.submit("s", limit_on("SIM"));
    ASSERT_TRUE(eventually([&] { return oms.stats().closed_pruned == 1; }, std::chrono::seconds(5)));
    EXPECT_FALSE(oms.order(id).has_value());
    engine.stop();
}

TEST(OrderManager, OrdersGoToTheVenueTheirInstrumentNamesAndAccountsStaySeparate) {
    TradingEngine engine;
    engine.set_components({});
    engine.run();
    InstantVenue a(engine, "AAA"), b(engine, "BBB");
    OrderManager oms(engine, OmsConfig{});
    oms.add_venue(a);
    oms.add_venue(b);
    EXPECT_THROW(oms.add_venue(a), std::invalid_argument);
    oms.submit("s", limit_on("AAA"));
    oms.submit("s", limit_on("BBB", "0.2"));
    const auto unrouted = oms.submit("s", limit_on("CCC"));
    ASSERT_TRUE(eventually([&] { return oms.stats().venue_fills == 2; }));
    EXPECT_EQ(a.submitted.load(), 1);
    EXPECT_EQ(b.submitted.load(), 1);
    EXPECT_EQ(oms.order(unrouted)->status, OrderStatus::Rejected);
    EXPECT_NE(oms.order(unrouted)->reason.find("no venue named CCC"), std::string::npos);
    const auto aaa = oms.account("AAA");
    const auto bbb = oms.account("BBB");
    ASSERT_EQ(aaa.positions.size(), 1u);
    ASSERT_EQ(bbb.positions.size(), 1u);
    EXPECT_EQ(aaa.positions[0].quantity, qty("0.1"));
    EXPECT_EQ(bbb.positions[0].quantity, qty("0.2"));
    EXPECT_EQ(oms.portfolio().positions.size(), 2u);
    ASSERT_EQ(oms.strategy_pnl().size(), 1u);
    EXPECT_EQ(oms.strategy_pnl()[0].fills, 2u);
    engine.stop();
}
