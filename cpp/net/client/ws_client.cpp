#include "net/client/ws_client.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/time.hpp"

namespace te::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct WsClient::AtomicStats {
    std::atomic<std::uint64_t> attempts{0}, connects{0}, disconnects{0}, messages{0}, bytes{0}, pings{0},
        sends_dropped{0};
    std::atomic<std::int64_t> last_message_ns{0};
};

void validate(const WsClientConfig& c) {
    std::vector<std::string> problems;
    try {
        const Url url = parse_url(c.url);
        if (!url.websocket()) problems.push_back(fmt::format("url '{}' must start with ws:// or wss://", c.url));
    } catch (const std::invalid_argument& e) {
        problems.emplace_back(e.what());
    }
    if (c.connect_timeout <= 0ms) problems.emplace_back("connect_timeout must be > 0");
    if (c.silence_timeout <= 0ms) problems.emplace_back("silence_timeout must be > 0");
    const LiveClock clock;
    try {
        Backoff check(clock, c.backoff);
    } catch (const std::invalid_argument& e) {
        problems.push_back(fmt::format("backoff: {}", e.what()));
    }
    try {
        ConnectionAge check(clock, c.age);
    } catch (const std::invalid_argument& e) {
        problems.push_back(fmt::format("age: {}", e.what()));
    }
    if (c.max_attempts_per_window == 0) problems.emplace_back("max_attempts_per_window must be > 0");
    if (c.attempts_window <= 0ms) problems.emplace_back("attempts_window must be > 0");
    if (c.max_messages_per_second == 0) problems.emplace_back("max_messages_per_second must be > 0");
    if (c.max_message_bytes == 0) problems.emplace_back("max_message_bytes must be > 0");
    if (c.max_send_queue == 0) problems.emplace_back("max_send_queue must be > 0");
    if (!problems.empty())
        throw ConfigError(fmt::format("invalid WebSocket client configuration: {}", fmt::join(problems, "; ")));
}

WsClient::WsClient(asio::io_context& ctx, WsClientConfig config, WsHandlers handlers)
    : ctx_(ctx),
      strand_(asio::make_strand(ctx)),
      config_((validate(config), std::move(config))),
      url_(parse_url(config_.url)),
      handlers_(std::move(handlers)),
      tls_ctx_(make_client_tls_context(config_.tls)),
      backoff_timer_(strand_),
      backoff_(clock_, config_.backoff),
      age_(clock_, config_.age),
      attempts_(clock_, config_.max_attempts_per_window, config_.attempts_window),
      outgoing_(clock_, config_.max_messages_per_second, std::chrono::seconds(1)),
      done_future_(done_.get_future()),
      stats_(std::make_unique<AtomicStats>()) {}

WsClient::~WsClient() { stop(); }

void WsClient::start() {
    if (started_.exchange(true)) return;
    asio::co_spawn(strand_, run(), asio::detached);
}

void WsClient::stop() {
    // Once: a second post could run after this object is gone.
    if (!started_.load() || stop_requested_.exchange(true)) return;
    asio::post(strand_, [this] {
        stopped_ = true;
        backoff_timer_.cancel();
        if (hard_close_) hard_close_();
    });
    if (strand_.running_in_this_thread()) return;
    if (done_future_.valid() && done_future_.wait_for(10s) == std::future_status::ready) {
        done_future_.get();
    } else if (done_future_.valid()) {
        log::error("ws", "connection loop did not stop within 10 s; is the IO thread running?", {{"url", url_.to_string()}});
    }
}

bool WsClient::send(std::string text) {
    if (!connected()) {
        stats_->sends_dropped++;
        return false;
    }
    asio::post(strand_, [this, text = std::move(text)]() mutable {
        if (!connected_ || send_queue_.size() >= config_.max_send_queue) {
            stats_->sends_dropped++;
            log::warn("ws", "send dropped", {{"url", url_.to_string()}, {"queued", send_queue_.size()}});
            return;
        }
        send_queue_.push_back(std::move(text));
        if (!writing_ && spawn_writer_) spawn_writer_();
    });
    return true;
}

void WsClient::reconnect_now(std::string reason) {
    asio::post(strand_, [this, reason = std::move(reason)]() mutable {
        immediate_ = true;
        close_current(std::move(reason));
    });
}

void WsClient::close_current(std::string reason) {
    close_reason_ = std::move(reason);
    if (graceful_close_) graceful_close_();
}

WsClientStats WsClient::stats() const {
    return {stats_->attempts.load(), stats_->connects.load(),  stats_->disconnects.load(),   stats_->messages.load(),
            stats_->bytes.load(),    stats_->pings.load(),     stats_->sends_dropped.load(), stats_->last_message_ns.load()};
}

asio::awaitable<void> WsClient::wait_for_attempt_slot() {
    while (!stopped_ && !attempts_.try_acquire()) {
        log::warn("ws", "connection attempt limit reached; waiting",
                  {{"url", url_.to_string()}, {"limit", attempts_.limit()}});
        backoff_timer_.expires_after(attempts_.wait_time());
        co_await backoff_timer_.async_wait(asio::as_tuple(use_awaitable));
    }
}

std::string WsClient::describe(const boost::system::error_code& ec, bool was_connected) const {
    if (ec == beast::error::timeout)
        return was_connected ? fmt::format("no frame for {} ms: the peer is silent or dead", config_.silence_timeout.count())
                             : fmt::format("timed out after {} ms while connecting", config_.connect_timeout.count());
    if (ec == websocket::error::message_too_big)
        return fmt::format("a message exceeded max_message_bytes ({})", config_.max_message_bytes);
    if (ec == websocket::error::closed) return "closed by peer";
    return ec.message();
}

asio::awaitable<void> WsClient::run() {
    while (!stopped_) {
        co_await wait_for_attempt_slot();
        if (stopped_) break;
        stats_->attempts++;
        std::string reason = "connection closed";
        boost::system::error_code error;
        try {
            if (url_.tls())
                co_await connect_tls();
            else
                co_await connect_plain();
        } catch (const boost::system::system_error& e) {
            error = e.code();
        } catch (const std::exception& e) {
            reason = e.what();
        }
        const bool was_connected = generation_ > 0 && connected_at_ != std::chrono::steady_clock::time_point{};
        if (error) reason = describe(error, was_connected);
        if (!close_reason_.empty()) reason = close_reason_;
        if (was_connected) {
            stats_->disconnects++;
            connected_at_ = {};
            if (handlers_.on_disconnect) {
                try {
                    handlers_.on_disconnect(reason);
                } catch (const std::exception& e) {
                    log::error("ws", "on_disconnect handler threw", {{"error", e.what()}});
                }
            }
        }
        if (stopped_) break;
        const auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(
            immediate_ ? Duration(0) : backoff_.next_delay().value_or(backoff_.max_delay()));
        immediate_ = false;
        close_reason_.clear();
        log::warn("ws", was_connected ? "disconnected; reconnecting" : "connect failed; retrying",
                  {{"url", url_.to_string()}, {"reason", reason}, {"delay_ms", delay.count()}});
        backoff_timer_.expires_after(delay);
        co_await backoff_timer_.async_wait(asio::as_tuple(use_awaitable));
    }
    done_.set_value();
}

asio::awaitable<void> WsClient::connect_plain() {
    tcp::resolver resolver(strand_);
    const auto endpoints = co_await resolver.async_resolve(url_.host, std::to_string(url_.port), use_awaitable);
    auto ws = std::make_shared<websocket::stream<beast::tcp_stream>>(strand_);
    hard_close_ = [weak = std::weak_ptr(ws)] {
        if (auto s = weak.lock()) beast::get_lowest_layer(*s).close();
    };
    beast::get_lowest_layer(*ws).expires_after(config_.connect_timeout);
    co_await beast::get_lowest_layer(*ws).async_connect(endpoints, use_awaitable);
    beast::get_lowest_layer(*ws).expires_never();
    co_await session(ws);
}

asio::awaitable<void> WsClient::connect_tls() {
    tcp::resolver resolver(strand_);
    const auto endpoints = co_await resolver.async_resolve(url_.host, std::to_string(url_.port), use_awaitable);
    auto ws = std::make_shared<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(strand_, tls_ctx_);
    hard_close_ = [weak = std::weak_ptr(ws)] {
        if (auto s = weak.lock()) beast::get_lowest_layer(*s).close();
    };
    prepare_tls_stream(ws->next_layer().native_handle(), url_.host, config_.tls.verify);
    beast::get_lowest_layer(*ws).expires_after(config_.connect_timeout);
    co_await beast::get_lowest_layer(*ws).async_connect(endpoints, use_awaitable);
    co_await ws->next_layer().async_handshake(asio::ssl::stream_base::client, use_awaitable);
    beast::get_lowest_layer(*ws).expires_never();
    co_await session(ws);
}

template <class Stream>
asio::awaitable<void> WsClient::session(std::shared_ptr<Stream> ws) {
    ws->set_option(websocket::stream_base::timeout{config_.connect_timeout, config_.silence_timeout, false});
    ws->set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(beast::http::field::user_agent, "tradeengine"); }));
    ws->read_message_max(config_.max_message_bytes);
    ws->control_callback([stats = stats_.get()](websocket::frame_type kind, beast::string_view) {
        stats->last_message_ns.store(monotonic_ns(), std::memory_order_relaxed);
        if (kind == websocket::frame_type::ping) stats->pings.fetch_add(1, std::memory_order_relaxed);
    });
    co_await ws->async_handshake(url_.host_header(), url_.target, use_awaitable);

    const auto generation = ++generation_;
    connected_at_ = std::chrono::steady_clock::now();
    send_queue_.clear();
    connected_.store(true, std::memory_order_release);
    backoff_.on_connected();
    age_.on_connected();
    stats_->connects++;
    stats_->last_message_ns.store(monotonic_ns());
    spawn_writer_ = [this, ws, generation] { asio::co_spawn(strand_, write_loop(ws, generation), asio::detached); };
    graceful_close_ = [this, weak = std::weak_ptr(ws)] {
        if (auto s = weak.lock())
            asio::co_spawn(
                strand_,
                [s]() -> asio::awaitable<void> {
                    co_await s->async_close(websocket::close_code::normal, asio::as_tuple(use_awaitable));
                },
                asio::detached);
    };
    auto age_timer = std::make_shared<asio::steady_timer>(
        strand_, std::chrono::nanoseconds(age_.reconnect_at().value_or(clock_.now_ns()) - clock_.now_ns()));
    age_timer->async_wait([this, generation, age_timer](boost::system::error_code ec) {
        if (ec || generation != generation_ || !connected_) return;
        immediate_ = true;
        close_current("maximum connection age reached");
    });
    // Whatever ends the session (peer close, silence timeout, error), leave no state behind.
    struct Cleanup {
        WsClient* self;
        std::shared_ptr<asio::steady_timer> timer;
        ~Cleanup() {
            self->connected_.store(false, std::memory_order_release);
            self->backoff_.on_disconnected();
            self->age_.on_disconnected();
            self->spawn_writer_ = nullptr;
            self->graceful_close_ = nullptr;
            self->hard_close_ = nullptr;
            self->send_queue_.clear();
            timer->cancel();
        }
    } cleanup{this, age_timer};

    log::info("ws", "connected", {{"url", url_.to_string()}});
    if (handlers_.on_open) {
        try {
            handlers_.on_open();
        } catch (const std::exception& e) {
            log::error("ws", "on_open handler threw", {{"error", e.what()}});
        }
    }
    beast::flat_buffer buffer;
    for (;;) {
        co_await ws->async_read(buffer, use_awaitable);
        const auto data = buffer.cdata();
        stats_->messages.fetch_add(1, std::memory_order_relaxed);
        stats_->bytes.fetch_add(data.size(), std::memory_order_relaxed);
        stats_->last_message_ns.store(monotonic_ns(), std::memory_order_relaxed);
        if (handlers_.on_message) {
            try {
                handlers_.on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
            } catch (const std::exception& e) {
                log::error("ws", "on_message handler threw", {{"error", e.what()}});
            }
        }
        buffer.consume(buffer.size());
    }
}

template <class Stream>
asio::awaitable<void> WsClient::write_loop(std::shared_ptr<Stream> ws, std::uint64_t generation) {
    writing_ = true;
    try {
        while (generation == generation_ && connected_ && !send_queue_.empty()) {
            if (!outgoing_.try_acquire()) {  // the venue disconnects clients that send too fast
                asio::steady_timer pause(strand_, outgoing_.wait_time());
                co_await pause.async_wait(asio::as_tuple(use_awaitable));
                continue;
            }
            const std::string message = std::move(send_queue_.front());
            send_queue_.pop_front();
            ws->text(true);
            co_await ws->async_write(asio::buffer(message), use_awaitable);
        }
    } catch (const std::exception& e) {
        // The read side sees the same broken connection and reconnects.
        log::debug("ws", "write failed", {{"error", e.what()}});
    }
    writing_ = false;
}

}  // namespace te::net
