#pragma once
// The order state machine of ARCHITECTURE §7 and one order's execution state, fed by venue
// messages (OrderUpdate, Fill) and by the order manager's own commands (submit, cancel).
// Sans-I/O: nothing here sends or receives; docs/oms.md has the transition table and the
// rules for out-of-order messages.
//
// Every input is validated before anything changes: an input that is a duplicate, stale or
// refused leaves the order exactly as it was. Refusals are logged (component "oms", warn).
// Not thread-safe: an Order is driven by one thread (the engine's dispatcher).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/decimal.hpp"
#include "core/enums.hpp"
#include "core/money.hpp"
#include "core/orders.hpp"
#include "core/time.hpp"
#include "core/wide.hpp"
#include "oms/types.hpp"

namespace te::oms {

// True if `from -> to` is in the transition table (docs/oms.md). The self-transitions
// PARTIALLY_FILLED -> PARTIALLY_FILLED and PENDING_CANCEL -> PENDING_CANCEL are the fills
// that leave the status unchanged; terminal states accept nothing.
bool is_valid_transition(OrderStatus from, OrderStatus to) noexcept;

// Working at the venue, or possibly so (SUBMITTED .. PENDING_CANCEL). INITIALIZED is neither
// open nor terminal: the order has not been sent.
constexpr bool is_open(OrderStatus s) noexcept {
    return s == OrderStatus::Submitted || s == OrderStatus::Accepted || s == OrderStatus::PartiallyFilled ||
           s == OrderStatus::PendingCancel;
}

// One applied change of status or filled quantity.
struct OrderTransition {
    OrderStatus from = OrderStatus::Initialized;
    OrderStatus to = OrderStatus::Initialized;
    Quantity filled;  // after the change
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
    std::string cause;  // "submit", "update", "fill", "cancel", "cancel rejected", "reject"
};

class Order {
public:
    // Throws std::invalid_argument for an empty client order id or instrument, a negative
    // quantity, or a zero quantity without a quote quantity.
    explicit Order(const OrderRequest& request, UnixNanos ts_init = 0);

    // ---- local commands (the order manager) ---------------------------------------------
    ApplyResult submit(UnixNanos ts);                                // INITIALIZED -> SUBMITTED
    ApplyResult reject(std::string_view reason, UnixNanos ts);       // local refusal (risk, send failed)
    ApplyResult request_cancel(UnixNanos ts);                        // ACCEPTED|PARTIALLY_FILLED -> PENDING_CANCEL
    ApplyResult cancel_rejected(std::string_view reason, UnixNanos ts);  // back to the live state

    // ---- venue messages ------------------------------------------------------------------
    ApplyResult apply(const OrderUpdate& update);
    ApplyResult apply(const Fill& fill);

    // ---- state -----------------------------------------------------------------------------
    const OrderRequest& request() const noexcept { return request_; }
    const ClientOrderId& client_order_id() const noexcept { return request_.client_order_id; }
    OrderStatus status() const noexcept { return status_; }
    bool is_open() const noexcept { return oms::is_open(status_); }
    bool is_terminal() const noexcept { return te::is_terminal(status_); }

    // The base quantity ordered: the request's, or for a quote-sized market order the one the
    // venue reported (zero until it does).
    Quantity quantity() const noexcept { return quantity_; }
    // max(venue-reported cumulative, sum of applied fills): the furthest progress known.
    Quantity filled_quantity() const noexcept { return filled_; }
    // quantity - filled, never negative; zero while a quote-sized order's quantity is unknown.
    Quantity leaves_quantity() const noexcept;
    Money cumulative_quote() const noexcept { return cum_quote_; }
    // cumulative quote / filled quantity, one half-even rounding to 9 places; zero if unfilled.
    Price avg_fill_price() const noexcept { return avg_price_; }
    // Sum of the applied fills only (the venue's cumulative may be ahead of them).
    Quantity fills_quantity() const noexcept { return fills_qty_; }

    const std::vector<AssetAmount>& commissions() const noexcept { return commissions_; }
    Money commission(std::string_view asset) const noexcept;
    std::int64_t venue_order_id() const noexcept { return venue_order_id_; }  // 0 until known
    const std::unordered_set<std::int64_t>& trade_ids() const noexcept { return trade_ids_; }
    bool has_trade(std::int64_t trade_id) const noexcept { return trade_ids_.contains(trade_id); }
    const std::string& last_reason() const noexcept { return last_reason_; }

    UnixNanos ts_init() const noexcept { return ts_init_; }
    UnixNanos ts_last() const noexcept { return ts_last_; }  // ts_event of the last applied input
    const std::vector<OrderTransition>& history() const noexcept { return history_; }

private:
    // The new values an input would produce, committed only once it has been validated.
    struct Progress {
        OrderStatus status;
        Quantity quantity;
        Quantity reported_filled;
        Money reported_quote;
        Quantity fills_qty;
        Int256 fills_quote_e18;
        Quantity filled;  // the rest is derived by settle()
        Money cum_quote;
        Price avg_price;
    };

    std::optional<std::string> identity_mismatch(const InstrumentId& instrument, const ClientOrderId& id,
                                                 std::int64_t venue_order_id) const;
    OrderStatus live_status(Quantity filled, Quantity quantity) const noexcept;
    Progress current() const noexcept;
    // Derives filled, cumulative quote and average price; the reason if out of range.
    static std::optional<std::string> settle(Progress& p);
    void commit(const Progress& p, UnixNanos ts_event, UnixNanos ts_recv, std::string_view cause);
    void note_venue_order_id(std::int64_t id) noexcept;
    void add_commission(const Fill& fill);
    ApplyResult refuse(std::string_view input, std::string reason) const;
    ApplyResult ignore(ApplyStatus status, std::string_view input, std::string reason) const;

    OrderRequest request_;
    OrderStatus status_ = OrderStatus::Initialized;
    Quantity quantity_;
    // Two sources of progress, each consistent in itself: the venue's cumulative report and
    // the sum of the fills (quote held exactly, in units of 1e-18). They agree once every
    // message has arrived; until then the order shows the one further ahead.
    OrderStatus reported_status_ = OrderStatus::Initialized;  // the venue's last report, to tell
    Quantity reported_filled_;                                // its first word from its repeats
    Money reported_quote_;
    Quantity fills_qty_;
    Int256 fills_quote_e18_ = 0;
    Quantity filled_;
    Money cum_quote_;
    Price avg_price_;
    std::vector<AssetAmount> commissions_;
    std::int64_t venue_order_id_ = 0;
    std::unordered_set<std::int64_t> trade_ids_;
    std::string last_reason_;
    UnixNanos ts_init_ = 0;
    UnixNanos ts_last_ = 0;
    std::vector<OrderTransition> history_;
};

}  // namespace te::oms
