#pragma once
// EventBus (seed 002 §3, ARCHITECTURE §3): three bounded lanes served by one dispatcher
// thread in strict priority order (order > signal > data), handlers called in subscription
// order, errors isolated, and an accounting invariant per lane that always holds:
//     published = delivered + dropped + left_at_shutdown (+ depth while running)
//
//   producers ──publish──> [order 50] [signal 100] [data 1000] ──> dispatcher ──> handlers
//                           never      5 s, then    1 s, then        (one thread, batches,
//                           dropped    QueueFull    dropped           spin then park)
//
// A publish made from the dispatcher thread itself (a handler placing an order) never
// blocks: when its lane is full it goes to that lane's overflow (counted), which is served
// in publish order after the ring events published before it.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bus/bounded_ring.hpp"
#include "bus/event.hpp"
#include "bus/latency_histogram.hpp"

namespace te {

struct LaneConfig {
    std::size_t capacity = 1000;
    // How long a publisher waits for room; < 0 waits for ever (the order lane).
    std::int64_t publish_timeout_ns = kNanosPerSecond;
};

struct BusConfig {
    LaneConfig order{50, -1};
    LaneConfig signal{100, 5 * kNanosPerSecond};
    LaneConfig data{1000, kNanosPerSecond};
    std::size_t batch_size = 64;         // events served from one lane before priorities are re-checked
    std::int64_t spin_ns = 5'000;        // idle spinning before the dispatcher parks
    std::string name = "bus";
    // No dispatcher thread: the thread that calls start() is the dispatcher and serves the lanes
    // when it calls dispatch_pending(). A backtest drives its bus this way, so the data, not a
    // thread's timing, decides when each handler runs (deterministic, and no cross-thread
    // hand-off per event).
    bool manual = false;
    // Publish-to-delivery latency (stats().latency, the engine's publish latency): four TSC reads
    // and two histogram updates per event. A backtest turns it off: what it would measure is a
    // loop on one thread, not a venue's feed (measured: ~35 ns of a ~290 ns bar).
    bool measure_latency = true;

    LaneConfig& lane(Lane l) noexcept { return l == Lane::Order ? order : l == Lane::Signal ? signal : data; }
    const LaneConfig& lane(Lane l) const noexcept {
        return l == Lane::Order ? order : l == Lane::Signal ? signal : data;
    }
    void validate() const;  // std::invalid_argument naming the bad field
};

enum class PublishResult : std::uint8_t {
    Accepted,    // in the lane
    Overflowed,  // re-entrant publish on a full lane: in the lane's overflow
    Dropped,     // data lane stayed full for its timeout (or a bounded overflow was full)
    Closed,      // the bus is shut down (or shutting down): nothing was queued
};
std::string_view to_string(PublishResult r) noexcept;

enum class PublishMode : std::uint8_t {
    Policy,  // the lane's policy: wait up to its timeout
    NoWait,  // never block: drop (counted) when the lane is full
};

enum class HandlerKind : std::uint8_t { Cpp, Python };

// What a handler throws to report a failure with a type name (e.g. a Python exception class);
// any std::exception is isolated the same way.
class HandlerError : public std::runtime_error {
public:
    HandlerError(std::string type, const std::string& message, std::string traceback = {})
        : std::runtime_error(message), type_(std::move(type)), traceback_(std::move(traceback)) {}
    const std::string& type() const noexcept { return type_; }
    const std::string& traceback() const noexcept { return traceback_; }  // logged, not in ErrorInfo

private:
    std::string type_;
    std::string traceback_;
};

using HandlerFn = std::function<void(const Event&)>;
using SubscriptionId = std::uint64_t;

struct HandlerInfo {
    SubscriptionId id = 0;
    EventType type = EventType::Custom;
    std::string name;
    HandlerKind kind = HandlerKind::Cpp;
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;
};

struct LaneStats {
    Lane lane = Lane::Data;
    std::size_t capacity = 0;
    std::size_t depth = 0;           // ring + overflow
    std::size_t overflow_depth = 0;
    std::size_t high_water = 0;
    std::uint64_t published = 0;     // every publish on this lane, accepted or not
    std::uint64_t delivered = 0;     // taken off the lane and passed to its handlers
    std::uint64_t dropped = 0;       // refused: timeout, full overflow, bus closed
    std::uint64_t left_at_shutdown = 0;
    std::uint64_t overflowed = 0;    // re-entrant publishes that went to the overflow
    std::uint64_t handler_errors = 0;
    std::int64_t blocked_ns = 0;     // time publishers spent waiting for room
};

struct BusStats {
    std::array<LaneStats, 3> lanes{};  // indexed by Lane
    LatencySummary latency;           // publish -> start of delivery
    std::uint64_t handler_errors = 0;
    std::uint64_t python_skipped = 0;  // Python deliveries skipped (interpreter finalising)
    std::uint64_t gate_entries = 0;    // times the dispatcher entered Python (took the GIL)
    std::uint64_t missed_wakeups = 0;  // parks ended by their timeout with events waiting (must be 0)
    bool running = false;
    bool shut_down = false;
    std::size_t depth() const noexcept { return lanes[0].depth + lanes[1].depth + lanes[2].depth; }
};

struct ShutdownReport {
    std::array<std::uint64_t, 3> left{};  // per Lane; the order lane is always 0
    std::vector<Event> left_events;       // ObjectRef payloads already released (ptr == nullptr)
    std::int64_t duration_ns = 0;
    bool timed_out = false;
    std::uint64_t total_left() const noexcept { return left[0] + left[1] + left[2]; }
};

// How the dispatcher enters and leaves Python (implemented by the bindings). enter() is
// called before the first Python handler of a batch, leave() at the end of that batch, so
// the GIL is taken once per batch. release() gives back an ObjectRef payload.
class DispatchGate {
public:
    virtual ~DispatchGate() = default;
    virtual bool enter() noexcept = 0;  // false: Python is unavailable (finalising), skip
    virtual void leave() noexcept = 0;
    virtual void thread_exit() noexcept = 0;  // on the dispatcher thread, before it ends
    virtual void release(ObjectRef ref) noexcept = 0;
};

class EventBus {
public:
    explicit EventBus(BusConfig config = {});
    ~EventBus();
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    const BusConfig& config() const noexcept { return config_; }

    // Handlers of one type run in subscription order. Changes made while a handler runs take
    // effect from the next event. The name is used in logs and stats.
    SubscriptionId subscribe(EventType type, HandlerFn fn, std::string name, HandlerKind kind = HandlerKind::Cpp);
    bool unsubscribe(SubscriptionId id);
    std::size_t handler_count(EventType type) const;
    std::vector<HandlerInfo> handlers() const;

    // Thread-safe. The event goes to event.lane. Throws QueueFullError when the signal lane
    // stays full for its timeout; otherwise reports what happened.
    PublishResult publish(Event event, PublishMode mode = PublishMode::Policy);

    void start();                                // starts the dispatcher thread
    void stop();                                 // stops it after the current batch; events stay queued
    ShutdownReport shutdown(double timeout_s);   // drain (order lane fully), then close for good
    bool running() const noexcept { return running_.load(std::memory_order_acquire); }
    bool shut_down() const noexcept { return shut_down_.load(std::memory_order_acquire); }
    bool on_dispatcher_thread() const noexcept;
    // True while a handler runs (on the dispatcher thread, during a delivery): what must not
    // wait for the dispatcher (stop, shutdown) is refused there. For a threaded bus that is the
    // whole dispatcher thread; for a manual bus only the inside of dispatch_pending().
    bool in_handler() const noexcept {
        return on_dispatcher_thread() && (!config_.manual || manual_depth_ > 0);
    }
    // Manual bus only, on the thread that started it: serves the lanes (strict priority, as
    // the dispatcher thread would) until all three are empty, events that handlers publish
    // meanwhile included; returns how many events were delivered. StateTransitionError on a
    // threaded bus, on another thread, from a handler, or before start().
    std::size_t dispatch_pending();
    // True while the idle dispatcher is parked or about to park (it re-checks the lanes first).
    bool dispatcher_parked() const noexcept { return sleeping_.load(std::memory_order_acquire); }

    // Errors of handlers that finish elsewhere (Python coroutines on an asyncio loop).
    void report_handler_error(SubscriptionId id, EventType type, Lane lane, std::string_view error_type,
                              std::string_view message, std::string_view traceback = {});

    BusStats stats() const;
    std::size_t depth() const noexcept;
    void set_gate(DispatchGate* gate) noexcept { gate_.store(gate, std::memory_order_release); }
    // From a C++ handler about to call Python (the strategy runtime): enters the gate for the
    // rest of the batch, as a Python handler would; false when Python is unavailable. Only on
    // the dispatcher thread.
    bool hold_gate() noexcept;
    void reset_latency() noexcept { latency_.reset(); }

private:
    struct Subscription {
        SubscriptionId id;
        EventType type;
        std::string name;
        HandlerKind kind;
        HandlerFn fn;
        std::atomic<std::uint64_t> calls{0};
        std::atomic<std::uint64_t> errors{0};
    };
    using HandlerList = std::vector<std::shared_ptr<Subscription>>;
    using Table = std::array<std::shared_ptr<const HandlerList>, enum_count<EventType>()>;

    struct Pending {
        Event event;
        std::uint64_t ring_mark;  // served once the ring head has passed this position
    };
    struct LaneState {
        explicit LaneState(const LaneConfig& c) : cfg(c), ring(c.capacity) {}
        LaneConfig cfg;
        BoundedRing<Event> ring;
        std::deque<Pending> overflow;  // dispatcher thread only
        std::atomic<std::size_t> overflow_size{0};
        std::atomic<std::uint64_t> overflow_pushed{0};
        std::atomic<std::uint64_t> delivered{0};   // dispatcher only writes
        std::atomic<std::uint64_t> dropped{0};
        std::atomic<std::uint64_t> left{0};
        std::atomic<std::uint64_t> handler_errors{0};
        std::atomic<std::int64_t> blocked_ns{0};
        std::atomic<std::size_t> high_water{0};
        std::mutex wait_m;
        std::condition_variable not_full;
        std::atomic<int> waiters{0};
    };

    LaneState& lane(Lane l) noexcept { return *lanes_[static_cast<std::size_t>(l)]; }
    const LaneState& lane(Lane l) const noexcept { return *lanes_[static_cast<std::size_t>(l)]; }
    // Both move `e` into the lane when they queue it (and leave it alone otherwise).
    PublishResult publish_reentrant(LaneState& L, Event& e, bool for_error);
    PublishResult publish_slow(LaneState& L, Event& e, PublishMode mode);
    void drop(LaneState& L, const Event& e) noexcept;  // counts it and gives back its payload
    void release_object(const Event& e) noexcept;    // an ObjectRef payload back to the gate
    void note_high_water(LaneState& L, std::size_t depth) noexcept;
    void wake_dispatcher() noexcept;

    void run_dispatcher();
    void drain_inline();  // a manual bus's shutdown drain, on the calling thread
    void release_dispatcher() noexcept;  // the end of a dispatcher: gate and handler references
    std::size_t serve(LaneState& L);
    void deliver(LaneState& L, const Event& e);
    void handler_failed(Subscription& s, const Event& e, std::string_view error_type, std::string_view message,
                        std::string_view traceback = {});
    void leave_gate() noexcept;
    void refresh_table();
    bool lane_empty(const LaneState& L) const noexcept;
    std::size_t lane_rank(const LaneState& L) const noexcept;  // 0 for the order lane
    bool higher_waiting(std::size_t rank) const noexcept;     // a lane above `rank` is not empty
    bool all_empty() const noexcept;
    void idle_wait();
    void join_thread();

    BusConfig config_;
    std::array<std::unique_ptr<LaneState>, 3> lanes_;
    LatencyHistogram latency_;

    mutable std::mutex registry_m_;
    Table table_;                              // guarded by registry_m_
    std::atomic<std::uint64_t> version_{0};
    SubscriptionId next_id_ = 1;
    Table snapshot_;                           // dispatcher's copy
    std::uint64_t snapshot_version_ = ~std::uint64_t{0};

    std::atomic<DispatchGate*> gate_{nullptr};
    bool gate_entered_ = false;                // dispatcher only
    std::atomic<std::uint64_t> handler_errors_{0};
    std::atomic<std::uint64_t> python_skipped_{0};
    std::atomic<std::uint64_t> gate_entries_{0};
    std::atomic<std::uint64_t> missed_wakeups_{0};

    std::mutex lifecycle_m_;                   // start/stop/shutdown
    std::thread thread_;
    std::atomic<std::thread::id> dispatcher_id_{};
    std::atomic<bool> running_{false};
    std::atomic<bool> stop_requested_{false};
    std::atomic<bool> draining_{false};
    std::atomic<std::int64_t> drain_deadline_{0};
    std::atomic<bool> closed_{false};
    std::atomic<int> slow_publishers_{0};       // inside publish_slow (shutdown waits for them)
    std::atomic<bool> shut_down_{false};
    int manual_depth_ = 0;                      // dispatcher only: inside dispatch_pending()

    std::mutex park_m_;
    std::condition_variable park_cv_;
    std::atomic<bool> sleeping_{false};
};

}  // namespace te
