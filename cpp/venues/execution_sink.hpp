#pragma once
// Where a venue's execution client delivers what it learns about orders and balances: from
// the user-data stream, from REST answers, and from the reconciliation after each reconnect.
// The order manager implements it. Called on the client's IO thread: quick, never throwing.
// The same fill can be reported twice (stream and reconciliation): de-duplicate by trade_id.
#include <string_view>

#include "core/orders.hpp"

namespace te {

class ExecutionSink {
public:
    virtual ~ExecutionSink() = default;
    virtual void on_order_update(const OrderUpdate& update) noexcept = 0;
    virtual void on_fill(const Fill& fill) noexcept = 0;
    virtual void on_balance(const Balance& balance) noexcept = 0;
    // Something a person should know: a ban, lost user-data stream, auth failure.
    virtual void on_alert(std::string_view kind, std::string_view message) noexcept = 0;
};

}  // namespace te
