#include "oms/order_state.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <stdexcept>

#include <fmt/format.h>

#include "core/logging.hpp"

namespace te::oms {

namespace {

constexpr std::string_view kComponent = "oms";

constexpr std::uint16_t bit(OrderStatus s) noexcept {
    return static_cast<std::uint16_t>(1u << static_cast<unsigned>(s));
}

using S = OrderStatus;

// Row: the statuses reachable from one status (docs/oms.md, "Transition table").
constexpr std::array<std::uint16_t, enum_count<OrderStatus>()> kTransitions = {
    /* INITIALIZED      */ bit(S::Submitted) | bit(S::Rejected),
    /* SUBMITTED        */ bit(S::Accepted) | bit(S::Rejected) | bit(S::PartiallyFilled) | bit(S::Filled) |
        bit(S::Canceled) | bit(S::Expired),
    /* ACCEPTED         */ bit(S::PartiallyFilled) | bit(S::Filled) | bit(S::PendingCancel) | bit(S::Canceled) |
        bit(S::Expired),
    /* PARTIALLY_FILLED */ bit(S::PartiallyFilled) | bit(S::Filled) | bit(S::PendingCancel) | bit(S::Canceled) |
        bit(S::Expired),
    /* FILLED           */ 0,
    /* PENDING_CANCEL   */ bit(S::PendingCancel) | bit(S::Accepted) | bit(S::PartiallyFilled) | bit(S::Filled) |
        bit(S::Canceled) | bit(S::Expired),
    /* CANCELED         */ 0,
    /* REJECTED         */ 0,
    /* EXPIRED          */ 0,
};

std::string transition_text(OrderStatus from, OrderStatus to) {
    return fmt::format("invalid transition {} -> {}", to_string(from), to_string(to));
}

}  // namespace

bool is_valid_transition(OrderStatus from, OrderStatus to) noexcept {
    const auto i = static_cast<std::size_t>(from);
    return i < kTransitions.size() && (kTransitions[i] & bit(to)) != 0;
}

Order::Order(const OrderRequest& request, UnixNanos ts_init)
    : request_(request), quantity_(request.quantity), ts_init_(ts_init), ts_last_(ts_init) {
    std::string problems;
    if (request.client_order_id.empty()) problems += "; empty client order id";
    if (request.instrument_id.empty()) problems += "; empty instrument id";
    if (request.quantity.sign() < 0) problems += "; negative quantity " + request.quantity.to_string();
    if (request.quantity.is_zero() && (!request.quote_quantity || request.quote_quantity->sign() <= 0))
        problems += "; zero quantity and no positive quote quantity";
    if (!problems.empty()) throw std::invalid_argument("invalid order request: " + problems.substr(2));
}

// ---- helpers ---------------------------------------------------------------------------

Quantity Order::leaves_quantity() const noexcept {
    // A terminal order has nothing left working, whatever it did not fill.
    if (is_terminal() || quantity_.is_zero() || filled_ >= quantity_) return Quantity{};
    return quantity_ - filled_;
}

Money Order::commission(std::string_view asset) const noexcept {
    for (const auto& c : commissions_)
        if (c.asset == asset) return c.amount;
    return Money{};
}

std::optional<std::string> Order::identity_mismatch(const InstrumentId& instrument, const ClientOrderId& id,
                                                    std::int64_t venue_order_id) const {
    if (!(id == request_.client_order_id))
        return fmt::format("client order id '{}' is not this order's", id.view());
    if (!(instrument == request_.instrument_id))
        return fmt::format("instrument {} is not this order's {}", instrument.view(), request_.instrument_id.view());
    // The same client id on another venue order means the id was reused: never merge them.
    if (venue_order_id != 0 && venue_order_id_ != 0 && venue_order_id != venue_order_id_)
        return fmt::format("venue order id {} is not this order's {}", venue_order_id, venue_order_id_);
    return std::nullopt;
}

// The live status that a filled quantity implies. A pending cancel stays pending through
// partial fills: the cancel request is still outstanding.
OrderStatus Order::live_status(Quantity filled, Quantity quantity) const noexcept {
    OrderStatus s = OrderStatus::PartiallyFilled;
    if (filled.is_zero()) s = OrderStatus::Accepted;
    else if (!quantity.is_zero() && filled >= quantity) s = OrderStatus::Filled;
    if (status_ == OrderStatus::PendingCancel && s != OrderStatus::Filled) return OrderStatus::PendingCancel;
    return s;
}

Order::Progress Order::current() const noexcept {
    return {status_, quantity_, reported_filled_, reported_quote_, fills_qty_, fills_quote_e18_,
            filled_, cum_quote_, avg_price_};
}

std::optional<std::string> Order::settle(Progress& p) {
    p.filled = std::max(p.reported_filled, p.fills_qty);
    if (p.filled.is_zero()) {
        p.cum_quote = Money{};
        p.avg_price = Price{};
        return std::nullopt;
    }
    if (p.fills_qty >= p.reported_filled) {
        // Exact sum of price * quantity, rounded once: a single fill's average is its price.
        const auto quote = narrow(round_div(p.fills_quote_e18, Int256(Decimal::kOne), Rounding::HalfEven));
        if (!quote) return std::string("cumulative quote out of range");
        p.cum_quote = Money::from_raw(*quote);
        // Lies between the lowest and the highest fill price, so it fits.
        p.avg_price = Price::from_raw(
            *narrow(round_div(p.fills_quote_e18, to_wide(p.fills_qty.raw()), Rounding::HalfEven)));
        return std::nullopt;
    }
    p.cum_quote = p.reported_quote;
    try {
        p.avg_price = p.reported_quote / p.reported_filled;  // half-even
    } catch (const std::overflow_error&) {
        return std::string("average price out of range");
    }
    return std::nullopt;
}

void Order::commit(const Progress& p, UnixNanos ts_event, UnixNanos ts_recv, std::string_view cause) {
    const OrderStatus from = status_;
    const Quantity filled_before = filled_;
    status_ = p.status;
    quantity_ = p.quantity;
    reported_filled_ = p.reported_filled;
    reported_quote_ = p.reported_quote;
    fills_qty_ = p.fills_qty;
    fills_quote_e18_ = p.fills_quote_e18;
    filled_ = p.filled;
    cum_quote_ = p.cum_quote;
    avg_price_ = p.avg_price;
    ts_last_ = ts_event;
    if (from == status_ && filled_before == filled_) return;
    history_.push_back({from, status_, filled_, ts_event, ts_recv, std::string(cause)});
    if (log::enabled(log::Level::Debug))
        log::debug(kComponent, "order transition",
                   {{"client_order_id", client_order_id().view()}, {"from", to_string(from)},
                    {"to", to_string(status_)}, {"filled", filled_.to_string()}, {"cause", cause}});
}

void Order::note_venue_order_id(std::int64_t id) noexcept {
    if (venue_order_id_ == 0) venue_order_id_ = id;
}

void Order::add_commission(const Fill& fill) {
    if (fill.commission.is_zero()) return;
    for (auto& c : commissions_)
        if (c.asset == fill.commission_asset) {
            c.amount += fill.commission;
            return;
        }
    commissions_.push_back({fill.commission_asset, fill.commission});
}

ApplyResult Order::refuse(std::string_view input, std::string reason) const {
    log::warn(kComponent, "order input refused",
              {{"client_order_id", client_order_id().view()}, {"status", to_string(status_)}, {"input", input},
               {"reason", reason}});
    return {ApplyStatus::Refused, std::move(reason)};
}

ApplyResult Order::ignore(ApplyStatus status, std::string_view input, std::string reason) const {
    if (log::enabled(log::Level::Debug))
        log::debug(kComponent, "order input ignored",
                   {{"client_order_id", client_order_id().view()}, {"status", to_string(status_)},
                    {"input", input}, {"outcome", to_string(status)}, {"reason", reason}});
    return {status, std::move(reason)};
}

// ---- local commands --------------------------------------------------------------------

ApplyResult Order::submit(UnixNanos ts) {
    if (status_ == OrderStatus::Submitted) return ignore(ApplyStatus::Duplicate, "submit", "already SUBMITTED");
    if (!is_valid_transition(status_, OrderStatus::Submitted))
        return refuse("submit", transition_text(status_, OrderStatus::Submitted));
    Progress p = current();
    p.status = OrderStatus::Submitted;
    commit(p, ts, ts, "submit");
    return ApplyResult::ok();
}

ApplyResult Order::reject(std::string_view reason, UnixNanos ts) {
    if (status_ == OrderStatus::Rejected) return ignore(ApplyStatus::Duplicate, "reject", "already REJECTED");
    if (!is_valid_transition(status_, OrderStatus::Rejected))
        return refuse("reject", transition_text(status_, OrderStatus::Rejected));
    Progress p = current();
    p.status = OrderStatus::Rejected;
    last_reason_ = std::string(reason);
    commit(p, ts, ts, "reject");
    return ApplyResult::ok();
}

ApplyResult Order::request_cancel(UnixNanos ts) {
    if (status_ == OrderStatus::PendingCancel)
        return ignore(ApplyStatus::Duplicate, "cancel", "a cancel is already pending");
    // Cancelling an order that has just finished is a normal race, not an error.
    if (is_terminal()) return ignore(ApplyStatus::Stale, "cancel", fmt::format("order is {}", to_string(status_)));
    if (!is_valid_transition(status_, OrderStatus::PendingCancel))
        return refuse("cancel", transition_text(status_, OrderStatus::PendingCancel));
    Progress p = current();
    p.status = OrderStatus::PendingCancel;
    commit(p, ts, ts, "cancel");
    return ApplyResult::ok();
}

ApplyResult Order::cancel_rejected(std::string_view reason, UnixNanos ts) {
    // Usually the venue refused the cancel because the order had filled meanwhile.
    if (status_ != OrderStatus::PendingCancel)
        return ignore(ApplyStatus::Stale, "cancel rejected", fmt::format("order is {}", to_string(status_)));
    Progress p = current();
    p.status = filled_.is_zero() ? OrderStatus::Accepted : OrderStatus::PartiallyFilled;
    last_reason_ = std::string(reason);
    commit(p, ts, ts, "cancel rejected");
    return ApplyResult::ok();
}

// ---- venue messages --------------------------------------------------------------------

ApplyResult Order::apply(const OrderUpdate& u) {
    constexpr std::string_view kInput = "update";
    if (auto why = identity_mismatch(u.instrument_id, u.client_order_id, u.venue_order_id))
        return refuse(kInput, std::move(*why));
    if (u.filled_quantity.sign() < 0 || u.filled_quote.sign() < 0 || u.quantity.sign() < 0)
        return refuse(kInput, "negative quantity in update");
    // Cumulative quantities only grow: less than known means the message is older.
    if (u.filled_quantity < filled_)
        return ignore(ApplyStatus::Stale, kInput,
                      fmt::format("{} reports filled {} < known {}", to_string(u.status),
                                  u.filled_quantity.to_string(), filled_.to_string()));
    Progress p = current();
    if (p.quantity.is_zero())  // a quote-sized market order learns its base quantity here
        p.quantity = !u.quantity.is_zero() ? u.quantity
                                           : (u.status == OrderStatus::Filled ? u.filled_quantity : p.quantity);
    if (!p.quantity.is_zero() && u.filled_quantity > p.quantity)
        return refuse(kInput, fmt::format("over-fill: filled {} > quantity {}", u.filled_quantity.to_string(),
                                          p.quantity.to_string()));
    p.reported_filled = u.filled_quantity;
    p.reported_quote = u.filled_quote;
    if (auto why = settle(p)) return refuse(kInput, std::move(*why));
    const bool live = u.status == OrderStatus::Accepted || u.status == OrderStatus::PartiallyFilled;
    p.status = live ? live_status(p.filled, p.quantity) : u.status;

    const bool unchanged = p.status == status_ && p.filled == filled_;
    const bool repeat = u.status == reported_status_ && u.filled_quantity == reported_filled_ &&
                        u.filled_quote == reported_quote_;
    if (unchanged && repeat)
        return ignore(ApplyStatus::Duplicate, kInput,
                      fmt::format("already {} with filled {}", to_string(status_), filled_.to_string()));
    if (unchanged) {  // the fills got there first; the venue's word is recorded, not published
        reported_status_ = u.status;
        note_venue_order_id(u.venue_order_id);
        commit(p, u.ts_event, u.ts_recv, kInput);
        return ignore(ApplyStatus::Confirmed, kInput,
                      fmt::format("the venue confirms {} with filled {}", to_string(status_), filled_.to_string()));
    }
    if (status_ == OrderStatus::Filled)  // FILLED wins every race: later news is old news
        return ignore(ApplyStatus::Stale, kInput, fmt::format("{} after FILLED", to_string(u.status)));
    // A live report after the order ended, with nothing new filled: it was overtaken (the REST
    // answer CANCELED or EXPIRED arrives before the stream's NEW). Only progress contradicts.
    if (te::is_terminal(status_) && !te::is_terminal(p.status) && p.filled == filled_)
        return ignore(ApplyStatus::Stale, kInput,
                      fmt::format("{} after {}", to_string(u.status), to_string(status_)));
    if (p.status == OrderStatus::Filled && p.filled != p.quantity)
        return refuse(kInput, fmt::format("FILLED with filled {} of {}", p.filled.to_string(), p.quantity.to_string()));
    if (p.status == OrderStatus::Rejected && !p.filled.is_zero())
        return refuse(kInput, fmt::format("REJECTED with filled {}", p.filled.to_string()));
    if (!is_valid_transition(status_, p.status)) return refuse(kInput, transition_text(status_, p.status));

    reported_status_ = u.status;
    note_venue_order_id(u.venue_order_id);
    if (!u.reason.empty()) last_reason_ = u.reason.str();
    commit(p, u.ts_event, u.ts_recv, kInput);
    return ApplyResult::ok();
}

ApplyResult Order::apply(const Fill& f) {
    constexpr std::string_view kInput = "fill";
    if (auto why = identity_mismatch(f.instrument_id, f.client_order_id, f.venue_order_id))
        return refuse(kInput, std::move(*why));
    if (f.side != request_.side)
        return refuse(kInput, fmt::format("fill side {} on a {} order", to_string(f.side), to_string(request_.side)));
    if (f.quantity.sign() <= 0 || f.price.sign() <= 0)
        return refuse(kInput, fmt::format("fill of {} at {}: quantity and price must be positive",
                                          f.quantity.to_string(), f.price.to_string()));
    if (trade_ids_.contains(f.trade_id))
        return ignore(ApplyStatus::Duplicate, kInput, fmt::format("trade {} already applied", f.trade_id));

    Progress p = current();
    p.fills_qty = fills_qty_ + f.quantity;
    // Exact in 256 bits: at most 2^254 per fill, and the sum is checked by settle().
    p.fills_quote_e18 = fills_quote_e18_ + wide_product(f.price.value(), f.quantity.value());
    // A terminal order's final filled quantity is known: late fills may only catch up to it.
    if (is_terminal() && p.fills_qty > filled_)
        return refuse(kInput, fmt::format("over-fill: fills {} > final filled {} of a {} order",
                                          p.fills_qty.to_string(), filled_.to_string(), to_string(status_)));
    if (!is_terminal() && !p.quantity.is_zero() && p.fills_qty > p.quantity)
        return refuse(kInput, fmt::format("over-fill: fills {} > quantity {}", p.fills_qty.to_string(),
                                          p.quantity.to_string()));
    if (auto why = settle(p)) return refuse(kInput, std::move(*why));
    if (!is_terminal()) p.status = live_status(p.filled, p.quantity);
    const bool changed = p.status != status_ || p.filled != filled_;
    if (changed && !is_valid_transition(status_, p.status)) return refuse(kInput, transition_text(status_, p.status));

    trade_ids_.insert(f.trade_id);
    add_commission(f);
    note_venue_order_id(f.venue_order_id);
    commit(p, f.ts_event, f.ts_recv, kInput);
    return ApplyResult::ok();
}

}  // namespace te::oms
