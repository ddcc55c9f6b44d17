// The Binance market-data client against the simulated exchange on loopback: live candles,
// trades and quotes; reconnects after drops, stalls, restarts and serverShutdown; and a gap-free,
// duplicate-free closed-kline sequence across 50 random disconnects, checked against the
// simulator's own REST history.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "net/client/http_client.hpp"
#include "net/client/io_thread.hpp"
#include "sim_fixture.hpp"
#include "venues/binance/market_data_client.hpp"
#include "venues/binance/parser.hpp"

using namespace std::chrono_literals;
using namespace te;
using te::binance::MarketDataClient;
using te::binance::MarketDataConfig;
using te::testing::eventually;

namespace {

const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");

// One simulated minute every `tick_ms` of real time, so klines close many times a second.
void fast_market(sim::SimConfig& c, std::int64_t tick_ms = 20) {
    c.tick_ms = tick_ms;
    c.speed = 60'000.0 / static_cast<double>(tick_ms);
    c.history_minutes = 10;
    c.max_kline_history = 1500;
}

MarketDataConfig config_for(const sim::SimServer& sim) {
    MarketDataConfig c;
    c.stream_url = te::testing::ws_url(sim);
    c.rest_url = te::testing::rest_url(sim);
    c.symbols = {"BTCUSDT"};
    c.intervals = {"1m"};
    c.ws.backoff.schedule = {std::chrono::milliseconds(20)};
    c.ws.backoff.jitter = 0;
    c.ws.connect_timeout = 2s;
    c.backfill_timeout = 2s;
    return c;
}

struct Harness {
    std::unique_ptr<sim::SimServer> sim;
    te::testing::RecordingDataSink sink;
    net::IoThread io;
    std::unique_ptr<MarketDataClient> client;

    explicit Harness(const std::function<void(sim::SimConfig&)>& tweak = {},
                     const std::function<void(MarketDataConfig&)>& tweak_client = {}) {
        sim = te::testing::start_sim([&](sim::SimConfig& c) {
            fast_market(c);
            if (tweak) tweak(c);
        });
        auto config = config_for(*sim);
        if (tweak_client) tweak_client(config);
        client = std::make_unique<MarketDataClient>(io.context(), config, sink);
        client->start();
    }
    ~Harness() {
        client->stop();
        client.reset();
        io.stop();
        sim->stop();
    }
    std::size_t closed_count() { return sink.closed().size(); }
    // Waits for `n` more closed candles than there are now.
    bool more_closed(std::size_t n, std::chrono::milliseconds timeout = 10s) {
        const auto target = closed_count() + n;
        return eventually([&] { return closed_count() >= target; }, timeout);
    }
};

std::int64_t open_ms(const Candle& c) { return c.open_time / kNanosPerMilli; }

// The simulator's closed 1m klines from `start_ms` to `end_ms`, over its REST API.
std::vector<Candle> venue_klines(const sim::SimServer& sim, std::int64_t start_ms, std::int64_t end_ms) {
    net::IoThread io;
    net::HttpClientConfig http;
    http.base_url = te::testing::rest_url(sim);
    net::HttpClient rest(io.context(), http);
    binance::Parser parser({.name = "test.rest"});
    std::vector<Candle> all;
    for (std::int64_t from = start_ms; from <= end_ms;) {
        net::HttpRequest req;
        req.target = "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=" + std::to_string(from) +
                     "&endTime=" + std::to_string(end_ms) + "&limit=1000";
        const auto res = rest.request(req);
        EXPECT_EQ(res.status, 200u) << res.body;
        std::vector<Candle> rows;
        EXPECT_TRUE(parser.parse_klines(res.body, kBtc, Interval::M1, rows).ok());
        if (rows.empty()) break;
        all.insert(all.end(), rows.begin(), rows.end());
        from = open_ms(rows.back()) + 60'000;
    }
    io.stop();
    return all;
}

void expect_gap_free(const std::vector<Candle>& closed) {
    for (std::size_t i = 1; i < closed.size(); ++i)
        ASSERT_EQ(open_ms(closed[i]), open_ms(closed[i - 1]) + 60'000)
            << "hole or duplicate after kline " << i - 1 << " of " << closed.size();
}

}  // namespace

TEST(BinanceMarketDataAgainstSim, CandlesTradesAndQuotesArriveLive) {
    Harness h({}, [](MarketDataConfig& c) {
        c.trades = true;
        c.quotes = true;
    });
    ASSERT_TRUE(h.more_closed(5));
    EXPECT_TRUE(eventually([&] { return h.sink.trades > 0 && h.sink.quotes > 0; }));
    {
        std::lock_guard lock(h.sink.mutex);
        const bool some_in_progress = std::any_of(h.sink.candles.begin(), h.sink.candles.end(),
                                                  [](const Candle& c) { return !c.closed; });
        EXPECT_TRUE(some_in_progress) << "in-progress and closed candles are both delivered";
        for (const auto& c : h.sink.candles) {
            EXPECT_EQ(c.instrument_id, kBtc);
            EXPECT_EQ(c.interval, Interval::M1);
            EXPECT_EQ(c.close_time - c.open_time, (60'000 - 1) * kNanosPerMilli);
            EXPECT_GT(c.ts_recv, 0);
        }
    }
    const auto stats = h.client->stats();
    EXPECT_EQ(stats.parse_errors, 0u);
    EXPECT_EQ(stats.reconnects, 0u);
    ASSERT_EQ(stats.streams.size(), 3u);
    for (const auto& s : stats.streams) {
        EXPECT_GT(s.messages, 0u) << s.stream;
        EXPECT_GT(s.last_message_ns, 0) << s.stream;
    }
    expect_gap_free(h.sink.closed());
}

TEST(BinanceMarketDataAgainstSim, ReconnectsAfterTheVenueDropsEveryConnection) {
    Harness h;
    ASSERT_TRUE(h.more_closed(3));
    h.sim->drop_connections();
    ASSERT_TRUE(eventually([&] { return h.client->stats().reconnects >= 1; }));
    ASSERT_TRUE(h.more_closed(10));
    expect_gap_free(h.sink.closed());
}

TEST(BinanceMarketDataAgainstSim, ASilentStallIsDetectedAndTheFeedResumes) {
    Harness h({}, [](MarketDataConfig& c) { c.ws.silence_timeout = 300ms; });
    ASSERT_TRUE(h.more_closed(3));
    auto faults = h.sim->faults();
    faults.stall = true;
    h.sim->set_faults(faults);
    const auto before = h.closed_count();
    // The silence timeout makes the client give up on the stalled connection and reconnect.
    ASSERT_TRUE(eventually([&] { return h.client->stats().reconnects >= 1; }));
    faults.stall = false;
    h.sim->set_faults(faults);
    ASSERT_TRUE(eventually([&] { return h.closed_count() >= before + 10; }));
    expect_gap_free(h.sink.closed());
}

TEST(BinanceMarketDataAgainstSim, AVenueRestartOnTheSamePortIsRidden) {
    Harness h;
    ASSERT_TRUE(h.more_closed(3));
    h.sim->restart(300);
    ASSERT_TRUE(eventually([&] { return h.client->stats().reconnects >= 1; }));
    ASSERT_TRUE(h.more_closed(10));
    expect_gap_free(h.sink.closed());
    EXPECT_GT(h.client->stats().backfilled, 0u) << "klines closed during the downtime come from REST";
}

TEST(BinanceMarketDataAgainstSim, ServerShutdownReconnectsAtOnceWithoutBackoff) {
    // A 5 s backoff: a reconnect within 2 s proves serverShutdown skipped it.
    Harness h({}, [](MarketDataConfig& c) { c.ws.backoff.schedule = {std::chrono::milliseconds(5000)}; });
    ASSERT_TRUE(h.more_closed(3));
    ASSERT_EQ(h.sim->announce_shutdown(), 1u);
    ASSERT_TRUE(eventually([&] { return h.client->stats().reconnects >= 1; }, 2s));
    ASSERT_TRUE(h.more_closed(5));
    expect_gap_free(h.sink.closed());
}

TEST(BinanceMarketDataAgainstSim, FiftyRandomDisconnectsGiveExactlyTheSimulatorsCandles) {
    Harness h;
    ASSERT_TRUE(h.more_closed(3));
    std::mt19937 rng(50);
    std::uniform_int_distribution<int> pause_ms(30, 250), kind(0, 3);
    int disconnects = 0;
    for (; disconnects < 50; ++disconnects) {
        // A random stretch of live data (klines close meanwhile) before the next disruption:
        // the variation is what the test is about, not a wait for something to happen.
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
        switch (kind(rng)) {
            case 0: h.sim->drop_connections(); break;
            case 1: h.sim->drop_stream("btcusdt@kline_1m"); break;
            case 2: h.sim->restart(std::uniform_int_distribution<int>(20, 200)(rng)); break;
            default: h.sim->announce_shutdown(); break;
        }
        // Each disruption must hit a live, subscribed connection: wait for the reconnect and
        // for data on the new connection before the next one.
        const auto target = static_cast<std::uint64_t>(disconnects + 1);
        ASSERT_TRUE(eventually([&] { return h.client->stats().reconnects >= target; }))
            << "disruption " << disconnects << " did not cause a reconnect";
        const auto messages = h.client->stats().messages;
        ASSERT_TRUE(eventually([&] { return h.client->stats().messages > messages; }));
    }
    EXPECT_EQ(h.client->stats().reconnects, 50u);
    ASSERT_TRUE(h.more_closed(10));
    const auto closed = h.sink.closed();
    ASSERT_GT(closed.size(), 100u);
    expect_gap_free(closed);

    const auto venue = venue_klines(*h.sim, open_ms(closed.front()), open_ms(closed.back()));
    ASSERT_EQ(venue.size(), closed.size());
    for (std::size_t i = 0; i < closed.size(); ++i) {
        SCOPED_TRACE("kline " + std::to_string(i));
        EXPECT_EQ(closed[i].open_time, venue[i].open_time);
        EXPECT_EQ(closed[i].open, venue[i].open);
        EXPECT_EQ(closed[i].high, venue[i].high);
        EXPECT_EQ(closed[i].low, venue[i].low);
        EXPECT_EQ(closed[i].close, venue[i].close);
        EXPECT_EQ(closed[i].volume, venue[i].volume);
        EXPECT_EQ(closed[i].trade_count, venue[i].trade_count);
    }
    const auto stats = h.client->stats();
    EXPECT_GT(stats.backfilled, 0u);
    EXPECT_EQ(stats.parse_errors, 0u);
    std::cout << "[ figures  ] disconnects=" << disconnects << " reconnects=" << stats.reconnects
              << " closed=" << closed.size() << " backfilled=" << stats.backfilled
              << " duplicates_dropped=" << stats.duplicates_dropped << " backfill_failures=" << stats.backfill_failures
              << "\n";
}
