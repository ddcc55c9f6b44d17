#pragma once
// The Binance execution client as an ExecutionVenue for the order manager: every call is
// started on the client's IO thread and returns at once; answers (the REST response, a
// rejection with the venue's reason, the order's state after a failed cancel) go to the sink
// as order updates, next to what the user-data stream reports.
#include "venues/binance/execution_client.hpp"
#include "venues/execution_venue.hpp"

namespace te::binance {

class BinanceVenue final : public ExecutionVenue {
public:
    BinanceVenue(boost::asio::io_context& ctx, ExecutionClient& client, ExecutionSink& sink) noexcept
        : ctx_(ctx), client_(client), sink_(sink) {}
    std::string name() const override { return "binance"; }
    void submit(const OrderRequest& request) override;
    void cancel(const InstrumentId& instrument, std::string_view client_order_id) override;
    void query(const InstrumentId& instrument, std::string_view client_order_id) override;
    const Instrument* instrument(const InstrumentId& id) const override;

private:
    void report_rejected(const OrderRequest& request, std::string_view reason);
    boost::asio::io_context& ctx_;
    ExecutionClient& client_;
    ExecutionSink& sink_;
};

}  // namespace te::binance
