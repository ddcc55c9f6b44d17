#include "net/client/http_client.hpp"

#include "net/client/run_blocking.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>

#include "core/logging.hpp"
#include "core/time.hpp"

namespace te::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct HttpClient::Connection {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
    std::chrono::steady_clock::time_point last_used;

    beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*tls); }
    // A pooled connection the server has closed reads as EOF without blocking.
    bool alive() {
        auto& socket = lowest().socket();
        if (!socket.is_open()) return false;
        char byte;
        const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
};

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool idempotent(http::verb v) {
    return v == http::verb::get || v == http::verb::head || v == http::verb::options;
}

HttpError to_http_error(const boost::system::error_code& ec, bool maybe_sent, const std::string& what) {
    if (ec == beast::error::timeout) return {HttpError::Kind::Timeout, maybe_sent, what + ": timed out"};
    if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow)
        return {HttpError::Kind::TooLarge, maybe_sent, what + ": response too large (" + ec.message() + ")"};
    if (ec.category() == make_error_code(http::error::bad_version).category() && ec != http::error::end_of_stream)
        return {HttpError::Kind::Protocol, maybe_sent, what + ": malformed response (" + ec.message() + ")"};
    return {HttpError::Kind::Io, maybe_sent, what + ": " + ec.message()};
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

void validate(const HttpClientConfig& c) {
    std::vector<std::string> problems;
    try {
        const Url url = parse_url(c.base_url);
        if (url.websocket())
            problems.push_back(fmt::format("base_url '{}' must start with http:// or https://", c.base_url));
    } catch (const std::invalid_argument& e) {
        problems.emplace_back(e.what());
    }
    if (c.connect_timeout <= 0ms) problems.emplace_back("connect_timeout must be > 0");
    if (c.default_timeout <= 0ms) problems.emplace_back("default_timeout must be > 0");
    if (c.max_body_bytes == 0) problems.emplace_back("max_body_bytes must be > 0");
    if (c.max_header_bytes == 0) problems.emplace_back("max_header_bytes must be > 0");
    if (!problems.empty())
        throw ConfigError(fmt::format("invalid HTTP client configuration: {}", fmt::join(problems, "; ")));
}

HttpClient::HttpClient(asio::io_context& ctx, HttpClientConfig config)
    : strand_(asio::make_strand(ctx)),
      config_((validate(config), std::move(config))),
      base_(parse_url(config_.base_url)),
      tls_ctx_(make_client_tls_context(config_.tls)) {}

HttpClient::~HttpClient() = default;

HttpClientStats HttpClient::stats() const { return {requests_.load(), opened_.load(), reused_.load(), errors_.load()}; }

std::unique_ptr<HttpClient::Connection> HttpClient::take_idle() {
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (now - conn->last_used < config_.idle_timeout && conn->alive()) return conn;
    }
    return nullptr;
}

void HttpClient::give_back(std::unique_ptr<Connection> conn) {
    conn->last_used = std::chrono::steady_clock::now();
    idle_.push_back(std::move(conn));
    while (idle_.size() > config_.max_idle_connections) idle_.pop_front();
}

asio::awaitable<std::unique_ptr<HttpClient::Connection>> HttpClient::open() {
    auto conn = std::make_unique<Connection>();
    const std::string where = base_.to_string();
    try {
        tcp::resolver resolver(strand_);
        const auto endpoints = co_await resolver.async_resolve(base_.host, std::to_string(base_.port), use_awaitable);
        if (base_.tls()) {
            conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(strand_, tls_ctx_);
            prepare_tls_stream(conn->tls->native_handle(), base_.host, config_.tls.verify);
        } else {
            conn->plain = std::make_unique<beast::tcp_stream>(strand_);
        }
        conn->lowest().expires_after(config_.connect_timeout);
        co_await conn->lowest().async_connect(endpoints, use_awaitable);
        if (conn->tls) co_await conn->tls->async_handshake(asio::ssl::stream_base::client, use_awaitable);
        conn->lowest().expires_never();
    } catch (const boost::system::system_error& e) {
        throw HttpError(e.code() == beast::error::timeout ? HttpError::Kind::Timeout : HttpError::Kind::Connect, false,
                        fmt::format("cannot connect to {}: {}", where, e.code().message()));
    }
    opened_++;
    co_return conn;
}

asio::awaitable<HttpResponse> HttpClient::exchange(Connection& conn, const HttpRequest& req) {
    http::request<http::string_body> msg{req.method, base_.target == "/" ? req.target : base_.target + req.target, 11};
    msg.set(http::field::host, base_.host_header());
    msg.set(http::field::user_agent, config_.user_agent);
    for (const auto& [k, v] : req.headers) msg.set(k, v);
    if (!req.body.empty() || req.method == http::verb::post || req.method == http::verb::put) {
        msg.body() = req.body;
        if (!req.content_type.empty()) msg.set(http::field::content_type, req.content_type);
    }
    msg.keep_alive(true);
    msg.prepare_payload();

    const auto timeout = req.timeout > 0ms ? req.timeout : config_.default_timeout;
    const auto started = monotonic_ns();
    conn.lowest().expires_after(timeout);
    http::response_parser<http::string_body> parser;
    parser.body_limit(config_.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    try {
        if (conn.tls) {
            co_await http::async_write(*conn.tls, msg, use_awaitable);
            co_await http::async_read(*conn.tls, buffer, parser, use_awaitable);
        } else {
            co_await http::async_write(*conn.plain, msg, use_awaitable);
            co_await http::async_read(*conn.plain, buffer, parser, use_awaitable);
        }
    } catch (const boost::system::system_error& e) {
        ec = e.code();
    }
    conn.lowest().expires_never();
    if (ec) {
        // Once the exchange started the server may have the request: status unknown.
        throw to_http_error(ec, true,
                            fmt::format("{} {}{}", http::to_string(req.method), base_.to_string(), req.target.substr(1)));
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = res.result_int();
    for (const auto& field : res) out.headers.emplace_back(field.name_string(), field.value());
    out.body = std::move(res.body());
    out.latency_ns = monotonic_ns() - started;
    if (!res.keep_alive()) conn.lowest().close();
    co_return out;
}

asio::awaitable<HttpResponse> HttpClient::async_request(HttpRequest req) {
    if (req.target.empty() || req.target.front() != '/')
        throw std::invalid_argument(fmt::format("invalid request target '{}': expected a path starting with '/'", req.target));
    co_await asio::dispatch(strand_, use_awaitable);
    requests_++;
    for (int attempt = 0;; ++attempt) {
        auto conn = take_idle();
        const bool reused = conn != nullptr;
        if (reused)
            reused_++;
        else {
            try {
                conn = co_await open();
            } catch (...) {
                errors_++;
                throw;
            }
        }
        try {
            auto response = co_await exchange(*conn, req);
            if (conn->lowest().socket().is_open()) give_back(std::move(conn));
            co_return response;
        } catch (const HttpError& e) {
            // A pooled connection can die between the liveness check and the write; resending is
            // safe only for requests that cannot act twice.
            if (reused && attempt == 0 && idempotent(req.method) && e.kind() == HttpError::Kind::Io) {
                log::debug("http", "stale pooled connection; retrying", {{"error", e.what()}});
                continue;
            }
            errors_++;
            throw;
        }
    }
}

HttpResponse HttpClient::request(HttpRequest req) {
    if (strand_.running_in_this_thread())
        throw std::logic_error("HttpClient::request() blocks: call async_request() on the IO thread");
    return run_blocking(strand_, async_request(std::move(req)));
}

}  // namespace te::net
