#pragma once
// The one strategy runtime (ARCHITECTURE §4a): strategies written in C++ (te::Strategy) and in
// Python (through the bindings' adapter) are run the same way.
//
// - Routing: one bus handler per event type indexes subscriptions by (kind, instrument,
//   interval) and order ownership by client order id, so a strategy gets exactly what it
//   subscribed to and its own orders; only those calls cross into Python (the GIL is taken
//   once per dispatch batch, not per event).
// - Threads: every callback, on_start and on_stop included, runs on the engine's dispatcher
//   thread, so a strategy never sees two of its callbacks at once. Actions (orders,
//   subscriptions, timers) may be called from a callback or from any other thread: the
//   tables are guarded by one mutex that is never held while a callback runs.
// - Errors: a callback that throws is logged (with its traceback), counted, given to the
//   strategy's on_error, and the policy applies: pause (no more market data or timers, open
//   orders canceled, an ALERT), stop (pause, then on_stop) or continue.
// - Budgets: each strategy has its own order-rate budget (a token bucket), so one strategy's
//   burst is refused locally instead of exhausting the venue's limit for every strategy; a
//   callback slower than its budget is reported with the strategy's and callback's names.
// - Subscribing drives the venue: the first subscriber of a stream calls the stream hook
//   (the Node subscribes the venue), the last one leaving releases it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/trading_engine.hpp"
#include "oms/order_manager.hpp"
#include "venues/venue.hpp"

namespace te {

class StrategyRuntime;

// What the runtime calls. Each callback runs on the dispatcher thread.
class StrategyCallbacks {
public:
    virtual ~StrategyCallbacks() = default;
    virtual void on_start() {}
    virtual void on_stop() {}
    virtual void on_candle(const Candle&) {}
    virtual void on_trade(const Trade&) {}
    virtual void on_quote(const Quote&) {}
    virtual void on_order_update(const OrderUpdate&) {}  // the order manager's state is already updated
    virtual void on_fill(const Fill&) {}                  // the portfolio already includes it
    virtual void on_timer(std::string_view /*name*/) {}
    // A callback raised `message` (before the error policy applies). Must not throw.
    virtual void on_error(std::string_view /*callback*/, std::string_view /*type*/, std::string_view /*message*/) noexcept {}
    // True for strategies written in Python: the runtime holds the GIL for the rest of the
    // dispatch batch before calling them (the bus releases it at the batch's end).
    virtual bool needs_python() const noexcept { return false; }
};

enum class ErrorPolicy : std::uint8_t { Pause, Continue, Stop };

template <> struct EnumInfo<ErrorPolicy> {
    static constexpr std::string_view type_name = "ErrorPolicy";
    static constexpr std::array<std::string_view, 3> names = {"pause", "continue", "stop"};
};

struct StrategyOptions {
    std::string name;
    ErrorPolicy on_error = ErrorPolicy::Pause;
    double order_rate = 5.0;   // orders per second the strategy may send, sustained
    double order_burst = 20.0;  // orders it may send at once (the bucket's size)
    std::chrono::nanoseconds callback_budget{std::chrono::milliseconds(100)};  // slower: a warning
};

using StrategyId = std::uint32_t;

struct StrategyStatus {
    std::string name;
    ComponentState state = ComponentState::Ready;  // RUNNING, DEGRADED (paused), STOPPED, FAULTED (stopped by an error)
    bool paused = false;
    std::uint64_t errors = 0;
    std::string last_error;
    std::string last_traceback;  // of the last error, when the callback gave one (Python)
    std::uint64_t callbacks = 0;
    std::uint64_t slow_callbacks = 0;
    double slowest_callback_ms = 0;
    std::uint64_t orders_submitted = 0;
    std::uint64_t orders_refused_budget = 0;  // refused by the strategy's order-rate budget
    std::vector<StreamKey> subscriptions;
    std::size_t timers = 0;
};

struct StrategyRuntimeConfig {
    // How long start()/stop() wait for the dispatcher to run every on_start / on_stop.
    std::chrono::milliseconds lifecycle_timeout{std::chrono::seconds(10)};
};

class StrategyRuntime {
public:
    // The Node's hook: `subscribe` true when a stream gets its first subscriber, false when its
    // last one leaves. Called with no runtime lock held.
    using StreamHook = std::function<void(const StreamKey&, bool subscribe)>;
    // Why no venue can serve a stream (empty when one can): checked when a strategy subscribes.
    using StreamCheck = std::function<std::string(const StreamKey&)>;

    StrategyRuntime(TradingEngine& engine, oms::OrderManager& oms, StrategyRuntimeConfig config = {});
    ~StrategyRuntime();
    StrategyRuntime(const StrategyRuntime&) = delete;
    StrategyRuntime& operator=(const StrategyRuntime&) = delete;

    void set_stream_hook(StreamHook hook);
    void set_stream_check(StreamCheck check);

    // Before start(). std::invalid_argument for an empty or repeated name, an added strategy.
    StrategyId add(std::shared_ptr<StrategyCallbacks> strategy, StrategyOptions options);
    // Subscribes the bus handlers and runs every on_start on the dispatcher; returns once they
    // ran. The engine must be RUNNING.
    void start();
    // Every strategy: no more market data, timers or new orders; open orders canceled when
    // `cancel_orders`; then on_stop, on the dispatcher. Order updates keep arriving.
    void stop(bool cancel_orders = true);
    bool running() const noexcept { return started_.load() && !stopped_.load(); }

    // ---- actions (any thread; a callback included) -----------------------------------------
    void subscribe(StrategyId id, const StreamKey& stream);  // std::invalid_argument if no venue serves it
    void unsubscribe(StrategyId id, const StreamKey& stream);
    // Checks the strategy's state and order budget, then hands the order to the order
    // manager: the client order id, REJECTED with the reason if refused.
    std::string submit(StrategyId id, OrderRequest request);
    bool cancel(StrategyId id, std::string_view client_order_id);  // false if not its order, or finished
    std::size_t cancel_all(StrategyId id, const std::optional<InstrumentId>& instrument = std::nullopt);
    // on_timer(name) after `interval` (once) or every `interval`; replaces a timer of that name.
    void set_timer(StrategyId id, std::string name, UnixNanos interval, bool once = false);
    bool cancel_timer(StrategyId id, std::string_view name);
    // A callback that finished elsewhere (a Python coroutine on an asyncio loop) failed.
    void report_error(StrategyId id, std::string_view callback, std::string_view type, std::string_view message,
                      std::string_view traceback = {});
    // Un-pauses a strategy paused by the error policy.
    void resume(StrategyId id);

    // ---- reading ---------------------------------------------------------------------------
    std::optional<StrategyId> find(std::string_view name) const;
    std::string name(StrategyId id) const;
    // The strategy owning an order ("" if none).
    std::string owner(std::string_view client_order_id) const;
    std::vector<StrategyStatus> status() const;
    // Strategies paused or stopped by their error policy: a run that ends with any is a failure.
    std::size_t failed() const;
    // Every callback error so far (one atomic load: a backtest checks it after each event).
    std::uint64_t errors() const noexcept { return errors_.load(std::memory_order_relaxed); }
    oms::OrderManager& order_manager() noexcept { return oms_; }
    TradingEngine& engine() noexcept { return engine_; }

private:
    struct Slot {
        StrategyId id = 0;
        StrategyOptions options;
        std::shared_ptr<StrategyCallbacks> strategy;
        bool python = false;
        // Read on the dispatcher for every event; written under m_.
        std::atomic<bool> paused{false};
        std::atomic<bool> stopped{false};   // no more data, timers, orders
        std::atomic<bool> faulted{false};   // stopped by the error policy
        std::atomic<std::uint64_t> errors{0};
        std::atomic<std::uint64_t> callbacks{0};
        std::atomic<std::uint64_t> slow{0};
        std::atomic<std::int64_t> slowest_ns{0};
        std::int64_t last_slow_warning = 0;  // dispatcher only
        // Guarded by m_.
        std::string last_error;
        std::string last_traceback;
        std::set<StreamKey> streams;
        std::map<std::string, TimerId, std::less<>> timers;  // name -> id
        double tokens = 0;
        std::int64_t tokens_at = 0;  // engine clock ns
        std::uint64_t submitted = 0;
        std::uint64_t refused = 0;
    };
    struct Timer {
        Slot* slot;
        std::string name;
        bool once;
    };
    static constexpr std::size_t kMaxRouted = 16;  // subscribers of one stream served without allocating

    Slot& slot(StrategyId id) const;
    // Runs one callback of `s` under the error policy, timing it.
    template <class F>
    void call(Slot& s, std::string_view callback, F&& f);
    void failed(Slot& s, std::string_view callback, std::string_view type, std::string_view message,
                std::string_view traceback);
    bool take_token(Slot& s);  // m_ held
    // Runs `work` on the dispatcher (inline when already there) and waits for it.
    void on_dispatcher(std::function<void()> work);
    void run_commands();
    template <class T>
    void route_market(const T& value, const StreamKey& key);
    void route_order(const Event& e);
    void on_timer_event(const ScheduledTrigger& t);

    TradingEngine& engine_;
    oms::OrderManager& oms_;
    StrategyRuntimeConfig config_;
    StreamHook stream_hook_;
    StreamCheck stream_check_;

    mutable std::mutex m_;
    std::atomic<std::uint64_t> errors_{0};
    std::vector<std::unique_ptr<Slot>> slots_;                 // by id - 1; never shrinks
    std::map<StreamKey, std::vector<Slot*>> subscribers_;      // guarded by m_
    struct IdHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view id) const noexcept { return std::hash<std::string_view>{}(id); }
    };
    std::unordered_map<std::string, Slot*, IdHash, std::equal_to<>> owners_;  // client order id -> strategy
    std::unordered_map<TimerId, Timer> timers_;
    std::deque<std::string> finished_;  // ids of finished orders, oldest first (owners_ bound)

    std::mutex commands_m_;
    std::deque<std::function<void()>> commands_;
    std::vector<SubscriptionId> subscriptions_;
    std::atomic<bool> started_{false};
    std::atomic<bool> stopped_{false};
};

}  // namespace te
