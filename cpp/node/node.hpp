#pragma once
// The Node (ARCHITECTURE §4a): one object that owns and assembles every part of a run — the
// engine (clock, EventBus, Scheduler), the Cache, the OrderManager and Portfolio, N venues
// keyed by name, and the strategy runtime — and knows the one correct start and stop order.
// Live trading, paper trading on the simulated exchange and (later) backtests are the same
// Node with a different venue and clock.
//
// Start (seed 000 feature 3):  engine run → ready → each venue started (clock sync,
//   instruments, account, user-data stream) → the Cache learns the instruments, the order
//   manager the venues and their balances → the strategies' on_start (on the dispatcher; their
//   subscriptions make the venues subscribe) → RUNNING. A failure at any step stops what was
//   started, leaves the Node FAULTED and rethrows; nothing half-started keeps running.
// Stop: market data stops first (no decision on a half-stopped node) → the strategies stop
//   (their open orders canceled, per the cancel-on-stop policy, then on_stop) → the cancels'
//   answers are awaited (bounded) → the bus drains (the order lane to the end) → the venues
//   stop → STOPPED.
//
// Threads: start() and stop() block and must not be called from a strategy callback (the
// dispatcher thread): that raises StateTransitionError; request_stop() is safe from anywhere.
// Every other method is thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/component.hpp"
#include "engine/trading_engine.hpp"
#include "node/cache.hpp"
#include "oms/order_manager.hpp"
#include "strategy/runtime.hpp"
#include "strategy/strategy.hpp"
#include "venues/venue.hpp"

namespace te {

struct NodeConfig {
    std::string name = "node";
    EngineConfig engine;
    oms::OmsConfig oms;
    StrategyRuntimeConfig strategies;
    bool cancel_on_stop = true;                        // cancel the strategies' open orders at stop
    std::chrono::milliseconds cancel_timeout{3000};     // how long stop waits for the cancels' answers
    double drain_timeout_s = 5.0;                      // how long the bus may drain at stop
};

struct VenueFeeds {
    std::string venue;
    std::vector<FeedStatus> feeds;
};

struct NodeStatus {
    std::string name;
    ComponentState state = ComponentState::Ready;
    double uptime_s = 0;
    std::vector<ComponentStatus> components;  // engine, venues, order manager (strategies below)
    std::vector<StrategyStatus> strategies;
    std::vector<VenueFeeds> feeds;
    std::array<LaneStats, 3> lanes{};
};

class Node : public Component {
public:
    explicit Node(NodeConfig config = {});
    ~Node() override;  // stops a running node

    // ---- assembly (before start) -----------------------------------------------------------
    // std::invalid_argument for a second venue of one name, or once started.
    void add_venue(std::shared_ptr<Venue> venue);
    // A C++ te::Strategy (attached to this node) or any StrategyCallbacks with its options.
    StrategyId add_strategy(std::shared_ptr<Strategy> strategy);
    StrategyId add_strategy(std::shared_ptr<StrategyCallbacks> strategy, StrategyOptions options);

    // ---- lifecycle -------------------------------------------------------------------------
    void start();
    void stop();
    // Asks for a stop without waiting (a strategy callback, a signal handler): wait_for_stop()
    // returns, and whoever runs the node calls stop().
    void request_stop() noexcept;
    bool stop_requested() const noexcept { return stop_requested_.load(); }
    // Blocks until request_stop() or the timeout; true if a stop was requested.
    bool wait_for_stop(std::chrono::milliseconds timeout);
    // Aborts a start() in progress (Ctrl-C while venues connect): start() stops what it started
    // and throws EngineNotRunningError; no strategy starts and no order is sent.
    void interrupt() noexcept;

    // ---- reading -----------------------------------------------------------------------------
    // "BTCUSDT" -> BTCUSDT.<the one venue listing it>; "BTCUSDT.SIM" is checked. ConfigError
    // naming the instrument when no venue (or more than one) lists it.
    InstrumentId resolve(std::string_view instrument) const;
    NodeStatus status() const;
    Venue* venue(std::string_view name) const;
    std::vector<std::string> venue_names() const;
    TradingEngine& engine() noexcept { return *engine_; }
    const std::shared_ptr<TradingEngine>& engine_ptr() const noexcept { return engine_; }
    Cache& cache() noexcept { return *cache_; }
    oms::OrderManager& order_manager() noexcept { return *oms_; }
    StrategyRuntime& strategies() noexcept { return *runtime_; }
    const NodeConfig& config() const noexcept { return config_; }

protected:
    std::vector<std::pair<std::string, std::string>> details() const override;

private:
    void refuse_on_dispatcher(std::string_view what) const;
    void check_interrupted() const;
    void shut_down(bool started_strategies);  // the stop sequence, for stop() and a failed start()
    void on_stream(const StreamKey& stream, bool subscribe);
    std::string stream_problem(const StreamKey& stream) const;
    void wait_for_cancels();

    NodeConfig config_;
    std::shared_ptr<TradingEngine> engine_;
    std::unique_ptr<Cache> cache_;
    std::unique_ptr<oms::OrderManager> oms_;
    std::unique_ptr<StrategyRuntime> runtime_;
    std::vector<std::shared_ptr<Venue>> venues_;  // in add_venue() order; fixed once started
    std::vector<std::shared_ptr<StrategyCallbacks>> strategies_;  // kept alive for the node's life

    std::mutex lifecycle_m_;  // start/stop
    std::atomic<bool> interrupted_{false};
    std::atomic<bool> stop_requested_{false};
    std::mutex stop_m_;
    std::condition_variable stop_cv_;
    std::int64_t started_mono_ = 0;
};

}  // namespace te
