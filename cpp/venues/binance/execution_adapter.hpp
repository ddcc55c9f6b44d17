#pragma once
// The Binance execution client as an ExecutionVenue for the order manager: every call is
// started on the client's IO thread and returns at once. The client itself reports what it
// learns (REST answers, the user-data stream, reconciliation) through ExecutionClient::report,
// each change once; this adapter adds only what the client cannot: a REJECTED update for an
// order the venue refused, with the venue's code and words.
#include "venues/binance/execution_client.hpp"
#include "venues/execution_venue.hpp"

namespace te::binance {

class ExecutionAdapter final : public ExecutionVenue {
public:
    ExecutionAdapter(boost::asio::io_context& ctx, ExecutionClient& client, std::string venue = "BINANCE") noexcept
        : ctx_(ctx), client_(client), venue_(std::move(venue)) {}
    std::string name() const override { return venue_; }
    void submit(const OrderRequest& request) override;
    void cancel(const InstrumentId& instrument, std::string_view client_order_id) override;
    void query(const InstrumentId& instrument, std::string_view client_order_id) override;
    const Instrument* instrument(const InstrumentId& id) const override;

private:
    boost::asio::io_context& ctx_;
    ExecutionClient& client_;
    std::string venue_;
};

// The reason an OrderUpdate carries for a venue error: "Binance -2010 Account has insufficient
// balance for requested action." from the venue's answer, or the error's own text when the
// venue gave no code (a local filter check, a ban).
std::string rejection_reason(const VenueError& error);

}  // namespace te::binance
