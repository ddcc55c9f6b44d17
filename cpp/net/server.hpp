#pragma once
// An HTTP/1.1 + WebSocket server on Boost.Beast with Asio C++20 coroutines. It runs its own
// io_context thread(s); every connection lives on its own strand. HTTP: keep-alive, limits on
// header and body size, one deadline per request (slowloris-style partial requests are closed),
// optional per-response delay. WebSocket: one write in flight with a bounded send queue (a
// client that falls behind is disconnected), server pings with a pong deadline, an incoming
// message rate limit, a maximum connection age, graceful close.
//
// Handlers run on IO threads and must not block. Used by the simulated exchange and (later)
// the monitor server.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace te::net {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port (see Server::port())
    int threads = 1;
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_ws_message_bytes = 64 * 1024;
    // The whole request (or the idle wait before it, on a kept-alive connection) must arrive
    // within this time, or the connection is closed.
    std::chrono::milliseconds request_timeout = 30s;
    std::size_t ws_send_queue_limit = 8192;  // messages queued per connection
    std::chrono::milliseconds ws_ping_interval = 20s;
    std::chrono::milliseconds ws_pong_timeout = 60s;
    std::chrono::milliseconds ws_max_age = 24h;
    unsigned ws_max_incoming_per_second = 0;  // data + ping/pong frames; 0 = unlimited
    // TLS: both files set -> every connection is TLS. Plain by default (loopback).
    std::string tls_certificate_file;
    std::string tls_private_key_file;
};

struct IncomingRequest {
    const http::request<http::string_body>& msg;
    std::string_view remote_address;

    std::string_view method() const { return {msg.method_string().data(), msg.method_string().size()}; }
    std::string_view target() const { return {msg.target().data(), msg.target().size()}; }
    std::string_view body() const { return msg.body(); }
    std::string_view header(std::string_view name) const {
        auto it = msg.find(boost::beast::string_view(name.data(), name.size()));
        if (it == msg.end()) return {};
        return {it->value().data(), it->value().size()};
    }
};

struct ServerResponse {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json;charset=UTF-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::microseconds delay{0};  // wait this long before answering (fault injection)
    bool close_connection = false;       // answer, then close
    bool drop_connection = false;        // close without answering

    static ServerResponse json(unsigned status, std::string body) {
        ServerResponse r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
};

// A WebSocket connection as handlers see it. Thread-safe.
class WsConnection {
public:
    virtual ~WsConnection() = default;
    // Queues a text message. False if the connection is closing or its queue overflowed
    // (which closes it: a client that cannot keep up is dropped).
    virtual bool send(std::shared_ptr<const std::string> text) = 0;
    bool send(std::string text) { return send(std::make_shared<const std::string>(std::move(text))); }
    // Close handshake after the queued messages are written.
    virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
    // Drop the TCP connection now, without a close frame.
    virtual void abort() = 0;
    // While paused nothing is sent (messages are discarded, no pings): a stalled server.
    virtual void set_paused(bool paused) = 0;
    virtual std::uint64_t id() const noexcept = 0;
    virtual const std::string& target() const noexcept = 0;
};

class WsHandler {
public:
    virtual ~WsHandler() = default;
    virtual void on_message(WsConnection& conn, std::string_view text) = 0;
    virtual void on_close(WsConnection& /*conn*/) {}
};

using HttpHandler = std::function<ServerResponse(const IncomingRequest&)>;
// Called for an upgrade request before the handshake; nullptr refuses it (HTTP 404).
using WsAcceptor =
    std::function<std::shared_ptr<WsHandler>(const IncomingRequest&, const std::shared_ptr<WsConnection>&)>;

struct ServerStats {
    std::uint64_t connections_accepted = 0;
    std::uint64_t connections_open = 0;
    std::uint64_t ws_open = 0;
    std::uint64_t http_requests = 0;
    std::uint64_t bad_requests = 0;  // malformed, oversized, or timed out
};

namespace detail {
class ConnectionBase;
}

class Server {
public:
    Server(ServerConfig config, HttpHandler http, WsAcceptor ws = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts the IO thread(s). Throws std::system_error if the port is taken.
    void start();
    // Closes the listener, asks every connection to close, waits up to `grace` for them,
    // then stops the IO threads. Idempotent; start() may be called again (same port).
    void stop(std::chrono::milliseconds grace = 1s);
    bool running() const noexcept { return running_.load(); }
    // Drops every connection and stops listening for `downtime`, then listens again on the
    // same port (a venue restart as clients see it).
    void restart(std::chrono::milliseconds downtime);

    std::uint16_t port() const noexcept { return port_; }
    const ServerConfig& config() const noexcept { return config_; }
    boost::asio::io_context& io() noexcept { return *io_; }
    ServerStats stats() const;

    // Every open WebSocket connection (a snapshot).
    std::vector<std::shared_ptr<WsConnection>> ws_connections() const;

    // internal: connection registry
    void add_connection_(std::uint64_t id, const std::shared_ptr<detail::ConnectionBase>& c);
    void remove_connection_(std::uint64_t id);
    std::atomic<std::uint64_t> http_requests_{0};
    std::atomic<std::uint64_t> bad_requests_{0};

private:
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    boost::asio::awaitable<void> accept_loop(std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor);
    void open_acceptor();
    std::vector<std::shared_ptr<detail::ConnectionBase>> snapshot() const;
    std::shared_ptr<boost::asio::ip::tcp::acceptor> current_acceptor() const;

    ServerConfig config_;
    HttpHandler http_;
    WsAcceptor ws_;
    std::unique_ptr<boost::asio::io_context> io_;
    std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
    std::unique_ptr<WorkGuard> work_;
    std::shared_ptr<void> tls_;  // boost::asio::ssl::context when TLS is on
    std::vector<std::thread> threads_;
    std::atomic<bool> running_{false};
    std::uint16_t port_ = 0;
    std::atomic<std::uint64_t> next_id_{1};
    std::atomic<std::uint64_t> accepted_{0};
    mutable std::mutex mu_;
    std::unordered_map<std::uint64_t, std::weak_ptr<detail::ConnectionBase>> connections_;
};

}  // namespace te::net
