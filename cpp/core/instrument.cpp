#include "core/instrument.hpp"

#include <cstring>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace te {
namespace {

bool valid_symbol_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool valid_part(std::string_view part) noexcept {
    if (part.empty()) return false;
    for (char c : part)
        if (!valid_symbol_char(c)) return false;
    return true;
}

}  // namespace

InstrumentId InstrumentId::of(std::string_view symbol, std::string_view venue) {
    if (!valid_part(symbol) || !valid_part(venue) || symbol.size() + venue.size() + 1 > kMaxLength)
        throw std::invalid_argument(fmt::format(
            "invalid instrument id '{}.{}': expected SYMBOL.VENUE of upper-case letters, digits, '-' or '_', "
            "at most {} characters, like 'BTCUSDT.BINANCE'",
            symbol, venue, kMaxLength));
    InstrumentId id;
    std::memcpy(id.text_.data(), symbol.data(), symbol.size());
    id.text_[symbol.size()] = '.';
    std::memcpy(id.text_.data() + symbol.size() + 1, venue.data(), venue.size());
    id.dot_ = static_cast<std::uint8_t>(symbol.size());
    id.len_ = static_cast<std::uint8_t>(symbol.size() + venue.size() + 1);
    return id;
}

InstrumentId InstrumentId::parse(std::string_view text) {
    const auto dot = text.rfind('.');
    if (dot == std::string_view::npos)
        throw std::invalid_argument(
            fmt::format("invalid instrument id '{}': expected SYMBOL.VENUE like 'BTCUSDT.BINANCE'", text));
    return of(text.substr(0, dot), text.substr(dot + 1));
}

Instrument::Instrument(InstrumentSpec spec) : s_(std::move(spec)) {
    std::vector<std::string> problems;
    if (s_.id.empty()) problems.emplace_back("id is empty");
    if (s_.base_asset.empty()) problems.emplace_back("base_asset is empty");
    if (s_.quote_asset.empty()) problems.emplace_back("quote_asset is empty");
    if (s_.tick_size.sign() <= 0) problems.push_back(fmt::format("tick_size {} must be > 0", s_.tick_size.to_string()));
    if (s_.step_size.sign() <= 0) problems.push_back(fmt::format("step_size {} must be > 0", s_.step_size.to_string()));
    if (s_.min_quantity.sign() < 0)
        problems.push_back(fmt::format("min_quantity {} must be >= 0", s_.min_quantity.to_string()));
    if (s_.max_quantity < s_.min_quantity)
        problems.push_back(fmt::format("max_quantity {} is below min_quantity {}", s_.max_quantity.to_string(),
                                       s_.min_quantity.to_string()));
    if (s_.min_notional.sign() < 0)
        problems.push_back(fmt::format("min_notional {} must be >= 0", s_.min_notional.to_string()));
    if (!s_.price_precision) s_.price_precision = s_.tick_size.value().decimal_places();
    if (!s_.quantity_precision) s_.quantity_precision = s_.step_size.value().decimal_places();
    if (*s_.price_precision < 0 || *s_.price_precision > Decimal::kScale)
        problems.push_back(fmt::format("price_precision {} must be 0..9", *s_.price_precision));
    else if (s_.tick_size.value().decimal_places() > *s_.price_precision)
        problems.push_back(fmt::format("tick_size {} needs more than price_precision {} decimals",
                                       s_.tick_size.to_string(), *s_.price_precision));
    if (*s_.quantity_precision < 0 || *s_.quantity_precision > Decimal::kScale)
        problems.push_back(fmt::format("quantity_precision {} must be 0..9", *s_.quantity_precision));
    else if (s_.step_size.value().decimal_places() > *s_.quantity_precision)
        problems.push_back(fmt::format("step_size {} needs more than quantity_precision {} decimals",
                                       s_.step_size.to_string(), *s_.quantity_precision));
    if (!problems.empty())
        throw std::invalid_argument(
            fmt::format("invalid instrument '{}': {}", s_.id.view(), fmt::join(problems, "; ")));
}

std::optional<std::string> Instrument::check_order(std::optional<Price> price, Quantity quantity) const {
    if (quantity.sign() <= 0) return fmt::format("quantity {} must be > 0", quantity.to_string());
    if (!quantity.is_multiple_of(s_.step_size))
        return fmt::format("quantity {} is not a multiple of the step size {}", quantity.to_string(),
                           s_.step_size.to_string());
    if (quantity < s_.min_quantity)
        return fmt::format("quantity {} is below the minimum {}", quantity.to_string(), s_.min_quantity.to_string());
    if (quantity > s_.max_quantity)
        return fmt::format("quantity {} is above the maximum {}", quantity.to_string(), s_.max_quantity.to_string());
    if (price) {
        if (price->sign() <= 0) return fmt::format("price {} must be > 0", price->to_string());
        if (!price->is_multiple_of(s_.tick_size))
            return fmt::format("price {} is not a multiple of the tick size {}", price->to_string(),
                               s_.tick_size.to_string());
        Money notional;
        try {
            notional = *price * quantity;
        } catch (const std::overflow_error&) {
            return fmt::format("notional of {} x {} is out of range", price->to_string(), quantity.to_string());
        }
        if (notional < s_.min_notional)
            return fmt::format("notional {} is below the minimum {}", notional.to_string(),
                               s_.min_notional.to_string());
    }
    return std::nullopt;
}

}  // namespace te
