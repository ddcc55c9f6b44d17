#pragma once
// HTTP/1.1 client for venue REST APIs: a keep-alive connection pool per base URL, a deadline per
// request covering connect, write and read, TLS with verification on by default, and limits on
// header and body sizes. Redirects are not followed (venue APIs do not redirect; a 3xx is
// returned to the caller). Errors say whether the request may have reached the server, so an
// order submission that timed out is resolved by querying, never by sending it again.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/verb.hpp>

#include "core/errors.hpp"
#include "net/client/tls.hpp"
#include "net/client/url.hpp"

namespace te::net {

using namespace std::chrono_literals;

struct HttpClientConfig {
    std::string base_url;                      // http(s)://host[:port]
    std::chrono::milliseconds connect_timeout{5s};
    std::chrono::milliseconds default_timeout{10s};  // seed 001: account/positions 10 s, orders 30 s
    std::chrono::milliseconds idle_timeout{30s};     // pooled connections older than this are closed
    std::size_t max_idle_connections = 4;
    std::size_t max_body_bytes = 16u << 20;
    std::size_t max_header_bytes = 64u << 10;
    std::string user_agent = "tradeengine";
    TlsOptions tls;
};

void validate(const HttpClientConfig& config);  // throws te::ConfigError listing every problem

struct HttpRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string target;  // "/api/v3/order?symbol=..."
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type;                 // set when there is a body
    std::chrono::milliseconds timeout{0};     // 0: the client's default
};

struct HttpResponse {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::int64_t latency_ns = 0;
    std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
};

// A request that failed without a complete response.
class HttpError : public ConnectionLostError {
public:
    enum class Kind { Connect, Timeout, Io, TooLarge, Protocol };
    HttpError(Kind kind, bool maybe_sent, const std::string& message)
        : ConnectionLostError(message), kind_(kind), maybe_sent_(maybe_sent) {}
    Kind kind() const noexcept { return kind_; }
    // True when the server may have received (and acted on) the request: status unknown.
    bool maybe_sent() const noexcept { return maybe_sent_; }

private:
    Kind kind_;
    bool maybe_sent_;
};

struct HttpClientStats {
    std::uint64_t requests = 0;
    std::uint64_t connections_opened = 0;
    std::uint64_t connections_reused = 0;
    std::uint64_t errors = 0;
};

class HttpClient {
public:
    HttpClient(boost::asio::io_context& ctx, HttpClientConfig config);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Run from a coroutine on the client's io_context.
    boost::asio::awaitable<HttpResponse> async_request(HttpRequest request);
    // Blocking; from any thread except the IO thread (that would deadlock: std::logic_error).
    HttpResponse request(HttpRequest request);

    HttpClientStats stats() const;
    const Url& base_url() const noexcept { return base_; }

private:
    struct Connection;
    boost::asio::awaitable<std::unique_ptr<Connection>> open();
    boost::asio::awaitable<HttpResponse> exchange(Connection& conn, const HttpRequest& request);
    std::unique_ptr<Connection> take_idle();
    void give_back(std::unique_ptr<Connection> conn);

    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    HttpClientConfig config_;
    Url base_;
    boost::asio::ssl::context tls_ctx_;
    std::deque<std::unique_ptr<Connection>> idle_;  // strand only
    std::atomic<std::uint64_t> requests_{0}, opened_{0}, reused_{0}, errors_{0};
};

}  // namespace te::net
