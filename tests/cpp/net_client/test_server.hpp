#pragma once
// A real WebSocket server on 127.0.0.1 for the client tests (plain or TLS), with knobs for the
// faults a venue can show: abrupt drops, silence, pings, oversized frames.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace te::testing {

// Self-signed certificate and key (PEM files in a temp dir) for host "localhost".
struct TestCertificate {
    std::string cert_file;
    std::string key_file;
    static TestCertificate create(const std::string& dir);
};

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout = std::chrono::seconds(10));

class WsTestServer {
public:
    enum class Mode { Echo, Silent };
    explicit WsTestServer(const TestCertificate* tls = nullptr);
    ~WsTestServer();

    unsigned short port() const { return port_; }
    std::string url(const std::string& host = "127.0.0.1") const;

    void set_mode(Mode mode) { mode_ = mode; }
    void broadcast(const std::string& text);   // to every open connection
    void ping_all(const std::string& payload);
    void drop_all();                           // abrupt TCP close, no close frame
    int connections_accepted() const { return accepted_.load(); }
    int open_connections() const { return open_.load(); }
    std::vector<std::string> received();
    std::vector<std::chrono::steady_clock::time_point> received_times();
    std::vector<std::string> pongs();

private:
    struct Session;
    void accept_loop();
    void drop_all_now();

    boost::asio::io_context ctx_;
    std::unique_ptr<boost::asio::ssl::context> tls_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<Mode> mode_{Mode::Echo};
    std::atomic<int> accepted_{0}, open_{0};
    std::mutex mutex_;
    std::vector<std::shared_ptr<Session>> sessions_;  // kept alive: a silent peer holds its socket
    std::vector<std::string> received_, pongs_;
    std::vector<std::chrono::steady_clock::time_point> received_times_;
    std::thread thread_;
};

}  // namespace te::testing

namespace te::testing {

// A real HTTP/1.1 server on 127.0.0.1 (plain or TLS). Paths:
//   /echo          200, body "<METHOD> <target> <body>", echoes X-Test header
//   /slow?ms=N     responds after N ms
//   /big?bytes=N   a body of N bytes
//   /close         responds with Connection: close
//   /redirect      302 to /echo
//   /drop          closes the connection without a response
//   /garbage       writes a malformed status line
class HttpTestServer {
public:
    explicit HttpTestServer(const TestCertificate* tls = nullptr);
    ~HttpTestServer();
    unsigned short port() const { return port_; }
    std::string url(const std::string& host = "127.0.0.1") const;
    int connections_accepted() const { return accepted_.load(); }
    // As a server does after its keep-alive timeout; returns how many it closed. A connection
    // counts as idle once its response is written, a little after the client has read it.
    std::size_t close_idle_connections();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    unsigned short port_ = 0;
    std::atomic<int> accepted_{0};
    bool tls_ = false;
};

}  // namespace te::testing
