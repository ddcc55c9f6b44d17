#include "bus/event_bus.hpp"

#include <chrono>
#include <cmath>
#include <string_view>
#include <utility>

#include "bus/asymmetric_fence.hpp"
#include "bus/tsc_clock.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

namespace {

constexpr std::int64_t kWaitSliceNs = 2 * kNanosPerMilli;  // blocked publishers re-check this often
constexpr auto kParkTimeout = std::chrono::milliseconds(50);
constexpr int kPublishSpins = 2000;  // ~20-60 us of pause before a full-lane publisher sleeps

void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

}  // namespace

std::string_view to_string(PublishResult r) noexcept {
    switch (r) {
        case PublishResult::Accepted: return "accepted";
        case PublishResult::Overflowed: return "overflowed";
        case PublishResult::Dropped: return "dropped";
        case PublishResult::Closed: return "closed";
    }
    return "?";
}

void BusConfig::validate() const {
    for (Lane l : {Lane::Order, Lane::Signal, Lane::Data}) {
        if (lane(l).capacity == 0)
            throw std::invalid_argument("invalid " + std::string(te::to_string(l)) + " lane capacity 0: expected >= 1");
    }
    if (batch_size == 0) throw std::invalid_argument("invalid batch_size 0: expected >= 1");
    if (spin_ns < 0) throw std::invalid_argument("invalid spin_ns " + std::to_string(spin_ns) + ": expected >= 0");
}

EventBus::EventBus(BusConfig config) : config_(std::move(config)) {
    config_.validate();
    for (Lane l : {Lane::Order, Lane::Signal, Lane::Data})
        lanes_[static_cast<std::size_t>(l)] = std::make_unique<LaneState>(config_.lane(l));
    auto empty = std::make_shared<const HandlerList>();
    for (auto& t : table_) t = empty;
}

EventBus::~EventBus() {
    // No drain here: a destructor must not run handlers. Stop, then give back payloads.
    try {
        stop();
    } catch (...) {
    }
    for (auto& L : lanes_) {
        Event e;
        while (L->ring.try_pop(e)) release_object(e);
        for (auto& p : L->overflow) release_object(p.event);
        L->overflow.clear();
    }
}

// ---- subscriptions --------------------------------------------------------------------

SubscriptionId EventBus::subscribe(EventType type, HandlerFn fn, std::string name, HandlerKind kind) {
    if (static_cast<std::size_t>(type) >= enum_count<EventType>())
        throw std::invalid_argument("invalid event type " + std::to_string(static_cast<int>(type)));
    if (!fn) throw std::invalid_argument("invalid handler for " + std::string(te::to_string(type)) + ": empty function");
    std::shared_ptr<const HandlerList> old;
    SubscriptionId id;
    {
        std::lock_guard lk(registry_m_);
        id = next_id_++;
        auto sub = std::make_shared<Subscription>();
        sub->id = id;
        sub->type = type;
        sub->name = std::move(name);
        sub->kind = kind;
        sub->fn = std::move(fn);
        auto& slot = table_[static_cast<std::size_t>(type)];
        auto next = std::make_shared<HandlerList>(*slot);
        next->push_back(std::move(sub));
        old = std::exchange(slot, std::move(next));
        version_.fetch_add(1, std::memory_order_release);
    }
    return id;  // `old` dies here, outside the lock
}

bool EventBus::unsubscribe(SubscriptionId id) {
    std::shared_ptr<const HandlerList> old;
    {
        std::lock_guard lk(registry_m_);
        for (auto& slot : table_) {
            for (std::size_t i = 0; i < slot->size(); ++i) {
                if ((*slot)[i]->id != id) continue;
                auto next = std::make_shared<HandlerList>(*slot);
                next->erase(next->begin() + static_cast<std::ptrdiff_t>(i));
                old = std::exchange(slot, std::move(next));
                version_.fetch_add(1, std::memory_order_release);
                break;
            }
            if (old) break;
        }
    }
    return old != nullptr;  // the handler itself is released outside the lock
}

std::size_t EventBus::handler_count(EventType type) const {
    std::lock_guard lk(registry_m_);
    return table_.at(static_cast<std::size_t>(type))->size();
}

std::vector<HandlerInfo> EventBus::handlers() const {
    std::vector<HandlerInfo> out;
    std::lock_guard lk(registry_m_);
    for (const auto& slot : table_)
        for (const auto& s : *slot)
            out.push_back({s->id, s->type, s->name, s->kind, s->calls.load(std::memory_order_relaxed),
                           s->errors.load(std::memory_order_relaxed)});
    return out;
}

void EventBus::refresh_table() {
    const auto v = version_.load(std::memory_order_acquire);
    if (v == snapshot_version_) return;
    Table fresh;
    {
        std::lock_guard lk(registry_m_);
        fresh = table_;
        snapshot_version_ = version_.load(std::memory_order_relaxed);
    }
    std::swap(fresh, snapshot_);  // the previous snapshot is released here, outside the lock
}

// ---- publishing ----------------------------------------------------------------------

bool EventBus::on_dispatcher_thread() const noexcept {
    return dispatcher_id_.load(std::memory_order_acquire) == std::this_thread::get_id();
}

void EventBus::note_high_water(LaneState& L, std::size_t depth) noexcept {
    auto hw = L.high_water.load(std::memory_order_relaxed);
    while (depth > hw && !L.high_water.compare_exchange_weak(hw, depth, std::memory_order_relaxed)) {
    }
}

void EventBus::wake_dispatcher() noexcept {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (sleeping_.load(std::memory_order_seq_cst)) {
        std::lock_guard lk(park_m_);
        park_cv_.notify_one();
    }
}

PublishResult EventBus::publish(Event event, PublishMode mode) {
    if (static_cast<std::size_t>(event.lane) >= 3)
        throw std::invalid_argument("invalid lane " + std::to_string(static_cast<int>(event.lane)));
    LaneState& L = lane(event.lane);
    if (config_.measure_latency) event.ts_publish = tsc::ticks();
    if (on_dispatcher_thread()) return publish_reentrant(L, event, false);
    // No shared counter and no full fence here: shutdown seals the rings (a push after the
    // seal fails and lands in publish_slow, which reports Closed), and the dispatcher pays
    // for the fence against a lost wake-up when it parks (asymmetric_fence.hpp).
    if (closed_.load(std::memory_order_relaxed)) {
        drop(L, event);
        return PublishResult::Closed;
    }
    if (L.ring.try_push(std::move(event))) {  // moved from only when it succeeds
        light_fence();  // the push before the load of sleeping_
        if (sleeping_.load(std::memory_order_relaxed)) {
            std::lock_guard lk(park_m_);
            park_cv_.notify_one();
        }
        return PublishResult::Accepted;
    }
    return publish_slow(L, event, mode);
}

void EventBus::release_object(const Event& e) noexcept {
    if (!e.has_object()) return;
    if (auto* g = gate_.load(std::memory_order_acquire)) g->release(std::get<ObjectRef>(e.payload));
}

void EventBus::drop(LaneState& L, const Event& e) noexcept {
    L.dropped.fetch_add(1, std::memory_order_relaxed);
    release_object(e);
}

// The lane is full: wait according to its policy (never while on the dispatcher thread).
PublishResult EventBus::publish_slow(LaneState& L, Event& e, PublishMode mode) {
    // Shutdown waits for every publisher in here to leave (a blocked one is woken up).
    slow_publishers_.fetch_add(1, std::memory_order_seq_cst);
    struct Leave {
        std::atomic<int>& n;
        ~Leave() { n.fetch_sub(1, std::memory_order_release); }
    } leave{slow_publishers_};
    if (L.ring.sealed()) {
        drop(L, e);
        return PublishResult::Closed;
    }
    note_high_water(L, L.cfg.capacity);
    const auto timeout = mode == PublishMode::NoWait ? 0 : L.cfg.publish_timeout_ns;
    const auto start = monotonic_ns();
    const auto deadline = timeout < 0 ? INT64_MAX : start + timeout;
    bool ok = false;
    bool closed = false;
    // A full lane usually frees a slot within microseconds: spin briefly before sleeping.
    // On a busy machine yield now and then so that the dispatcher can have the core.
    for (int i = 1; timeout != 0 && i <= kPublishSpins; ++i) {
        if (L.ring.try_push(std::move(e))) {  // moved from only when it succeeds
            ok = true;
            break;
        }
        if (i % 64 == 0) {
            if (closed_.load(std::memory_order_relaxed) || monotonic_ns() >= deadline) break;
            wake_dispatcher();
            std::this_thread::yield();
        } else {
            cpu_relax();
        }
    }
    if (!ok && timeout != 0) {
        std::unique_lock lk(L.wait_m);
        L.waiters.fetch_add(1, std::memory_order_seq_cst);
        for (;;) {
            if (L.ring.try_push(std::move(e))) {
                ok = true;
                break;
            }
            if (closed_.load(std::memory_order_acquire)) {
                closed = true;
                break;
            }
            const auto now = monotonic_ns();
            if (now >= deadline) break;
            wake_dispatcher();
            L.not_full.wait_for(lk, std::chrono::nanoseconds(std::min(deadline - now, kWaitSliceNs)));
        }
        L.waiters.fetch_sub(1, std::memory_order_relaxed);
    }
    L.blocked_ns.fetch_add(monotonic_ns() - start, std::memory_order_relaxed);
    if (ok) {
        wake_dispatcher();
        return PublishResult::Accepted;
    }
    drop(L, e);
    if (closed) return PublishResult::Closed;
    if (e.lane == Lane::Signal && mode == PublishMode::Policy) {
        log::error("bus", "signal lane full, publish timed out",
                   {{"event_type", te::to_string(e.type)}, {"depth", L.ring.size()},
                    {"timeout_s", static_cast<double>(timeout) / 1e9}});
        throw QueueFullError("signal lane full for " + std::to_string(static_cast<double>(timeout) / 1e9) +
                             " s: " + std::string(te::to_string(e.type)) + " not published");
    }
    if (e.lane == Lane::Data)
        log::warn("bus", "data lane full, event dropped",
                  {{"event_type", te::to_string(e.type)}, {"depth", L.ring.size()}});
    return PublishResult::Dropped;
}

// From a handler: never block. Keep FIFO order of this thread's own publications: once the
// overflow holds something, later publications follow it there.
PublishResult EventBus::publish_reentrant(LaneState& L, Event& e, bool for_error) {
    if (L.overflow.empty() && L.ring.try_push(std::move(e), /*past_seal=*/true)) return PublishResult::Accepted;
    const bool bounded = e.lane != Lane::Order;
    if (bounded && L.overflow.size() >= L.cfg.capacity) {
        drop(L, e);
        if (e.lane == Lane::Signal && !for_error)
            throw QueueFullError("signal lane and its overflow are full: " + std::string(te::to_string(e.type)) +
                                 " published from a handler was not queued");
        return PublishResult::Dropped;
    }
    L.overflow.push_back({std::move(e), L.ring.tail()});
    L.overflow_size.store(L.overflow.size(), std::memory_order_relaxed);
    L.overflow_pushed.fetch_add(1, std::memory_order_relaxed);
    note_high_water(L, L.ring.size() + L.overflow.size());
    return PublishResult::Overflowed;
}

// ---- dispatching ---------------------------------------------------------------------

bool EventBus::lane_empty(const LaneState& L) const noexcept {
    return L.ring.size() == 0 && L.overflow_size.load(std::memory_order_relaxed) == 0;
}

std::size_t EventBus::lane_rank(const LaneState& L) const noexcept {
    for (std::size_t i = 0; i < lanes_.size(); ++i)
        if (lanes_[i].get() == &L) return i;
    return 0;
}

bool EventBus::higher_waiting(std::size_t rank) const noexcept {
    for (std::size_t i = 0; i < rank; ++i)
        if (!lane_empty(*lanes_[i])) return true;
    return false;
}

bool EventBus::all_empty() const noexcept {
    return lane_empty(*lanes_[0]) && lane_empty(*lanes_[1]) && lane_empty(*lanes_[2]);
}

std::size_t EventBus::depth() const noexcept {
    std::size_t d = 0;
    for (const auto& L : lanes_) d += L->ring.size() + L->overflow_size.load(std::memory_order_relaxed);
    return d;
}

void EventBus::leave_gate() noexcept {
    if (!gate_entered_) return;
    gate_entered_ = false;
    if (auto* g = gate_.load(std::memory_order_acquire)) g->leave();
}

void EventBus::handler_failed(Subscription& s, const Event& e, std::string_view error_type, std::string_view message,
                              std::string_view traceback) {
    s.errors.fetch_add(1, std::memory_order_relaxed);
    lane(e.lane).handler_errors.fetch_add(1, std::memory_order_relaxed);
    handler_errors_.fetch_add(1, std::memory_order_relaxed);
    log::error("bus", "handler failed",
               {{"handler", s.name}, {"event_type", te::to_string(e.type)}, {"lane", te::to_string(e.lane)},
                {"error_type", error_type}, {"error", message}, {"traceback", traceback}});
    if (e.type == EventType::Error) return;  // an ERROR handler failing must not loop
    ErrorInfo info;
    copy_text_tail(info.handler, s.name);
    copy_text(info.error_type, error_type);
    copy_text(info.message, message);
    info.event_type = e.type;
    info.lane = e.lane;
    Event err(EventType::Error, Lane::Signal, info);
    err.ts_event = err.ts_recv = LiveClock().now_ns();
    err.ts_publish = tsc::ticks();
    publish_reentrant(lane(Lane::Signal), err, true);
}

void EventBus::report_handler_error(SubscriptionId id, EventType type, Lane l, std::string_view error_type,
                                    std::string_view message, std::string_view traceback) {
    std::shared_ptr<Subscription> sub;
    {
        std::lock_guard lk(registry_m_);
        for (const auto& slot : table_)
            for (const auto& s : *slot)
                if (s->id == id) sub = s;
    }
    std::string name = sub ? sub->name : "subscription#" + std::to_string(id);
    if (sub) sub->errors.fetch_add(1, std::memory_order_relaxed);
    lane(l).handler_errors.fetch_add(1, std::memory_order_relaxed);
    handler_errors_.fetch_add(1, std::memory_order_relaxed);
    log::error("bus", "handler failed",
               {{"handler", name}, {"event_type", te::to_string(type)}, {"lane", te::to_string(l)},
                {"error_type", error_type}, {"error", message}, {"traceback", traceback}});
    if (type == EventType::Error) return;
    ErrorInfo info;
    copy_text_tail(info.handler, name);
    copy_text(info.error_type, error_type);
    copy_text(info.message, message);
    info.event_type = type;
    info.lane = l;
    Event err(EventType::Error, Lane::Signal, info);
    err.ts_event = err.ts_recv = LiveClock().now_ns();
    sub.reset();
    if (on_dispatcher_thread()) {
        err.ts_publish = tsc::ticks();
        publish_reentrant(lane(Lane::Signal), err, true);
    } else {
        publish(std::move(err), PublishMode::NoWait);
    }
}

bool EventBus::hold_gate() noexcept {
    if (gate_entered_) return true;
    auto* g = gate_.load(std::memory_order_acquire);
    if (!g || !g->enter()) return false;
    gate_entered_ = true;
    gate_entries_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void EventBus::deliver(LaneState& L, const Event& e) {
    if (config_.measure_latency) latency_.record_single_writer(tsc::ticks() - e.ts_publish);  // in ticks; scaled by stats()
    const auto& list = *snapshot_[static_cast<std::size_t>(e.type)];
    for (const auto& sp : list) {
        Subscription& s = *sp;
        if (s.kind == HandlerKind::Python && !gate_entered_) {
            auto* g = gate_.load(std::memory_order_acquire);
            if (!g || !g->enter()) {
                python_skipped_.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
            gate_entered_ = true;
            gate_entries_.fetch_add(1, std::memory_order_relaxed);
        }
        s.calls.store(s.calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        try {
            s.fn(e);
        } catch (const HandlerError& ex) {
            handler_failed(s, e, ex.type(), ex.what(), ex.traceback());
        } catch (const std::exception& ex) {
            handler_failed(s, e, "std::exception", ex.what());
        } catch (...) {
            handler_failed(s, e, "unknown", "non-standard exception");
        }
    }
    if (e.has_object()) {
        auto* g = gate_.load(std::memory_order_acquire);
        if (g && !gate_entered_ && g->enter()) {
            gate_entered_ = true;
            gate_entries_.fetch_add(1, std::memory_order_relaxed);
        }
        if (g) g->release(std::get<ObjectRef>(e.payload));
    }
    L.delivered.store(L.delivered.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

std::size_t EventBus::serve(LaneState& L) {
    const auto depth = L.ring.size() + L.overflow.size();
    if (depth == 0) return 0;
    note_high_water(L, depth);
    std::size_t n = 0;
    Event e;
    const bool may_expire = &L != lanes_[static_cast<std::size_t>(Lane::Order)].get();
    // Strict priority per event (ARCHITECTURE §3): a lower lane's batch ends as soon as a
    // higher lane has something waiting, after the one delivery in progress.
    const std::size_t rank = lane_rank(L);
    while (n < config_.batch_size) {
        // Past a shutdown deadline only the order lane is still served, even mid-batch.
        if (may_expire && draining_.load(std::memory_order_relaxed) &&
            monotonic_ns() >= drain_deadline_.load(std::memory_order_relaxed))
            break;
        refresh_table();  // (un)subscriptions take effect from the next event
        if (!L.overflow.empty() && L.ring.head() >= L.overflow.front().ring_mark) {
            e = std::move(L.overflow.front().event);
            L.overflow.pop_front();
            L.overflow_size.store(L.overflow.size(), std::memory_order_relaxed);
            deliver(L, e);
        } else if (L.ring.try_pop(e)) {
            // Popped before delivery: the event being handled no longer takes a slot, so a
            // lane of 1000 holds 1000 waiting events, as asyncio.Queue would.
            if (L.waiters.load(std::memory_order_seq_cst) > 0) {
                std::lock_guard lk(L.wait_m);
                L.not_full.notify_all();
            }
            deliver(L, e);
        } else {
            break;
        }
        ++n;
        if (rank > 0 && higher_waiting(rank)) break;
    }
    leave_gate();  // the GIL is held at most for one batch
    return n;
}

void EventBus::idle_wait() {
    const auto spin_until = monotonic_ns() + config_.spin_ns;
    int i = 0;
    while (monotonic_ns() < spin_until) {
        if (!all_empty() || stop_requested_.load(std::memory_order_relaxed) ||
            draining_.load(std::memory_order_relaxed))
            return;
        if (++i % 64 == 0) std::this_thread::yield();
        else cpu_relax();
    }
    std::unique_lock lk(park_m_);
    sleeping_.store(true, std::memory_order_relaxed);
    heavy_fence();  // pairs with the publishers' light_fence(): a push is seen here, or they see sleeping_
    if (all_empty() && !stop_requested_.load(std::memory_order_acquire) && !draining_.load(std::memory_order_acquire)) {
        // Woken by the timeout with events waiting: a publisher did not see sleeping_ (a lost
        // wake-up, cost up to kParkTimeout of latency). Counted: it must stay 0.
        if (park_cv_.wait_for(lk, kParkTimeout) == std::cv_status::timeout && !all_empty())
            missed_wakeups_.fetch_add(1, std::memory_order_relaxed);
    }
    sleeping_.store(false, std::memory_order_relaxed);
}

void EventBus::run_dispatcher() {
    dispatcher_id_.store(std::this_thread::get_id(), std::memory_order_release);
    auto& order = lane(Lane::Order);
    auto& signal = lane(Lane::Signal);
    auto& data = lane(Lane::Data);
    for (;;) {
        refresh_table();
        const bool draining = draining_.load(std::memory_order_acquire);
        const bool late = draining && monotonic_ns() >= drain_deadline_.load(std::memory_order_relaxed);
        if (serve(order)) continue;
        if (!late) {
            if (serve(signal)) continue;
            if (serve(data)) continue;
        }
        if (stop_requested_.load(std::memory_order_acquire)) break;
        if (draining && (late ? lane_empty(order) : all_empty())) break;
        if (draining) continue;
        idle_wait();
    }
    release_dispatcher();
}

void EventBus::release_dispatcher() noexcept {
    // The gate is per thread: only the dispatcher itself leaves it (a manual bus destroyed by
    // another thread skips this; its owner thread keeps its Python thread state).
    const bool own_thread = on_dispatcher_thread();
    if (own_thread) leave_gate();
    snapshot_ = Table{};  // release handler references on this thread
    snapshot_version_ = ~std::uint64_t{0};
    if (auto* g = gate_.load(std::memory_order_acquire); g && own_thread) g->thread_exit();
    dispatcher_id_.store(std::thread::id{}, std::memory_order_release);
}

std::size_t EventBus::dispatch_pending() {
    if (!config_.manual)
        throw StateTransitionError("EventBus '" + config_.name + "': dispatch_pending() is for a manual bus "
                                   "(BusConfig.manual); this one has its dispatcher thread");
    if (!running_.load(std::memory_order_acquire) || !on_dispatcher_thread())
        throw StateTransitionError("EventBus '" + config_.name + "': dispatch_pending() is called by the thread "
                                   "that started the bus, while it runs");
    if (manual_depth_ > 0)
        throw StateTransitionError("EventBus '" + config_.name + "': dispatch_pending() called from a handler");
    ++manual_depth_;
    std::size_t n = 0;
    auto& order = lane(Lane::Order);
    auto& signal = lane(Lane::Signal);
    auto& data = lane(Lane::Data);
    for (;;) {
        refresh_table();
        std::size_t k = serve(order);
        if (k == 0) k = serve(signal);
        if (k == 0) k = serve(data);
        if (k == 0) break;
        n += k;
    }
    leave_gate();  // a handler run outside a batch (a strategy's on_start) may have entered it
    --manual_depth_;
    return n;
}

void EventBus::drain_inline() {
    ++manual_depth_;
    auto& order = lane(Lane::Order);
    auto& signal = lane(Lane::Signal);
    auto& data = lane(Lane::Data);
    for (;;) {
        refresh_table();
        const bool late = monotonic_ns() >= drain_deadline_.load(std::memory_order_relaxed);
        if (serve(order)) continue;
        if (late) break;
        if (serve(signal)) continue;
        if (serve(data)) continue;
        break;
    }
    --manual_depth_;
}

// ---- lifecycle -----------------------------------------------------------------------

void EventBus::start() {
    std::lock_guard lk(lifecycle_m_);
    if (shut_down_.load()) throw StateTransitionError("EventBus '" + config_.name + "' is shut down: it cannot start again");
    if (running_.load()) throw StateTransitionError("EventBus '" + config_.name + "' is already running");
    stop_requested_.store(false);
    draining_.store(false);
    running_.store(true, std::memory_order_release);
    if (config_.manual) {
        dispatcher_id_.store(std::this_thread::get_id(), std::memory_order_release);
        log::info("bus", "started (manual: served by dispatch_pending)", {{"name", config_.name}});
        return;
    }
    thread_ = std::thread([this] { run_dispatcher(); });
    log::info("bus", "started", {{"name", config_.name}});
}

void EventBus::join_thread() {
    {
        std::lock_guard plk(park_m_);
        park_cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    running_.store(false, std::memory_order_release);
}

void EventBus::stop() {
    if (in_handler())
        throw StateTransitionError("EventBus.stop() called from a handler (the dispatcher thread would join itself)");
    std::lock_guard lk(lifecycle_m_);
    if (!running_.load()) return;
    if (config_.manual) {  // events stay queued; the owner may start it again
        release_dispatcher();
        running_.store(false, std::memory_order_release);
        log::info("bus", "stopped", {{"name", config_.name}, {"depth", depth()}});
        return;
    }
    stop_requested_.store(true, std::memory_order_release);
    join_thread();
    log::info("bus", "stopped", {{"name", config_.name}, {"depth", depth()}});
}

ShutdownReport EventBus::shutdown(double timeout_s) {
    if (!std::isfinite(timeout_s) || timeout_s < 0)
        throw std::invalid_argument("invalid timeout " + std::to_string(timeout_s) + ": expected a finite number >= 0");
    if (in_handler())
        throw StateTransitionError("EventBus.shutdown() called from a handler (the dispatcher thread would join itself)");
    std::lock_guard lk(lifecycle_m_);
    ShutdownReport report;
    if (shut_down_.load()) return report;
    const auto t0 = monotonic_ns();
    log::info("bus", "shutting down", {{"name", config_.name}, {"depth", depth()}, {"timeout_s", timeout_s}});

    // 1. Refuse new publications: a sealed ring refuses every later push, and a publisher
    //    waiting for room wakes up and reports Closed. Pushes that claimed a slot before the
    //    seal still land, and the drain below waits for them (the ring's size counts them).
    closed_.store(true, std::memory_order_seq_cst);
    for (auto& L : lanes_) {
        L->ring.seal();
        std::lock_guard wl(L->wait_m);
        L->not_full.notify_all();
    }
    // Publishers waiting for room leave within one wait slice; after that none touches a lane.
    while (slow_publishers_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();

    // 2. Drain on the dispatcher: everything until the deadline, then the order lane alone.
    const double capped = timeout_s > 1e9 ? 1e9 : timeout_s;  // ~31 years: "for ever" without overflow
    drain_deadline_.store(t0 + static_cast<std::int64_t>(capped * 1e9), std::memory_order_relaxed);
    draining_.store(true, std::memory_order_release);
    if (config_.manual) {
        // Drained on this thread: the one that started the bus, or (never started, or stopped)
        // this one for the drain.
        if (!running_.load()) dispatcher_id_.store(std::this_thread::get_id(), std::memory_order_release);
        else if (!on_dispatcher_thread())
            throw StateTransitionError("EventBus '" + config_.name + "' is manual: shutdown() on the thread that started it");
        drain_inline();
        release_dispatcher();
        running_.store(false, std::memory_order_release);
    } else {
        if (!running_.load()) {
            stop_requested_.store(false);
            running_.store(true);
            thread_ = std::thread([this] { run_dispatcher(); });
        }
        join_thread();
    }

    // 3. What is left in the other lanes is logged, counted and returned.
    for (Lane l : {Lane::Signal, Lane::Data}) {
        LaneState& L = lane(l);
        auto take = [&](Event e) {
            if (e.has_object()) {
                release_object(e);
                e.payload = ObjectRef{};
            }
            if (report.left_events.size() < 100'000) report.left_events.push_back(std::move(e));
            report.left[static_cast<std::size_t>(l)]++;
            L.left.fetch_add(1, std::memory_order_relaxed);
        };
        // A publisher that claimed a slot before the seal may still be writing it: wait for
        // every claimed slot, or the accounting would miss it.
        Event e;
        while (L.ring.size() > 0) {
            if (L.ring.try_pop(e)) take(std::move(e));
            else std::this_thread::yield();
        }
        for (auto& p : L.overflow) take(std::move(p.event));
        L.overflow.clear();
        L.overflow_size.store(0, std::memory_order_relaxed);
        if (report.left[static_cast<std::size_t>(l)] > 0) {
            report.timed_out = true;
            log::warn("bus", "events left at shutdown",
                      {{"name", config_.name}, {"lane", te::to_string(l)}, {"count", report.left[static_cast<std::size_t>(l)]}});
        }
    }
    for (std::size_t i = 0; i < report.left_events.size() && i < 20; ++i) {
        const auto& e = report.left_events[i];
        log::warn("bus", "left at shutdown",
                  {{"lane", te::to_string(e.lane)}, {"event_type", te::to_string(e.type)}, {"ts_event", e.ts_event}});
    }
    shut_down_.store(true, std::memory_order_release);
    report.duration_ns = monotonic_ns() - t0;
    log::info("bus", "shut down",
              {{"name", config_.name}, {"left", report.total_left()},
               {"duration_ms", static_cast<double>(report.duration_ns) / 1e6}});
    return report;
}

// ---- stats ---------------------------------------------------------------------------

BusStats EventBus::stats() const {
    BusStats s;
    for (Lane l : {Lane::Order, Lane::Signal, Lane::Data}) {
        const LaneState& L = lane(l);
        LaneStats& o = s.lanes[static_cast<std::size_t>(l)];
        o.lane = l;
        o.capacity = L.cfg.capacity;
        // Read delivered before the positions so that published >= delivered + dropped + left.
        o.delivered = L.delivered.load(std::memory_order_acquire);
        o.left_at_shutdown = L.left.load(std::memory_order_relaxed);
        o.dropped = L.dropped.load(std::memory_order_relaxed);
        o.overflow_depth = L.overflow_size.load(std::memory_order_relaxed);
        o.overflowed = L.overflow_pushed.load(std::memory_order_relaxed);
        o.published = L.ring.tail() + o.overflowed + o.dropped;
        o.depth = L.ring.size() + o.overflow_depth;
        o.high_water = L.high_water.load(std::memory_order_relaxed);
        o.handler_errors = L.handler_errors.load(std::memory_order_relaxed);
        o.blocked_ns = L.blocked_ns.load(std::memory_order_relaxed);
    }
    s.latency = scaled(latency_.summary(), tsc::ns_per_tick());
    s.handler_errors = handler_errors_.load(std::memory_order_relaxed);
    s.python_skipped = python_skipped_.load(std::memory_order_relaxed);
    s.gate_entries = gate_entries_.load(std::memory_order_relaxed);
    s.missed_wakeups = missed_wakeups_.load(std::memory_order_relaxed);
    s.running = running();
    s.shut_down = shut_down();
    return s;
}

}  // namespace te
