#pragma once
// A Node on the simulated exchange (a real server on loopback), for the Node and strategy
// runtime suites.
#include <functional>
#include <memory>

#include "../binance_sim/sim_fixture.hpp"
#include "node/node.hpp"
#include "venues/sim/simulated_venue.hpp"

namespace te::testing {

// A fast market: a 1m candle closes every 20 ms.
inline std::shared_ptr<sim::SimulatedVenue> sim_venue(const std::function<void(sim::SimulatedVenueConfig&)>& tweak = {}) {
    sim::SimulatedVenueConfig c;
    c.exchange.tick_ms = 20;
    c.exchange.speed = 3000;
    c.exchange.history_minutes = 10;
    c.exchange.orders_limit_10s = 100000;
    c.market_data.ws.backoff.schedule = {std::chrono::milliseconds(50)};
    if (tweak) tweak(c);
    return std::make_shared<sim::SimulatedVenue>(std::move(c));
}

inline std::unique_ptr<Node> sim_node(const std::function<void(sim::SimulatedVenueConfig&)>& tweak = {},
                                      NodeConfig config = {}) {
    auto node = std::make_unique<Node>(std::move(config));
    node->add_venue(sim_venue(tweak));
    return node;
}

inline const InstrumentId kSimBtc = InstrumentId::parse("BTCUSDT.SIM");
inline const InstrumentId kSimEth = InstrumentId::parse("ETHUSDT.SIM");

}  // namespace te::testing
