#pragma once
// Price, Quantity and Money: Decimals with a unit, so that mixing them up is a compile error
// (C++) or a TypeError (Python). The allowed mixed arithmetic:
//   T ± T -> T, -T, T * scalar -> T, T / scalar -> T, T / T -> Decimal (a ratio)
//   Price * Quantity -> Money, Money / Price -> Quantity, Money / Quantity -> Price
#include <string>
#include <string_view>

#include "core/decimal.hpp"

namespace te {

template <class Tag>
class Fixed {
public:
    constexpr Fixed() noexcept = default;
    constexpr explicit Fixed(Decimal d) noexcept : value_(d) {}

    static Fixed parse(std::string_view text) { return Fixed(Decimal::parse(text, Tag::name)); }
    static Fixed parse(std::string_view text, Rounding mode) { return Fixed(Decimal::parse(text, mode, Tag::name)); }
    static constexpr Fixed from_raw(Int128 raw) noexcept { return Fixed(Decimal::from_raw(raw)); }
    static constexpr Fixed from_int(std::int64_t v) noexcept { return Fixed(Decimal::from_int(v)); }

    constexpr Decimal value() const noexcept { return value_; }
    constexpr Int128 raw() const noexcept { return value_.raw(); }
    constexpr bool is_zero() const noexcept { return value_.is_zero(); }
    constexpr int sign() const noexcept { return value_.sign(); }
    std::string to_string() const { return value_.to_string(); }
    std::string to_string_fixed(int decimals) const { return value_.to_string_fixed(decimals); }
    double to_double() const noexcept { return value_.to_double(); }

    Fixed operator-() const { return Fixed(-value_); }
    Fixed abs() const { return Fixed(value_.abs()); }
    Fixed operator+(Fixed o) const { return Fixed(value_ + o.value_); }
    Fixed operator-(Fixed o) const { return Fixed(value_ - o.value_); }
    Fixed& operator+=(Fixed o) { return *this = *this + o; }
    Fixed& operator-=(Fixed o) { return *this = *this - o; }
    Fixed operator*(Decimal scalar) const { return Fixed(value_ * scalar); }
    Fixed operator/(Decimal scalar) const { return Fixed(value_ / scalar); }
    Decimal operator/(Fixed o) const { return value_ / o.value_; }

    Fixed round_to(Fixed increment, Rounding mode) const {
        return Fixed(value_.round_to_increment(increment.value_, mode));
    }
    bool is_multiple_of(Fixed increment) const { return value_.is_multiple_of(increment.value_); }

    constexpr auto operator<=>(const Fixed&) const noexcept = default;

private:
    Decimal value_;
};

struct PriceTag { static constexpr std::string_view name = "Price"; };
struct QuantityTag { static constexpr std::string_view name = "Quantity"; };
struct MoneyTag { static constexpr std::string_view name = "Money"; };

using Price = Fixed<PriceTag>;
using Quantity = Fixed<QuantityTag>;
using Money = Fixed<MoneyTag>;

inline Money operator*(Price p, Quantity q) { return Money(p.value() * q.value()); }
inline Money operator*(Quantity q, Price p) { return Money(p.value() * q.value()); }
inline Quantity operator/(Money m, Price p) { return Quantity(m.value() / p.value()); }
inline Price operator/(Money m, Quantity q) { return Price(m.value() / q.value()); }

// Notional with an explicit rounding direction (e.g. fees rounded up).
inline Money notional(Price p, Quantity q, Rounding mode) { return Money(p.value().mul(q.value(), mode)); }

}  // namespace te
