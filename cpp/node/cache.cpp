#include "node/cache.hpp"

#include "core/errors.hpp"

namespace te {

Cache::Cache(TradingEngine& engine) : engine_(engine) {
    for (auto type : {EventType::CandleUpdate, EventType::CandleClosed, EventType::Trade, EventType::Quote})
        subscriptions_.push_back(engine_.bus().subscribe(type, [this](const Event& e) { observe(e); }, "cache"));
}

Cache::~Cache() {
    for (auto id : subscriptions_) engine_.bus().unsubscribe(id);
}

void Cache::observe(const Event& e) {
    prices_.observe(e);
    if (const auto* q = e.get_if<Quote>()) {
        std::lock_guard lk(m_);
        quotes_.insert_or_assign(q->instrument_id, *q);
    } else if (e.type == EventType::CandleClosed) {
        const auto& c = e.get<Candle>();
        std::lock_guard lk(m_);
        candles_.insert_or_assign({c.instrument_id, c.interval}, c);
    }
}

void Cache::add_instruments(const std::vector<Instrument>& instruments) {
    std::lock_guard lk(m_);
    for (const auto& i : instruments) instruments_.insert_or_assign(i.id(), i);
}

std::optional<Instrument> Cache::instrument(const InstrumentId& id) const {
    std::lock_guard lk(m_);
    const auto it = instruments_.find(id);
    return it == instruments_.end() ? std::nullopt : std::optional<Instrument>(it->second);
}

std::vector<Instrument> Cache::instruments(std::string_view venue) const {
    std::lock_guard lk(m_);
    std::vector<Instrument> out;
    for (const auto& [id, i] : instruments_)
        if (venue.empty() || id.venue() == venue) out.push_back(i);
    return out;
}

std::optional<Price> Cache::last_price(const InstrumentId& instrument) const { return prices_.last_price(instrument); }

std::optional<Quote> Cache::quote(const InstrumentId& instrument) const {
    std::lock_guard lk(m_);
    const auto it = quotes_.find(instrument);
    return it == quotes_.end() ? std::nullopt : std::optional<Quote>(it->second);
}

std::optional<Candle> Cache::last_candle(const InstrumentId& instrument, Interval interval) const {
    std::lock_guard lk(m_);
    const auto it = candles_.find({instrument, interval});
    return it == candles_.end() ? std::nullopt : std::optional<Candle>(it->second);
}

std::vector<oms::OrderView> Cache::orders(std::string_view strategy, bool open_only) const {
    return oms_ ? oms_->orders(strategy, open_only) : std::vector<oms::OrderView>{};
}

oms::Position Cache::position(const InstrumentId& instrument) const {
    if (oms_) return oms_->position(instrument);
    oms::Position p;
    p.instrument_id = instrument;
    return p;
}

oms::PortfolioSnapshot Cache::account(std::string_view venue) const {
    if (!oms_) throw EngineNotRunningError("the cache has no order manager yet");
    return oms_->account(venue);
}

}  // namespace te
