#pragma once
// OrderManager (seed 001, ARCHITECTURE §7): the one place where orders are created, checked,
// sent, and brought up to date. Strategies submit through it; venues report back through the
// engine's order lane as VENUE_ORDER_UPDATE / VENUE_FILL events, which the order manager
// applies to its Order state machines and its Portfolio *before* it publishes the result as
// ORDER_UPDATE, ORDER_FILL or ORDER_REJECT — so a handler always finds the state already
// updated (write, then publish), and never sees a stale or duplicate venue message.
//
// Every order's intent is published as ORDER_CREATED before it is sent. Client order ids are
// deterministic: <prefix>-<strategy tag>-<sequence>, the tag being the strategy's rank of
// registration (s1, s2, ...), so a replayed run produces the same ids; a retry of the same
// order at the venue reuses its id (the venue clients guarantee that).
//
// Thread-safe: submit/cancel from a strategy's callback (the dispatcher thread), an asyncio
// loop or any other thread. Events are published after the lock is released, never under it.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <unordered_map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bus/event_bus.hpp"
#include "engine/trading_engine.hpp"
#include "oms/last_prices.hpp"
#include "oms/order_state.hpp"
#include "oms/portfolio.hpp"
#include "venues/execution_venue.hpp"

namespace te::oms {

struct OmsConfig {
    std::string id_prefix;                   // "" -> "te" + the start time in base 36 (unique per run)
    std::optional<Money> max_order_notional;  // per order, in the quote asset
    std::map<InstrumentId, Quantity> max_position;  // |position after the order| per instrument
    std::chrono::milliseconds ack_timeout{std::chrono::seconds(30)};  // seed 001: then query the order
    // Finished orders stay queryable this long, and at most this many of them; older ones leave
    // memory (their fills stay in the portfolio), so a long run does not grow without bound.
    std::chrono::milliseconds closed_order_retention{std::chrono::hours(1)};
    std::size_t max_closed_orders = 10'000;
    // How often unanswered orders are looked for (engine clock). A backtest, whose venue always
    // answers, checks rarely: each check is an event through the bus.
    std::chrono::milliseconds timeout_check_interval{std::chrono::seconds(1)};
};

struct OmsStats {
    std::uint64_t submitted = 0;          // sent to the venue
    std::uint64_t rejected_locally = 0;   // refused by the pre-submit checks
    std::uint64_t venue_updates = 0, venue_fills = 0;
    std::uint64_t applied = 0, stale = 0, duplicates = 0, refused = 0;
    std::uint64_t confirmed = 0;          // venue reports of what the fills had already settled
    std::uint64_t unknown_orders = 0;     // venue messages about orders this manager did not place
    std::uint64_t cancels_sent = 0, queries_sent = 0;
    std::uint64_t venue_rejects = 0;     // orders the venue refused (each logged as a warning)
    std::uint64_t closed_pruned = 0;     // finished orders that left memory (retention)
    std::size_t orders_in_memory = 0, open_orders = 0;
};

// What one strategy's fills made and cost (per-strategy PnL): realized PnL and fees per
// instrument, in the quote asset, from that strategy's fills only.
struct StrategyPnl {
    std::string strategy;
    std::vector<Position> positions;
    std::uint64_t fills = 0;
};

// A copy of one order's state, safe to hand to any thread (and to Python).
struct OrderView {
    std::string strategy;
    OrderRequest request;
    OrderStatus status = OrderStatus::Initialized;
    Quantity filled;
    Quantity leaves;
    Price avg_fill_price;
    Money cumulative_quote;
    std::string reason;
    std::int64_t venue_order_id = 0;
    UnixNanos ts_init = 0;
    UnixNanos ts_last = 0;
};

// How submit() treats one order beyond the pre-submit checks.
struct SubmitOptions {
    // Refuse the order with this reason (a check made by the caller: a strategy's order-rate
    // budget, a paused strategy): recorded and published as REJECTED, never sent.
    std::optional<std::string> refuse;
    // Called with the client order id once the order is recorded, before anything about it is
    // published (the strategy runtime records the order's owner here). Lock held: be quick.
    std::function<void(std::string_view)> recorded;
};

class OrderManager {
public:
    // With one venue (every order goes to it). `prices`: where last prices come from; null:
    // the order manager keeps its own from the bus.
    OrderManager(TradingEngine& engine, ExecutionVenue& venue, OmsConfig config = {},
                 const PriceSource* prices = nullptr);
    // Venues are added with add_venue(); an order goes to the venue its instrument id names.
    explicit OrderManager(TradingEngine& engine, OmsConfig config = {}, const PriceSource* prices = nullptr);
    // Before the first order. Throws std::invalid_argument for a second venue of one name.
    void add_venue(ExecutionVenue& venue);
    ~OrderManager();
    OrderManager(const OrderManager&) = delete;
    OrderManager& operator=(const OrderManager&) = delete;

    // Checks the order (engine running, instrument known, tick, step, min/max quantity, min
    // notional, max order notional, max position), records it, publishes ORDER_CREATED and
    // then ORDER_UPDATE (SUBMITTED) and sends it — or, if a check fails, ORDER_REJECT with the
    // reason. Returns the client order id either way. Throws std::invalid_argument only for a
    // request that cannot be an order at all (a client order id already in use, no quantity).
    std::string submit(std::string_view strategy, OrderRequest request, const SubmitOptions& options = {});
    // Cancels one open order (PENDING_CANCEL, then the venue's answer). An order not yet
    // acknowledged is canceled as soon as it is. False if unknown or already finished.
    bool cancel(std::string_view client_order_id);
    // Cancels every open order of a strategy (empty: all) on an instrument (none: all).
    std::size_t cancel_all(std::string_view strategy = {}, const std::optional<InstrumentId>& instrument = std::nullopt);
    // Cancel + new with the same side and type: the new order's id ("" if the old one is not open).
    std::string replace(std::string_view client_order_id, std::optional<Price> price, std::optional<Quantity> quantity);

    std::optional<OrderView> order(std::string_view client_order_id) const;
    std::vector<OrderView> orders(std::string_view strategy = {}, bool open_only = false,
                                  const std::optional<InstrumentId>& instrument = std::nullopt) const;
    // Every venue's account together (balances and fees summed by asset, positions by
    // instrument), and one account alone.
    PortfolioSnapshot portfolio() const;
    PortfolioSnapshot account(std::string_view venue) const;
    std::vector<std::string> venues() const;
    std::vector<StrategyPnl> strategy_pnl() const;
    Position position(const InstrumentId& instrument) const;
    // The part of the position one order can close, signed like the position: rounded toward
    // zero to the step size, and zero below the minimum quantity (the dust a commission charged
    // in the base asset leaves behind cannot be sold). Zero for an instrument no venue lists.
    Quantity closable(const InstrumentId& instrument) const;
    // The trading rules of an instrument (nullptr when no venue of this manager lists it).
    const Instrument* instrument(const InstrumentId& instrument) const;
    Money realized_pnl(const InstrumentId& instrument) const;
    // At the last price seen (candle close, trade or mid quote); zero without one.
    Money unrealized_pnl(const InstrumentId& instrument) const;
    std::optional<Price> last_price(const InstrumentId& instrument) const;
    // The venue's authoritative balance (at start, or after a reconciliation); fills move it
    // after. Without a venue name: the first venue's account.
    void set_balance(const Balance& balance);
    void set_balance(std::string_view venue, const Balance& balance);
    // Queries every order still SUBMITTED after ack_timeout (a 1 s engine timer calls this).
    std::size_t check_timeouts();
    OmsStats stats() const;
    const std::string& id_prefix() const noexcept { return prefix_; }

private:
    struct Entry {
        std::string strategy;
        Order order;
        UnixNanos submitted_at = 0;
        UnixNanos last_query = 0;
        bool cancel_when_acked = false;
        bool closed = false;  // in closed_ (terminal)
    };
    using Publish = std::vector<Event>;

    ExecutionVenue* route(const InstrumentId& instrument) const;  // lock held or not: venues_ is fixed
    Portfolio& account_of(const InstrumentId& instrument);       // lock held
    void track(Entry& e, const std::string& id);                 // lock held: open/closed indexes
    void prune_closed();                                         // lock held

    void on_venue_update(const OrderUpdate& update);
    void on_venue_fill(const Fill& fill);
    std::optional<std::string> check(const OrderRequest& r) const;  // lock held
    std::string next_id(std::string_view strategy);                  // lock held
    OrderUpdate view_update(const Entry& e, UnixNanos ts_event, UnixNanos ts_recv) const;
    static OrderView view(const Entry& e);
    void publish(Publish& events);
    UnixNanos now() const noexcept { return engine_.clock().now_ns(); }

    TradingEngine& engine_;
    std::vector<ExecutionVenue*> venue_list_;                       // in add_venue() order
    std::map<std::string, ExecutionVenue*, std::less<>> venues_;   // by name
    OmsConfig config_;
    std::string prefix_;
    LastPrices own_prices_;            // used when no PriceSource is given
    const PriceSource* prices_;
    mutable std::mutex m_;
    struct IdHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view id) const noexcept { return std::hash<std::string_view>{}(id); }
    };
    std::unordered_map<std::string, Entry, IdHash, std::equal_to<>> orders_;  // by client order id
    std::set<std::string, std::less<>> open_;                      // ids of open orders
    std::deque<std::pair<UnixNanos, std::string>> closed_;        // finished orders, oldest first
    std::map<std::string, int, std::less<>> strategy_tags_;
    std::uint64_t sequence_ = 0;
    std::map<std::string, Portfolio, std::less<>> accounts_;       // by venue name
    std::map<std::string, Portfolio, std::less<>> books_;          // by strategy: its own fills
    OmsStats stats_;
    std::vector<SubscriptionId> subscriptions_;
    TimerId timeout_timer_ = 0;
};

}  // namespace te::oms
