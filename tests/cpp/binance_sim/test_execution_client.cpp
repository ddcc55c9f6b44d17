// The Binance execution client against the simulated exchange on loopback: signed REST,
// idempotent submission under faults, the user-data stream and reconciliation.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "core/errors.hpp"
#include "net/client/io_thread.hpp"
#include "sim_fixture.hpp"
#include "venues/binance/execution_client.hpp"

using namespace std::chrono_literals;
using namespace te;
using te::binance::ExecutionClient;
using te::binance::ExecutionConfig;
using te::testing::eventually;

namespace {

const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");

ExecutionConfig config_for(const sim::SimServer& sim) {
    ExecutionConfig c;
    c.rest_url = te::testing::rest_url(sim);
    c.ws_api_url = te::testing::ws_url(sim) + "/ws-api/v3";
    c.credentials = {sim.config().accounts[0].api_key, sim.config().accounts[0].secret};
    c.symbols = {"BTCUSDT"};
    c.ws.backoff.schedule = {std::chrono::milliseconds(20)};
    c.order_timeout = 2s;
    c.query_timeout = 2s;
    return c;
}

OrderRequest limit(const char* id, Side side, const char* price, const char* qty) {
    OrderRequest r;
    r.instrument_id = kBtc;
    r.client_order_id.assign(id);
    r.side = side;
    r.type = OrderType::Limit;
    r.price = Price::parse(price);
    r.quantity = Quantity::parse(qty);
    return r;
}

OrderRequest market(const char* id, Side side, const char* qty) {
    OrderRequest r;
    r.instrument_id = kBtc;
    r.client_order_id.assign(id);
    r.side = side;
    r.type = OrderType::Market;
    r.quantity = Quantity::parse(qty);
    return r;
}

struct Harness {
    std::unique_ptr<sim::SimServer> sim;
    te::testing::RecordingExecutionSink sink;
    net::IoThread io;
    std::unique_ptr<ExecutionClient> client;

    explicit Harness(const std::function<void(sim::SimConfig&)>& tweak = {},
                     const std::function<void(ExecutionConfig&)>& tweak_client = {}) {
        sim = te::testing::start_sim([&](sim::SimConfig& c) {
            c.auto_tick = false;  // the market moves only when a test says so
            if (tweak) tweak(c);
        });
        auto config = config_for(*sim);
        if (tweak_client) tweak_client(config);
        client = std::make_unique<ExecutionClient>(io.context(), config, sink);
    }
    ~Harness() {
        client.reset();
        io.stop();
    }
    std::set<std::string> open_client_ids() {
        std::set<std::string> ids;
        for (const auto& o : client->open_orders(kBtc)) ids.insert(o.client_order_id.str());
        return ids;
    }
};

}  // namespace

TEST(ExecutionClient, PlacesQueriesAndCancelsALimitOrder) {
    Harness h;
    h.client->start();
    EXPECT_TRUE(h.client->user_stream_ready());
    const auto placed = h.client->place(limit("t-limit-1", Side::Buy, "40000", "0.001"));
    EXPECT_EQ(placed.status, OrderStatus::Accepted);
    EXPECT_GT(placed.venue_order_id, 0);
    EXPECT_EQ(placed.client_order_id.view(), "t-limit-1");
    EXPECT_EQ(h.open_client_ids(), std::set<std::string>{"t-limit-1"});
    EXPECT_EQ(h.client->query(kBtc, "t-limit-1").status, OrderStatus::Accepted);
    const auto canceled = h.client->cancel(kBtc, "t-limit-1");
    EXPECT_EQ(canceled.status, OrderStatus::Canceled);
    EXPECT_EQ(canceled.client_order_id.view(), "t-limit-1");
    EXPECT_TRUE(h.open_client_ids().empty());
    // The user-data stream reported both changes under the order's own client id.
    ASSERT_TRUE(eventually([&] {
        for (const auto& u : h.sink.copy(h.sink.updates))
            if (u.status == OrderStatus::Canceled && u.client_order_id.view() == "t-limit-1") return true;
        return false;
    }));
}

TEST(ExecutionClient, MarketOrderFillsArriveOnceFromTheUserStream) {
    Harness h;
    h.client->start();
    const auto filled = h.client->place(market("t-mkt-1", Side::Buy, "0.01"));
    EXPECT_EQ(filled.status, OrderStatus::Filled);
    ASSERT_TRUE(eventually([&] { return h.sink.fill_count() >= 1; }));
    const auto fills = h.sink.copy(h.sink.fills);
    Quantity total;
    std::set<std::int64_t> trade_ids;
    for (const auto& f : fills) {
        EXPECT_EQ(f.client_order_id.view(), "t-mkt-1");
        total += f.quantity;
        trade_ids.insert(f.trade_id);
    }
    EXPECT_EQ(total, Quantity::parse("0.01"));
    EXPECT_EQ(trade_ids.size(), fills.size());
    EXPECT_TRUE(eventually([&] { return !h.sink.copy(h.sink.balances).empty(); }));
}

TEST(ExecutionClient, OrdersAreRoundedToTheFiltersAndCheckedBeforeSending) {
    Harness h;
    h.client->start();
    // Price off the tick: a buy rounds down; quantity off the step rounds down.
    const auto prepared = h.client->prepare(limit("t-round", Side::Buy, "40000.019", "0.0012345"));
    EXPECT_EQ(*prepared.price, Price::parse("40000.01"));
    EXPECT_EQ(prepared.quantity, Quantity::parse("0.00123"));
    const auto sell = h.client->prepare(limit("t-round2", Side::Sell, "40000.011", "0.001"));
    EXPECT_EQ(*sell.price, Price::parse("40000.02"));
    try {
        h.client->place(limit("t-small", Side::Buy, "40000", "0.0001"));  // notional 4 < 5
        FAIL();
    } catch (const OrderRejectedError& e) {
        EXPECT_NE(std::string(e.what()).find("notional"), std::string::npos) << e.what();
    }
    EXPECT_EQ(h.client->stats().orders_sent, 0u);
    OrderRequest unknown = limit("t-unknown", Side::Buy, "1", "1");
    unknown.instrument_id = InstrumentId::parse("NOPEUSDT.BINANCE");
    EXPECT_THROW(h.client->place(unknown), ConfigError);
}

TEST(ExecutionClient, VenueRejectionsCarryTheVenuesReason) {
    Harness h;
    h.client->start();
    try {
        h.client->place(limit("t-poor", Side::Buy, "50000", "5"));  // 250,000 USDT, the account has 10,000
        FAIL();
    } catch (const OrderRejectedError& e) {
        EXPECT_NE(std::string(e.what()).find("-2010"), std::string::npos) << e.what();
    }
    EXPECT_EQ(h.client->stats().orders_rejected, 1u);
}

TEST(ExecutionClient, ADuplicateClientIdIsResolvedByQueryingNeverBySendingAgain) {
    Harness h;
    h.client->start();
    const auto first = h.client->place(limit("t-dup", Side::Buy, "40000", "0.001"));
    const auto again = h.client->place(limit("t-dup", Side::Buy, "40000", "0.001"));
    EXPECT_EQ(again.venue_order_id, first.venue_order_id);
    EXPECT_EQ(h.client->stats().duplicates_resolved, 1u);
    EXPECT_EQ(h.open_client_ids(), std::set<std::string>{"t-dup"});
}

TEST(ExecutionClient, RandomServerErrorsNeverCreateADuplicateOrLoseAnOrder) {
    Harness h({}, [](ExecutionConfig& c) { c.max_attempts = 8; });
    h.client->start();
    auto faults = h.sim->faults();
    faults.error_5xx_ratio = 0.4;  // answered 503 before or after the order was placed
    h.sim->set_faults(faults);
    std::set<std::string> accepted, unknown;
    for (int i = 0; i < 30; ++i) {
        const std::string id = "t-5xx-" + std::to_string(i);
        try {
            const auto u = h.client->place(limit(id.c_str(), Side::Buy, "30000", "0.001"));
            EXPECT_EQ(u.client_order_id.view(), id);
            accepted.insert(id);
        } catch (const ConnectionLostError&) {
            unknown.insert(id);  // status still unknown after every attempt: reported, never guessed
        }
    }
    faults.error_5xx_ratio = 0;
    h.sim->set_faults(faults);
    std::multiset<std::string> at_venue;
    for (const auto& o : h.client->open_orders(kBtc)) at_venue.insert(o.client_order_id.str());
    // Every order reported as placed is at the venue exactly once; nothing else is there but
    // orders whose status the client reported as unknown.
    for (const auto& id : accepted) EXPECT_EQ(at_venue.count(id), 1u) << id;
    for (const auto& id : at_venue) EXPECT_TRUE(accepted.count(id) || unknown.count(id)) << id;
    for (const auto& id : unknown) EXPECT_LE(at_venue.count(id), 1u) << id;
    EXPECT_GT(h.client->stats().status_unknown, 0u);
}

TEST(ExecutionClient, ATimeoutIsResolvedByQueryingTheOrder) {
    Harness h({}, [](ExecutionConfig& c) { c.order_timeout = 150ms; });
    h.client->start();
    auto faults = h.sim->faults();
    faults.latency_us = 300'000;  // the answer comes after the client gave up waiting
    h.sim->set_faults(faults);
    std::thread relief([&] {
        std::this_thread::sleep_for(400ms);
        auto f = h.sim->faults();
        f.latency_us = 0;
        h.sim->set_faults(f);
    });
    const auto u = h.client->place(limit("t-slow", Side::Buy, "40000", "0.001"));
    relief.join();
    EXPECT_EQ(u.client_order_id.view(), "t-slow");
    EXPECT_EQ(h.open_client_ids(), std::set<std::string>{"t-slow"});
    EXPECT_GE(h.client->stats().status_unknown, 1u);
}

TEST(ExecutionClient, RateLimitStormsStopSendingAndAlert) {
    Harness h;
    h.client->start();
    auto faults = h.sim->faults();
    faults.storm_418 = true;
    h.sim->set_faults(faults);
    EXPECT_THROW(h.client->place(limit("t-ban", Side::Buy, "40000", "0.001")), RateLimitedError);
    const auto sent = h.client->stats().orders_sent;
    // Banned: the next order is refused locally, without a request.
    EXPECT_THROW(h.client->place(limit("t-ban2", Side::Buy, "40000", "0.001")), RateLimitedError);
    EXPECT_EQ(h.client->stats().orders_sent, sent + 1);  // counted as attempted, not sent on the wire
    bool alerted = false;
    for (const auto& a : h.sink.copy(h.sink.alerts)) alerted |= a.rfind("banned", 0) == 0;
    EXPECT_TRUE(alerted);
}

TEST(ExecutionClient, A429IsWaitedOutAndTheOrderGoesThroughOnce) {
    Harness h;
    h.client->start();
    auto faults = h.sim->faults();
    faults.storm_429 = true;
    faults.storm_retry_after_s = 1;
    h.sim->set_faults(faults);
    std::thread clear([&] {
        // The storm ends once the client has been told to wait (it then waits Retry-After).
        eventually([&] { return h.client->stats().rate_limited >= 1; });
        auto f = h.sim->faults();
        f.storm_429 = false;
        h.sim->set_faults(f);
    });
    const auto t0 = std::chrono::steady_clock::now();
    const auto u = h.client->place(limit("t-429", Side::Buy, "40000", "0.001"));
    clear.join();
    EXPECT_EQ(u.status, OrderStatus::Accepted);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 900ms) << "waited for Retry-After";
    EXPECT_EQ(h.open_client_ids(), (std::set<std::string>{"t-429"}));
    EXPECT_GE(h.client->stats().rate_limited, 1u);
}

TEST(ExecutionClient, AfterA418BanEndsSendingResumes) {
    Harness h;
    h.client->start();
    auto faults = h.sim->faults();
    faults.storm_418 = true;
    faults.storm_retry_after_s = 1;
    h.sim->set_faults(faults);
    EXPECT_THROW(h.client->place(limit("t-ban", Side::Buy, "40000", "0.001")), RateLimitedError);
    faults.storm_418 = false;
    h.sim->set_faults(faults);
    EXPECT_THROW(h.client->place(limit("t-ban2", Side::Buy, "40000", "0.001")), RateLimitedError)
        << "still banned: refused locally";
    // Retry until the 1 s ban has ended; while it lasts each attempt is refused locally.
    std::optional<OrderUpdate> after;
    EXPECT_TRUE(eventually([&] {
        try {
            after = h.client->place(limit("t-after", Side::Buy, "40000", "0.001"));
        } catch (const RateLimitedError&) {
        }
        return after.has_value();
    }));
    ASSERT_TRUE(after);
    const auto& u = *after;
    EXPECT_EQ(u.status, OrderStatus::Accepted);
    EXPECT_EQ(h.open_client_ids(), (std::set<std::string>{"t-after"}));
}

TEST(ExecutionClient, FillsMissedWhileTheStreamWasDownAreReconciled) {
    Harness h({}, [](ExecutionConfig& c) { c.ws.backoff.schedule = {std::chrono::milliseconds(800)}; });
    h.client->start();
    ASSERT_TRUE(eventually([&] { return h.client->stats().user_stream_subscriptions == 1; }));
    h.sim->drop_connections();  // the user-data stream goes down; REST still works
    ASSERT_TRUE(eventually([&] { return !h.client->user_stream_ready(); }));
    h.client->place(market("t-missed", Side::Buy, "0.001"));
    ASSERT_TRUE(eventually([&] { return h.client->stats().user_stream_subscriptions == 2; }));
    ASSERT_TRUE(eventually([&] { return h.sink.fill_count() >= 1; }));
    EXPECT_GE(h.client->stats().reconciled_fills, 1u);
    for (const auto& f : h.sink.copy(h.sink.fills)) EXPECT_EQ(f.client_order_id.view(), "t-missed");
}

TEST(ExecutionClient, BadCredentialsAndConfigurationAreReportedBeforeTrading) {
    auto sim = te::testing::start_sim();
    net::IoThread io;
    te::testing::RecordingExecutionSink sink;
    auto config = config_for(*sim);
    config.credentials.api_secret = "wrong-secret-0000000000000000000000000000000000000000000000000";
    config.start_timeout = 3s;
    ExecutionClient wrong(io.context(), config, sink);
    EXPECT_THROW(wrong.start(), AuthenticationError);

    ExecutionConfig bad;
    bad.rest_url = "ftp://x";
    bad.recv_window = std::chrono::milliseconds(70000);
    try {
        ExecutionClient c(io.context(), bad, sink);
        FAIL();
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        for (const char* part : {"rest_url", "api_key is missing", "api_secret is missing", "recv_window"})
            EXPECT_NE(msg.find(part), std::string::npos) << part << " in " << msg;
    }
    auto unknown = config_for(*sim);
    unknown.symbols = {"NOPEUSDT"};
    ExecutionClient c(io.context(), unknown, sink);
    EXPECT_THROW(c.start(), ConfigError);
}
