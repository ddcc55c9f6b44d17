#pragma once
// Exact fixed-point decimal: an int64 mantissa with 9 decimal places (value = raw / 1e9),
// so every price, quantity and amount a venue sends is represented exactly, and sums are
// exact. Products and quotients use 128-bit intermediates and are rounded to 9 places
// half-even (`*`, `/`) or with an explicit mode (`mul`, `div`). Range: ±9,223,372,036.854775807.
// Overflow throws std::overflow_error; division by zero throws te::DivisionByZero.
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

// 128-bit intermediates (GCC/Clang builtin; __extension__ keeps -pedantic quiet).
__extension__ typedef __int128 Int128;

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
    static constexpr std::size_t kMaxTextLength = 32;  // longest to_string() result + NUL

    constexpr Decimal() noexcept = default;
    static constexpr Decimal from_raw(std::int64_t raw) noexcept { return Decimal(raw); }
    static Decimal from_int(std::int64_t value);
    static Decimal max() noexcept { return Decimal(INT64_MAX); }
    static Decimal min() noexcept { return Decimal(INT64_MIN); }

    // Strict parse; throws std::invalid_argument naming `what` and the text, or
    // std::overflow_error when out of range.
    static Decimal parse(std::string_view text, std::string_view what = "Decimal");
    // Parse, rounding digits beyond the 9th decimal place with `mode`.
    static Decimal parse(std::string_view text, Rounding mode, std::string_view what = "Decimal");
    // No-throw parse for hot paths (venue parsers): Ok and the value, or the reason.
    static ParseStatus try_parse(std::string_view text, Decimal& out) noexcept;
    static ParseStatus try_parse(std::string_view text, Rounding mode, Decimal& out) noexcept;

    constexpr std::int64_t raw() const noexcept { return raw_; }
    constexpr bool is_zero() const noexcept { return raw_ == 0; }
    constexpr int sign() const noexcept { return (raw_ > 0) - (raw_ < 0); }
    int decimal_places() const noexcept;  // decimals needed to print exactly: 0..9

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

    constexpr auto operator<=>(const Decimal&) const noexcept = default;

private:
    constexpr explicit Decimal(std::int64_t raw) noexcept : raw_(raw) {}
    std::int64_t raw_ = 0;
};

// Integer division of num by den (> 0) with the given rounding; used by mul/div/rounding.
Int128 round_div(Int128 num, Int128 den, Rounding mode) noexcept;

}  // namespace te
