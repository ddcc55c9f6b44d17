#include "engine/engine_state.hpp"

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

namespace {

constexpr std::size_t kStates = 5;

std::size_t index_of(EngineState from, EngineState to) noexcept {
    return static_cast<std::size_t>(from) * kStates + static_cast<std::size_t>(to);
}

// Why a transition is refused, in the words of seed 000 Appendix A.
std::string hint(EngineState from, EngineState to) {
    if (to == EngineState::Created) return "no state can return to CREATED";
    if (from == to) return "the engine is already " + std::string(to_string(to));
    if (from == EngineState::Created && to != EngineState::Initialized)
        return "call set_components() first";
    if (from == EngineState::Initialized && to != EngineState::Running) return "run() must be called first";
    if (from == EngineState::Stopped) return "a stopped engine cannot be restarted; create a new one";
    if (from == EngineState::Stopping) return "the engine is stopping";
    return "stop() must be called first";
}

}  // namespace

EngineStateMachine::EngineStateMachine(std::string component)
    : component_(std::move(component)), created_mono_(monotonic_ns()) {}

bool EngineStateMachine::is_valid(EngineState from, EngineState to) noexcept {
    switch (from) {
        case EngineState::Created: return to == EngineState::Initialized;
        case EngineState::Initialized: return to == EngineState::Running;
        case EngineState::Running: return to == EngineState::Stopping;
        case EngineState::Stopping: return to == EngineState::Stopped;
        case EngineState::Stopped: return false;
    }
    return false;
}

double EngineStateMachine::uptime_seconds() const noexcept {
    return static_cast<double>(monotonic_ns() - created_mono_) / 1e9;
}

void EngineStateMachine::apply(EngineState from, EngineState to) {
    state_.store(to, std::memory_order_release);
    counts_[index_of(from, to)].fetch_add(1, std::memory_order_relaxed);
    total_.fetch_add(1, std::memory_order_relaxed);
    if (log::enabled(log::Level::Info))
        log::info(component_, "state transition",
                  // Unix ns rather than ISO text: the line's own "ts" is already ISO, and
                  // formatting a second one would double a transition's cost.
                  {{"from", to_string(from)}, {"to", to_string(to)}, {"timestamp_ns", LiveClock().now_ns()},
                   {"uptime_s", uptime_seconds()}});
}

void EngineStateMachine::transition(EngineState to) {
    std::lock_guard lk(m_);
    const auto from = state_.load(std::memory_order_relaxed);
    if (!is_valid(from, to)) {
        invalid_.fetch_add(1, std::memory_order_relaxed);
        const std::string msg = "invalid engine state transition " + std::string(to_string(from)) + " -> " +
                                std::string(to_string(to)) + ": " + hint(from, to);
        log::error(component_, "invalid state transition", {{"from", to_string(from)}, {"to", to_string(to)}});
        throw StateTransitionError(msg);
    }
    apply(from, to);
}

bool EngineStateMachine::transition_if(EngineState from, EngineState to) {
    std::lock_guard lk(m_);
    if (state_.load(std::memory_order_relaxed) != from || !is_valid(from, to)) return false;
    apply(from, to);
    return true;
}

std::map<std::string, std::uint64_t> EngineStateMachine::transition_counts() const {
    std::map<std::string, std::uint64_t> out;
    for (std::size_t f = 0; f < kStates; ++f)
        for (std::size_t t = 0; t < kStates; ++t) {
            const auto from = static_cast<EngineState>(f);
            const auto to = static_cast<EngineState>(t);
            if (!is_valid(from, to)) continue;
            out[std::string(to_string(from)) + "->" + std::string(to_string(to))] =
                counts_[index_of(from, to)].load(std::memory_order_relaxed);
        }
    return out;
}

}  // namespace te
