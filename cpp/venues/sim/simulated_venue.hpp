#pragma once
// The simulated exchange as a Node venue: the SimServer on loopback, and the Binance clients
// pointed at it with the account's keys. Everything a strategy sees went over real sockets
// through the same code as on Binance; only the URLs differ. The embedded default of
// `tradeengine demo` and paper trading.
#include <memory>
#include <string>

#include "venues/binance/binance_venue.hpp"
#include "venues/sim/sim_server.hpp"

namespace te::sim {

struct SimulatedVenueConfig {
    std::string name = "SIM";
    SimConfig exchange = SimConfig::defaults();
    std::size_t account = 0;  // whose keys the clients use
    // Client settings (timeouts, backoff); the URLs are the server's.
    binance::MarketDataConfig market_data;
    binance::ExecutionConfig execution;
};

class SimulatedVenue final : public binance::BinanceVenue {
public:
    explicit SimulatedVenue(SimulatedVenueConfig config);
    ~SimulatedVenue() override;

    // The exchange itself (faults, inspection); valid for the venue's whole life.
    SimServer& server() noexcept { return *server_; }

protected:
    void before_start(binance::BinanceVenueConfig& config) override;
    void after_stop() override;
    std::vector<std::pair<std::string, std::string>> details() const override;

private:
    static binance::BinanceVenueConfig clients_config(const SimulatedVenueConfig& c);

    SimConfig exchange_;
    std::unique_ptr<SimServer> server_;
};

}  // namespace te::sim
