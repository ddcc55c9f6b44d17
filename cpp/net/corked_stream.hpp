#pragma once
// A write-coalescing stream layer under websocket::stream. Every write (data frames, pings,
// pongs Beast sends by itself, close frames) is appended to a buffer in order and completes at
// once; the buffer goes to the socket in one write, and whatever arrives while that write is in
// flight goes in the next one. So a burst of small WebSocket messages costs one system call,
// not one each, and frames never interleave. Past `limit` buffered bytes a write completes only
// when the socket has drained (backpressure, which makes the send queue of a slow client grow
// until it is dropped). Reads pass through.
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/teardown.hpp>

namespace te::net {

template <class Next>
class CorkedStream {
public:
    using executor_type = typename Next::executor_type;
    using next_layer_type = Next;

    explicit CorkedStream(Next&& next, std::size_t limit = 4u << 20) : next_(std::move(next)), limit_(limit) {}
    CorkedStream(CorkedStream&&) = default;

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }
    // Called before each socket write starts; returns something that keeps the owner alive.
    void set_keepalive(std::function<std::shared_ptr<void>()> f) { keepalive_ = std::move(f); }
    std::size_t buffered() const noexcept { return pending_.size() + inflight_.size(); }

    template <class Buffers, class Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return next_.async_read_some(buffers, std::forward<Token>(token));
    }

    template <class Buffers, class Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& bufs) {
                const std::size_t n = boost::asio::buffer_size(bufs);
                auto ex = boost::asio::get_associated_executor(handler, get_executor());
                if (error_) {
                    boost::asio::post(ex, [h = std::move(handler), ec = error_]() mutable { h(ec, 0); });
                    return;
                }
                for (auto it = boost::asio::buffer_sequence_begin(bufs); it != boost::asio::buffer_sequence_end(bufs); ++it) {
                    boost::asio::const_buffer b(*it);
                    pending_.append(static_cast<const char*>(b.data()), b.size());
                }
                flush();
                // std::function needs a copyable target: share the move-only handler.
                auto hp = std::make_shared<std::decay_t<decltype(handler)>>(std::move(handler));
                std::function<void(boost::system::error_code)> complete = [hp, n](boost::system::error_code ec) {
                    (*hp)(ec, ec ? 0 : n);
                };
                if (buffered() > limit_) {
                    waiters_.push_back(std::move(complete));
                    return;
                }
                boost::asio::post(ex, [c = std::move(complete)] { c({}); });
            },
            token, buffers);
    }

    // Appends one complete unmasked text frame (server to client) without going through
    // websocket::stream: whole frames only, so they never interleave with Beast's own frames.
    // False once the socket has failed.
    bool append_text_frame(std::string_view payload) {
        if (error_) return false;
        unsigned char hdr[10];
        std::size_t h = 2;
        const std::size_t n = payload.size();
        hdr[0] = 0x81;  // FIN + text
        if (n < 126) {
            hdr[1] = static_cast<unsigned char>(n);
        } else if (n < 65536) {
            hdr[1] = 126;
            hdr[2] = static_cast<unsigned char>(n >> 8);
            hdr[3] = static_cast<unsigned char>(n & 0xff);
            h = 4;
        } else {
            hdr[1] = 127;
            for (int i = 0; i < 8; ++i) hdr[2 + i] = static_cast<unsigned char>((static_cast<std::uint64_t>(n) >> (56 - 8 * i)) & 0xff);
            h = 10;
        }
        pending_.append(reinterpret_cast<const char*>(hdr), h);
        pending_.append(payload.data(), payload.size());
        flush();
        return true;
    }
    bool over_limit() const noexcept { return buffered() > limit_; }
    // Runs f once everything buffered has reached the socket (or the socket failed).
    void when_drained(std::function<void()> f) {
        if (error_ || (!flushing_ && pending_.empty())) f();
        else drained_.push_back(std::move(f));
    }
    bool failed() const noexcept { return static_cast<bool>(error_); }

private:
    void flush() {
        if (flushing_ || pending_.empty()) return;
        flushing_ = true;
        inflight_.swap(pending_);
        auto hold = keepalive_ ? keepalive_() : nullptr;
        boost::asio::async_write(next_, boost::asio::buffer(inflight_),
                                 [this, hold](boost::system::error_code ec, std::size_t) {
                                     flushing_ = false;
                                     inflight_.clear();
                                     if (ec) error_ = ec;
                                     flush();
                                     // Release writers held back by the limit once below it.
                                     while (!waiters_.empty() && (error_ || buffered() <= limit_)) {
                                         auto w = std::move(waiters_.front());
                                         waiters_.pop_front();
                                         w(error_);
                                     }
                                     if (error_ || (!flushing_ && pending_.empty())) {
                                         auto ready = std::move(drained_);
                                         drained_.clear();
                                         for (auto& f : ready) f();
                                     }
                                 });
    }

    Next next_;
    std::size_t limit_;
    std::string pending_, inflight_;
    bool flushing_ = false;
    boost::system::error_code error_;
    std::deque<std::function<void(boost::system::error_code)>> waiters_;
    std::vector<std::function<void()>> drained_;
    std::function<std::shared_ptr<void>()> keepalive_;
};

// websocket::stream closes its next layer through these customization points.
template <class Next>
void teardown(boost::beast::role_type role, CorkedStream<Next>& s, boost::system::error_code& ec) {
    using boost::beast::websocket::teardown;
    teardown(role, s.next_layer(), ec);
}

// The close frame may still be in the buffer: tear down only once it has been written.
template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, CorkedStream<Next>& s, Handler&& handler) {
    auto h = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
    s.when_drained([role, &s, h] {
        using boost::beast::websocket::async_teardown;
        async_teardown(role, s.next_layer(), std::move(*h));
    });
}

}  // namespace te::net
