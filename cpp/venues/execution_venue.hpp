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
