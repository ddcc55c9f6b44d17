#pragma once
// A WebSocket client that stays connected: it reconnects on any error with exponential backoff
// and jitter, closes and reconnects when the peer falls silent, reconnects proactively before
// the venue's connection-age limit, and caps connection attempts per window. Pings are
// answered with their payload (Beast does this while reading). Plain TCP (ws://) and TLS
// (wss://, SNI and verification on by default).
//
// All callbacks run on the IO thread, one at a time; they must be quick and must not block.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "core/time.hpp"
#include "net/client/tls.hpp"
#include "net/client/url.hpp"
#include "net/policy/backoff.hpp"
#include "net/policy/liveness.hpp"
#include "net/policy/rate_limit.hpp"

namespace te::net {

using namespace std::chrono_literals;

struct WsClientConfig {
    std::string url;
    std::chrono::milliseconds connect_timeout{10s};
    std::chrono::milliseconds silence_timeout{30s};  // no frame at all for this long: reconnect
    ConnectionAgeConfig age;      // Binance cuts at 24 h: reconnect 10-15 min before
    BackoffConfig backoff;        // 3, 5, 10, 30 s with jitter (seed 004 EXCH-15.4)
    std::uint32_t max_attempts_per_window = 300;  // Binance: 300 connections per 5 min
    std::chrono::milliseconds attempts_window{5min};
    std::uint32_t max_messages_per_second = 5;    // Binance: 5 incoming messages/s per connection
    std::size_t max_message_bytes = 4u << 20;
    std::size_t max_send_queue = 1024;
    TlsOptions tls;
};

struct WsClientStats {
    std::uint64_t attempts = 0;
    std::uint64_t connects = 0;
    std::uint64_t disconnects = 0;
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint64_t pings = 0;
    std::uint64_t sends_dropped = 0;
    std::int64_t last_message_ns = 0;  // monotonic_ns() of the last frame
};

struct WsHandlers {
    std::function<void()> on_open;
    std::function<void(std::string_view)> on_message;
    std::function<void(std::string_view reason)> on_disconnect;
};

// Validates a configuration; throws te::ConfigError listing every problem.
void validate(const WsClientConfig& config);

class WsClient {
public:
    WsClient(boost::asio::io_context& ctx, WsClientConfig config, WsHandlers handlers);
    ~WsClient();  // stops and waits for the connection loop to end
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    void start();
    // Closes the connection and ends the loop; waits for it unless called on the IO thread.
    void stop();
    // Queues a text frame; false (and counted) when not connected or the queue is full.
    bool send(std::string text);
    // Closes the current connection and reconnects at once, without backoff (serverShutdown).
    void reconnect_now(std::string reason);

    WsClientStats stats() const;
    bool connected() const noexcept { return connected_.load(std::memory_order_acquire); }
    const Url& url() const noexcept { return url_; }

private:
    template <class Stream>
    boost::asio::awaitable<void> session(std::shared_ptr<Stream> ws);
    template <class Stream>
    boost::asio::awaitable<void> write_loop(std::shared_ptr<Stream> ws, std::uint64_t generation);
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<void> connect_plain();
    boost::asio::awaitable<void> connect_tls();
    boost::asio::awaitable<void> wait_for_attempt_slot();
    void close_current(std::string reason);
    std::string describe(const boost::system::error_code& ec, bool was_connected) const;

    boost::asio::io_context& ctx_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    WsClientConfig config_;
    Url url_;
    WsHandlers handlers_;
    boost::asio::ssl::context tls_ctx_;
    boost::asio::steady_timer backoff_timer_;
    LiveClock clock_;
    Backoff backoff_;
    ConnectionAge age_;
    SlidingWindowLimiter attempts_;
    SlidingWindowLimiter outgoing_;

    // Strand-only state.
    std::deque<std::string> send_queue_;
    bool writing_ = false;
    bool stopped_ = false;
    bool immediate_ = false;
    std::string close_reason_;
    std::uint64_t generation_ = 0;
    std::chrono::steady_clock::time_point connected_at_{};
    std::function<void()> spawn_writer_;   // set while a session is open
    std::function<void()> graceful_close_;
    std::function<void()> hard_close_;

    std::atomic<bool> connected_{false};
    std::atomic<bool> started_{false};
    std::atomic<bool> stop_requested_{false};
    std::promise<void> done_;
    std::future<void> done_future_;

    struct AtomicStats;
    std::unique_ptr<AtomicStats> stats_;
};

}  // namespace te::net
