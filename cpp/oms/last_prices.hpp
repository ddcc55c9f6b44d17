#pragma once
// The last price seen per instrument: a closed or in-progress candle's close, a trade's price,
// or a quote's mid. Updated by a bus handler on the dispatcher thread, read from any thread
// (pre-trade checks, unrealized PnL, status). The order manager reads prices through
// PriceSource, so a Node's Cache and a stand-alone order manager share this one implementation.
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "bus/event.hpp"
#include "core/instrument.hpp"
#include "core/money.hpp"

namespace te::oms {

class PriceSource {
public:
    virtual ~PriceSource() = default;
    virtual std::optional<Price> last_price(const InstrumentId& instrument) const = 0;
};

class LastPrices final : public PriceSource {
public:
    // Takes the price from a market-data event; anything else is ignored.
    void observe(const Event& event);
    void set(const InstrumentId& instrument, Price price);
    std::optional<Price> last_price(const InstrumentId& instrument) const override;
    std::vector<std::pair<InstrumentId, Price>> all() const;

private:
    mutable std::mutex m_;
    std::map<InstrumentId, Price> prices_;
};

}  // namespace te::oms
