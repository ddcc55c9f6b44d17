#include "node/node.hpp"

#include <thread>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

namespace {

ComponentState engine_component_state(EngineState s) {
    switch (s) {
        case EngineState::Created:
        case EngineState::Initialized: return ComponentState::Ready;
        case EngineState::Running: return ComponentState::Running;
        case EngineState::Stopping: return ComponentState::Stopping;
        case EngineState::Stopped: return ComponentState::Stopped;
    }
    return ComponentState::Ready;
}

}  // namespace

Node::Node(NodeConfig config) : Component(config.name, "node"), config_(std::move(config)) {
    auto engine_config = config_.engine;
    if (engine_config.name == "engine") engine_config.name = config_.name;
    engine_ = std::make_shared<TradingEngine>(std::move(engine_config));
    // Subscription order is delivery order: the Cache first, then the order manager, then the
    // strategies — each finds the state before it already updated.
    cache_ = std::make_unique<Cache>(*engine_);
    oms_ = std::make_unique<oms::OrderManager>(*engine_, config_.oms, cache_.get());
    cache_->bind(*oms_);
    runtime_ = std::make_unique<StrategyRuntime>(*engine_, *oms_, config_.strategies);
    runtime_->set_stream_check([this](const StreamKey& s) { return stream_problem(s); });
    runtime_->set_stream_hook([this](const StreamKey& s, bool on) { on_stream(s, on); });
}

Node::~Node() {
    if (state() == ComponentState::Ready) return;  // never started: nothing runs
    try {
        stop();
    } catch (const std::exception& e) {
        log::error("node", "stop at destruction failed", {{"node", name()}, {"error", e.what()}});
    }
}

void Node::refuse_on_dispatcher(std::string_view what) const {
    if (engine_->bus().in_handler())
        throw StateTransitionError(fmt::format("node {}: {} was called from a strategy callback, which would wait for "
                                               "itself; call request_stop() there instead",
                                               name(), what));
}

// ---- assembly ------------------------------------------------------------------------------------

void Node::add_venue(std::shared_ptr<Venue> venue) {
    if (!venue) throw std::invalid_argument("add_venue: no venue given");
    std::lock_guard lk(lifecycle_m_);
    if (state() != ComponentState::Ready)
        throw std::invalid_argument(fmt::format("node {}: venues are added before it starts (it is {})", name(),
                                                to_string(state())));
    for (const auto& v : venues_)
        if (v->name() == venue->name())
            throw std::invalid_argument(fmt::format("node {}: two venues named '{}'; venue names must be unique",
                                                    name(), venue->name()));
    venues_.push_back(std::move(venue));
}

StrategyId Node::add_strategy(std::shared_ptr<Strategy> strategy) {
    if (!strategy) throw std::invalid_argument("add_strategy: no strategy given");
    if (strategy->attached())
        throw std::invalid_argument(fmt::format("strategy {} is already added to a node", strategy->name()));
    const auto id = add_strategy(strategy, strategy->options());
    strategy->attach(*runtime_, id);
    return id;
}

StrategyId Node::add_strategy(std::shared_ptr<StrategyCallbacks> strategy, StrategyOptions options) {
    std::lock_guard lk(lifecycle_m_);
    if (state() != ComponentState::Ready)
        throw std::invalid_argument(fmt::format("node {}: strategies are added before it starts (it is {})", name(),
                                                to_string(state())));
    const auto id = runtime_->add(strategy, std::move(options));
    strategies_.push_back(std::move(strategy));
    return id;
}

// ---- lifecycle ------------------------------------------------------------------------------------

void Node::check_interrupted() const {
    if (interrupted_.load() || stop_requested_.load())
        throw EngineNotRunningError(fmt::format("node {}: start interrupted", name()));
}

void Node::start() {
    refuse_on_dispatcher("start()");
    std::lock_guard lk(lifecycle_m_);
    if (state() != ComponentState::Ready)
        throw StateTransitionError(fmt::format("node {} is {}: a node runs once; create a new one", name(),
                                               to_string(state())));
    if (venues_.empty())
        throw ConfigError(fmt::format("node {}: no venue: add one (the simulated exchange, Binance, ...)", name()));
    lifecycle().transition(ComponentState::Starting);
    started_mono_ = monotonic_ns();
    bool strategies_started = false;
    try {
        check_interrupted();
        engine_->set_components({});
        engine_->run();
        engine_->wait_until_ready(5.0);
        for (const auto& v : venues_) {
            check_interrupted();
            v->start(*engine_);
            cache_->add_instruments(v->instruments());
            if (auto* ex = v->execution()) {
                oms_->add_venue(*ex);
                for (const auto& b : v->balances()) oms_->set_balance(v->name(), b);
            }
        }
        check_interrupted();
        strategies_started = true;
        runtime_->start();
        if (engine_->bus().config().manual) engine_->bus().dispatch_pending();  // what on_start sent
        check_interrupted();
    } catch (const std::exception& e) {
        log::error("node", "start failed; stopping what was started", {{"node", name()}, {"error", e.what()}});
        lifecycle().try_transition(ComponentState::Faulted, e.what());
        shut_down(strategies_started);
        throw;
    }
    lifecycle().transition(ComponentState::Running);
}

void Node::stop() {
    refuse_on_dispatcher("stop()");
    std::lock_guard lk(lifecycle_m_);
    const auto s = state();
    if (s == ComponentState::Stopped || s == ComponentState::Stopping) return;
    if (s == ComponentState::Ready)
        throw StateTransitionError(fmt::format("node {} was never started: stop() before start()", name()));
    lifecycle().try_transition(ComponentState::Stopping);
    shut_down(true);
}

void Node::shut_down(bool started_strategies) {
    for (const auto& v : venues_) v->stop_market_data();  // collectors first
    if (started_strategies && engine_->state() == EngineState::Running) {
        try {
            runtime_->stop(config_.cancel_on_stop);
        } catch (const std::exception& e) {
            log::error("node", "stopping the strategies failed", {{"node", name()}, {"error", e.what()}});
        }
        if (config_.cancel_on_stop) wait_for_cancels();
    }
    if (engine_->state() == EngineState::Running) {
        const auto report = engine_->stop(config_.drain_timeout_s);
        if (report.total_left() > 0)
            log::warn("node", "events left in the bus at stop",
                      {{"node", name()}, {"left", report.total_left()}, {"timed_out", report.timed_out}});
    }
    for (auto it = venues_.rbegin(); it != venues_.rend(); ++it) (*it)->stop();
    lifecycle().try_transition(ComponentState::Stopped);
    request_stop();  // anyone waiting for the stop is released
}

void Node::wait_for_cancels() {
    const auto deadline = std::chrono::steady_clock::now() + config_.cancel_timeout;
    auto& bus = engine_->bus();
    while (oms_->stats().open_orders > 0 && std::chrono::steady_clock::now() < deadline) {
        // A manual bus (a backtest) has no dispatcher thread to deliver the answers: serve it.
        if (bus.config().manual && bus.dispatch_pending() > 0) continue;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (const auto open = oms_->stats().open_orders; open > 0)
        log::warn("node", "orders still open at stop: the venue did not confirm their cancels in time",
                  {{"node", name()}, {"open_orders", open}, {"timeout_ms", config_.cancel_timeout.count()}});
}

void Node::request_stop() noexcept {
    stop_requested_.store(true);
    std::lock_guard lk(stop_m_);
    stop_cv_.notify_all();
}

bool Node::wait_for_stop(std::chrono::milliseconds timeout) {
    std::unique_lock lk(stop_m_);
    return stop_cv_.wait_for(lk, timeout, [this] { return stop_requested_.load(); });
}

void Node::interrupt() noexcept {
    interrupted_.store(true);
    for (const auto& v : venues_) v->interrupt();
    request_stop();
}

// ---- venues and streams ---------------------------------------------------------------------------

Venue* Node::venue(std::string_view venue_name) const {
    for (const auto& v : venues_)
        if (v->name() == venue_name) return v.get();
    return nullptr;
}

std::vector<std::string> Node::venue_names() const {
    std::vector<std::string> out;
    for (const auto& v : venues_) out.push_back(v->name());
    return out;
}

InstrumentId Node::resolve(std::string_view text) const {
    if (text.empty()) throw ConfigError("an instrument is named like 'BTCUSDT' or 'BTCUSDT.SIM'; got ''");
    if (text.find('.') != std::string_view::npos) {
        InstrumentId id;
        try {
            id = InstrumentId::parse(text);
        } catch (const std::invalid_argument& e) {
            throw ConfigError(e.what());
        }
        const Venue* v = venue(id.venue());
        if (!v)
            throw ConfigError(fmt::format("instrument {}: no venue named {} (venues: {})", text, id.venue(),
                                          fmt::join(venue_names(), ", ")));
        if (v->state() == ComponentState::Running && !v->lists(id))
            throw ConfigError(fmt::format("instrument {}: venue {} does not list {}", text, id.venue(), id.symbol()));
        return id;
    }
    std::vector<InstrumentId> found;
    for (const auto& v : venues_) {
        InstrumentId id;
        try {
            id = InstrumentId::of(text, v->name());
        } catch (const std::invalid_argument& e) {
            throw ConfigError(e.what());
        }
        if (v->lists(id)) found.push_back(id);
    }
    if (found.size() == 1) return found.front();
    if (found.empty())
        throw ConfigError(fmt::format("instrument {}: no venue lists it (venues: {})", text, fmt::join(venue_names(), ", ")));
    std::vector<std::string> options;
    for (const auto& id : found) options.push_back(id.to_string());
    throw ConfigError(fmt::format("instrument {} is listed by more than one venue: say which ({})", text,
                                  fmt::join(options, " or ")));
}

std::string Node::stream_problem(const StreamKey& stream) const {
    const Venue* v = venue(stream.instrument.venue());
    if (!v) return fmt::format("no venue named {} (venues: {})", stream.instrument.venue(), fmt::join(venue_names(), ", "));
    if (!v->lists(stream.instrument)) return fmt::format("venue {} does not list {}", v->name(), stream.instrument.symbol());
    return {};
}

void Node::on_stream(const StreamKey& stream, bool subscribe) {
    Venue* v = venue(stream.instrument.venue());
    if (!v) return;
    if (subscribe) v->subscribe(stream);
    else v->unsubscribe(stream);
}

// ---- status ------------------------------------------------------------------------------------------

NodeStatus Node::status() const {
    NodeStatus s;
    s.name = name();
    s.state = state();
    s.uptime_s = started_mono_ == 0 ? 0 : static_cast<double>(monotonic_ns() - started_mono_) / 1e9;
    ComponentStatus engine;
    engine.name = engine_->name();
    engine.kind = "engine";
    engine.state = engine_component_state(engine_->state());
    const auto health = engine_->health_check();
    engine.details = {{"health", health.status}, {"bus_depth", std::to_string(health.eventbus_depth)}};
    s.components.push_back(std::move(engine));
    for (const auto& v : venues_) {
        s.components.push_back(v->status());
        s.feeds.push_back(VenueFeeds{v->name(), v->feeds()});
    }
    ComponentStatus orders;
    orders.name = "orders";
    orders.kind = "order_manager";
    orders.state = s.state == ComponentState::Starting ? ComponentState::Starting : engine_component_state(engine_->state());
    const auto st = oms_->stats();
    orders.details = {{"open_orders", std::to_string(st.open_orders)},
                      {"orders_in_memory", std::to_string(st.orders_in_memory)},
                      {"submitted", std::to_string(st.submitted)},
                      {"rejected_locally", std::to_string(st.rejected_locally)},
                      {"venue_rejects", std::to_string(st.venue_rejects)}};
    s.components.push_back(std::move(orders));
    s.strategies = runtime_->status();
    s.lanes = engine_->bus().stats().lanes;
    return s;
}

std::vector<std::pair<std::string, std::string>> Node::details() const {
    return {{"venues", fmt::format("{}", fmt::join(venue_names(), ","))},
            {"strategies", std::to_string(runtime_->status().size())}};
}

}  // namespace te
