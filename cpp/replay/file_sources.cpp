#include "replay/file_sources.hpp"

namespace te::replay {

bool KlineFileSource::next(MarketItem& out) {
    // Read straight into the variant's Candle: no copy of the ~200-byte candle per row.
    if (!std::holds_alternative<Candle>(out)) out.emplace<Candle>();
    return reader_.next(std::get<Candle>(out));
}

bool TradeFileSource::next(MarketItem& out) {
    if (!std::holds_alternative<Trade>(out)) out.emplace<Trade>();
    return reader_.next(std::get<Trade>(out));
}

}  // namespace te::replay
