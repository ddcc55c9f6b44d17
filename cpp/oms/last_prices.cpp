#include "oms/last_prices.hpp"

namespace te::oms {

void LastPrices::observe(const Event& event) {
    if (const auto* c = event.get_if<Candle>()) {
        set(c->instrument_id, c->close);
    } else if (const auto* t = event.get_if<Trade>()) {
        set(t->instrument_id, t->price);
    } else if (const auto* q = event.get_if<Quote>()) {
        if (q->bid_price.sign() > 0 && q->ask_price.sign() > 0)
            set(q->instrument_id, (q->bid_price + q->ask_price) / Decimal::from_int(2));
    }
}

void LastPrices::set(const InstrumentId& instrument, Price price) {
    std::lock_guard lock(m_);
    prices_.insert_or_assign(instrument, price);
}

std::optional<Price> LastPrices::last_price(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    const auto it = prices_.find(instrument);
    return it == prices_.end() ? std::nullopt : std::optional<Price>(it->second);
}

std::vector<std::pair<InstrumentId, Price>> LastPrices::all() const {
    std::lock_guard lock(m_);
    return {prices_.begin(), prices_.end()};
}

}  // namespace te::oms
