#include "engine/trading_engine.hpp"

#include <chrono>
#include <cmath>

#include "bus/tsc_clock.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

namespace {

// Logs the 1st, 2nd, 4th, 8th ... occurrence: a flood of drops cannot flood the log.
bool should_log(std::uint64_t n) noexcept { return (n & (n - 1)) == 0; }

void check_timeout(double timeout_s, const char* what) {
    if (!std::isfinite(timeout_s) || timeout_s < 0)
        throw std::invalid_argument(std::string("invalid ") + what + " " + std::to_string(timeout_s) +
                                    ": expected a finite number of seconds >= 0");
}

}  // namespace

TradingEngine::TradingEngine(EngineConfig config)
    : config_(std::move(config)),
      clock_(config_.clock ? config_.clock : std::make_shared<LiveClock>()),
      test_clock_(dynamic_cast<TestClock*>(clock_.get()) != nullptr),
      sm_(config_.name) {
    BusConfig bc = config_.bus;
    if (bc.name == "bus") bc.name = config_.name + ".bus";
    bus_ = std::make_shared<EventBus>(bc);
    scheduler_ = std::make_unique<Scheduler>(*bus_, clock_);
}

TradingEngine::~TradingEngine() {
    try {
        if (sm_.state() == EngineState::Running) stop(1.0);
    } catch (const std::exception& e) {
        log::error(config_.name, "stop in destructor failed", {{"error", e.what()}});
    }
    scheduler_->stop_thread();
}

void TradingEngine::set_components(std::vector<ComponentPtr> strategies, ComponentPtr risk_manager) {
    for (const auto& s : strategies)
        if (!s) throw std::invalid_argument("invalid strategies: a null component in the list");
    std::lock_guard lk(lifecycle_m_);
    sm_.transition(EngineState::Initialized);  // throws, state unchanged, if not CREATED
    strategies_ = std::move(strategies);
    risk_ = std::move(risk_manager);
    log::info(config_.name, "components set",
              {{"strategies", strategies_.size()}, {"risk_manager", risk_ ? risk_->name() : std::string("none")}});
}

void TradingEngine::add_stop_hook(std::string name, std::function<void()> hook) {
    if (!hook) throw std::invalid_argument("invalid stop hook '" + name + "': empty function");
    std::lock_guard lk(lifecycle_m_);
    stop_hooks_.emplace_back(std::move(name), std::move(hook));
}

void TradingEngine::run() {
    std::lock_guard lk(lifecycle_m_);
    const auto s = sm_.state();
    if (s != EngineState::Initialized) sm_.transition(EngineState::Running);  // throws the precise error
    bus_->start();
    if (config_.scheduler_thread && !test_clock_) scheduler_->start_thread();
    try {
        if (risk_) risk_->on_start(*this);
        for (auto& st : strategies_) st->on_start(*this);
    } catch (...) {
        scheduler_->stop_thread();
        bus_->stop();
        log::error(config_.name, "a component failed to start; engine stays INITIALIZED");
        throw;
    }
    run_mono_.store(monotonic_ns(), std::memory_order_release);
    {
        std::lock_guard rl(ready_m_);
        sm_.transition(EngineState::Running);
    }
    ready_cv_.notify_all();
}

void TradingEngine::wait_until_ready(double timeout_s) {
    check_timeout(timeout_s, "timeout");
    std::unique_lock lk(ready_m_);
    const auto capped = std::min(timeout_s, 1e9);
    const bool ok = ready_cv_.wait_for(lk, std::chrono::duration<double>(capped), [this] {
        const auto s = sm_.state();
        return s == EngineState::Running || s == EngineState::Stopping || s == EngineState::Stopped;
    });
    const auto s = sm_.state();
    if (ok && s == EngineState::Running) return;
    const std::string msg = ok ? "engine is " + std::string(to_string(s)) + ", it will not become ready"
                               : "engine not ready after " + std::to_string(timeout_s) + " s (state " +
                                     std::string(to_string(s)) + ")";
    log::error(config_.name, "wait_until_ready failed", {{"state", to_string(s)}, {"timeout_s", timeout_s}});
    throw EngineNotRunningError(msg);
}

ShutdownReport TradingEngine::stop(double timeout_s) {
    check_timeout(timeout_s, "timeout");
    if (bus_->in_handler())
        throw StateTransitionError("TradingEngine.stop() called from a handler: the dispatcher cannot join itself");
    std::lock_guard lk(lifecycle_m_);
    if (sm_.state() != EngineState::Running) {
        std::lock_guard rl(ready_m_);
        sm_.transition(EngineState::Stopping);  // throws the precise StateTransitionError, state unchanged
    }
    // 1. Producers first, newest first, while still RUNNING: what they hand over until they
    // have stopped is accepted (and drained below), and nothing new arrives after.
    for (auto it = stop_hooks_.rbegin(); it != stop_hooks_.rend(); ++it) {
        try {
            it->second();
        } catch (const std::exception& e) {
            log::error(config_.name, "stop hook failed", {{"hook", it->first}, {"error", e.what()}});
        }
    }
    {
        std::lock_guard rl(ready_m_);
        sm_.transition(EngineState::Stopping);
    }
    ready_cv_.notify_all();
    scheduler_->stop_thread();
    // 2. Drain the bus: the order lane to the end; what is left elsewhere is logged and returned.
    ShutdownReport report = bus_->shutdown(timeout_s);
    // 3. Components, strategies first (they may still talk to the risk manager).
    for (auto& st : strategies_) {
        try {
            st->on_stop(*this);
        } catch (const std::exception& e) {
            log::error(config_.name, "component on_stop failed", {{"component", st->name()}, {"error", e.what()}});
        }
    }
    if (risk_) {
        try {
            risk_->on_stop(*this);
        } catch (const std::exception& e) {
            log::error(config_.name, "component on_stop failed", {{"component", risk_->name()}, {"error", e.what()}});
        }
    }
    {
        std::lock_guard rl(ready_m_);
        sm_.transition(EngineState::Stopped);
    }
    ready_cv_.notify_all();
    return report;
}

void TradingEngine::on_candle_received(const Candle& candle) noexcept {
    candles_received_.fetch_add(1, std::memory_order_relaxed);
    try {
        const auto state = sm_.state();
        if (state != EngineState::Running) {
            const auto d = dropped_not_running_.fetch_add(1, std::memory_order_relaxed) + 1;
            if (should_log(d))
                log::warn(config_.name, "candle dropped: engine not running",
                          {{"state", to_string(state)}, {"instrument", candle.instrument_id.view()}, {"dropped", d}});
            return;
        }
        PublishResult r;
        if (bus_->config().measure_latency) {
            const auto t0 = tsc::ticks();
            r = bus_->publish(Event::candle(candle));
            publish_latency_.record(tsc::ticks() - t0);  // ticks; scaled in metrics()
        } else {
            r = bus_->publish(Event::candle(candle));
        }
        if (r == PublishResult::Accepted || r == PublishResult::Overflowed) return;
        const auto d = dropped_lane_full_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (should_log(d))
            log::warn(config_.name, "candle dropped: data lane full",
                      {{"reason", to_string(r)}, {"depth", bus_->depth()}, {"dropped", d}});
    } catch (const std::exception& e) {
        dropped_lane_full_.fetch_add(1, std::memory_order_relaxed);
        log::error(config_.name, "candle dropped: publish failed", {{"error", e.what()}});
    } catch (...) {
        dropped_lane_full_.fetch_add(1, std::memory_order_relaxed);
    }
}

bool TradingEngine::publish_received(const Event& event, std::atomic<std::uint64_t>& not_running) noexcept {
    try {
        const auto state = sm_.state();
        if (state != EngineState::Running) {
            const auto d = not_running.fetch_add(1, std::memory_order_relaxed) + 1;
            if (should_log(d))
                log::warn(config_.name, "event dropped: engine not running",
                          {{"state", to_string(state)}, {"type", to_string(event.type)}, {"dropped", d}});
            return false;
        }
        const auto r = bus_->publish(event);
        if (r == PublishResult::Accepted || r == PublishResult::Overflowed) return true;
        // Lane-full drops are counted by the bus (data lane); log them sparsely here.
        const auto d = refused_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (should_log(d))
            log::warn(config_.name, "event dropped",
                      {{"type", to_string(event.type)}, {"reason", to_string(r)}, {"dropped", d}});
    } catch (const std::exception& e) {
        log::error(config_.name, "event dropped: publish failed", {{"type", to_string(event.type)}, {"error", e.what()}});
    } catch (...) {
    }
    return false;
}

void TradingEngine::on_trade_received(const Trade& trade) noexcept {
    trades_received_.fetch_add(1, std::memory_order_relaxed);
    publish_received(Event::trade(trade), other_dropped_not_running_);
}

void TradingEngine::on_quote_received(const Quote& quote) noexcept {
    quotes_received_.fetch_add(1, std::memory_order_relaxed);
    publish_received(Event::quote(quote), other_dropped_not_running_);
}

void TradingEngine::on_order_event(const Event& event) noexcept {
    order_events_received_.fetch_add(1, std::memory_order_relaxed);
    publish_received(event, other_dropped_not_running_);
}

EngineMetrics TradingEngine::metrics() const {
    std::lock_guard lk(metrics_m_);
    EngineMetrics m;
    m.bus = bus_->stats();
    m.candles_received = candles_received_.load(std::memory_order_relaxed);
    m.candles_dropped_not_running = dropped_not_running_.load(std::memory_order_relaxed);
    m.candles_dropped_lane_full = dropped_lane_full_.load(std::memory_order_relaxed);
    m.trades_received = trades_received_.load(std::memory_order_relaxed);
    m.quotes_received = quotes_received_.load(std::memory_order_relaxed);
    m.order_events_received = order_events_received_.load(std::memory_order_relaxed);
    m.other_dropped_not_running = other_dropped_not_running_.load(std::memory_order_relaxed);
    std::uint64_t bus_dropped = 0;
    for (const auto& l : m.bus.lanes) {
        bus_dropped += l.dropped;
        m.events_published += l.published - l.dropped;
        m.lane_depth[static_cast<std::size_t>(l.lane)] = l.depth;
    }
    m.events_dropped = m.candles_dropped_not_running + m.other_dropped_not_running + bus_dropped;
    m.callback_errors = m.bus.handler_errors;
    const auto pub = scaled(publish_latency_.summary(), tsc::ns_per_tick());
    m.publish_latency_p50_us = static_cast<double>(pub.p50_ns) / 1e3;
    m.publish_latency_p99_us = static_cast<double>(pub.p99_ns) / 1e3;
    m.delivery_latency_p50_us = static_cast<double>(m.bus.latency.p50_ns) / 1e3;
    m.delivery_latency_p99_us = static_cast<double>(m.bus.latency.p99_ns) / 1e3;
    m.delivery_latency_p999_us = static_cast<double>(m.bus.latency.p999_ns) / 1e3;
    m.state = sm_.state();
    const auto t0 = run_mono_.load(std::memory_order_acquire);
    m.uptime_seconds = t0 == 0 ? 0.0 : static_cast<double>(monotonic_ns() - t0) / 1e9;
    m.state_transitions = sm_.transition_counts();
    return m;
}

HealthReport TradingEngine::health_check() const {
    const auto m = metrics();
    HealthReport h;
    h.state = m.state;
    h.event_loop_running = m.bus.running;
    h.healthy = m.state == EngineState::Running && h.event_loop_running;
    h.status = h.healthy ? "healthy" : "unhealthy";
    h.eventbus_depth = m.bus.depth();
    const auto total = m.events_published + m.events_dropped;
    h.drop_rate = total == 0 ? 0.0 : static_cast<double>(m.events_dropped) / static_cast<double>(total);
    h.uptime_seconds = m.uptime_seconds;
    return h;
}

}  // namespace te
