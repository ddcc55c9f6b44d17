#pragma once
// The one lifecycle every Node component uses (ARCHITECTURE §4a):
//
//   READY ──> STARTING ──> RUNNING ──> STOPPING ──> STOPPED
//                 │          │  ▲          ▲
//                 │          ▼  │          │
//                 │        DEGRADED ───────┤      (impaired but working: a feed stale, a venue
//                 ▼          │             │       reconnecting; back to RUNNING when healed)
//              FAULTED <─────┘─────────────┘      (failed; only STOPPING / STOPPED follow)
//
// Any other transition raises StateTransitionError and leaves the state unchanged. Each
// transition is logged with its reason and counted; status() is what /status and
// node.status() show.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/enums.hpp"
#include "core/time.hpp"

namespace te {

struct ComponentStatus {
    std::string name;
    std::string kind;  // "engine", "venue", "order_manager", "strategy", ...
    ComponentState state = ComponentState::Ready;
    std::string reason;       // why it entered its state ("" when there is nothing to say)
    double since_s = 0;       // seconds in this state
    std::uint64_t transitions = 0;
    // What a person reading /status wants to know, as text (counters, connections, staleness).
    std::vector<std::pair<std::string, std::string>> details;
};

class ComponentLifecycle {
public:
    ComponentLifecycle(std::string name, std::string kind);

    ComponentState state() const noexcept { return state_.load(std::memory_order_acquire); }
    static bool is_valid(ComponentState from, ComponentState to) noexcept;
    // Moves to `to`; StateTransitionError (state unchanged) if the lifecycle forbids it.
    void transition(ComponentState to, std::string reason = {});
    // Moves to `to` if that is allowed from the current state; false (nothing logged) otherwise.
    bool try_transition(ComponentState to, std::string reason = {});
    ComponentStatus status() const;
    const std::string& name() const noexcept { return name_; }
    const std::string& kind() const noexcept { return kind_; }

private:
    void apply(ComponentState from, ComponentState to, std::string reason);

    std::string name_;
    std::string kind_;
    mutable std::mutex m_;
    std::atomic<ComponentState> state_{ComponentState::Ready};
    std::string reason_;            // guarded by m_
    std::int64_t since_mono_ = 0;   // guarded by m_
    std::uint64_t transitions_ = 0;  // guarded by m_
};

// What a Node owns and starts: venues, the order manager, strategies, later risk, journal and
// monitor. The Node drives start()/stop(); a component moves itself to DEGRADED or FAULTED.
class Component {
public:
    Component(std::string name, std::string kind) : lifecycle_(std::move(name), std::move(kind)) {}
    virtual ~Component() = default;
    Component(const Component&) = delete;
    Component& operator=(const Component&) = delete;

    const std::string& name() const noexcept { return lifecycle_.name(); }
    ComponentState state() const noexcept { return lifecycle_.state(); }
    // The lifecycle state plus the component's own details.
    ComponentStatus status() const {
        auto s = lifecycle_.status();
        s.details = details();
        return s;
    }

protected:
    ComponentLifecycle& lifecycle() noexcept { return lifecycle_; }
    virtual std::vector<std::pair<std::string, std::string>> details() const { return {}; }

private:
    ComponentLifecycle lifecycle_;
};

}  // namespace te
