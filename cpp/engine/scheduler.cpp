#include "engine/scheduler.hpp"

#include <chrono>
#include <stdexcept>
#include <vector>

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

Scheduler::Scheduler(EventBus& bus, std::shared_ptr<Clock> clock) : bus_(bus), clock_(std::move(clock)) {
    if (!clock_) clock_ = std::make_shared<LiveClock>();
}

Scheduler::~Scheduler() { stop_thread(); }

TimerId Scheduler::add(std::string_view trigger_type, UnixNanos at, UnixNanos interval) {
    if (trigger_type.empty() || trigger_type.size() >= sizeof(ScheduledTrigger::trigger_type))
        throw std::invalid_argument("invalid trigger_type '" + std::string(trigger_type) + "': expected 1 to " +
                                    std::to_string(sizeof(ScheduledTrigger::trigger_type) - 1) + " characters");
    std::lock_guard lk(m_);
    const TimerId id = next_id_++;
    timers_.emplace(std::make_pair(at, id), Timer{id, std::string(trigger_type), interval});
    note_earliest();
    cv_.notify_all();
    return id;
}

TimerId Scheduler::schedule_once(std::string_view trigger_type, UnixNanos at) { return add(trigger_type, at, 0); }

TimerId Scheduler::schedule_periodic(std::string_view trigger_type, UnixNanos interval, std::optional<UnixNanos> first) {
    if (interval <= 0)
        throw std::invalid_argument("invalid interval " + std::to_string(interval) + " ns: expected > 0");
    return add(trigger_type, first.value_or(clock_->now_ns() + interval), interval);
}

bool Scheduler::cancel(TimerId id) {
    std::lock_guard lk(m_);
    for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.id == id) {
            timers_.erase(it);
            note_earliest();
            return true;
        }
    return false;
}

std::size_t Scheduler::pending() const {
    std::lock_guard lk(m_);
    return timers_.size();
}

void Scheduler::note_earliest() {
    earliest_.store(timers_.empty() ? kNoTimer : timers_.begin()->first.first, std::memory_order_release);
}

std::optional<UnixNanos> Scheduler::next_due() const {
    const auto t = earliest_.load(std::memory_order_acquire);
    if (t == kNoTimer) return std::nullopt;
    return t;
}

std::size_t Scheduler::poll() {
    const UnixNanos now = clock_->now_ns();
    std::vector<Event> due;
    {
        std::lock_guard lk(m_);
        while (!timers_.empty() && timers_.begin()->first.first <= now) {
            auto node = timers_.extract(timers_.begin());
            UnixNanos scheduled = node.key().first;
            Timer& t = node.mapped();
            if (t.interval > 0) {
                const auto missed = (now - scheduled) / t.interval;  // coalesce missed periods
                scheduled += missed * t.interval;
            }
            ScheduledTrigger trig;
            trig.timer_id = t.id;
            copy_text(trig.trigger_type, t.trigger_type);
            trig.scheduled_time = scheduled;
            trig.actual_time = now;
            Event e(EventType::ScheduledTrigger, Lane::Signal, trig);
            e.ts_event = scheduled;
            e.ts_recv = now;
            due.push_back(e);
            if (t.interval > 0) {
                node.key() = {scheduled + t.interval, t.id};
                timers_.insert(std::move(node));
            }
        }
        note_earliest();
    }
    std::size_t published = 0;
    for (const auto& e : due) {
        try {
            const auto r = bus_.publish(e);
            if (r == PublishResult::Accepted || r == PublishResult::Overflowed) {
                ++published;
                fired_.fetch_add(1, std::memory_order_relaxed);
                continue;
            }
        } catch (const std::exception& ex) {
            log::error("scheduler", "trigger not published", {{"error", ex.what()}});
        }
        dropped_.fetch_add(1, std::memory_order_relaxed);
    }
    return published;
}

void Scheduler::start_thread() {
    std::lock_guard lk(m_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void Scheduler::stop_thread() {
    {
        std::lock_guard lk(m_);
        stop_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Scheduler::run() {
    // Sleeps until the next due time by the clock, re-checking at least every 50 ms so a
    // clock that is not the system clock (or a newly added timer) is noticed.
    constexpr UnixNanos kMaxSleep = 50 * kNanosPerMilli;
    std::unique_lock lk(m_);
    while (!stop_) {
        UnixNanos wait = kMaxSleep;
        if (!timers_.empty()) wait = std::min(wait, timers_.begin()->first.first - clock_->now_ns());
        if (wait > 0) {
            cv_.wait_for(lk, std::chrono::nanoseconds(wait));
            continue;
        }
        lk.unlock();
        poll();
        lk.lock();
    }
}

}  // namespace te
