#include "venues/venue.hpp"

namespace te {

std::string StreamKey::to_string() const {
    switch (kind) {
        case StreamKind::Candles: return instrument.to_string() + " candles " + std::string(te::to_string(interval));
        case StreamKind::Trades: return instrument.to_string() + " trades";
        case StreamKind::Quotes: return instrument.to_string() + " quotes";
    }
    return instrument.to_string();
}

}  // namespace te
