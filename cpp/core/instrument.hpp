#pragma once
// InstrumentId ("BTCUSDT.BINANCE") and Instrument (an instrument's trading rules: tick and
// step sizes, quantity limits, minimum notional) with the rounding helpers orders need.
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace te {

// SYMBOL.VENUE, stored inline (no heap) so events carrying it stay trivially copyable.
class InstrumentId {
public:
    static constexpr std::size_t kMaxLength = 31;

    InstrumentId() noexcept = default;
    // Parses "BTCUSDT.BINANCE"; throws std::invalid_argument naming the text.
    static InstrumentId parse(std::string_view text);
    static InstrumentId of(std::string_view symbol, std::string_view venue);

    std::string_view symbol() const noexcept { return {text_.data(), dot_}; }
    std::string_view venue() const noexcept {
        return len_ == 0 ? std::string_view{} : std::string_view{text_.data() + dot_ + 1, len_ - dot_ - 1u};
    }
    std::string_view view() const noexcept { return {text_.data(), len_}; }
    std::string to_string() const { return std::string(view()); }
    bool empty() const noexcept { return len_ == 0; }

    // The whole zero-padded buffer: a fixed-size compare the compiler inlines (four 8-byte
    // words), not a memcmp call; every event routed by instrument compares ids (~5% of a bar).
    friend bool operator==(const InstrumentId& a, const InstrumentId& b) noexcept {
        return a.len_ == b.len_ && std::memcmp(a.text_.data(), b.text_.data(), a.text_.size()) == 0;
    }
    friend auto operator<=>(const InstrumentId& a, const InstrumentId& b) noexcept { return a.view() <=> b.view(); }

private:
    std::array<char, kMaxLength + 1> text_{};  // zeros after len_ (operator== relies on it)
    std::uint8_t len_ = 0;
    std::uint8_t dot_ = 0;
};

struct InstrumentSpec {
    InstrumentId id;
    std::string base_asset;
    std::string quote_asset;
    Price tick_size;
    Quantity step_size;
    Quantity min_quantity;
    Quantity max_quantity;
    Money min_notional;
    std::optional<int> price_precision;     // default: decimals of tick_size
    std::optional<int> quantity_precision;  // default: decimals of step_size
};

class Instrument {
public:
    // Validates the spec; throws std::invalid_argument listing every problem found.
    explicit Instrument(InstrumentSpec spec);

    const InstrumentId& id() const noexcept { return s_.id; }
    const std::string& base_asset() const noexcept { return s_.base_asset; }
    const std::string& quote_asset() const noexcept { return s_.quote_asset; }
    Price tick_size() const noexcept { return s_.tick_size; }
    Quantity step_size() const noexcept { return s_.step_size; }
    Quantity min_quantity() const noexcept { return s_.min_quantity; }
    Quantity max_quantity() const noexcept { return s_.max_quantity; }
    Money min_notional() const noexcept { return s_.min_notional; }
    int price_precision() const noexcept { return *s_.price_precision; }
    int quantity_precision() const noexcept { return *s_.quantity_precision; }

    Price round_price(Price p, Rounding mode = Rounding::HalfEven) const { return p.round_to(s_.tick_size, mode); }
    // Quantities round down by default: never trade more than asked.
    Quantity round_quantity(Quantity q, Rounding mode = Rounding::Down) const {
        return q.round_to(s_.step_size, mode);
    }
    // Why an order of this price and quantity would break the filters, or nullopt if it
    // passes. A market order passes no price (its notional is then not checked here).
    std::optional<std::string> check_order(std::optional<Price> price, Quantity quantity) const;

private:
    InstrumentSpec s_;
};

}  // namespace te

template <>
struct std::hash<te::InstrumentId> {
    std::size_t operator()(const te::InstrumentId& id) const noexcept { return std::hash<std::string_view>{}(id.view()); }
};
