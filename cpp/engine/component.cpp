#include "engine/component.hpp"

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

ComponentLifecycle::ComponentLifecycle(std::string name, std::string kind)
    : name_(std::move(name)), kind_(std::move(kind)), since_mono_(monotonic_ns()) {}

bool ComponentLifecycle::is_valid(ComponentState from, ComponentState to) noexcept {
    using S = ComponentState;
    switch (from) {
        case S::Ready: return to == S::Starting || to == S::Stopped;  // never started: straight to STOPPED
        case S::Starting: return to == S::Running || to == S::Degraded || to == S::Faulted || to == S::Stopping;
        case S::Running: return to == S::Degraded || to == S::Faulted || to == S::Stopping;
        case S::Degraded: return to == S::Running || to == S::Faulted || to == S::Stopping;
        case S::Stopping: return to == S::Stopped || to == S::Faulted;
        case S::Faulted: return to == S::Stopping || to == S::Stopped;
        case S::Stopped: return false;
    }
    return false;
}

void ComponentLifecycle::apply(ComponentState from, ComponentState to, std::string reason) {
    state_.store(to, std::memory_order_release);
    since_mono_ = monotonic_ns();
    transitions_++;
    const auto level = to == ComponentState::Faulted    ? log::Level::Error
                       : to == ComponentState::Degraded ? log::Level::Warn
                                                        : log::Level::Info;
    if (log::enabled(level))
        log::write(level, "node", "component state",
                   {{"component", name_}, {"kind", kind_}, {"from", to_string(from)}, {"to", to_string(to)},
                    {"reason", reason}});
    reason_ = std::move(reason);
}

void ComponentLifecycle::transition(ComponentState to, std::string reason) {
    std::lock_guard lk(m_);
    const auto from = state_.load(std::memory_order_relaxed);
    if (!is_valid(from, to))
        throw StateTransitionError("invalid state transition of " + kind_ + " '" + name_ + "': " +
                                   std::string(to_string(from)) + " -> " + std::string(to_string(to)));
    apply(from, to, std::move(reason));
}

bool ComponentLifecycle::try_transition(ComponentState to, std::string reason) {
    std::lock_guard lk(m_);
    const auto from = state_.load(std::memory_order_relaxed);
    if (from == to || !is_valid(from, to)) return false;
    apply(from, to, std::move(reason));
    return true;
}

ComponentStatus ComponentLifecycle::status() const {
    std::lock_guard lk(m_);
    ComponentStatus s;
    s.name = name_;
    s.kind = kind_;
    s.state = state_.load(std::memory_order_relaxed);
    s.reason = reason_;
    s.since_s = static_cast<double>(monotonic_ns() - since_mono_) / 1e9;
    s.transitions = transitions_;
    return s;
}

}  // namespace te
