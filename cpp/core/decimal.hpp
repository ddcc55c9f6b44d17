#pragma once
// Exact fixed-point decimal: a 128-bit mantissa with 9 decimal places (value = raw / 1e9),
// so every price, quantity, balance and volume a venue sends is represented exactly, and
// sums are exact. Range: ±170141183460469231731687303715.884105727 (±1.7e29), enough for
// PEPE/SHIB balances, maxQty 92233720368 and kline volumes above 1e10 with room to spare.
// Products and quotients are exact through 256-bit intermediates and are rounded to 9 places
// half-even (`*`, `/`) or with an explicit mode (`mul`, `div`). Nothing saturates: overflow
// throws std::overflow_error naming the operation and both operands; division by zero
// throws te::DivisionByZero.
//
// The mantissa is stored as two 64-bit words, so a Decimal is 16 bytes with 8-byte alignment
// (structs of several Decimals carry no padding); raw() gives the 128-bit value.
//
// Accepted text (parse): [+|-] digits [. [digits]] | [+|-] . digits, optionally followed by
// an exponent e|E [+|-] digits. Leading and trailing zeros are fine ("007.50", "1.000000000000"),
// so is "-0" (which is 0). Rejected, with a message naming the input: empty text, whitespace,
// "nan"/"inf", thousands separators or underscores, hex, and any value needing more than 9
// decimal places (e.g. "0.0000000001") unless a rounding mode is passed explicitly.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace te {

// 128-bit integers (GCC/Clang builtin; __extension__ keeps -pedantic quiet).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

inline constexpr Int128 kInt128Max = static_cast<Int128>(~static_cast<UInt128>(0) >> 1);
inline constexpr Int128 kInt128Min = -kInt128Max - 1;

// Decimal text of a 128-bit integer ("-170141183460469231731687303715884105728").
std::string int128_to_string(Int128 v);
// Parses "[+|-]digits" exactly; false when empty, not an integer, or outside Int128.
bool int128_from_string(std::string_view text, Int128& out) noexcept;

// How to round a result that falls between two representable values. Names and meanings
// follow Python's decimal module: DOWN is toward zero, UP away from zero.
enum class Rounding : std::uint8_t { Down, Up, Floor, Ceiling, HalfEven, HalfUp };

std::string_view to_string(Rounding mode) noexcept;
Rounding rounding_from_string(std::string_view name);  // "down", "half_even", ...

enum class ParseStatus : std::uint8_t { Ok, Empty, Syntax, TooPrecise, Overflow };

class Decimal {
public:
    static constexpr int kScale = 9;
    static constexpr std::int64_t kOne = 1'000'000'000;
    static constexpr std::size_t kMaxTextLength = 48;  // longest to_string() result (42) + NUL, rounded up
    // The limits as text, for error messages.
    static constexpr std::string_view kRangeText = "±170141183460469231731687303715.884105727";

    constexpr Decimal() noexcept = default;
    static constexpr Decimal from_raw(Int128 raw) noexcept { return Decimal(raw); }
    static constexpr Decimal from_int(std::int64_t value) noexcept {
        return Decimal(static_cast<Int128>(value) * kOne);  // |value| * 1e9 < 9.3e27: always fits
    }
    static constexpr Decimal max() noexcept { return Decimal(kInt128Max); }
    static constexpr Decimal min() noexcept { return Decimal(kInt128Min); }

    // Strict parse; throws std::invalid_argument naming `what` and the text, or
    // std::overflow_error when out of range.
    static Decimal parse(std::string_view text, std::string_view what = "Decimal");
    // Parse, rounding digits beyond the 9th decimal place with `mode`.
    static Decimal parse(std::string_view text, Rounding mode, std::string_view what = "Decimal");
    // No-throw parse for hot paths (venue parsers): Ok and the value, or the reason.
    static ParseStatus try_parse(std::string_view text, Decimal& out) noexcept;
    static ParseStatus try_parse(std::string_view text, Rounding mode, Decimal& out) noexcept;

    constexpr Int128 raw() const noexcept {
        return static_cast<Int128>((static_cast<UInt128>(static_cast<std::uint64_t>(hi_)) << 64) | lo_);
    }
    constexpr std::int64_t raw_hi() const noexcept { return hi_; }  // raw = hi * 2^64 + lo
    constexpr std::uint64_t raw_lo() const noexcept { return lo_; }
    constexpr bool is_zero() const noexcept { return hi_ == 0 && lo_ == 0; }
    constexpr int sign() const noexcept { return hi_ < 0 ? -1 : (is_zero() ? 0 : 1); }
    int decimal_places() const noexcept;  // decimals needed to print exactly: 0..9
    // The integer part, truncated toward zero.
    constexpr Int128 integer_part() const noexcept { return raw() / kOne; }

    std::string to_string() const;                  // shortest exact form: "1.1", "-0.5", "100"
    std::string to_string_fixed(int decimals) const;  // exactly `decimals` places; throws if inexact
    std::size_t format_to(char* buf) const noexcept;  // no allocation; buf >= kMaxTextLength
    double to_double() const noexcept;

    Decimal operator-() const;
    Decimal abs() const;
    Decimal operator+(Decimal o) const;
    Decimal operator-(Decimal o) const;
    Decimal operator*(Decimal o) const { return mul(o, Rounding::HalfEven); }
    Decimal operator/(Decimal o) const { return div(o, Rounding::HalfEven); }
    Decimal& operator+=(Decimal o) { return *this = *this + o; }
    Decimal& operator-=(Decimal o) { return *this = *this - o; }
    Decimal mul(Decimal o, Rounding mode) const;
    Decimal div(Decimal o, Rounding mode) const;

    // Nearest multiple of `increment` (> 0) in the given direction: tick and step sizes.
    Decimal round_to_increment(Decimal increment, Rounding mode) const;
    Decimal round_to_places(int decimals, Rounding mode) const;
    bool is_multiple_of(Decimal increment) const;

    // (hi_, lo_) compared in this order is the two's complement order of raw().
    constexpr auto operator<=>(const Decimal&) const noexcept = default;

private:
    constexpr explicit Decimal(Int128 raw) noexcept
        : hi_(static_cast<std::int64_t>(raw >> 64)), lo_(static_cast<std::uint64_t>(raw)) {}
    std::int64_t hi_ = 0;
    std::uint64_t lo_ = 0;
};

// Integer division of num by den (> 0) with the given rounding; used by mul/div/rounding.
Int128 round_div(Int128 num, Int128 den, Rounding mode) noexcept;

}  // namespace te
