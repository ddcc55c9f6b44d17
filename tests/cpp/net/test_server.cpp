// The HTTP + WebSocket server over real loopback sockets: routing, keep-alive, limits,
// timeouts, WebSocket pings, rate and age limits, slow clients, graceful stop and restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "net/server.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using te::net::IncomingRequest;
using te::net::ServerResponse;
using te::net::Server;
using te::net::ServerConfig;
using te::net::WsConnection;
using te::net::WsHandler;

namespace {

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return pred();
}

class Echo : public WsHandler {
public:
    explicit Echo(std::function<void(WsConnection&, std::string_view)> fn = {}) : fn_(std::move(fn)) {}
    void on_message(WsConnection& c, std::string_view text) override {
        if (fn_) fn_(c, text);
        else c.send(std::string(text));
    }

private:
    std::function<void(WsConnection&, std::string_view)> fn_;
};

struct Fixture {
    explicit Fixture(ServerConfig cfg = {}, std::function<void(WsConnection&, std::string_view)> on_ws = {})
        : server(
              std::move(cfg),
              [](const IncomingRequest& req) {
                  ServerResponse r;
                  r.body = std::string(R"({"method":")") + std::string(req.method()) + R"(","target":")" +
                           std::string(req.target()) + R"(","body_size":)" + std::to_string(req.body().size()) + "}";
                  if (req.target() == "/slow") r.delay = 20ms;
                  return r;
              },
              [on_ws](const IncomingRequest& req, const std::shared_ptr<WsConnection>&) -> std::shared_ptr<WsHandler> {
                  if (req.target().starts_with("/nope")) return nullptr;
                  return std::make_shared<Echo>(on_ws);
              }) {
        server.start();
    }
    Server server;
};

struct Client {
    asio::io_context io;
    tcp::socket sock{io};
    explicit Client(std::uint16_t port) { sock.connect({asio::ip::make_address("127.0.0.1"), port}); }

    beast::http::response<beast::http::string_body> request(beast::http::verb verb, const std::string& target,
                                                            std::string body = {}, bool keep_alive = true) {
        beast::http::request<beast::http::string_body> req{verb, target, 11};
        req.set(beast::http::field::host, "127.0.0.1");
        req.keep_alive(keep_alive);
        req.body() = std::move(body);
        req.prepare_payload();
        beast::http::write(sock, req);
        beast::flat_buffer buf;
        beast::http::response<beast::http::string_body> res;
        beast::http::read(sock, buf, res);
        return res;
    }
    void write_raw(std::string_view bytes) { asio::write(sock, asio::buffer(bytes.data(), bytes.size())); }
    // Reads until the peer closes; returns what arrived.
    std::string read_until_closed(std::chrono::milliseconds timeout = 5s) {
        std::string out;
        sock.non_blocking(true);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        char buf[4096];
        while (std::chrono::steady_clock::now() < deadline) {
            beast::error_code ec;
            auto n = sock.read_some(asio::buffer(buf), ec);
            if (ec == asio::error::would_block) {
                std::this_thread::sleep_for(2ms);
                continue;
            }
            if (ec) return out + "<closed>";
            out.append(buf, n);
        }
        return out + "<timeout>";
    }
};

struct WsClient {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    WsClient(std::uint16_t port, const std::string& target) {
        ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
        ws.handshake("127.0.0.1", target);
    }
    std::string read() {
        beast::flat_buffer buf;
        ws.read(buf);
        return beast::buffers_to_string(buf.data());
    }
};

}  // namespace

TEST(NetServer, HttpRoundTripWithKeepAlive) {
    Fixture f;
    Client c(f.server.port());
    auto r1 = c.request(beast::http::verb::get, "/api/v3/ping?x=1");
    EXPECT_EQ(r1.result_int(), 200u);
    EXPECT_NE(r1.body().find(R"("target":"/api/v3/ping?x=1")"), std::string::npos);
    EXPECT_TRUE(r1.keep_alive());
    auto r2 = c.request(beast::http::verb::post, "/order", "a=1&b=2");
    EXPECT_NE(r2.body().find(R"("method":"POST")"), std::string::npos);
    EXPECT_NE(r2.body().find(R"("body_size":7)"), std::string::npos);
    auto r3 = c.request(beast::http::verb::get, "/slow");
    EXPECT_EQ(r3.result_int(), 200u);
    EXPECT_EQ(f.server.stats().http_requests, 3u);
    EXPECT_EQ(f.server.stats().connections_accepted, 1u);
}

TEST(NetServer, OversizedHeaderIsAnswered431AndClosed) {
    ServerConfig cfg;
    cfg.max_header_bytes = 1024;
    Fixture f(cfg);
    Client c(f.server.port());
    c.write_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    auto out = c.read_until_closed();
    EXPECT_NE(out.find("HTTP/1.1 431"), std::string::npos) << out;
    EXPECT_NE(out.find("<closed>"), std::string::npos);
}

TEST(NetServer, OversizedBodyIsAnswered413) {
    ServerConfig cfg;
    cfg.max_body_bytes = 100;
    Fixture f(cfg);
    Client c(f.server.port());
    c.write_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
    auto out = c.read_until_closed();
    EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos) << out;
}

TEST(NetServer, MalformedRequestIsAnswered400) {
    Fixture f;
    Client c(f.server.port());
    c.write_raw("THIS IS NOT HTTP\r\n\r\n");
    auto out = c.read_until_closed();
    EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << out;
    EXPECT_TRUE(eventually([&] { return f.server.stats().bad_requests == 1; }));
}

TEST(NetServer, SlowlorisPartialRequestIsClosedByTimeout) {
    ServerConfig cfg;
    cfg.request_timeout = 200ms;
    Fixture f(cfg);
    Client c(f.server.port());
    c.write_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    auto out = c.read_until_closed(5s);
    EXPECT_EQ(out, "<closed>");
    EXPECT_TRUE(eventually([&] { return f.server.stats().connections_open == 0; }));
}

TEST(NetServer, ManyBadRequestsLeaveNoConnectionsBehind) {
    ServerConfig cfg;
    cfg.max_header_bytes = 512;
    Fixture f(cfg);
    for (int i = 0; i < 200; ++i) {
        Client c(f.server.port());
        if (i % 2 == 0) c.write_raw("GARBAGE\r\n\r\n");
        else c.write_raw("GET / HTTP/1.1\r\nX: " + std::string(600, 'x') + "\r\n\r\n");
        c.read_until_closed();
    }
    EXPECT_TRUE(eventually([&] { return f.server.stats().connections_open == 0; }));
    EXPECT_EQ(f.server.stats().bad_requests, 200u);
}

TEST(NetServer, WebSocketEcho) {
    Fixture f;
    WsClient c(f.server.port(), "/ws/echo");
    c.ws.write(asio::buffer(std::string("hello")));
    EXPECT_EQ(c.read(), "hello");
    EXPECT_TRUE(eventually([&] { return f.server.stats().ws_open == 1; }));
    ASSERT_EQ(f.server.ws_connections().size(), 1u);
    EXPECT_EQ(f.server.ws_connections()[0]->target(), "/ws/echo");
}

TEST(NetServer, RefusedUpgradeGets404) {
    Fixture f;
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), f.server.port()});
    websocket::response_type res;
    beast::error_code ec;
    ws.handshake(res, "127.0.0.1", "/nope", ec);
    EXPECT_TRUE(ec);
    EXPECT_EQ(res.result_int(), 404u);
}

TEST(NetServer, OversizedFrameClosesTheConnection) {
    ServerConfig cfg;
    cfg.max_ws_message_bytes = 1024;
    Fixture f(cfg);
    WsClient c(f.server.port(), "/ws/x");
    c.ws.write(asio::buffer(std::string(4096, 'z')));
    beast::flat_buffer buf;
    beast::error_code ec;
    c.ws.read(buf, ec);
    EXPECT_TRUE(ec);
    EXPECT_TRUE(eventually([&] { return f.server.stats().connections_open == 0; }));
}

TEST(NetServer, ServerPingsAndClientPongsKeepTheConnection) {
    ServerConfig cfg;
    cfg.ws_ping_interval = 30ms;
    cfg.ws_pong_timeout = 200ms;
    Fixture f(cfg);
    WsClient c(f.server.port(), "/ws/x");
    std::atomic<int> pings{0};
    c.ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
        if (kind == websocket::frame_type::ping) ++pings;
    });
    // Reading answers pings with pongs (Beast does it); echo traffic keeps the read loop busy.
    const auto until = std::chrono::steady_clock::now() + 400ms;
    while (std::chrono::steady_clock::now() < until) {
        c.ws.write(asio::buffer(std::string("x")));
        EXPECT_EQ(c.read(), "x");
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_GE(pings.load(), 3);
    EXPECT_EQ(f.server.stats().ws_open, 1u);
}

TEST(NetServer, NoPongDisconnects) {
    ServerConfig cfg;
    cfg.ws_ping_interval = 20ms;
    cfg.ws_pong_timeout = 100ms;
    Fixture f(cfg);
    Client c(f.server.port());
    c.write_raw(
        "GET /ws/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    auto out = c.read_until_closed(5s);  // never answers the pings
    EXPECT_NE(out.find("101 Switching Protocols"), std::string::npos);
    EXPECT_NE(out.find("<closed>"), std::string::npos);
}

TEST(NetServer, IncomingRateLimitDisconnects) {
    ServerConfig cfg;
    cfg.ws_max_incoming_per_second = 5;
    Fixture f(cfg, [](WsConnection&, std::string_view) {});
    WsClient c(f.server.port(), "/ws/x");
    beast::error_code ec;
    for (int i = 0; i < 10 && !ec; ++i) c.ws.write(asio::buffer(std::string("m")), ec);
    beast::flat_buffer buf;
    c.ws.read(buf, ec);
    EXPECT_TRUE(ec);
}

TEST(NetServer, MaxConnectionAgeCloses) {
    ServerConfig cfg;
    cfg.ws_max_age = 100ms;
    Fixture f(cfg);
    WsClient c(f.server.port(), "/ws/x");
    beast::flat_buffer buf;
    beast::error_code ec;
    c.ws.read(buf, ec);
    EXPECT_EQ(ec, websocket::error::closed);
}

TEST(NetServer, SlowClientOverflowingItsQueueIsDropped) {
    ServerConfig cfg;
    cfg.ws_send_queue_limit = 10;
    Fixture f(cfg, [](WsConnection& c, std::string_view) {
        for (int i = 0; i < 100; ++i) c.send(std::string(100, 'q'));
    });
    WsClient c(f.server.port(), "/ws/x");
    c.ws.write(asio::buffer(std::string("go")));
    EXPECT_TRUE(eventually([&] { return f.server.stats().connections_open == 0; }));
}

TEST(NetServer, StopClosesWebSocketsGracefully) {
    Fixture f;
    WsClient c(f.server.port(), "/ws/x");
    ASSERT_TRUE(eventually([&] { return f.server.stats().ws_open == 1; }));
    std::thread stopper([&] { f.server.stop(2s); });
    beast::flat_buffer buf;
    beast::error_code ec;
    c.ws.read(buf, ec);
    stopper.join();
    EXPECT_EQ(ec, websocket::error::closed);
    EXPECT_EQ(c.ws.reason().code, 1001);
}

TEST(NetServer, RestartListensAgainOnTheSamePort) {
    Fixture f;
    const auto port = f.server.port();
    WsClient c(port, "/ws/x");
    ASSERT_TRUE(eventually([&] { return f.server.stats().ws_open == 1; }));
    f.server.restart(50ms);
    beast::flat_buffer buf;
    beast::error_code ec;
    c.ws.read(buf, ec);
    EXPECT_TRUE(ec);
    EXPECT_TRUE(eventually([&] {
        try {
            Client again(port);
            return again.request(beast::http::verb::get, "/x").result_int() == 200;
        } catch (const std::exception&) {
            return false;
        }
    }));
    EXPECT_EQ(f.server.port(), port);
}
