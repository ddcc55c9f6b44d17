#pragma once
// The Node's Cache (ARCHITECTURE §4a): what a strategy, a status page or a check reads about
// the world, in one place — instruments per venue, last prices, the last quote and closed
// candle per instrument, and (through the order manager, which owns them) orders, positions
// and balances per venue. Its bus handlers are subscribed before the order manager's and the
// strategies', so a handler always finds the Cache already updated by the event it handles
// (NautilusTrader's rule: write the state first, publish second).
//
// Thread-safe: written on the dispatcher, read from any thread.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/instrument.hpp"
#include "core/market.hpp"
#include "engine/trading_engine.hpp"
#include "oms/last_prices.hpp"
#include "oms/order_manager.hpp"

namespace te {

class Cache final : public oms::PriceSource {
public:
    // Subscribes its handlers on the engine's bus (before anything else is subscribed there).
    explicit Cache(TradingEngine& engine);
    ~Cache() override;
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    void bind(const oms::OrderManager& oms) noexcept { oms_ = &oms; }
    void add_instruments(const std::vector<Instrument>& instruments);

    // ---- instruments ---------------------------------------------------------------------
    std::optional<Instrument> instrument(const InstrumentId& id) const;
    std::vector<Instrument> instruments(std::string_view venue = {}) const;

    // ---- market --------------------------------------------------------------------------
    std::optional<Price> last_price(const InstrumentId& instrument) const override;
    std::optional<Quote> quote(const InstrumentId& instrument) const;
    std::optional<Candle> last_candle(const InstrumentId& instrument, Interval interval) const;

    // ---- orders, positions, balances (the order manager's) --------------------------------
    std::vector<oms::OrderView> orders(std::string_view strategy = {}, bool open_only = false) const;
    oms::Position position(const InstrumentId& instrument) const;
    oms::PortfolioSnapshot account(std::string_view venue) const;

private:
    void observe(const Event& e);

    TradingEngine& engine_;
    const oms::OrderManager* oms_ = nullptr;
    oms::LastPrices prices_;
    mutable std::mutex m_;
    std::map<InstrumentId, Instrument> instruments_;
    std::map<InstrumentId, Quote> quotes_;
    std::map<std::pair<InstrumentId, Interval>, Candle> candles_;
    std::vector<SubscriptionId> subscriptions_;
};

}  // namespace te
