#include "core/decimal.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace te {
namespace {

constexpr std::int64_t kPow10[19] = {1,
                                     10,
                                     100,
                                     1'000,
                                     10'000,
                                     100'000,
                                     1'000'000,
                                     10'000'000,
                                     100'000'000,
                                     1'000'000'000,
                                     10'000'000'000,
                                     100'000'000'000,
                                     1'000'000'000'000,
                                     10'000'000'000'000,
                                     100'000'000'000'000,
                                     1'000'000'000'000'000,
                                     10'000'000'000'000'000,
                                     100'000'000'000'000'000,
                                     1'000'000'000'000'000'000};

constexpr Int128 kInt64Max = INT64_MAX;
constexpr Int128 kInt64Min = INT64_MIN;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The lexical parts of a decimal literal: its digits without the point, where the point
// was, and the exponent. value = digits * 10^-(frac_len - exponent).
struct Literal {
    bool negative = false;
    std::string_view int_digits;
    std::string_view frac_digits;
    std::int64_t exponent = 0;
};

bool split_literal(std::string_view s, Literal& lit) noexcept {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        lit.negative = s[i] == '-';
        ++i;
    }
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    lit.int_digits = s.substr(start, i - start);
    if (i < s.size() && s[i] == '.') {
        ++i;
        start = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        lit.frac_digits = s.substr(start, i - start);
    }
    if (lit.int_digits.empty() && lit.frac_digits.empty()) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool neg_exp = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            neg_exp = s[i] == '-';
            ++i;
        }
        if (i >= s.size() || !is_digit(s[i])) return false;
        std::int64_t e = 0;
        for (; i < s.size() && is_digit(s[i]); ++i) {
            // Saturate: any exponent this large over- or under-flows the range anyway.
            if (e < 1'000'000) e = e * 10 + (s[i] - '0');
        }
        lit.exponent = neg_exp ? -e : e;
    }
    return i == s.size();
}

// The digit at position k of the concatenated int+frac digit string.
struct Digits {
    std::string_view a, b;
    std::size_t size() const noexcept { return a.size() + b.size(); }
    char operator[](std::size_t k) const noexcept { return k < a.size() ? a[k] : b[k - a.size()]; }
};

// The common venue form "[-]digits[.digits]" with at most 9 decimals and a value well inside
// the range, in 64-bit arithmetic. Anything else (exponents, ".5", more decimals, values near
// the limits) returns false and takes the general path, which decides exactly.
bool parse_plain(std::string_view s, std::int64_t& out) noexcept {
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    const char* const int_start = p;
    std::uint64_t int_part = 0;
    while (p < end && is_digit(*p)) int_part = int_part * 10 + static_cast<std::uint64_t>(*p++ - '0');
    const auto int_digits = p - int_start;
    if (int_digits == 0 || int_digits > 10) return false;
    std::uint64_t frac = 0;
    int frac_digits = 0;
    if (p < end && *p == '.') {
        ++p;
        while (p < end && is_digit(*p) && frac_digits < Decimal::kScale) {
            frac = frac * 10 + static_cast<std::uint64_t>(*p++ - '0');
            ++frac_digits;
        }
    }
    if (p != end || int_part >= 9'223'372'036ULL) return false;
    const auto raw = int_part * static_cast<std::uint64_t>(Decimal::kOne) +
                     frac * static_cast<std::uint64_t>(kPow10[Decimal::kScale - frac_digits]);
    out = negative ? -static_cast<std::int64_t>(raw) : static_cast<std::int64_t>(raw);
    return true;
}

ParseStatus parse_impl(std::string_view text, const Rounding* mode, std::int64_t& out) noexcept {
    if (text.empty()) return ParseStatus::Empty;
    if (parse_plain(text, out)) return ParseStatus::Ok;
    Literal lit;
    if (!split_literal(text, lit)) return ParseStatus::Syntax;

    Digits d{lit.int_digits, lit.frac_digits};
    std::size_t first = 0, last = d.size();
    while (first < last && d[first] == '0') ++first;   // leading zeros carry no value
    std::int64_t scale = static_cast<std::int64_t>(lit.frac_digits.size()) - lit.exponent;
    while (last > first && d[last - 1] == '0') {        // trailing zeros only shift the scale
        --last;
        --scale;
    }
    if (first == last) {
        out = 0;
        return ParseStatus::Ok;
    }
    const auto n = static_cast<std::int64_t>(last - first);
    const std::int64_t shift = Decimal::kScale - scale;  // raw = digits * 10^shift
    Int128 magnitude = 0;
    if (shift >= 0) {
        if (n + shift > 19) return ParseStatus::Overflow;
        for (std::size_t k = first; k < last; ++k) magnitude = magnitude * 10 + (d[k] - '0');
        for (std::int64_t k = 0; k < shift; ++k) magnitude *= 10;
    } else {
        // Digits below 1e-9 exist, and the last one is non-zero: inexact without a mode.
        if (mode == nullptr) return ParseStatus::TooPrecise;
        const std::int64_t keep = n + shift;  // digits at or above 1e-9
        if (keep > 19) return ParseStatus::Overflow;
        std::size_t k = first;
        for (std::int64_t j = 0; j < keep; ++j, ++k) magnitude = magnitude * 10 + (d[k] - '0');
        // Reconstruct the rounding decision from the first dropped digit and the rest.
        const int first_dropped = keep >= 0 ? d[k] - '0' : 0;
        const bool rest_nonzero = keep >= 0 ? (last - k) > 1 : true;
        // Scale the remainder to compare with half: encode as num/den with den=10.
        Int128 num = magnitude * 10 + first_dropped;
        Int128 q = round_div((lit.negative ? -num : num) * 2 + (rest_nonzero ? (lit.negative ? -1 : 1) : 0),
                             20, *mode);
        if (q > kInt64Max || q < kInt64Min) return ParseStatus::Overflow;
        out = static_cast<std::int64_t>(q);
        return ParseStatus::Ok;
    }
    const Int128 value = lit.negative ? -magnitude : magnitude;
    if (value > kInt64Max || value < kInt64Min) return ParseStatus::Overflow;
    out = static_cast<std::int64_t>(value);
    return ParseStatus::Ok;
}

[[noreturn]] void throw_parse_error(ParseStatus status, std::string_view text, std::string_view what) {
    switch (status) {
        case ParseStatus::Empty:
            throw std::invalid_argument(fmt::format("invalid {}: empty text; expected a decimal number like '123.45'", what));
        case ParseStatus::TooPrecise:
            throw std::invalid_argument(fmt::format(
                "invalid {} '{}': more than 9 decimal places; round it explicitly (e.g. parse with a rounding mode)",
                what, text));
        case ParseStatus::Overflow:
            throw std::overflow_error(fmt::format("{} '{}' is out of range: the limits are ±9223372036.854775807",
                                                  what, text));
        default:
            throw std::invalid_argument(fmt::format(
                "invalid {} '{}': expected a decimal number like '123.45', '-0.001' or '1e-8'", what, text));
    }
}

std::int64_t checked(Int128 v, const char* op) {
    if (v > kInt64Max || v < kInt64Min)
        throw std::overflow_error(fmt::format("Decimal overflow in {}: result exceeds ±9223372036.854775807", op));
    return static_cast<std::int64_t>(v);
}

}  // namespace

std::string_view to_string(Rounding mode) noexcept {
    switch (mode) {
        case Rounding::Down: return "down";
        case Rounding::Up: return "up";
        case Rounding::Floor: return "floor";
        case Rounding::Ceiling: return "ceiling";
        case Rounding::HalfEven: return "half_even";
        case Rounding::HalfUp: return "half_up";
    }
    return "?";
}

Rounding rounding_from_string(std::string_view name) {
    for (auto m : {Rounding::Down, Rounding::Up, Rounding::Floor, Rounding::Ceiling, Rounding::HalfEven,
                   Rounding::HalfUp})
        if (to_string(m) == name) return m;
    throw std::invalid_argument(fmt::format(
        "invalid rounding mode '{}': expected one of down, up, floor, ceiling, half_even, half_up", name));
}

Int128 round_div(Int128 num, Int128 den, Rounding mode) noexcept {
    const Int128 q = num / den;
    const Int128 r = num % den;
    if (r == 0) return q;
    const int sign = num < 0 ? -1 : 1;
    const Int128 twice = (r < 0 ? -r : r) * 2;
    switch (mode) {
        case Rounding::Down: return q;
        case Rounding::Up: return q + sign;
        case Rounding::Floor: return sign < 0 ? q - 1 : q;
        case Rounding::Ceiling: return sign > 0 ? q + 1 : q;
        case Rounding::HalfUp: return twice >= den ? q + sign : q;
        case Rounding::HalfEven:
            if (twice > den) return q + sign;
            if (twice < den) return q;
            return (q % 2 != 0) ? q + sign : q;
    }
    return q;
}

Decimal Decimal::from_int(std::int64_t value) {
    return Decimal(checked(static_cast<Int128>(value) * kOne, "from_int"));
}

Decimal Decimal::parse(std::string_view text, std::string_view what) {
    std::int64_t raw = 0;
    const auto status = parse_impl(text, nullptr, raw);
    if (status != ParseStatus::Ok) throw_parse_error(status, text, what);
    return Decimal(raw);
}

Decimal Decimal::parse(std::string_view text, Rounding mode, std::string_view what) {
    std::int64_t raw = 0;
    const auto status = parse_impl(text, &mode, raw);
    if (status != ParseStatus::Ok) throw_parse_error(status, text, what);
    return Decimal(raw);
}

ParseStatus Decimal::try_parse(std::string_view text, Decimal& out) noexcept {
    std::int64_t raw = 0;
    const auto status = parse_impl(text, nullptr, raw);
    if (status == ParseStatus::Ok) out = Decimal(raw);
    return status;
}

ParseStatus Decimal::try_parse(std::string_view text, Rounding mode, Decimal& out) noexcept {
    std::int64_t raw = 0;
    const auto status = parse_impl(text, &mode, raw);
    if (status == ParseStatus::Ok) out = Decimal(raw);
    return status;
}

int Decimal::decimal_places() const noexcept {
    std::int64_t frac = raw_ % kOne;
    if (frac == 0) return 0;
    int places = kScale;
    while (frac % 10 == 0) {
        frac /= 10;
        --places;
    }
    return places;
}

std::size_t Decimal::format_to(char* buf) const noexcept {
    char* p = buf;
    std::uint64_t mag = raw_ < 0 ? static_cast<std::uint64_t>(-(raw_ + 1)) + 1 : static_cast<std::uint64_t>(raw_);
    if (raw_ < 0) *p++ = '-';
    const std::uint64_t ip = mag / kOne;
    std::uint64_t fp = mag % kOne;
    p = std::to_chars(p, buf + kMaxTextLength, ip).ptr;
    if (fp != 0) {
        *p++ = '.';
        char digits[kScale];
        for (int k = kScale - 1; k >= 0; --k) {
            digits[k] = static_cast<char>('0' + fp % 10);
            fp /= 10;
        }
        int n = kScale;
        while (digits[n - 1] == '0') --n;
        std::memcpy(p, digits, static_cast<std::size_t>(n));
        p += n;
    }
    *p = '\0';
    return static_cast<std::size_t>(p - buf);
}

std::string Decimal::to_string() const {
    char buf[kMaxTextLength];
    return std::string(buf, format_to(buf));
}

std::string Decimal::to_string_fixed(int decimals) const {
    if (decimals < 0 || decimals > kScale)
        throw std::invalid_argument(fmt::format("invalid decimals {}: expected 0..9", decimals));
    if (decimal_places() > decimals)
        throw std::invalid_argument(
            fmt::format("{} has more than {} decimal places; round it before formatting", to_string(), decimals));
    std::string s = to_string();
    if (decimals == 0) return s;
    const auto dot = s.find('.');
    const std::size_t have = dot == std::string::npos ? 0 : s.size() - dot - 1;
    if (dot == std::string::npos) s.push_back('.');
    s.append(static_cast<std::size_t>(decimals) - have, '0');
    return s;
}

double Decimal::to_double() const noexcept {
    // Integer and fraction separately keep the conversion correctly rounded for typical values.
    return static_cast<double>(raw_ / kOne) + static_cast<double>(raw_ % kOne) / static_cast<double>(kOne);
}

Decimal Decimal::operator-() const { return Decimal(checked(-static_cast<Int128>(raw_), "negation")); }

Decimal Decimal::abs() const { return raw_ < 0 ? -*this : *this; }

Decimal Decimal::operator+(Decimal o) const {
    std::int64_t r;
    if (__builtin_add_overflow(raw_, o.raw_, &r))
        throw std::overflow_error(fmt::format("Decimal overflow in {} + {}", to_string(), o.to_string()));
    return Decimal(r);
}

Decimal Decimal::operator-(Decimal o) const {
    std::int64_t r;
    if (__builtin_sub_overflow(raw_, o.raw_, &r))
        throw std::overflow_error(fmt::format("Decimal overflow in {} - {}", to_string(), o.to_string()));
    return Decimal(r);
}

Decimal Decimal::mul(Decimal o, Rounding mode) const {
    const Int128 product = static_cast<Int128>(raw_) * o.raw_;
    return Decimal(checked(round_div(product, kOne, mode), "multiplication"));
}

Decimal Decimal::div(Decimal o, Rounding mode) const {
    if (o.raw_ == 0) throw DivisionByZero(fmt::format("division of {} by zero", to_string()));
    Int128 num = static_cast<Int128>(raw_) * kOne;
    Int128 den = o.raw_;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    return Decimal(checked(round_div(num, den, mode), "division"));
}

Decimal Decimal::round_to_increment(Decimal increment, Rounding mode) const {
    if (increment.raw_ <= 0)
        throw std::invalid_argument(
            fmt::format("invalid increment {}: expected a positive tick or step size", increment.to_string()));
    const Int128 units = round_div(raw_, increment.raw_, mode);
    return Decimal(checked(units * increment.raw_, "rounding"));
}

Decimal Decimal::round_to_places(int decimals, Rounding mode) const {
    if (decimals < 0 || decimals > kScale)
        throw std::invalid_argument(fmt::format("invalid decimals {}: expected 0..9", decimals));
    return round_to_increment(Decimal(kPow10[kScale - decimals]), mode);
}

bool Decimal::is_multiple_of(Decimal increment) const {
    if (increment.raw_ <= 0)
        throw std::invalid_argument(
            fmt::format("invalid increment {}: expected a positive tick or step size", increment.to_string()));
    return raw_ % increment.raw_ == 0;
}

}  // namespace te
