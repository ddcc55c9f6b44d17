#pragma once
// What the order manager sends orders through: the execution side of a venue (Binance, the
// simulated exchange, or a broker adapter written in Python). Every call returns at once; the
// outcome comes back through the venue's ExecutionSink (order updates, fills), so the caller —
// usually the engine's dispatcher thread running a strategy — never waits for the network.
#include <string>
#include <string_view>

#include "core/instrument.hpp"
#include "core/orders.hpp"

namespace te {

// The REJECTED update a venue adapter reports for an order it could not send (the reason cut
// to what an OrderUpdate holds).
inline OrderUpdate rejected_update(const OrderRequest& r, std::string_view reason, UnixNanos ts) {
    OrderUpdate u;
    u.instrument_id = r.instrument_id;
    u.client_order_id = r.client_order_id;
    u.status = OrderStatus::Rejected;
    u.side = r.side;
    u.type = r.type;
    u.time_in_force = r.time_in_force;
    u.price = r.price.value_or(Price());
    u.quantity = r.quantity;
    u.reason.assign(reason.substr(0, ReasonText::kCapacity));
    u.ts_event = u.ts_recv = ts;
    return u;
}

class ExecutionVenue {
public:
    virtual ~ExecutionVenue() = default;
    virtual std::string name() const = 0;
    // Sends the order. The venue reports ACCEPTED (or FILLED ...) or REJECTED with a reason
    // through its sink; a status it cannot learn is left for query().
    virtual void submit(const OrderRequest& request) = 0;
    virtual void cancel(const InstrumentId& instrument, std::string_view client_order_id) = 0;
    // Asks for the order's current state (reported through the sink).
    virtual void query(const InstrumentId& instrument, std::string_view client_order_id) = 0;
    // The instrument's trading rules, or nullptr if the venue does not list it. Called with the
    // order manager's lock held: it must answer from memory (no I/O, no Python).
    virtual const Instrument* instrument(const InstrumentId& id) const = 0;
};

}  // namespace te
