// The simulated exchange end to end over loopback, in C++ (so the sanitizer builds cover the
// session lifetimes): streams, a signed order, user-data events, faults, restart, shutdown.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "venues/binance/signer.hpp"
#include "venues/sim/sim_server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Ws {
    asio::io_context io;
    websocket::stream<asio::ip::tcp::socket> ws{io};
    Ws(std::uint16_t port, const std::string& target) {
        ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
        ws.handshake("127.0.0.1", target);
    }
    std::string read(beast::error_code& ec) {
        beast::flat_buffer b;
        ws.read(b, ec);
        return beast::buffers_to_string(b.data());
    }
};

http::response<http::string_body> rest(std::uint16_t port, http::verb verb, const std::string& target,
                                       const std::string& key = {}) {
    asio::io_context io;
    beast::tcp_stream s(io);
    s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!key.empty()) req.set("X-MBX-APIKEY", key);
    http::write(s, req);
    beast::flat_buffer b;
    http::response<http::string_body> res;
    http::read(s, b, res);
    return res;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return pred();
}

}  // namespace

TEST(SimServer, StreamsOrdersFaultsRestartShutdown) {
    auto cfg = te::sim::SimConfig::defaults();
    cfg.tick_ms = 5;
    cfg.history_minutes = 5;
    cfg.ws_max_incoming_per_second = 100;
    te::sim::SimServer sim(cfg);
    sim.start();
    const auto port = sim.port();
    const auto& key = cfg.accounts[0].api_key;
    const auto& secret = cfg.accounts[0].secret;

    Ws market(port, "/stream?streams=btcusdt@trade/btcusdt@kline_1m");
    beast::error_code ec;
    EXPECT_NE(market.read(ec).find(R"("stream":"btcusdt@)"), std::string::npos);

    Ws api(port, "/ws-api/v3");
    const std::string ts = std::to_string(wall_ms());
    const auto sig = te::binance::hmac_sha256_hex(secret, "apiKey=" + key + "&timestamp=" + ts);
    api.ws.write(asio::buffer(R"({"id":1,"method":"userDataStream.subscribe.signature","params":{"apiKey":")" + key +
                              R"(","timestamp":)" + ts + R"(,"signature":")" + sig + R"("}})"));
    EXPECT_NE(api.read(ec).find(R"("subscriptionId":0)"), std::string::npos);

    const std::string q = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=" + std::to_string(wall_ms());
    auto res = rest(port, http::verb::post, "/api/v3/order?" + q + "&signature=" + te::binance::hmac_sha256_hex(secret, q), key);
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_NE(api.read(ec).find(R"("x":"NEW")"), std::string::npos);

    EXPECT_EQ(sim.drop_stream("btcusdt@trade"), 1u);
    for (int i = 0; i < 100000 && !ec; ++i) market.read(ec);
    EXPECT_TRUE(ec);

    sim.restart(50);
    ec = {};
    for (int i = 0; i < 100000 && !ec; ++i) api.read(ec);
    EXPECT_TRUE(ec);
    EXPECT_TRUE(eventually([&] {
        try {
            return rest(port, http::verb::get, "/api/v3/ping").result_int() == 200;
        } catch (const std::exception&) {
            return false;
        }
    }));

    Ws again(port, "/ws/btcusdt@trade");
    ec = {};
    again.read(ec);
    EXPECT_FALSE(ec);
    std::thread stopper([&] { sim.stop(); });
    std::string last;
    for (int i = 0; i < 100000 && !ec; ++i) {
        auto m = again.read(ec);
        if (!ec) last = m;
    }
    stopper.join();
    EXPECT_NE(last.find("serverShutdown"), std::string::npos);
    EXPECT_FALSE(sim.running());
}
