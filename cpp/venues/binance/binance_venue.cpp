#include "venues/binance/binance_venue.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te::binance {

namespace asio = boost::asio;

void BinanceVenue::report_rejected(const OrderRequest& r, std::string_view reason) {
    // "order <id> rejected: Binance -2010 ..." -> "Binance -2010 ...": the order is known.
    const std::string prefix = "order " + r.client_order_id.str() + " rejected: ";
    if (reason.substr(0, prefix.size()) == prefix) reason.remove_prefix(prefix.size());
    sink_.on_order_update(rejected_update(r, reason, LiveClock().now_ns()));
}

void BinanceVenue::submit(const OrderRequest& request) {
    asio::co_spawn(
        ctx_,
        [this, request]() -> asio::awaitable<void> {
            try {
                sink_.on_order_update(co_await client_.async_place(request));
            } catch (const OrderRejectedError& e) {
                report_rejected(request, e.what());
            } catch (const RateLimitedError& e) {
                report_rejected(request, e.what());
            } catch (const AuthenticationError& e) {
                report_rejected(request, e.what());
            } catch (const ConfigError& e) {
                report_rejected(request, e.what());
            } catch (const std::exception& e) {
                // Status unknown even after the client's own queries: the order manager's
                // acknowledgement timeout queries it again later; nothing is resent.
                log::error("binance", "order status unknown after retries",
                           {{"client_order_id", request.client_order_id.str()}, {"error", e.what()}});
            }
        },
        asio::detached);
}

void BinanceVenue::cancel(const InstrumentId& instrument, std::string_view client_order_id) {
    asio::co_spawn(
        ctx_,
        [this, instrument, id = std::string(client_order_id)]() -> asio::awaitable<void> {
            try {
                sink_.on_order_update(co_await client_.async_cancel(instrument, id));
                co_return;
            } catch (const std::exception& e) {
                // Filled, already canceled, or not there: the order's state says which.
                log::info("binance", "cancel refused; querying the order", {{"client_order_id", id}, {"error", e.what()}});
            }
            try {
                sink_.on_order_update(co_await client_.async_query(instrument, id));
            } catch (const std::exception& e) {
                log::warn("binance", "order query after a refused cancel failed",
                          {{"client_order_id", id}, {"error", e.what()}});
            }
        },
        asio::detached);
}

void BinanceVenue::query(const InstrumentId& instrument, std::string_view client_order_id) {
    asio::co_spawn(
        ctx_,
        [this, instrument, id = std::string(client_order_id)]() -> asio::awaitable<void> {
            try {
                sink_.on_order_update(co_await client_.async_query(instrument, id));
            } catch (const std::exception& e) {
                log::warn("binance", "order query failed", {{"client_order_id", id}, {"error", e.what()}});
            }
        },
        asio::detached);
}

const Instrument* BinanceVenue::instrument(const InstrumentId& id) const {
    try {
        const Instrument& inst = client_.instrument(id.symbol());
        return inst.id() == id ? &inst : nullptr;
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace te::binance
