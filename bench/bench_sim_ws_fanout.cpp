// Market-data fan-out of the simulated exchange: connections x streams -> WebSocket messages
// per second written by its one IO thread. The market is stepped from the benchmark thread
// (auto_tick off) with flow control (at most `window` messages per connection in flight), so
// the IO thread does only the fan-out and the writing. Clients are raw sockets drained by one
// thread that parses frame headers and counts text frames (the cheapest possible reader).
// Prints msgs_per_s received by the clients, per configuration.
#include <benchmark/benchmark.h>

#include <poll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/logging.hpp"
#include "venues/sim/sim_server.hpp"

namespace {

struct Reader {
    int fd = -1;
    std::string buf;
    std::atomic<std::uint64_t> frames{0};
};

int connect_ws(std::uint16_t port, const std::string& target) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
    std::string req = "GET ";
    req.append(target).append(
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    if (::send(fd, req.data(), req.size(), 0) < 0) return -1;
    std::string resp;
    char c;
    while (resp.find("\r\n\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1) resp += c;
    if (resp.find(" 101 ") == std::string::npos) return -1;
    int big = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    return fd;
}

// Consumes complete frames from r.buf, counting text frames.
void parse(Reader& r) {
    std::size_t pos = 0;
    for (;;) {
        if (r.buf.size() - pos < 2) break;
        const auto b0 = static_cast<unsigned char>(r.buf[pos]);
        const auto b1 = static_cast<unsigned char>(r.buf[pos + 1]);
        std::size_t hdr = 2;
        std::uint64_t len = b1 & 0x7f;
        if (len == 126) {
            if (r.buf.size() - pos < 4) break;
            len = (static_cast<unsigned char>(r.buf[pos + 2]) << 8) | static_cast<unsigned char>(r.buf[pos + 3]);
            hdr = 4;
        } else if (len == 127) {
            if (r.buf.size() - pos < 10) break;
            len = 0;
            for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(r.buf[pos + 2 + static_cast<std::size_t>(i)]);
            hdr = 10;
        }
        if (r.buf.size() - pos < hdr + len) break;
        if ((b0 & 0x0f) == 1) r.frames.fetch_add(1, std::memory_order_relaxed);
        pos += hdr + len;
    }
    r.buf.erase(0, pos);
}

void BM_SimWsFanout(benchmark::State& state) {
    const int connections = static_cast<int>(state.range(0));
    const int symbols = static_cast<int>(state.range(1));
    te::log::set_level(te::log::Level::Warn);
    te::sim::SimConfig cfg = te::sim::SimConfig::defaults();
    cfg.symbols.clear();
    std::string streams;
    for (int i = 0; i < symbols; ++i) {
        te::sim::SymbolConfig s;
        s.base_asset = std::string(1, 'S').append(std::to_string(i));
        s.symbol = s.base_asset;
        s.symbol.append("USDT");
        cfg.symbols.push_back(s);
        if (i) streams += '/';
        streams.append(1, 's').append(std::to_string(i)).append("usdt@trade");
    }
    cfg.history_minutes = 0;
    cfg.auto_tick = false;
    cfg.trades_per_tick = 10;
    te::sim::SimServer server(cfg);
    server.start();
    std::vector<Reader> readers(static_cast<std::size_t>(connections));
    std::string target = "/stream?streams=";
    target.append(streams);
    for (auto& r : readers) r.fd = connect_ws(server.port(), target);
    std::atomic<bool> stop{false};
    std::thread drain([&] {
        std::vector<pollfd> fds;
        for (auto& r : readers) fds.push_back({r.fd, POLLIN, 0});
        char buf[1 << 16];
        while (!stop) {
            if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
            for (std::size_t i = 0; i < fds.size(); ++i) {
                if (!(fds[i].revents & POLLIN)) continue;
                const auto n = ::recv(fds[i].fd, buf, sizeof buf, 0);
                if (n <= 0) {
                    fds[i].fd = -1;
                    continue;
                }
                readers[i].buf.append(buf, static_cast<std::size_t>(n));
                parse(readers[i]);
            }
        }
    });
    auto received = [&] {
        std::uint64_t n = 0;
        for (auto& r : readers) n += r.frames.load(std::memory_order_relaxed);
        return n;
    };
    const std::uint64_t window = 2000 * static_cast<std::uint64_t>(connections);
    auto run_for = [&](std::chrono::milliseconds d) {
        const auto until = std::chrono::steady_clock::now() + d;
        while (std::chrono::steady_clock::now() < until) {
            if (server.market_messages_sent() - received() > window) {
                std::this_thread::yield();
                continue;
            }
            server.step(1);
        }
    };
    run_for(std::chrono::milliseconds(300));  // warm up
    double rate = 0;
    for (auto _ : state) {
        const auto r0 = received();
        const auto t0 = std::chrono::steady_clock::now();
        run_for(std::chrono::milliseconds(2000));
        const auto r1 = received();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        rate = static_cast<double>(r1 - r0) / secs;
    }
    stop = true;
    drain.join();
    state.counters["msgs_per_s"] = rate;
    state.counters["connections_open"] = static_cast<double>(server.server_stats().ws_open);
    for (auto& r : readers) ::close(r.fd);
    server.stop();
}

}  // namespace

BENCHMARK(BM_SimWsFanout)->Args({1, 4})->Args({10, 4})->Args({50, 4})->Args({100, 1})->Args({100, 10})
    ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
