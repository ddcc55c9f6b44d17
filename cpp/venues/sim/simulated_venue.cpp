#include "venues/sim/simulated_venue.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace te::sim {

namespace {

constexpr const char* kUnboundUrl = "127.0.0.1:1";  // until the server has its port

void check(const SimulatedVenueConfig& c) {
    if (c.exchange.accounts.empty())
        throw ConfigError(fmt::format("simulated venue {}: the exchange has no account to trade with", c.name));
    if (c.account >= c.exchange.accounts.size())
        throw ConfigError(fmt::format("simulated venue {}: account {} does not exist (the exchange has {})", c.name,
                                      c.account, c.exchange.accounts.size()));
}

}  // namespace

binance::BinanceVenueConfig SimulatedVenue::clients_config(const SimulatedVenueConfig& c) {
    check(c);
    binance::BinanceVenueConfig out;
    out.name = c.name;
    out.market_data = c.market_data;
    out.market_data.stream_url = std::string("ws://") + kUnboundUrl;
    out.market_data.rest_url = std::string("http://") + kUnboundUrl;
    auto ex = c.execution;
    ex.rest_url = out.market_data.rest_url;
    ex.ws_api_url = out.market_data.stream_url + "/ws-api/v3";
    const auto& account = c.exchange.accounts[c.account];
    ex.credentials = {account.api_key, account.secret};
    // The client allows itself what this exchange allows (Binance's 6000 by default; none when
    // the exchange enforces none), as it would read from exchangeInfo's rateLimits.
    ex.weight.limit = c.exchange.weight_limit_1m > 0 ? c.exchange.weight_limit_1m : std::int64_t{1} << 40;
    out.execution = std::move(ex);
    return out;
}

SimulatedVenue::SimulatedVenue(SimulatedVenueConfig config)
    : BinanceVenue(clients_config(config)), exchange_(config.exchange),
      server_(std::make_unique<SimServer>(exchange_)) {}

SimulatedVenue::~SimulatedVenue() { stop(); }

void SimulatedVenue::before_start(binance::BinanceVenueConfig& config) {
    server_->start();
    const auto base = exchange_.host + ":" + std::to_string(server_->port());
    config.market_data.stream_url = "ws://" + base;
    config.market_data.rest_url = "http://" + base;
    config.execution->rest_url = config.market_data.rest_url;
    config.execution->ws_api_url = config.market_data.stream_url + "/ws-api/v3";
}

void SimulatedVenue::after_stop() {
    if (server_) server_->stop();
}

std::vector<std::pair<std::string, std::string>> SimulatedVenue::details() const {
    auto d = BinanceVenue::details();
    d.insert(d.begin(), {"server", server_->running() ? exchange_.host + ":" + std::to_string(server_->port()) : "down"});
    d.insert(d.begin() + 1, {"speed", fmt::format("{}", exchange_.speed)});
    return d;
}

}  // namespace te::sim
