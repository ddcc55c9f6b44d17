#pragma once
// A simulated exchange on loopback plus recording sinks, for the Binance clients' tests.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "venues/data_sink.hpp"
#include "venues/execution_sink.hpp"
#include "venues/sim/sim_server.hpp"

namespace te::testing {

inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
}

struct RecordingExecutionSink : ExecutionSink {
    std::mutex mutex;
    std::vector<OrderUpdate> updates;
    std::vector<Fill> fills;
    std::vector<Balance> balances;
    std::vector<std::string> alerts;

    void on_order_update(const OrderUpdate& u) noexcept override {
        std::lock_guard lock(mutex);
        updates.push_back(u);
    }
    void on_fill(const Fill& f) noexcept override {
        std::lock_guard lock(mutex);
        fills.push_back(f);
    }
    void on_balance(const Balance& b) noexcept override {
        std::lock_guard lock(mutex);
        balances.push_back(b);
    }
    void on_alert(std::string_view kind, std::string_view message) noexcept override {
        std::lock_guard lock(mutex);
        alerts.push_back(std::string(kind) + ": " + std::string(message));
    }
    template <class T>
    std::vector<T> copy(const std::vector<T>& v) {
        std::lock_guard lock(mutex);
        return v;
    }
    std::size_t fill_count() {
        std::lock_guard lock(mutex);
        return fills.size();
    }
};

struct RecordingDataSink : DataSink {
    std::mutex mutex;
    std::vector<Candle> candles;
    std::atomic<int> trades{0}, quotes{0};
    void on_candle(const Candle& c) noexcept override {
        std::lock_guard lock(mutex);
        candles.push_back(c);
    }
    void on_trade(const Trade&) noexcept override { trades++; }
    void on_quote(const Quote&) noexcept override { quotes++; }
    std::vector<Candle> closed() {
        std::lock_guard lock(mutex);
        std::vector<Candle> out;
        for (const auto& c : candles)
            if (c.closed) out.push_back(c);
        return out;
    }
};

inline std::unique_ptr<sim::SimServer> start_sim(const std::function<void(sim::SimConfig&)>& tweak = {}) {
    auto config = sim::SimConfig::defaults();
    if (tweak) tweak(config);
    auto server = std::make_unique<sim::SimServer>(config);
    server->start();
    return server;
}

inline std::string rest_url(const sim::SimServer& s) { return "http://127.0.0.1:" + std::to_string(s.port()); }
inline std::string ws_url(const sim::SimServer& s) { return "ws://127.0.0.1:" + std::to_string(s.port()); }

}  // namespace te::testing
