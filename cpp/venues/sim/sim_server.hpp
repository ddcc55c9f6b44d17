#pragma once
// The simulated Binance Spot venue on loopback: REST (/api/v3/...), market streams (/ws,
// /stream), the WebSocket API (/ws-api/v3) with the user-data stream, a market ticker that
// drives the price paths, and fault injection. Runs on its own IO thread; every public
// method is thread-safe and returns quickly.
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/server.hpp"
#include "venues/sim/config.hpp"
#include "venues/sim/exchange.hpp"
#include "venues/sim/price_path.hpp"
#include "venues/sim/rate_limit.hpp"

namespace te::sim {

class MarketSession;
class WsApiSession;

class SimServer : private UserSink, private MarketSink {
public:
    explicit SimServer(SimConfig config);
    ~SimServer() override;
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    void start();
    // Planned shutdown: serverShutdown to stream clients, then close everything.
    void stop();
    bool running() const noexcept { return server_ && server_->running(); }
    std::uint16_t port() const noexcept { return server_ ? server_->port() : 0; }
    const SimConfig& config() const noexcept { return config_; }

    // Server time: wall clock plus the clock-skew fault (ms).
    std::int64_t now_ms() const;

    // Faults (thread-safe, effective immediately).
    FaultConfig faults() const;
    void set_faults(const FaultConfig& f);
    void drop_connections();                        // every WebSocket, without a close frame
    std::size_t drop_stream(std::string_view name);  // connections subscribed to one stream
    void restart(std::int64_t downtime_ms);         // drop everything, listen again on the same port
    // Binance's serverShutdown event to every stream client, as before a planned shutdown;
    // the connections stay open (clients are expected to reconnect elsewhere). Returns how many.
    std::size_t announce_shutdown();
    // Sends `payload` (a JSON event) to the subscribers of `stream` as if the market had
    // produced it (wrapped for combined-stream clients), from the server's IO thread like every
    // market message: for protocol tests and latency benchmarks. Every "${now_ns}" in the
    // payload becomes the wall-clock time (Unix ns) at which it is queued for the socket.
    // Returns how many connections are subscribed now.
    std::size_t inject(const std::string& stream, std::string payload);

    // Manual clock: with tick_ms == 0 in the config... (see step()).
    void step(int ticks);  // advances the market by `ticks` ticks now (any mode)

    // Inspection (JSON text).
    std::string book_json(std::string_view symbol) const;
    std::string open_orders_json(int account) const;
    std::string balances_json(int account) const;
    std::string stats_json() const;
    // When an order (by client order id) entered the matching engine, in wall-clock Unix ns:
    // for measuring a client's decision -> order in the book. The last 100,000 are kept.
    std::optional<std::int64_t> order_accepted_ns(const std::string& client_order_id) const;
    void deposit(int account, const std::string& asset, Decimal amount);
    std::int64_t market_time_ms() const;
    std::uint64_t market_messages_sent() const noexcept { return messages_sent_.load(); }
    net::ServerStats server_stats() const { return server_->stats(); }

    // Entry points used by the sessions (internal).
    net::ServerResponse handle_http(const net::IncomingRequest& req);
    std::string handle_ws_api(WsApiSession& session, std::string_view text, const std::string& ip);
    void unsubscribe_market(MarketSession* s, const std::vector<std::string>& streams);
    void subscribe_market(MarketSession* s, const std::vector<std::string>& streams);
    void remove_user_session(WsApiSession* s);
    bool valid_stream(std::string_view name) const;

private:
    struct Params;
    std::shared_ptr<net::WsHandler> accept_ws(const net::IncomingRequest& req, const std::shared_ptr<net::WsConnection>& c);
    void schedule_tick();
    void tick_once();
    void publish(const std::string& stream, const std::string& payload);
    bool roll(double ratio);

    // UserSink / MarketSink (called with ex_mu_ held).
    void on_execution(int account, const ExecutionEvent& ev) override;
    void on_account_position(int account, std::int64_t time,
                             const std::vector<std::pair<std::string, Balance>>& changed) override;
    void on_balance_update(int account, const std::string& asset, Decimal delta, std::int64_t time) override;
    void on_trade(int symbol, const PublicTrade& t, std::int64_t event_time) override;
    void on_book(int symbol, const BookTop& top) override;
    void on_kline(int symbol, std::size_t interval, const Kline& k, bool closed, std::int64_t event_time) override;
    void send_user(int account, const std::string& event);

    // REST.
    net::ServerResponse rest(const net::IncomingRequest& req, const std::string& path, Params& p, int& weight);
    net::ServerResponse rest_error(unsigned status, int code, std::string_view msg) const;
    std::optional<net::ServerResponse> authenticate(const net::IncomingRequest& req, Params& p, int& account);

public:
    // Shared by REST and the WebSocket API: one order operation, JSON result or error.
    struct OpResult {
        unsigned status = 200;
        int code = 0;
        std::string body;  // JSON result (status 200) or message
        bool order_placed = false;
    };
    OpResult op_place(int account, const std::map<std::string, std::string>& p, bool test_only);
    OpResult op_cancel(int account, const std::map<std::string, std::string>& p);
    OpResult op_status(int account, const std::map<std::string, std::string>& p);
    std::optional<OpResult> check_timestamp(const std::map<std::string, std::string>& p) const;

private:
    SimConfig config_;
    std::unique_ptr<net::Server> server_;
    mutable std::mutex ex_mu_;
    std::unique_ptr<Exchange> ex_;
    Rng fault_rng_;
    mutable std::mutex fault_mu_;
    FaultConfig faults_;
    std::atomic<bool> stalled_{false};
    std::atomic<bool> stopping_{false};

    std::mutex limits_mu_;
    WeightLimiter weights_;
    OrderCounter orders_;

    // Market fan-out: stream name -> subscribed sessions.
    mutable std::mutex hub_mu_;
    std::unordered_map<std::string, std::set<MarketSession*>> hub_;
    std::set<MarketSession*> market_sessions_;
    std::vector<std::vector<std::string>> stream_names_;  // [symbol][kind*16+interval]

    // User-data subscriptions: account -> (session, subscription id).
    mutable std::mutex user_mu_;
    std::multimap<int, std::pair<WsApiSession*, std::int64_t>> user_subs_;

    void note_accepted(const std::string& client_order_id);  // ex_mu_ held
    std::unordered_map<std::string, std::int64_t> accepted_ns_;  // guarded by ex_mu_
    std::deque<std::string> accepted_order_;                     // eviction order, guarded by ex_mu_

    std::shared_ptr<void> ticker_;  // boost::asio::steady_timer
    std::int64_t tick_count_ = 0;
    std::atomic<std::uint64_t> messages_sent_{0};
};

}  // namespace te::sim
