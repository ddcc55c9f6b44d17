#pragma once
// Binance market data: klines, trades and book tickers for many symbols over combined-stream
// connections (at most 1024 streams each, SUBSCRIBE paced at 5 messages/s), sharded when there
// are more; gap-free closed klines after every reconnect (KlineSequencer + REST backfill);
// per-stream staleness and reconnect counts.
//
// Runs on one single-threaded io_context (a net::IoThread): every callback, parse and
// sequencer step happens on that thread, in order.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "net/client/http_client.hpp"
#include "net/client/ws_client.hpp"
#include "venues/binance/kline_sequencer.hpp"
#include "venues/data_sink.hpp"

namespace te::binance {

struct MarketDataConfig {
    std::string stream_url = "wss://stream.binance.com:9443";  // the client connects to <stream_url>/stream
    std::string rest_url = "https://api.binance.com";
    std::string venue = "BINANCE";
    std::vector<std::string> symbols;    // "BTCUSDT"
    std::vector<std::string> intervals;  // "1m", "1h", ...
    bool trades = false;
    bool quotes = false;  // bookTicker
    std::size_t max_streams_per_connection = 1024;  // Binance's limit
    std::size_t max_connections = 16;
    std::size_t streams_per_subscribe = 200;
    std::chrono::milliseconds backfill_timeout{std::chrono::seconds(10)};
    // Streams come and go with subscribe()/unsubscribe(): the symbols and intervals above are
    // only the initial set, and may be empty (a Node's venue subscribes what strategies want).
    bool on_demand = false;
    net::WsClientConfig ws;      // timeouts and backoff; the URL is set per connection
    net::HttpClientConfig http;  // timeouts and TLS; base_url is rest_url
};

// Checks everything before any connection opens; te::ConfigError lists every problem.
void validate(const MarketDataConfig& config);
// The stream names, split into connections: [["btcusdt@kline_1m", ...], ...].
std::vector<std::vector<std::string>> plan_streams(const MarketDataConfig& config);

struct StreamStatus {
    std::string stream;
    std::uint64_t messages = 0;
    std::int64_t last_message_ns = 0;  // monotonic_ns(); 0: nothing yet
};

struct MarketDataStats {
    std::uint64_t messages = 0;
    std::uint64_t candles = 0, trades = 0, quotes = 0;
    std::uint64_t parse_errors = 0;
    std::uint64_t reconnects = 0;
    std::uint64_t backfill_requests = 0, backfilled = 0, backfill_failures = 0;
    std::uint64_t duplicates_dropped = 0;
    std::uint64_t streams_refused = 0;  // subscribe() beyond max_connections x max_streams_per_connection
    std::vector<StreamStatus> streams;
};

class MarketDataClient {
public:
    MarketDataClient(boost::asio::io_context& ctx, MarketDataConfig config, DataSink& sink);
    ~MarketDataClient();
    MarketDataClient(const MarketDataClient&) = delete;
    MarketDataClient& operator=(const MarketDataClient&) = delete;

    void start();
    void stop();  // from any thread but the IO thread
    // Adds streams ("btcusdt@kline_1m", "ethusdt@trade") from any thread; returns at once. A
    // stream goes to a connection with room (SUBSCRIBE, paced like the initial set), or to a
    // new one up to max_connections (beyond that it is refused, logged and counted).
    void subscribe(std::vector<std::string> streams);
    // Removes streams (UNSUBSCRIBE); unknown names are ignored.
    void unsubscribe(std::vector<std::string> streams);
    MarketDataStats stats() const;
    std::size_t connections() const noexcept { return connections_.load(); }

private:
    struct Shard;
    Shard& add_shard();
    void add_streams(const std::vector<std::string>& streams);     // IO thread
    void remove_streams(const std::vector<std::string>& streams);  // IO thread
    void send_subscription(Shard& shard, std::string_view method, const std::vector<std::string>& streams);
    void on_message(Shard& shard, std::string_view text);
    void on_open(Shard& shard);
    void run_backfills(Shard& shard, std::vector<BackfillRequest> requests);
    void publish(Shard& shard, SequencerOutput& out);
    void count(std::uint64_t& counter);

    boost::asio::io_context& ctx_;
    MarketDataConfig config_;
    DataSink& sink_;
    std::unique_ptr<net::HttpClient> rest_;
    mutable std::mutex shards_mutex_;              // shards_ grows on the IO thread, is read anywhere
    std::vector<std::unique_ptr<Shard>> shards_;  // guarded by shards_mutex_ (the IO thread reads freely)
    std::atomic<std::size_t> connections_{0};
    mutable std::mutex stats_mutex_;
    MarketDataStats stats_;                                     // guarded by stats_mutex_
    std::map<std::string, StreamStatus, std::less<>> streams_;  // guarded by stats_mutex_
    std::atomic<int> backfills_in_flight_{0};
    std::atomic<bool> stopping_{false};  // a planned stop: disconnects are not news
    std::atomic<bool> started_{false};
};

}  // namespace te::binance
