#pragma once
// Order value types shared by venues, the order manager and the portfolio. Trivially
// copyable (ids are inline FixedStrings) so they travel through the EventBus without
// allocation. ts_event is the venue's time, ts_recv ours.
#include <cstdint>
#include <optional>
#include <type_traits>

#include "core/enums.hpp"
#include "core/fixed_string.hpp"
#include "core/instrument.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace te {

// What to send: one new order.
struct OrderRequest {
    InstrumentId instrument_id;
    ClientOrderId client_order_id;  // unique per engine; a retry reuses it
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    TimeInForce time_in_force = TimeInForce::Gtc;
    Quantity quantity;                     // base quantity (zero for a quote-quantity market order)
    std::optional<Price> price;            // limit orders
    std::optional<Money> quote_quantity;   // market orders sized in the quote asset
};

// What a venue says about one order, in the engine's vocabulary (ARCHITECTURE §7).
struct OrderUpdate {
    InstrumentId instrument_id;
    ClientOrderId client_order_id;
    std::int64_t venue_order_id = 0;
    OrderStatus status = OrderStatus::Accepted;
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    TimeInForce time_in_force = TimeInForce::Gtc;
    Price price;
    Quantity quantity;
    Quantity filled_quantity;
    Money filled_quote;  // cumulative quote quantity of the fills
    ReasonText reason;   // why it was rejected or expired, when it was
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
};

// One execution of (part of) an order.
struct Fill {
    InstrumentId instrument_id;
    ClientOrderId client_order_id;
    std::int64_t venue_order_id = 0;
    std::int64_t trade_id = 0;  // unique per instrument at the venue: fills are de-duplicated by it
    Side side = Side::Buy;
    Price price;
    Quantity quantity;
    Money commission;
    Asset commission_asset;
    bool maker = false;
    UnixNanos ts_event = 0;
    UnixNanos ts_recv = 0;
};

// One asset's balance (free and locked), as the venue reports it or the portfolio holds it.
struct Balance {
    Asset asset;
    Quantity free;
    Quantity locked;
    UnixNanos ts_event = 0;
};

static_assert(std::is_trivially_copyable_v<OrderRequest>);
static_assert(std::is_trivially_copyable_v<OrderUpdate>);
static_assert(std::is_trivially_copyable_v<Fill>);

}  // namespace te
