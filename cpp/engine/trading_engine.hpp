#pragma once
// TradingEngine (seed 000, ARCHITECTURE §4): owns its EventBus and Scheduler, runs the
// EngineState machine, and receives candles from any thread. It references nothing above it:
// whatever created it (a bot, a CLI, a notebook) only calls its API.
//
// Start-up:  TradingEngine() → set_components(strategies, risk) → run() → wait_until_ready()
//            → collectors wired to on_candle_received → connect
// Shutdown:  stop(): RUNNING→STOPPING, stop hooks (collectors) in reverse order, timers,
//            bus.shutdown (order lane drained to the end, the rest logged and returned),
//            components' on_stop, STOPPING→STOPPED.
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bus/event_bus.hpp"
#include "engine/engine_state.hpp"
#include "engine/scheduler.hpp"

namespace te {

class TradingEngine;

// A strategy, a risk manager or any component the engine starts and stops.
class EngineComponent {
public:
    virtual ~EngineComponent() = default;
    virtual std::string name() const = 0;
    virtual void on_start(TradingEngine&) {}
    virtual void on_stop(TradingEngine&) {}
};
using ComponentPtr = std::shared_ptr<EngineComponent>;

struct EngineConfig {
    BusConfig bus;
    std::shared_ptr<Clock> clock;    // LiveClock when null
    bool scheduler_thread = true;    // fire timers on a thread (ignored for a TestClock: poll_timers())
    std::string name = "engine";
};

struct EngineMetrics {
    std::uint64_t candles_received = 0;
    std::uint64_t events_published = 0;   // accepted by the bus, every lane and publisher
    std::uint64_t events_dropped = 0;     // candles refused outside RUNNING + every bus drop
    std::uint64_t candles_dropped_not_running = 0;
    std::uint64_t candles_dropped_lane_full = 0;
    std::uint64_t trades_received = 0;
    std::uint64_t quotes_received = 0;
    std::uint64_t order_events_received = 0;   // venue order updates, fills, balances, alerts
    std::uint64_t other_dropped_not_running = 0;  // trades, quotes and order events outside RUNNING
    std::uint64_t callback_errors = 0;    // handler errors
    double publish_latency_p50_us = 0;    // on_candle_received -> event in the lane
    double publish_latency_p99_us = 0;
    double delivery_latency_p50_us = 0;   // publish -> handler
    double delivery_latency_p99_us = 0;
    double delivery_latency_p999_us = 0;
    EngineState state = EngineState::Created;
    double uptime_seconds = 0;            // since run()
    std::map<std::string, std::uint64_t> state_transitions;
    std::array<std::size_t, 3> lane_depth{};  // indexed by Lane
    BusStats bus;
};

struct HealthReport {
    bool healthy = false;
    std::string status;  // "healthy" | "unhealthy"
    EngineState state = EngineState::Created;
    bool event_loop_running = false;  // the dispatcher thread is serving the lanes
    std::size_t eventbus_depth = 0;
    double drop_rate = 0;             // events_dropped / (events_published + events_dropped)
    double uptime_seconds = 0;
};

class TradingEngine {
public:
    explicit TradingEngine(EngineConfig config = {});
    ~TradingEngine();
    TradingEngine(const TradingEngine&) = delete;
    TradingEngine& operator=(const TradingEngine&) = delete;

    EventBus& bus() noexcept { return *bus_; }
    const std::shared_ptr<EventBus>& bus_ptr() const noexcept { return bus_; }
    Scheduler& scheduler() noexcept { return *scheduler_; }
    const Clock& clock() const noexcept { return *clock_; }
    EngineState state() const noexcept { return sm_.state(); }
    const std::string& name() const noexcept { return config_.name; }

    // CREATED → INITIALIZED. No parameter for whatever created the engine.
    void set_components(std::vector<ComponentPtr> strategies, ComponentPtr risk_manager = nullptr);
    // INITIALIZED → RUNNING: starts the dispatcher and timers, then the components.
    void run();
    // Returns once RUNNING; EngineNotRunningError after timeout_s (finite, >= 0) or if stopping.
    void wait_until_ready(double timeout_s = 5.0);
    // RUNNING → STOPPING → STOPPED (see the header comment). Not from a handler.
    ShutdownReport stop(double timeout_s = 5.0);
    // Called first by stop(), newest first: stop the producers (collectors) before draining.
    void add_stop_hook(std::string name, std::function<void()> hook);

    // From any thread, at any time; never throws. Outside RUNNING or when the data lane stays
    // full the candle is dropped, counted and logged.
    void on_candle_received(const Candle& candle) noexcept;
    // The same contract for trades and quotes (data lane).
    void on_trade_received(const Trade& trade) noexcept;
    void on_quote_received(const Quote& quote) noexcept;
    // A venue's order update, fill, balance or alert (order lane: never dropped, so this may
    // wait for room; from a handler it goes to the overflow). Outside RUNNING it is dropped,
    // counted and logged. Never throws.
    void on_order_event(const Event& event) noexcept;

    EngineMetrics metrics() const;
    HealthReport health_check() const;

private:
    // Publishes a venue event unless the engine is not RUNNING; false if it was dropped.
    bool publish_received(const Event& event, std::atomic<std::uint64_t>& not_running) noexcept;

    EngineConfig config_;
    std::shared_ptr<Clock> clock_;
    bool test_clock_ = false;
    std::shared_ptr<EventBus> bus_;
    std::unique_ptr<Scheduler> scheduler_;
    EngineStateMachine sm_;

    std::mutex lifecycle_m_;  // set_components / run / stop
    std::vector<ComponentPtr> strategies_;
    ComponentPtr risk_;
    std::vector<std::pair<std::string, std::function<void()>>> stop_hooks_;

    mutable std::mutex ready_m_;
    std::condition_variable ready_cv_;
    std::atomic<std::int64_t> run_mono_{0};

    alignas(64) std::atomic<std::uint64_t> candles_received_{0};
    std::atomic<std::uint64_t> dropped_not_running_{0};
    std::atomic<std::uint64_t> dropped_lane_full_{0};
    std::atomic<std::uint64_t> trades_received_{0};
    std::atomic<std::uint64_t> quotes_received_{0};
    std::atomic<std::uint64_t> order_events_received_{0};
    std::atomic<std::uint64_t> other_dropped_not_running_{0};
    std::atomic<std::uint64_t> refused_{0};  // publishes the bus refused (only for logging)
    LatencyHistogram publish_latency_;
    mutable std::mutex metrics_m_;  // one snapshot at a time
};

}  // namespace te
