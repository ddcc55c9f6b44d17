// REST order round trip on loopback with keep-alive: a signed POST /api/v3/order (MARKET,
// alternating BUY and SELL so balances stay put) from a blocking client, timed per request.
// Prints p50/p99 in microseconds, requests/s, and the server process's RSS growth over the run
// (memory must stay flat: order and trade histories are bounded).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/logging.hpp"
#include "venues/binance/signer.hpp"
#include "venues/sim/sim_server.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void BM_SimRestOrderRoundTrip(benchmark::State& state) {
    const auto requests = static_cast<std::size_t>(state.range(0));
    te::log::set_level(te::log::Level::Warn);
    auto cfg = te::sim::SimConfig::defaults();
    cfg.weight_limit_1m = 0;
    cfg.orders_limit_10s = 0;
    cfg.orders_limit_1d = 0;
    cfg.history_minutes = 10;
    cfg.accounts[0].balances = {{"USDT", te::Decimal::parse("1000000")}, {"BTC", te::Decimal::parse("100")}};
    te::sim::SimServer server(cfg);
    server.start();
    const auto& key = cfg.accounts[0].api_key;
    const auto& secret = cfg.accounts[0].secret;

    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
    stream.socket().set_option(asio::ip::tcp::no_delay(true));
    beast::flat_buffer buf;
    std::vector<double> lat_us(requests, 0.0);  // touched before the RSS baseline
    auto one = [&](std::size_t i) {
        const std::string q = std::string("symbol=BTCUSDT&side=") + (i % 2 ? "SELL" : "BUY") +
                              "&type=MARKET&quantity=0.001&newOrderRespType=ACK&timestamp=" + std::to_string(wall_ms());
        http::request<http::string_body> req{http::verb::post, "/api/v3/order?" + q + "&signature=" +
                                                                    te::binance::hmac_sha256_hex(secret, q), 11};
        req.set(http::field::host, "127.0.0.1");
        req.set("X-MBX-APIKEY", key);
        req.keep_alive(true);
        const auto t0 = std::chrono::steady_clock::now();
        http::write(stream, req);
        http::response<http::string_body> res;
        http::read(stream, buf, res);
        const auto t1 = std::chrono::steady_clock::now();
        if (res.result_int() != 200) state.SkipWithError(("HTTP " + std::to_string(res.result_int()) + " " + res.body()).c_str());
        return std::chrono::duration<double, std::micro>(t1 - t0).count();
    };
    // Warm up past the history caps (10000 closed orders and trades per account): from there
    // on, state no longer grows.
    for (std::size_t i = 0; i < 25000; ++i) one(i);
    const long rss0 = rss_kb();
    double secs = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < requests; ++i) lat_us[i] = one(i);
        secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    const long rss1 = rss_kb();
    std::sort(lat_us.begin(), lat_us.end());
    state.counters["p50_us"] = lat_us[lat_us.size() / 2];
    state.counters["p99_us"] = lat_us[lat_us.size() * 99 / 100];
    state.counters["req_per_s"] = static_cast<double>(requests) / secs;
    state.counters["rss_growth_kb"] = static_cast<double>(rss1 - rss0);
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    server.stop();
}

}  // namespace

BENCHMARK(BM_SimRestOrderRoundTrip)->Arg(50000)->Arg(1000000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
