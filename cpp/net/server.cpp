#include "net/server.hpp"

#include <deque>
#include <optional>
#include <system_error>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "core/logging.hpp"
#include "net/corked_stream.hpp"

namespace te::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;

namespace detail {

class ConnectionBase {
public:
    virtual ~ConnectionBase() = default;
    virtual void shutdown_gracefully() = 0;
    virtual void abort_connection() = 0;
    virtual bool is_ws() const noexcept { return false; }
    virtual std::shared_ptr<WsConnection> as_ws() { return nullptr; }
};

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
beast::tcp_stream& tcp_of(Stream& s) {
    return beast::get_lowest_layer(s);
}

// ---- WebSocket -------------------------------------------------------------------------
template <class Stream>
class WsSession final : public WsConnection, public ConnectionBase,
                        public std::enable_shared_from_this<WsSession<Stream>> {
    struct Item {
        enum Kind : std::uint8_t { Text, Ping, Close } kind = Text;
        std::shared_ptr<const std::string> text;
        std::uint16_t code = 1000;
    };

public:
    WsSession(Server& server, std::uint64_t id, Stream&& stream, std::string target)
        : server_(server), id_(id), ws_(CorkedStream<Stream>(std::move(stream))), target_(std::move(target)),
          wake_(ws_.get_executor()), tick_(ws_.get_executor()) {
        ws_.next_layer().set_keepalive([this] { return std::shared_ptr<void>(this->weak_from_this().lock()); });
        wake_.expires_at(Clock::time_point::max());
    }

    bool send(std::shared_ptr<const std::string> text) override {
        return enqueue(Item{Item::Text, std::move(text), 0});
    }
    void close(std::uint16_t code, std::string reason) override {
        (void)reason;
        enqueue(Item{Item::Close, nullptr, code});
    }
    void abort() override {
        asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->abort_now(); });
    }
    void set_paused(bool paused) override { paused_.store(paused); }
    std::uint64_t id() const noexcept override { return id_; }
    const std::string& target() const noexcept override { return target_; }

    void shutdown_gracefully() override { close(1001, "server shutdown"); }
    void abort_connection() override { abort(); }
    bool is_ws() const noexcept override { return true; }
    std::shared_ptr<WsConnection> as_ws() override { return this->shared_from_this(); }

    void set_handler(std::shared_ptr<WsHandler> h) { handler_ = std::move(h); }

    awaitable<void> run(http::request<http::string_body> req) {
        const auto& cfg = server_.config();
        websocket::stream_base::timeout opt{std::chrono::seconds(5), websocket::stream_base::none(), false};
        ws_.set_option(opt);
        ws_.read_message_max(cfg.max_ws_message_bytes);
        ws_.auto_fragment(false);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "tradeengine"); }));
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::pong) ping_outstanding_since_.reset();
            count_incoming();
        });
        tcp_of(ws_.next_layer()).expires_never();
        auto [ec] = co_await ws_.async_accept(req, kTuple);
        if (ec) {
            finish();
            co_return;
        }
        opened_at_ = Clock::now();
        auto self = this->shared_from_this();
        asio::co_spawn(ws_.get_executor(), writer(self), asio::detached);
        asio::co_spawn(ws_.get_executor(), ticker(self), asio::detached);
        beast::flat_buffer buffer;
        for (;;) {
            auto [rec, n] = co_await ws_.async_read(buffer, kTuple);
            if (rec) break;
            count_incoming();
            if (closed_) break;
            if (handler_) {
                auto data = buffer.data();
                handler_->on_message(*this, std::string_view(static_cast<const char*>(data.data()), data.size()));
            }
            buffer.consume(buffer.size());
        }
        finish();
    }

    // The acceptor refused the upgrade: answer 404 over the plain stream and close.
    awaitable<void> run_refused(unsigned version) {
        http::response<http::string_body> msg{http::status::not_found, version};
        msg.set(http::field::server, "tradeengine");
        msg.set(http::field::content_type, "application/json;charset=UTF-8");
        msg.keep_alive(false);
        msg.body() = R"({"code":-1,"msg":"Unknown WebSocket endpoint."})";
        msg.prepare_payload();
        tcp_of(ws_.next_layer()).expires_after(server_.config().request_timeout);
        co_await http::async_write(ws_.next_layer().next_layer(), msg, kTuple);
        finish();
    }

    asio::any_io_executor executor() { return ws_.get_executor(); }

private:
    bool enqueue(Item item) {
        bool wake = false;
        bool ok = true;
        {
            std::lock_guard lock(mu_);
            if (closed_ || closing_) return false;
            if (item.kind == Item::Text && paused_.load()) return true;
            if (queue_.size() >= server_.config().ws_send_queue_limit) {
                overflow_ = true;
                wake = true;
            } else {
                queue_.push_back(std::move(item));
                if (queue_.back().kind == Item::Close) closing_ = true;
                wake = writer_idle_ && !wake_pending_;
            }
            if (wake) wake_pending_ = true;
            ok = !overflow_;
        }
        if (wake) asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->wake_.cancel(); });
        return ok;
    }

    void count_incoming() {
        const unsigned limit = server_.config().ws_max_incoming_per_second;
        if (limit == 0) return;
        const auto now = Clock::now();
        if (now - rate_window_start_ >= 1s) {
            rate_window_start_ = now;
            rate_count_ = 0;
        }
        if (++rate_count_ > limit) {
            te::log::warn("net", "websocket client exceeded its incoming message rate; disconnecting",
                          {{"connection", static_cast<std::int64_t>(id_)}, {"limit", static_cast<std::int64_t>(limit)}});
            abort_now();
        }
    }

    void abort_now() {
        closed_ = true;
        beast::error_code ec;
        tcp_of(ws_.next_layer()).socket().shutdown(tcp::socket::shutdown_both, ec);
        tcp_of(ws_.next_layer()).socket().close(ec);
        wake_.cancel();
        tick_.cancel();
    }

    void finish() {
        {
            std::lock_guard lock(mu_);
            if (finished_) return;
            finished_ = true;
            closed_ = true;
            queue_.clear();
        }
        wake_.cancel();
        tick_.cancel();
        beast::error_code ec;
        tcp_of(ws_.next_layer()).socket().close(ec);
        if (handler_) handler_->on_close(*this);
        handler_.reset();
        server_.remove_connection_(id_);
    }

    awaitable<void> writer(std::shared_ptr<WsSession> self) {
        std::deque<Item> batch;
        while (!closed_) {
            bool overflow = false;
            {
                std::lock_guard lock(mu_);
                overflow = overflow_;
                if (!overflow && queue_.empty()) {
                    writer_idle_ = true;
                    wake_pending_ = false;
                } else {
                    writer_idle_ = false;
                    batch.swap(queue_);
                }
            }
            if (overflow) {
                te::log::warn("net", "websocket send queue overflowed (slow client); disconnecting",
                              {{"connection", static_cast<std::int64_t>(id_)}});
                abort_now();
                break;
            }
            if (batch.empty()) {
                co_await wake_.async_wait(kTuple);
                continue;
            }
            for (auto& item : batch) {
                if (closed_) break;
                beast::error_code ec;
                if (item.kind == Item::Text) {
                    // Straight into the corked buffer: no per-message async operation.
                    if (!ws_.next_layer().append_text_frame(*item.text)) ec = asio::error::broken_pipe;
                    else if (ws_.next_layer().over_limit())  // wait until the socket drains
                        std::tie(ec, std::ignore) = co_await ws_.next_layer().async_write_some(asio::const_buffer(), kTuple);
                } else if (item.kind == Item::Ping) {
                    std::tie(ec) = co_await ws_.async_ping({}, kTuple);
                } else {
                    std::tie(ec) = co_await ws_.async_close(websocket::close_reason(item.code), kTuple);
                    if (!ec) {
                        // the reader sees the peer's close reply and finishes; bound the wait
                        tcp_of(ws_.next_layer()).expires_after(2s);
                    }
                    batch.clear();
                    break;
                }
                if (ec) {
                    abort_now();
                    break;
                }
            }
            batch.clear();
        }
        (void)self;
    }

    // Pings, the pong deadline and the maximum connection age.
    awaitable<void> ticker(std::shared_ptr<WsSession> self) {
        const auto& cfg = server_.config();
        auto next_ping = Clock::now() + cfg.ws_ping_interval;
        const auto expires = opened_at_ + cfg.ws_max_age;
        while (!closed_) {
            auto wake_at = std::min(next_ping, expires);
            if (ping_outstanding_since_) wake_at = std::min(wake_at, *ping_outstanding_since_ + cfg.ws_pong_timeout);
            tick_.expires_at(wake_at);
            co_await tick_.async_wait(kTuple);
            if (closed_) break;
            const auto now = Clock::now();
            if (now >= expires) {
                te::log::info("net", "websocket connection reached its maximum age; closing",
                              {{"connection", static_cast<std::int64_t>(id_)}});
                close(1000, "max age");
                break;
            }
            if (ping_outstanding_since_ && now - *ping_outstanding_since_ >= cfg.ws_pong_timeout) {
                te::log::warn("net", "no pong within the deadline; disconnecting",
                              {{"connection", static_cast<std::int64_t>(id_)}});
                abort_now();
                break;
            }
            if (now >= next_ping) {
                next_ping = now + cfg.ws_ping_interval;
                if (!paused_.load()) {
                    if (!ping_outstanding_since_) ping_outstanding_since_ = now;
                    enqueue(Item{Item::Ping, nullptr, 0});
                }
            }
        }
        (void)self;
    }

    Server& server_;
    std::uint64_t id_;
    websocket::stream<CorkedStream<Stream>> ws_;  // writes coalesced: one syscall per burst
    std::string target_;
    asio::steady_timer wake_;
    asio::steady_timer tick_;
    std::shared_ptr<WsHandler> handler_;
    std::mutex mu_;
    std::deque<Item> queue_;
    bool writer_idle_ = false;
    bool wake_pending_ = false;
    bool closing_ = false;
    bool overflow_ = false;
    bool finished_ = false;
    std::atomic<bool> closed_{false};
    std::atomic<bool> paused_{false};
    Clock::time_point opened_at_ = Clock::now();
    std::optional<Clock::time_point> ping_outstanding_since_;
    Clock::time_point rate_window_start_ = Clock::now();
    unsigned rate_count_ = 0;
};

// ---- HTTP --------------------------------------------------------------------------------
template <class Stream>
class HttpSession final : public ConnectionBase, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Server& server, std::uint64_t id, Stream&& stream, std::string remote, const HttpHandler& http,
                const WsAcceptor& ws)
        : server_(server), id_(id), stream_(std::move(stream)), remote_(std::move(remote)), http_(http), ws_(ws) {}

    void shutdown_gracefully() override {
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
            self->stopping_ = true;
            if (self->idle_) {
                beast::error_code ec;
                tcp_of(self->stream_).socket().close(ec);
            }
        });
    }

    void abort_connection() override {
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
            self->stopping_ = true;
            beast::error_code ec;
            tcp_of(self->stream_).socket().close(ec);
        });
    }

    awaitable<void> run() {
        auto self = this->shared_from_this();
        const auto& cfg = server_.config();
        if constexpr (kIsTls<Stream>) {
            tcp_of(stream_).expires_after(cfg.request_timeout);
            auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kTuple);
            if (ec) {
                done();
                co_return;
            }
        }
        beast::flat_buffer buffer;
        while (!stopping_) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
            parser.body_limit(cfg.max_body_bytes);
            tcp_of(stream_).expires_after(cfg.request_timeout);
            idle_ = true;
            auto [ec, n] = co_await http::async_read(stream_, buffer, parser, kTuple);
            idle_ = false;
            if (ec) {
                co_await on_read_error(ec);
                break;
            }
            auto req = parser.release();
            if (websocket::is_upgrade(req)) {
                co_await upgrade(std::move(req));
                co_return;  // the WebSocket session owns the stream now
            }
            server_.http_requests_.fetch_add(1, std::memory_order_relaxed);
            ServerResponse res;
            try {
                res = http_ ? http_(IncomingRequest{req, remote_}) : ServerResponse::json(404, "{}");
            } catch (const std::exception& e) {
                te::log::error("net", "HTTP handler threw", {{"error", e.what()}});
                res = ServerResponse::json(500, R"({"code":-1000,"msg":"An unknown error occurred while processing the request."})");
            }
            if (res.drop_connection) break;
            if (res.delay.count() > 0) {
                asio::steady_timer t(stream_.get_executor(), res.delay);
                co_await t.async_wait(kTuple);
            }
            const bool keep = req.keep_alive() && !res.close_connection && !stopping_;
            if (!co_await write(req.version(), std::move(res), keep) || !keep) break;
        }
        co_await close_stream();
        done();
    }

private:
    awaitable<bool> write(unsigned version, ServerResponse res, bool keep_alive) {
        http::response<http::string_body> msg{static_cast<http::status>(res.status), version};
        msg.set(http::field::server, "tradeengine");
        msg.set(http::field::content_type, res.content_type);
        for (auto& [k, v] : res.headers) msg.set(k, v);
        msg.keep_alive(keep_alive);
        msg.body() = std::move(res.body);
        msg.prepare_payload();
        tcp_of(stream_).expires_after(server_.config().request_timeout);
        auto [ec, n] = co_await http::async_write(stream_, msg, kTuple);
        co_return !ec;
    }

    awaitable<void> on_read_error(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || stopping_)
            co_return;
        server_.bad_requests_.fetch_add(1, std::memory_order_relaxed);
        if (ec == beast::error::timeout) co_return;  // slowloris or idle: just close
        unsigned status = 400;
        std::string body = R"({"code":-1100,"msg":"Malformed request."})";
        if (ec == http::error::header_limit) {
            status = 431;
            body = R"({"code":-1100,"msg":"Request header fields too large."})";
        } else if (ec == http::error::body_limit) {
            status = 413;
            body = R"({"code":-1100,"msg":"Request body too large."})";
        } else if (ec.category() != http::make_error_code(http::error::bad_method).category()) {
            co_return;  // a socket error: nobody to answer
        }
        // (a named response: g++ 12 double-destroys aggregate temporaries in co_await operands)
        auto res = ServerResponse::json(status, std::move(body));
        co_await write(11, std::move(res), false);
    }

    awaitable<void> upgrade(http::request<http::string_body> req) {
        auto session = std::make_shared<WsSession<Stream>>(server_, id_, std::move(stream_), std::string(req.target()));
        std::shared_ptr<WsHandler> handler;
        if (ws_) {
            try {
                handler = ws_(IncomingRequest{req, remote_}, session);
            } catch (const std::exception& e) {
                te::log::error("net", "WebSocket acceptor threw", {{"error", e.what()}});
            }
        }
        if (!handler) {
            co_await session->run_refused(req.version());
            co_return;
        }
        session->set_handler(std::move(handler));
        server_.add_connection_(id_, session);
        co_await session->run(std::move(req));
    }

    awaitable<void> close_stream() {
        beast::error_code ec;
        if constexpr (kIsTls<Stream>) {
            tcp_of(stream_).expires_after(1s);
            std::tie(ec) = co_await stream_.async_shutdown(kTuple);
        }
        tcp_of(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
        tcp_of(stream_).socket().close(ec);
    }

    void done() { server_.remove_connection_(id_); }

public:
    asio::any_io_executor executor() { return stream_.get_executor(); }

private:

    Server& server_;
    std::uint64_t id_;
    Stream stream_;
    std::string remote_;
    const HttpHandler& http_;
    const WsAcceptor& ws_;
    bool idle_ = false;
    bool stopping_ = false;
};

}  // namespace detail

Server::Server(ServerConfig config, HttpHandler http, WsAcceptor ws)
    : config_(std::move(config)), http_(std::move(http)), ws_(std::move(ws)),
      io_(std::make_unique<asio::io_context>(std::max(1, config_.threads))) {}

Server::~Server() {
    stop(100ms);
    // Connection coroutines still suspended in the io_context are destroyed with it, before
    // the members they refer to.
    acceptor_.reset();
    io_.reset();
}

void Server::add_connection_(std::uint64_t id, const std::shared_ptr<detail::ConnectionBase>& c) {
    // A WebSocket session takes over the id of the HTTP session it was upgraded from.
    std::lock_guard lock(mu_);
    connections_[id] = c;
}

namespace {
template <class Session, class StreamT>
void launch(Server& server, std::uint64_t id, StreamT&& stream, std::string remote, const HttpHandler& http,
            const WsAcceptor& ws) {
    auto s = std::make_shared<Session>(server, id, std::move(stream), std::move(remote), http, ws);
    server.add_connection_(id, s);
    asio::co_spawn(s->executor(), s->run(), asio::detached);
}
}  // namespace

awaitable<void> Server::accept_loop(std::shared_ptr<tcp::acceptor> acceptor) {
    for (;;) {
        auto [ec, sock] = co_await acceptor->async_accept(asio::make_strand(*io_), kTuple);
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
            continue;  // e.g. too many open files: keep serving the others
        }
        accepted_.fetch_add(1, std::memory_order_relaxed);
        const auto id = next_id_.fetch_add(1);
        beast::error_code ignored;
        std::string remote = sock.remote_endpoint(ignored).address().to_string();
        sock.set_option(tcp::no_delay(true), ignored);
        if (tls_) {
            auto& ctx = *std::static_pointer_cast<asio::ssl::context>(tls_);
            launch<detail::HttpSession<beast::ssl_stream<beast::tcp_stream>>>(
                *this, id, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(sock)), ctx),
                std::move(remote), http_, ws_);
        } else {
            launch<detail::HttpSession<beast::tcp_stream>>(*this, id, beast::tcp_stream(std::move(sock)),
                                                           std::move(remote), http_, ws_);
        }
    }
}

void Server::open_acceptor() {
    const auto address = asio::ip::make_address(config_.host);
    tcp::endpoint ep(address, port_ != 0 ? port_ : config_.port);
    auto acc = std::make_shared<tcp::acceptor>(*io_);
    acc->open(ep.protocol());
    acc->set_option(asio::socket_base::reuse_address(true));
    acc->bind(ep);
    acc->listen(asio::socket_base::max_listen_connections);
    port_ = acc->local_endpoint().port();
    {
        std::lock_guard lock(mu_);  // restart() re-opens on the IO thread while stop() may read it
        acceptor_ = acc;
    }
    asio::co_spawn(*io_, accept_loop(std::move(acc)), asio::detached);
}

void Server::start() {
    if (running_.load()) return;
    if (!config_.tls_certificate_file.empty() && !config_.tls_private_key_file.empty() && !tls_) {
        auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        ctx->use_certificate_chain_file(config_.tls_certificate_file);
        ctx->use_private_key_file(config_.tls_private_key_file, asio::ssl::context::pem);
        tls_ = ctx;
    }
    io_->restart();
    open_acceptor();
    work_ = std::make_unique<WorkGuard>(io_->get_executor());
    running_ = true;
    const int n = std::max(1, config_.threads);
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io_->run(); });
    te::log::info("net", "server listening",
                  {{"host", config_.host}, {"port", static_cast<std::int64_t>(port_)}, {"tls", tls_ != nullptr}});
}

std::shared_ptr<tcp::acceptor> Server::current_acceptor() const {
    std::lock_guard lock(mu_);
    return acceptor_;
}

std::vector<std::shared_ptr<detail::ConnectionBase>> Server::snapshot() const {
    std::vector<std::shared_ptr<detail::ConnectionBase>> out;
    std::lock_guard lock(mu_);
    for (auto& [id, weak] : connections_)
        if (auto c = weak.lock()) out.push_back(std::move(c));
    return out;
}

void Server::restart(std::chrono::milliseconds downtime) {
    if (!running_.load()) return;
    asio::post(*io_, [acc = current_acceptor()] {
        beast::error_code ec;
        if (acc) acc->close(ec);
    });
    for (auto& c : snapshot()) c->abort_connection();
    asio::post(*io_, [this, downtime] {
        auto timer = std::make_shared<asio::steady_timer>(*io_, downtime);
        timer->async_wait([this, timer](beast::error_code ec) {
            if (ec || !running_.load()) return;
            try {
                open_acceptor();
            } catch (const std::exception& e) {
                te::log::error("net", "could not listen again after a restart", {{"error", e.what()}});
            }
        });
    });
}

void Server::stop(std::chrono::milliseconds grace) {
    if (!running_.exchange(false)) return;
    asio::post(*io_, [acc = current_acceptor()] {
        beast::error_code ec;
        if (acc) acc->close(ec);
    });
    for (auto& c : snapshot()) c->shutdown_gracefully();
    const auto deadline = Clock::now() + grace;
    while (Clock::now() < deadline) {
        {
            std::lock_guard lock(mu_);
            if (connections_.empty()) break;
        }
        std::this_thread::sleep_for(2ms);
    }
    for (auto& c : snapshot()) c->abort_connection();
    work_.reset();
    io_->stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    std::lock_guard lock(mu_);
    connections_.clear();
}

void Server::remove_connection_(std::uint64_t id) {
    std::lock_guard lock(mu_);
    connections_.erase(id);
}

ServerStats Server::stats() const {
    ServerStats s;
    s.connections_accepted = accepted_.load();
    s.http_requests = http_requests_.load();
    s.bad_requests = bad_requests_.load();
    std::lock_guard lock(mu_);
    for (auto& [id, weak] : connections_) {
        if (auto c = weak.lock()) {
            ++s.connections_open;
            if (c->is_ws()) ++s.ws_open;
        }
    }
    return s;
}

std::vector<std::shared_ptr<WsConnection>> Server::ws_connections() const {
    std::vector<std::shared_ptr<WsConnection>> out;
    std::lock_guard lock(mu_);
    for (auto& [id, weak] : connections_)
        if (auto c = weak.lock())
            if (auto w = c->as_ws()) out.push_back(std::move(w));
    return out;
}

}  // namespace te::net
