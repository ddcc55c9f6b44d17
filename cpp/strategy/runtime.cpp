#include "strategy/runtime.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "bus/tsc_clock.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

namespace {

constexpr std::string_view kComponent = "strategy";
constexpr std::int64_t kSlowWarningEvery = 10 * kNanosPerSecond;  // per strategy
// Finished orders keep their owner for the next 10,000 orders to finish: a late fill of a
// FILLED order (the venue's stream and its REST answer disagree on the order) still reaches it.
constexpr std::size_t kOwnersKeptAfterEnd = 10'000;

}  // namespace

StrategyRuntime::StrategyRuntime(TradingEngine& engine, oms::OrderManager& oms, StrategyRuntimeConfig config)
    : engine_(engine), oms_(oms), config_(config) {}

StrategyRuntime::~StrategyRuntime() {
    for (auto id : subscriptions_) engine_.bus().unsubscribe(id);
    for (const auto& [id, t] : timers_) engine_.scheduler().cancel(id);
}

void StrategyRuntime::set_stream_hook(StreamHook hook) { stream_hook_ = std::move(hook); }
void StrategyRuntime::set_stream_check(StreamCheck check) { stream_check_ = std::move(check); }

StrategyRuntime::Slot& StrategyRuntime::slot(StrategyId id) const {
    std::lock_guard lk(m_);
    if (id == 0 || id > slots_.size()) throw std::invalid_argument(fmt::format("unknown strategy id {}", id));
    return *slots_[id - 1];
}

StrategyId StrategyRuntime::add(std::shared_ptr<StrategyCallbacks> strategy, StrategyOptions options) {
    if (!strategy) throw std::invalid_argument("add: no strategy given");
    if (options.name.empty()) throw std::invalid_argument("a strategy needs a name");
    if (!(options.order_rate > 0) || !std::isfinite(options.order_rate))
        throw std::invalid_argument(fmt::format("strategy {}: order_rate {} must be a number of orders per second > 0",
                                                options.name, options.order_rate));
    if (!(options.order_burst >= 1) || !std::isfinite(options.order_burst))
        throw std::invalid_argument(
            fmt::format("strategy {}: order_burst {} must be at least 1 order", options.name, options.order_burst));
    if (options.callback_budget.count() <= 0)
        throw std::invalid_argument(fmt::format("strategy {}: callback_budget must be > 0", options.name));
    std::lock_guard lk(m_);
    if (started_) throw std::invalid_argument(fmt::format("strategy {}: add strategies before the node starts", options.name));
    for (const auto& s : slots_) {
        if (s->options.name == options.name)
            throw std::invalid_argument(fmt::format("a strategy named '{}' is already added", options.name));
        if (s->strategy == strategy)
            throw std::invalid_argument(fmt::format("strategy '{}' is already added (as '{}')", options.name, s->options.name));
    }
    auto s = std::make_unique<Slot>();
    s->id = static_cast<StrategyId>(slots_.size() + 1);
    s->python = strategy->needs_python();
    s->strategy = std::move(strategy);
    s->tokens = options.order_burst;
    s->tokens_at = engine_.clock().now_ns();
    s->options = std::move(options);
    slots_.push_back(std::move(s));
    return slots_.back()->id;
}

// ---- lifecycle ---------------------------------------------------------------------------------

void StrategyRuntime::start() {
    if (engine_.state() != EngineState::Running)
        throw EngineNotRunningError(fmt::format("strategies start on a RUNNING engine (it is {})", to_string(engine_.state())));
    if (started_.exchange(true)) throw StateTransitionError("the strategies are already started");
    auto& bus = engine_.bus();
    const auto candle_key = [](const Candle& c) { return StreamKey{StreamKind::Candles, c.instrument_id, c.interval}; };
    subscriptions_.push_back(bus.subscribe(
        EventType::Command, [this](const Event&) { run_commands(); }, "strategies.commands"));
    subscriptions_.push_back(bus.subscribe(
        EventType::CandleClosed,
        [this, candle_key](const Event& e) {
            const auto& c = e.get<Candle>();
            route_market(c, candle_key(c));
        },
        "strategies.candle"));
    subscriptions_.push_back(bus.subscribe(
        EventType::Trade,
        [this](const Event& e) {
            const auto& t = e.get<Trade>();
            route_market(t, StreamKey{StreamKind::Trades, t.instrument_id, Interval::M1});
        },
        "strategies.trade"));
    subscriptions_.push_back(bus.subscribe(
        EventType::Quote,
        [this](const Event& e) {
            const auto& q = e.get<Quote>();
            route_market(q, StreamKey{StreamKind::Quotes, q.instrument_id, Interval::M1});
        },
        "strategies.quote"));
    for (auto type : {EventType::OrderUpdate, EventType::OrderReject, EventType::OrderFill})
        subscriptions_.push_back(bus.subscribe(type, [this](const Event& e) { route_order(e); }, "strategies.orders"));
    subscriptions_.push_back(bus.subscribe(
        EventType::ScheduledTrigger, [this](const Event& e) { on_timer_event(e.get<ScheduledTrigger>()); },
        "strategies.timers"));
    std::vector<std::string> failures;
    on_dispatcher([&] {
        std::vector<Slot*> all;
        {
            std::lock_guard lk(m_);
            for (auto& s : slots_) all.push_back(s.get());
        }
        for (Slot* s : all) {
            const auto errors = s->errors.load();
            call(*s, "on_start", [s] { s->strategy->on_start(); });
            if (s->errors.load() != errors) {
                std::lock_guard lk(m_);
                failures.push_back(fmt::format("strategy {}: {}", s->options.name, s->last_error));
            }
        }
    });
    // A strategy that could not set itself up (a subscription to an instrument no venue lists,
    // a bad parameter) fails the start, rather than running half-configured.
    if (!failures.empty()) throw ConfigError(fmt::format("{}", fmt::join(failures, "; ")));
}

void StrategyRuntime::stop(bool cancel_orders) {
    if (!started_.load() || stopped_.exchange(true)) return;
    std::vector<StreamKey> released;
    on_dispatcher([&] {
        std::vector<Slot*> all;
        {
            std::lock_guard lk(m_);
            for (auto& s : slots_) all.push_back(s.get());
        }
        for (Slot* s : all) {
            const bool was_stopped = s->stopped.exchange(true);  // no more data, timers or orders
            {
                std::lock_guard lk(m_);
                for (const auto& [name, tid] : s->timers) {
                    engine_.scheduler().cancel(tid);
                    timers_.erase(tid);
                }
                s->timers.clear();
            }
            if (cancel_orders) oms_.cancel_all(s->options.name);
            if (!was_stopped) call(*s, "on_stop", [s] { s->strategy->on_stop(); });
        }
    });
    {
        std::lock_guard lk(m_);
        for (auto& [key, subs] : subscribers_) released.push_back(key);
        subscribers_.clear();
        for (auto& s : slots_) s->streams.clear();
    }
    if (stream_hook_)
        for (const auto& key : released) stream_hook_(key, false);
}

void StrategyRuntime::on_dispatcher(std::function<void()> work) {
    if (engine_.bus().on_dispatcher_thread()) {
        work();
        return;
    }
    struct Done {
        std::mutex m;
        std::condition_variable cv;
        bool done = false;
        std::exception_ptr error;
    };
    auto done = std::make_shared<Done>();
    {
        std::lock_guard lk(commands_m_);
        commands_.push_back([work = std::move(work), done] {
            std::exception_ptr error;
            try {
                work();
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard dl(done->m);
            done->error = error;
            done->done = true;
            done->cv.notify_all();
        });
    }
    if (engine_.bus().publish(Event(EventType::Command, Lane::Order, std::monostate{})) == PublishResult::Closed)
        throw EngineNotRunningError("the engine stopped before the strategies could run");
    std::unique_lock dl(done->m);
    if (!done->cv.wait_for(dl, config_.lifecycle_timeout, [&] { return done->done; }))
        throw EngineNotRunningError(fmt::format("the strategies' start or stop did not finish within {} ms "
                                                "(a callback is blocking the dispatcher)",
                                                config_.lifecycle_timeout.count()));
    if (done->error) std::rethrow_exception(done->error);
}

void StrategyRuntime::run_commands() {
    std::deque<std::function<void()>> work;
    {
        std::lock_guard lk(commands_m_);
        work.swap(commands_);
    }
    for (auto& w : work) w();
}

// ---- calling strategies --------------------------------------------------------------------------

template <class F>
void StrategyRuntime::call(Slot& s, std::string_view callback, F&& f) {
    if (s.python) engine_.bus().hold_gate();  // the GIL, once for the rest of this batch
    // Timed in TSC ticks: two clock_gettime calls were 49 ns of a backtest's ~435 ns per bar.
    const auto t0 = tsc::ticks();
    try {
        f();
    } catch (const HandlerError& e) {
        failed(s, callback, e.type(), e.what(), e.traceback());
    } catch (const std::exception& e) {
        failed(s, callback, "std::exception", e.what(), {});
    } catch (...) {
        failed(s, callback, "unknown", "non-standard exception", {});
    }
    const auto took = static_cast<std::int64_t>(static_cast<double>(tsc::ticks() - t0) * tsc::ns_per_tick_cached());
    s.callbacks.fetch_add(1, std::memory_order_relaxed);
    if (took > s.slowest_ns.load(std::memory_order_relaxed)) s.slowest_ns.store(took, std::memory_order_relaxed);
    if (took <= s.options.callback_budget.count()) return;
    s.slow.fetch_add(1, std::memory_order_relaxed);
    // One warning per strategy per 10 s: a slow strategy delays every other one on this thread.
    const auto now = monotonic_ns();
    if (now - s.last_slow_warning < kSlowWarningEvery) return;
    s.last_slow_warning = now;
    log::warn(kComponent, "slow callback: every strategy waited for it",
              {{"strategy", s.options.name}, {"callback", callback},
               {"took_ms", static_cast<double>(took) / 1e6},
               {"budget_ms", static_cast<double>(s.options.callback_budget.count()) / 1e6},
               {"slow_callbacks", s.slow.load()}});
}

void StrategyRuntime::failed(Slot& s, std::string_view callback, std::string_view type, std::string_view message,
                             std::string_view traceback) {
    s.errors.fetch_add(1, std::memory_order_relaxed);
    errors_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lk(m_);
        s.last_error = fmt::format("{} in {}: {}", type, callback, message);
        s.last_traceback = std::string(traceback);
    }
    log::error(kComponent, fmt::format("{}.{} raised {}: {}", s.options.name, callback, type, message),
               {{"strategy", s.options.name}, {"callback", callback}, {"error_type", type}, {"traceback", traceback}});
    if (callback != "on_error") s.strategy->on_error(callback, type, message);
    const auto policy = s.options.on_error;
    if (policy == ErrorPolicy::Continue || s.paused.load() || callback == "on_stop") return;
    s.paused.store(true);
    const auto canceled = oms_.cancel_all(s.options.name);
    log::warn(kComponent, "strategy paused after an error; its open orders canceled",
              {{"strategy", s.options.name}, {"policy", to_string(policy)}, {"canceled", canceled}});
    AlertInfo alert;
    copy_text(alert.kind, "strategy_error");
    copy_text(alert.message, fmt::format("{} paused: {} in {}: {}", s.options.name, type, callback, message));
    alert.ts = engine_.clock().now_ns();
    Event e(EventType::Alert, Lane::Order, alert);
    e.ts_event = e.ts_recv = alert.ts;
    try {
        (void)engine_.bus().publish(e, PublishMode::NoWait);
    } catch (...) {  // an alert must never make things worse
    }
    if (policy == ErrorPolicy::Stop && !s.stopped.exchange(true)) {
        s.faulted.store(true);
        call(s, "on_stop", [&s] { s.strategy->on_stop(); });
    }
}

template <class T>
void StrategyRuntime::route_market(const T& value, const StreamKey& key) {
    std::array<Slot*, kMaxRouted> targets{};
    std::size_t n = 0;
    std::vector<Slot*> more;
    {
        std::lock_guard lk(m_);
        const auto it = subscribers_.find(key);
        if (it == subscribers_.end()) return;
        for (Slot* s : it->second) {
            if (s->paused.load(std::memory_order_relaxed) || s->stopped.load(std::memory_order_relaxed)) continue;
            if (n < kMaxRouted) targets[n++] = s;
            else more.push_back(s);
        }
    }
    auto deliver = [&](Slot* s) {
        if constexpr (std::is_same_v<T, Candle>) call(*s, "on_candle", [&] { s->strategy->on_candle(value); });
        else if constexpr (std::is_same_v<T, Trade>) call(*s, "on_trade", [&] { s->strategy->on_trade(value); });
        else call(*s, "on_quote", [&] { s->strategy->on_quote(value); });
    };
    for (std::size_t i = 0; i < n; ++i) deliver(targets[i]);
    for (Slot* s : more) deliver(s);
}

void StrategyRuntime::route_order(const Event& e) {
    const bool fill = e.type == EventType::OrderFill;
    const auto id = fill ? e.get<Fill>().client_order_id.view() : e.get<OrderUpdate>().client_order_id.view();
    Slot* s = nullptr;
    {
        std::lock_guard lk(m_);
        const auto it = owners_.find(id);
        if (it == owners_.end()) return;
        s = it->second;
    }
    // Order events reach paused and stopped strategies too: they concern orders already out.
    if (fill) {
        call(*s, "on_fill", [&] { s->strategy->on_fill(e.get<Fill>()); });
        return;
    }
    const auto& u = e.get<OrderUpdate>();
    call(*s, "on_order_update", [&] { s->strategy->on_order_update(u); });
    if (!is_terminal(u.status)) return;
    std::lock_guard lk(m_);
    finished_.emplace_back(id);
    if (finished_.size() > kOwnersKeptAfterEnd) {
        owners_.erase(finished_.front());
        finished_.pop_front();
    }
}

void StrategyRuntime::on_timer_event(const ScheduledTrigger& t) {
    Slot* s = nullptr;
    std::string name;
    {
        std::lock_guard lk(m_);
        const auto it = timers_.find(t.timer_id);
        if (it == timers_.end()) return;
        s = it->second.slot;
        name = it->second.name;
        if (it->second.once) {
            s->timers.erase(name);
            timers_.erase(it);
        }
    }
    if (s->paused.load() || s->stopped.load()) return;
    call(*s, "on_timer", [&] { s->strategy->on_timer(name); });
}

// ---- actions ---------------------------------------------------------------------------------------

void StrategyRuntime::subscribe(StrategyId id, const StreamKey& stream) {
    Slot& s = slot(id);
    if (stream_check_) {
        if (auto why = stream_check_(stream); !why.empty())
            throw std::invalid_argument(fmt::format("strategy {}: cannot subscribe to {}: {}", s.options.name,
                                                    stream.to_string(), why));
    }
    bool first = false;
    {
        std::lock_guard lk(m_);
        if (s.stopped.load()) throw EngineNotRunningError("strategy " + s.options.name + " is stopped");
        if (!s.streams.insert(stream).second) return;  // subscribing twice delivers once
        auto& subs = subscribers_[stream];
        first = subs.empty();
        subs.push_back(&s);
    }
    if (first && stream_hook_) stream_hook_(stream, true);
}

void StrategyRuntime::unsubscribe(StrategyId id, const StreamKey& stream) {
    Slot& s = slot(id);
    bool last = false;
    {
        std::lock_guard lk(m_);
        if (s.streams.erase(stream) == 0) return;
        auto it = subscribers_.find(stream);
        if (it == subscribers_.end()) return;
        std::erase(it->second, &s);
        if (it->second.empty()) {
            subscribers_.erase(it);
            last = true;
        }
    }
    if (last && stream_hook_) stream_hook_(stream, false);
}

bool StrategyRuntime::take_token(Slot& s) {
    // The engine's clock, not a monotonic one: a backtest's budget refills on data time, as live.
    const auto now = engine_.clock().now_ns();
    const auto elapsed = std::max<std::int64_t>(0, now - s.tokens_at);
    s.tokens = std::min(s.options.order_burst,
                        s.tokens + static_cast<double>(elapsed) / 1e9 * s.options.order_rate);
    s.tokens_at = now;
    if (s.tokens < 1.0) return false;
    s.tokens -= 1.0;
    return true;
}

std::string StrategyRuntime::submit(StrategyId id, OrderRequest request) {
    Slot& s = slot(id);
    oms::SubmitOptions opts;
    {
        std::lock_guard lk(m_);
        if (s.stopped.load()) throw EngineNotRunningError("strategy " + s.options.name + " is stopped: no new orders");
        if (s.paused.load()) {
            opts.refuse = fmt::format("strategy {} is paused after an error: no new orders", s.options.name);
        } else if (!take_token(s)) {
            opts.refuse = fmt::format("order rate budget of strategy {} exceeded ({} orders/s, burst {})",
                                      s.options.name, s.options.order_rate, s.options.order_burst);
            s.refused++;
        } else {
            s.submitted++;
        }
    }
    // Ownership is recorded before the order manager publishes anything about the order.
    opts.recorded = [this, &s](std::string_view client_order_id) {
        std::lock_guard lk(m_);
        owners_.insert_or_assign(std::string(client_order_id), &s);
    };
    return oms_.submit(s.options.name, request, opts);
}

bool StrategyRuntime::cancel(StrategyId id, std::string_view client_order_id) {
    Slot& s = slot(id);
    {
        std::lock_guard lk(m_);
        const auto it = owners_.find(client_order_id);
        if (it == owners_.end() || it->second != &s) return false;
    }
    return oms_.cancel(client_order_id);
}

std::size_t StrategyRuntime::cancel_all(StrategyId id, const std::optional<InstrumentId>& instrument) {
    return oms_.cancel_all(slot(id).options.name, instrument);
}

void StrategyRuntime::set_timer(StrategyId id, std::string name, UnixNanos interval, bool once) {
    Slot& s = slot(id);
    if (interval <= 0) throw std::invalid_argument(fmt::format("timer '{}': interval must be > 0", name));
    if (name.empty()) throw std::invalid_argument("a timer needs a name");
    std::lock_guard lk(m_);
    if (s.stopped.load()) throw EngineNotRunningError("strategy " + s.options.name + " is stopped");
    if (const auto it = s.timers.find(name); it != s.timers.end()) {
        engine_.scheduler().cancel(it->second);
        timers_.erase(it->second);
        s.timers.erase(it);
    }
    auto& sched = engine_.scheduler();
    const TimerId tid = once ? sched.schedule_once("strategy.timer", sched.clock().now_ns() + interval)
                             : sched.schedule_periodic("strategy.timer", interval);
    timers_.emplace(tid, Timer{&s, name, once});
    s.timers.emplace(std::move(name), tid);
}

bool StrategyRuntime::cancel_timer(StrategyId id, std::string_view name) {
    Slot& s = slot(id);
    std::lock_guard lk(m_);
    const auto it = s.timers.find(name);
    if (it == s.timers.end()) return false;
    engine_.scheduler().cancel(it->second);
    timers_.erase(it->second);
    s.timers.erase(it);
    return true;
}

void StrategyRuntime::report_error(StrategyId id, std::string_view callback, std::string_view type,
                                   std::string_view message, std::string_view traceback) {
    failed(slot(id), callback, type, message, traceback);
}

void StrategyRuntime::resume(StrategyId id) {
    Slot& s = slot(id);
    if (s.stopped.load()) throw StateTransitionError("strategy " + s.options.name + " is stopped: it cannot resume");
    s.paused.store(false);
    log::info(kComponent, "strategy resumed", {{"strategy", s.options.name}});
}

// ---- reading --------------------------------------------------------------------------------------

std::optional<StrategyId> StrategyRuntime::find(std::string_view name) const {
    std::lock_guard lk(m_);
    for (const auto& s : slots_)
        if (s->options.name == name) return s->id;
    return std::nullopt;
}

std::string StrategyRuntime::name(StrategyId id) const { return slot(id).options.name; }

std::string StrategyRuntime::owner(std::string_view client_order_id) const {
    std::lock_guard lk(m_);
    const auto it = owners_.find(client_order_id);
    return it == owners_.end() ? std::string() : it->second->options.name;
}

std::vector<StrategyStatus> StrategyRuntime::status() const {
    std::lock_guard lk(m_);
    std::vector<StrategyStatus> out;
    for (const auto& s : slots_) {
        StrategyStatus st;
        st.name = s->options.name;
        st.paused = s->paused.load();
        st.state = s->faulted.load()                      ? ComponentState::Faulted
                   : s->stopped.load()                    ? ComponentState::Stopped
                   : st.paused                            ? ComponentState::Degraded
                   : started_.load()                      ? ComponentState::Running
                                                          : ComponentState::Ready;
        st.errors = s->errors.load();
        st.last_error = s->last_error;
        st.last_traceback = s->last_traceback;
        st.callbacks = s->callbacks.load();
        st.slow_callbacks = s->slow.load();
        st.slowest_callback_ms = static_cast<double>(s->slowest_ns.load()) / 1e6;
        st.orders_submitted = s->submitted;
        st.orders_refused_budget = s->refused;
        st.subscriptions.assign(s->streams.begin(), s->streams.end());
        st.timers = s->timers.size();
        out.push_back(std::move(st));
    }
    return out;
}

std::size_t StrategyRuntime::failed() const {
    std::lock_guard lk(m_);
    std::size_t n = 0;
    for (const auto& s : slots_)
        if (s->paused.load() || s->faulted.load()) ++n;
    return n;
}

}  // namespace te
