#include "replay/data_source.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace te::replay {

const InstrumentId& instrument_of(const MarketItem& item) noexcept {
    if (const auto* c = std::get_if<Candle>(&item)) return c->instrument_id;
    if (const auto* t = std::get_if<Trade>(&item)) return t->instrument_id;
    if (const auto* q = std::get_if<Quote>(&item)) return q->instrument_id;
    return std::get<BookDepth>(item).instrument_id;
}

VectorSource::VectorSource(std::string description, std::vector<MarketItem> items)
    : description_(std::move(description)), items_(std::move(items)) {
    for (std::size_t i = 1; i < items_.size(); ++i) {
        const auto before = start_time(items_[i - 1]);
        const auto t = start_time(items_[i]);
        const auto* c = std::get_if<Candle>(&items_[i]);
        const auto* prev = std::get_if<Candle>(&items_[i - 1]);
        if (t < before || (c && prev && t == before))
            throw DataError(fmt::format("{}: row {}: time {} is {} the previous row's {} (rows must be in time order{})",
                                        description_, i, format_iso8601(t), t == before ? "the same as" : "before",
                                        format_iso8601(before), c ? ", one candle per open time" : ""));
        if (c && prev && c->instrument_id == prev->instrument_id && c->interval == prev->interval) {
            const std::int64_t step = interval_ms(c->interval) * 1'000'000;
            if (step > 0 && t - before > step)
                gaps_.push_back(DataGap{description_, i + 1, before, t, (t - before) / step - 1});
        }
    }
}

bool VectorSource::next(MarketItem& out) {
    if (next_ >= items_.size()) return false;
    out = items_[next_++];
    return true;
}

}  // namespace te::replay
