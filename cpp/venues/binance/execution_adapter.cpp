#include "venues/binance/execution_adapter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te::binance {

namespace asio = boost::asio;

std::string rejection_reason(const VenueError& error) {
    if (error.code() != 0) return fmt::format("Binance {} {}", error.code(), error.venue_message());
    return error.what();
}

void ExecutionAdapter::submit(const OrderRequest& request) {
    asio::co_spawn(
        ctx_,
        [this, request]() -> asio::awaitable<void> {
            try {
                (void)co_await client_.async_place(request);  // the client reported it
            } catch (const ConnectionLostError& e) {
                // Status unknown even after the client's own queries: the order manager's
                // acknowledgement timeout queries it again later; nothing is resent.
                log::error("binance", "order status unknown after retries",
                           {{"client_order_id", request.client_order_id.str()}, {"error", e.what()}});
            } catch (const VenueError& e) {
                client_.report(rejected_update(request, rejection_reason(e), LiveClock().now_ns()));
            } catch (const ConfigError& e) {
                client_.report(rejected_update(request, e.what(), LiveClock().now_ns()));
            } catch (const std::exception& e) {
                log::error("binance", "order status unknown after retries",
                           {{"client_order_id", request.client_order_id.str()}, {"error", e.what()}});
            }
        },
        asio::detached);
}

void ExecutionAdapter::cancel(const InstrumentId& instrument, std::string_view client_order_id) {
    asio::co_spawn(
        ctx_,
        [this, instrument, id = std::string(client_order_id)]() -> asio::awaitable<void> {
            try {
                (void)co_await client_.async_cancel(instrument, id);
                co_return;
            } catch (const std::exception& e) {
                // Filled, already canceled, or not there: the order's state says which.
                log::info("binance", "cancel refused; querying the order", {{"client_order_id", id}, {"error", e.what()}});
            }
            try {
                (void)co_await client_.async_query(instrument, id);
            } catch (const std::exception& e) {
                log::warn("binance", "order query after a refused cancel failed",
                          {{"client_order_id", id}, {"error", e.what()}});
            }
        },
        asio::detached);
}

void ExecutionAdapter::query(const InstrumentId& instrument, std::string_view client_order_id) {
    asio::co_spawn(
        ctx_,
        [this, instrument, id = std::string(client_order_id)]() -> asio::awaitable<void> {
            try {
                (void)co_await client_.async_query(instrument, id);
            } catch (const std::exception& e) {
                log::warn("binance", "order query failed", {{"client_order_id", id}, {"error", e.what()}});
            }
        },
        asio::detached);
}

const Instrument* ExecutionAdapter::instrument(const InstrumentId& id) const {
    try {
        const Instrument& inst = client_.instrument(id.symbol());
        return inst.id() == id ? &inst : nullptr;
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace te::binance
