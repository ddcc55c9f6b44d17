#pragma once
// The EngineState machine of seed 000 Appendix A:
//
//   CREATED ──set_components()──> INITIALIZED ──run()──> RUNNING ──stop()──> STOPPING ──> STOPPED
//
// Every other transition (CREATED → RUNNING, INITIALIZED → STOPPED, anything → CREATED, ...)
// raises StateTransitionError and leaves the state unchanged. Each transition is logged with
// from, to, timestamp and uptime, and counted.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/enums.hpp"
#include "core/time.hpp"

namespace te {

class EngineStateMachine {
public:
    explicit EngineStateMachine(std::string component = "engine");

    EngineState state() const noexcept { return state_.load(std::memory_order_acquire); }
    static bool is_valid(EngineState from, EngineState to) noexcept;

    // Moves to `to`; throws StateTransitionError (state unchanged, error logged) if invalid.
    void transition(EngineState to);
    // Moves to `to` only if the current state is `from`; false otherwise (nothing logged).
    bool transition_if(EngineState from, EngineState to);

    // "CREATED->INITIALIZED" -> count, valid transitions only.
    std::map<std::string, std::uint64_t> transition_counts() const;
    std::uint64_t total_transitions() const noexcept { return total_.load(std::memory_order_relaxed); }
    std::uint64_t invalid_attempts() const noexcept { return invalid_.load(std::memory_order_relaxed); }
    double uptime_seconds() const noexcept;  // since construction

private:
    void apply(EngineState from, EngineState to);

    std::string component_;
    std::int64_t created_mono_;
    mutable std::mutex m_;
    std::atomic<EngineState> state_{EngineState::Created};
    std::array<std::atomic<std::uint64_t>, 25> counts_{};
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> invalid_{0};
};

}  // namespace te
