#pragma once
// Binance execution: signed REST (HMAC-SHA256, server-time offset kept fresh, recvWindow),
// exchangeInfo loaded at start and used to round and validate orders before they go out,
// request-weight tracking with self-throttling, 429 and 418 handling, and idempotent order
// submission: a retry reuses its newClientOrderId, "Duplicate order sent." and a status unknown
// after a 5xx or a timeout are resolved by querying the order — never by sending another one.
// Execution reports come from the user-data stream over the WebSocket API
// (userDataStream.subscribe.signature), re-subscribed after every reconnect and followed by a
// REST reconciliation of open orders and recent fills, so no fill is missed.
//
// Runs on one single-threaded io_context (a net::IoThread). The blocking calls are for other
// threads; from the IO thread use the async_ ones.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/errors.hpp"
#include "core/instrument.hpp"
#include "core/orders.hpp"
#include "net/client/http_client.hpp"
#include "net/client/ws_client.hpp"
#include "net/policy/request_weight.hpp"
#include "venues/binance/rest_types.hpp"
#include "venues/execution_sink.hpp"

namespace te::binance {

class Parser;
struct ExecutionReport;

struct Credentials {
    std::string api_key;
    std::string api_secret;
};

struct ExecutionConfig {
    std::string rest_url = "https://api.binance.com";
    std::string ws_api_url = "wss://ws-api.binance.com:443/ws-api/v3";
    std::string venue = "BINANCE";
    Credentials credentials;
    std::vector<std::string> symbols;  // instruments to trade; reconciled after reconnects
    std::chrono::milliseconds recv_window{5000};
    std::chrono::milliseconds order_timeout{std::chrono::seconds(30)};  // seed 001
    std::chrono::milliseconds query_timeout{std::chrono::seconds(10)};  // seed 001
    std::chrono::milliseconds time_sync_interval{std::chrono::seconds(60)};
    std::chrono::milliseconds start_timeout{std::chrono::seconds(15)};  // user-data stream subscribed
    int max_attempts = 4;  // per order submission, transient errors included
    net::RequestWeightConfig weight;
    net::HttpClientConfig http;  // base_url is rest_url
    net::WsClientConfig ws;      // url is ws_api_url
};

// Everything is checked before any connection opens; te::ConfigError lists every problem and
// never shows a key or a secret.
void validate(const ExecutionConfig& config);

struct ExecutionStats {
    std::uint64_t orders_sent = 0;       // POST /api/v3/order requests, retries included
    std::uint64_t orders_accepted = 0;
    std::uint64_t orders_rejected = 0;
    std::uint64_t retries = 0;
    std::uint64_t status_unknown = 0;    // 5xx and timeouts resolved by a query
    std::uint64_t duplicates_resolved = 0;
    std::uint64_t user_stream_subscriptions = 0;
    std::uint64_t reconciled_fills = 0;  // fills found by REST that the stream had not delivered
    std::uint64_t fills = 0;
    std::int64_t server_time_offset_ms = 0;
    std::uint64_t rate_limited = 0, bans = 0, throttled = 0;
    std::uint64_t updates_reported = 0;   // order updates passed to the sink
    std::uint64_t repeats_suppressed = 0; // the same change heard twice (REST and stream), or a stale one
};

class ExecutionClient {
public:
    ExecutionClient(boost::asio::io_context& ctx, ExecutionConfig config, ExecutionSink& sink);
    ~ExecutionClient();
    ExecutionClient(const ExecutionClient&) = delete;
    ExecutionClient& operator=(const ExecutionClient&) = delete;

    // Syncs the clock, loads exchangeInfo, opens the user-data stream and waits until it is
    // subscribed. Throws te::AuthenticationError, te::ConnectionLostError or te::ConfigError
    // (an unknown symbol).
    void start();
    void stop();
    // Makes a start() in progress on another thread give up at its next step
    // (EngineNotRunningError); the client is stopped afterwards as usual.
    void abort_start() noexcept { start_aborted_.store(true); }

    // Blocking (not from the IO thread). Each returns the venue's view of the order or throws
    // te::OrderRejectedError (with the venue's reason), te::RateLimitedError,
    // te::AuthenticationError or te::ConnectionLostError (status still unknown after retries).
    OrderUpdate place(const OrderRequest& request);
    OrderUpdate cancel(const InstrumentId& instrument, std::string_view client_order_id);
    std::vector<OrderUpdate> cancel_all(const InstrumentId& instrument);
    OrderUpdate query(const InstrumentId& instrument, std::string_view client_order_id);
    std::vector<OrderUpdate> open_orders(const std::optional<InstrumentId>& instrument = std::nullopt);
    Account account();

    boost::asio::awaitable<OrderUpdate> async_place(OrderRequest request);
    boost::asio::awaitable<OrderUpdate> async_cancel(InstrumentId instrument, std::string client_order_id);
    boost::asio::awaitable<OrderUpdate> async_query(InstrumentId instrument, std::string client_order_id);

    // The order as it would be sent: quantity rounded down to the step, price to the tick in
    // the passive direction (buys down, sells up), then checked against every filter.
    // Throws te::OrderRejectedError with the reason, or te::ConfigError for an unknown symbol.
    OrderRequest prepare(const OrderRequest& request) const;
    const Instrument& instrument(std::string_view symbol) const;
    // Every symbol exchangeInfo listed (after start()).
    std::vector<Instrument> instruments() const;
    ExecutionStats stats() const;
    bool user_stream_ready() const noexcept { return subscribed_.load(); }

    // The one door to the sink for order updates (on the IO thread): REST answers, the
    // user-data stream and reconciliation all report here, and each change of an order
    // (status or filled quantity) reaches the sink once. Repeats and updates behind what was
    // already reported (a stream NEW after the REST answer said FILLED) are counted, not sent.
    void report(const OrderUpdate& update);

private:
    struct Signed;
    boost::asio::awaitable<net::HttpResponse> signed_request(boost::beast::http::verb method, std::string_view path,
                                                             std::vector<std::pair<std::string, std::string>> params,
                                                             std::chrono::milliseconds timeout, int weight);
    boost::asio::awaitable<void> sync_time();
    boost::asio::awaitable<void> load_exchange_info();
    boost::asio::awaitable<OrderUpdate> resolve_unknown(const OrderRequest& request);
    boost::asio::awaitable<void> reconcile();
    boost::asio::awaitable<void> time_sync_loop();
    [[noreturn]] void throw_for(const net::HttpResponse& res, std::string_view what);
    void on_user_open();
    void on_user_message(std::string_view text);
    void on_execution_report(const ExecutionReport& report);
    void deliver_fill(const Fill& fill, bool from_reconciliation);
    OrderUpdate to_update(const OrderReport& report) const;
    template <class T>
    T run_blocking(boost::asio::awaitable<T> op);

    boost::asio::io_context& ctx_;
    ExecutionConfig config_;
    ExecutionSink& sink_;
    LiveClock clock_;
    std::unique_ptr<net::HttpClient> rest_;
    std::unique_ptr<net::WsClient> user_ws_;
    std::unique_ptr<Parser> parser_;             // IO thread only
    net::RequestWeightTracker weight_;          // IO thread only
    std::map<std::string, Instrument, std::less<>> instruments_;  // written in start(), then read-only
    std::atomic<std::int64_t> offset_ms_{0};
    std::atomic<bool> subscribed_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> start_aborted_{false};
    std::atomic<int> background_{0};
    std::int64_t next_ws_id_ = 1;                          // IO thread only
    std::string subscribe_id_;                             // IO thread only
    std::string auth_error_;                               // guarded by stats_mutex_
    VenueAnswer auth_answer_;                              // guarded by stats_mutex_
    UnixNanos start_time_ = 0;
    std::unique_ptr<boost::asio::steady_timer> sync_timer_;  // IO thread only
    std::set<std::pair<std::string, std::int64_t>> seen_trades_;  // (symbol, trade id); IO thread only
    std::map<std::int64_t, ClientOrderId> client_ids_;     // venue order id -> client id; IO thread only
    struct Reported {
        te::OrderStatus status;
        Quantity filled;
    };
    std::unordered_map<std::string, Reported> reported_;    // by client order id; IO thread only
    std::deque<std::string> reported_order_;               // oldest first, to bound reported_
    std::map<std::string, UnixNanos> last_fill_time_;      // per symbol; IO thread only
    mutable std::mutex stats_mutex_;
    ExecutionStats stats_;
};

}  // namespace te::binance
