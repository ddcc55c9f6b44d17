#include "core/decimal.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/wide.hpp"

namespace te {
namespace {

constexpr std::uint64_t kPow10[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1'000ULL,
                                      10'000ULL,
                                      100'000ULL,
                                      1'000'000ULL,
                                      10'000'000ULL,
                                      100'000'000ULL,
                                      1'000'000'000ULL,
                                      10'000'000'000ULL,
                                      100'000'000'000ULL,
                                      1'000'000'000'000ULL,
                                      10'000'000'000'000ULL,
                                      100'000'000'000'000ULL,
                                      1'000'000'000'000'000ULL,
                                      10'000'000'000'000'000ULL,
                                      100'000'000'000'000'000ULL,
                                      1'000'000'000'000'000'000ULL,
                                      10'000'000'000'000'000'000ULL};

constexpr UInt128 kMaxMagnitude = static_cast<UInt128>(kInt128Max) + 1;  // |kInt128Min|

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Whether a quotient q (magnitude, with its sign) moves one unit away from zero, given how
// the dropped remainder compares with half a unit (-1 below, 0 exactly, +1 above).
bool rounds_away(Rounding mode, bool negative, bool q_odd, int vs_half) noexcept {
    switch (mode) {
        case Rounding::Down: return false;
        case Rounding::Up: return true;
        case Rounding::Floor: return negative;
        case Rounding::Ceiling: return !negative;
        case Rounding::HalfUp: return vs_half >= 0;
        case Rounding::HalfEven: return vs_half > 0 || (vs_half == 0 && q_odd);
    }
    return false;
}

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
        bool huge = false;
        for (; i < s.size() && is_digit(s[i]); ++i) {
            if (e < 1'000'000'000) e = e * 10 + (s[i] - '0');
            else huge = true;
        }
        // An exponent beyond 1e9 puts any non-zero digit string outside the range (or below
        // 1e-9): clamp it to a value that decides the same way, without overflowing the scale.
        if (huge) e = 1'000'000'000;
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

// The common venue form "[-]digits[.digits]" with at most 19 integer digits and at most 9
// decimals: always in range, computed with one 64x64->128 multiplication. Anything else
// (exponents, ".5", more decimals, longer numbers) returns false and takes the general path,
// which decides exactly.
bool parse_plain(std::string_view s, Int128& out) noexcept {
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    const char* const int_start = p;
    std::uint64_t int_part = 0;
    while (p < end && is_digit(*p) && p - int_start < 19) int_part = int_part * 10 + static_cast<std::uint64_t>(*p++ - '0');
    if (p == int_start) return false;
    std::uint64_t frac = 0;
    int frac_digits = 0;
    if (p < end && *p == '.') {
        ++p;
        while (p < end && is_digit(*p) && frac_digits < Decimal::kScale) {
            frac = frac * 10 + static_cast<std::uint64_t>(*p++ - '0');
            ++frac_digits;
        }
    }
    if (p != end) return false;
    const std::uint64_t frac_raw = frac * kPow10[Decimal::kScale - frac_digits];
    if (int_part < 18'446'744'073ULL) {  // int_part * 1e9 + frac_raw fits in 64 bits
        const std::uint64_t raw = int_part * static_cast<std::uint64_t>(Decimal::kOne) + frac_raw;
        out = negative ? -static_cast<Int128>(raw) : static_cast<Int128>(raw);
        return true;
    }
    const UInt128 raw = static_cast<UInt128>(int_part) * static_cast<std::uint64_t>(Decimal::kOne) + frac_raw;
    out = negative ? -static_cast<Int128>(raw) : static_cast<Int128>(raw);
    return true;
}

// magnitude * 10 + digit, false on overflow of 128 unsigned bits.
bool push_digit(UInt128& magnitude, int digit) noexcept {
    UInt128 t;
    if (__builtin_mul_overflow(magnitude, static_cast<UInt128>(10), &t)) return false;
    return !__builtin_add_overflow(t, static_cast<UInt128>(digit), &magnitude);
}

bool apply_sign(UInt128 magnitude, bool negative, Int128& out) noexcept {
    if (negative) {
        if (magnitude > kMaxMagnitude) return false;
        out = magnitude == kMaxMagnitude ? kInt128Min : -static_cast<Int128>(magnitude);
        return true;
    }
    if (magnitude > static_cast<UInt128>(kInt128Max)) return false;
    out = static_cast<Int128>(magnitude);
    return true;
}

ParseStatus parse_impl(std::string_view text, const Rounding* mode, Int128& out) noexcept {
    if (text.empty()) return ParseStatus::Empty;
    if (parse_plain(text, out)) return ParseStatus::Ok;
    Literal lit;
    if (!split_literal(text, lit)) return ParseStatus::Syntax;

    Digits d{lit.int_digits, lit.frac_digits};
    std::size_t first = 0, last = d.size();
    while (first < last && d[first] == '0') ++first;  // leading zeros carry no value
    std::int64_t scale = static_cast<std::int64_t>(lit.frac_digits.size()) - lit.exponent;
    while (last > first && d[last - 1] == '0') {  // trailing zeros only shift the scale
        --last;
        --scale;
    }
    if (first == last) {
        out = 0;
        return ParseStatus::Ok;
    }
    const auto n = static_cast<std::int64_t>(last - first);
    const std::int64_t shift = Decimal::kScale - scale;  // raw = digits * 10^shift
    UInt128 magnitude = 0;
    if (shift >= 0) {
        if (n + shift > 39) return ParseStatus::Overflow;  // 10^39 > 2^128
        for (std::size_t k = first; k < last; ++k)
            if (!push_digit(magnitude, d[k] - '0')) return ParseStatus::Overflow;
        for (std::int64_t k = 0; k < shift; ++k)
            if (!push_digit(magnitude, 0)) return ParseStatus::Overflow;
        return apply_sign(magnitude, lit.negative, out) ? ParseStatus::Ok : ParseStatus::Overflow;
    }
    // Digits below 1e-9 exist, and the last one is non-zero: inexact without a mode.
    if (mode == nullptr) return ParseStatus::TooPrecise;
    const std::int64_t keep = n + shift;  // digits at or above 1e-9
    if (keep > 39) return ParseStatus::Overflow;
    std::size_t k = first;
    for (std::int64_t j = 0; j < keep; ++j, ++k)
        if (!push_digit(magnitude, d[k] - '0')) return ParseStatus::Overflow;
    // How the dropped digits compare with half a unit: the first dropped digit and the rest.
    int vs_half = -1;
    if (keep >= 0) {
        const int first_dropped = d[k] - '0';
        const bool rest_nonzero = (last - k) > 1;  // the last digit is non-zero
        vs_half = first_dropped > 5 ? 1 : first_dropped < 5 ? -1 : (rest_nonzero ? 1 : 0);
    }
    if (rounds_away(*mode, lit.negative, (magnitude & 1) != 0, vs_half) &&
        __builtin_add_overflow(magnitude, static_cast<UInt128>(1), &magnitude))
        return ParseStatus::Overflow;
    return apply_sign(magnitude, lit.negative, out) ? ParseStatus::Ok : ParseStatus::Overflow;
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
            throw std::overflow_error(
                fmt::format("{} '{}' is out of range: the limits are {}", what, text, Decimal::kRangeText));
        default:
            throw std::invalid_argument(fmt::format(
                "invalid {} '{}': expected a decimal number like '123.45', '-0.001' or '1e-8'", what, text));
    }
}

[[noreturn]] void throw_overflow(const char* op, Decimal a, Decimal b) {
    throw std::overflow_error(fmt::format("Decimal overflow in {} {} {}: the result exceeds the range {}",
                                          a.to_string(), op, b.to_string(), Decimal::kRangeText));
}

// Writes the decimal digits of v (no sign) and returns the end.
char* write_uint128(char* p, UInt128 v) noexcept {
    if (v <= UINT64_MAX) return std::to_chars(p, p + 40, static_cast<std::uint64_t>(v)).ptr;
    constexpr std::uint64_t k1e19 = kPow10[19];
    const UInt128 head = v / k1e19;
    std::uint64_t tail = static_cast<std::uint64_t>(v % k1e19);
    p = write_uint128(p, head);
    for (int k = 18; k >= 0; --k) {
        p[k] = static_cast<char>('0' + tail % 10);
        tail /= 10;
    }
    return p + 19;
}

UInt128 magnitude_of(Int128 v) noexcept {
    return v < 0 ? static_cast<UInt128>(-(v + 1)) + 1 : static_cast<UInt128>(v);
}

// Round num/den (den > 0) over Int128 without overflow in the comparison with half.
Int128 round_div_impl(Int128 num, Int128 den, Rounding mode) noexcept {
    const Int128 q = num / den;
    const Int128 r = num % den;
    if (r == 0) return q;
    const bool negative = num < 0;
    const UInt128 ar = magnitude_of(r);
    const UInt128 rest = static_cast<UInt128>(den) - ar;  // den - |r| > 0
    const int vs_half = ar > rest ? 1 : (ar < rest ? -1 : 0);
    if (!rounds_away(mode, negative, (q & 1) != 0, vs_half)) return q;
    return negative ? q - 1 : q + 1;
}

}  // namespace

std::string int128_to_string(Int128 v) {
    char buf[48];
    char* p = buf;
    if (v < 0) *p++ = '-';
    p = write_uint128(p, magnitude_of(v));
    return std::string(buf, p);
}

bool int128_from_string(std::string_view text, Int128& out) noexcept {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    if (i == text.size()) return false;
    UInt128 magnitude = 0;
    for (; i < text.size(); ++i) {
        if (!is_digit(text[i]) || !push_digit(magnitude, text[i] - '0')) return false;
    }
    return apply_sign(magnitude, negative, out);
}

Int256 to_wide(Int128 v) {
    const UInt128 m = magnitude_of(v);
    Int256 w = static_cast<std::uint64_t>(m >> 64);
    w <<= 64;
    w |= static_cast<std::uint64_t>(m);
    return v < 0 ? Int256(-w) : w;
}

std::optional<Int128> narrow(const Int256& v) {
    static const Int256 kMax = to_wide(kInt128Max);
    static const Int256 kMin = to_wide(kInt128Min);
    if (v > kMax || v < kMin) return std::nullopt;
    const Int256 m = boost::multiprecision::abs(v);
    const UInt128 mag = (static_cast<UInt128>(static_cast<std::uint64_t>(m >> 64)) << 64) |
                        static_cast<std::uint64_t>(m & Int256(UINT64_MAX));
    Int128 out = 0;
    apply_sign(mag, v < 0, out);
    return out;
}

Int256 round_div(const Int256& num, const Int256& den, Rounding mode) {
    const Int256 q = num / den;
    const Int256 r = num % den;
    if (r == 0) return q;
    const bool negative = num < 0;
    const Int256 ar = boost::multiprecision::abs(r);
    const Int256 rest = den - ar;
    const int vs_half = ar > rest ? 1 : (ar < rest ? -1 : 0);
    if (!rounds_away(mode, negative, bit_test(q, 0), vs_half)) return q;
    return negative ? Int256(q - 1) : Int256(q + 1);
}

std::string wide_to_string(const Int256& v) { return v.str(); }

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

Int128 round_div(Int128 num, Int128 den, Rounding mode) noexcept { return round_div_impl(num, den, mode); }

Decimal Decimal::parse(std::string_view text, std::string_view what) {
    Int128 raw = 0;
    const auto status = parse_impl(text, nullptr, raw);
    if (status != ParseStatus::Ok) throw_parse_error(status, text, what);
    return Decimal(raw);
}

Decimal Decimal::parse(std::string_view text, Rounding mode, std::string_view what) {
    Int128 raw = 0;
    const auto status = parse_impl(text, &mode, raw);
    if (status != ParseStatus::Ok) throw_parse_error(status, text, what);
    return Decimal(raw);
}

ParseStatus Decimal::try_parse(std::string_view text, Decimal& out) noexcept {
    Int128 raw = 0;
    const auto status = parse_impl(text, nullptr, raw);
    if (status == ParseStatus::Ok) out = Decimal(raw);
    return status;
}

ParseStatus Decimal::try_parse(std::string_view text, Rounding mode, Decimal& out) noexcept {
    Int128 raw = 0;
    const auto status = parse_impl(text, &mode, raw);
    if (status == ParseStatus::Ok) out = Decimal(raw);
    return status;
}

int Decimal::decimal_places() const noexcept {
    auto frac = static_cast<std::int64_t>(raw() % kOne);
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
    const Int128 r = raw();
    if (r < 0) *p++ = '-';
    const UInt128 mag = magnitude_of(r);
    std::uint64_t fp = 0;
    if (mag <= UINT64_MAX) {  // the common case in 64-bit arithmetic
        const auto m = static_cast<std::uint64_t>(mag);
        fp = m % kOne;
        p = std::to_chars(p, buf + kMaxTextLength, m / kOne).ptr;
    } else {
        fp = static_cast<std::uint64_t>(mag % kOne);
        p = write_uint128(p, mag / kOne);
    }
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
    const Int128 r = raw();
    return static_cast<double>(r / kOne) + static_cast<double>(static_cast<std::int64_t>(r % kOne)) /
                                               static_cast<double>(kOne);
}

Decimal Decimal::operator-() const {
    const Int128 r = raw();
    if (r == kInt128Min)
        throw std::overflow_error(
            fmt::format("Decimal overflow in -({}): the result exceeds the range {}", to_string(), kRangeText));
    return Decimal(-r);
}

Decimal Decimal::abs() const { return sign() < 0 ? -*this : *this; }

Decimal Decimal::operator+(Decimal o) const {
    Int128 r;
    if (__builtin_add_overflow(raw(), o.raw(), &r)) throw_overflow("+", *this, o);
    return Decimal(r);
}

Decimal Decimal::operator-(Decimal o) const {
    Int128 r;
    if (__builtin_sub_overflow(raw(), o.raw(), &r)) throw_overflow("-", *this, o);
    return Decimal(r);
}

Decimal Decimal::mul(Decimal o, Rounding mode) const {
    const Int128 a = raw(), b = o.raw();
    Int128 product;
    if (!__builtin_mul_overflow(a, b, &product)) {
        // The product fits in 128 bits, so does the quotient by 1e9.
        return Decimal(round_div_impl(product, kOne, mode));
    }
    // 256-bit product; the rounded quotient must fit back.
    const auto q = narrow(round_div(to_wide(a) * to_wide(b), Int256(kOne), mode));
    if (!q) throw_overflow("*", *this, o);
    return Decimal(*q);
}

Decimal Decimal::div(Decimal o, Rounding mode) const {
    if (o.is_zero()) throw DivisionByZero(fmt::format("division of {} by zero", to_string()));
    Int128 num;
    Int128 den = o.raw();
    // Fast path: raw * 1e9 fits in 128 bits and both signs can be flipped; |den| >= 1, so
    // the quotient fits too.
    if (!__builtin_mul_overflow(raw(), static_cast<Int128>(kOne), &num) && den != kInt128Min &&
        num != kInt128Min) {
        if (den < 0) {
            num = -num;
            den = -den;
        }
        return Decimal(round_div_impl(num, den, mode));
    }
    Int256 wnum = to_wide(raw()) * kOne;
    Int256 wden = to_wide(den);
    if (wden < 0) {
        wnum = -wnum;
        wden = -wden;
    }
    const auto q = narrow(round_div(wnum, wden, mode));
    if (!q) throw_overflow("/", *this, o);
    return Decimal(*q);
}

Decimal Decimal::round_to_increment(Decimal increment, Rounding mode) const {
    if (increment.sign() <= 0)
        throw std::invalid_argument(
            fmt::format("invalid increment {}: expected a positive tick or step size", increment.to_string()));
    const Int128 inc = increment.raw();
    const Int128 units = round_div_impl(raw(), inc, mode);
    Int128 r;
    if (__builtin_mul_overflow(units, inc, &r))
        throw std::overflow_error(fmt::format("Decimal overflow rounding {} to a multiple of {}: the result exceeds the range {}",
                                              to_string(), increment.to_string(), kRangeText));
    return Decimal(r);
}

Decimal Decimal::round_to_places(int decimals, Rounding mode) const {
    if (decimals < 0 || decimals > kScale)
        throw std::invalid_argument(fmt::format("invalid decimals {}: expected 0..9", decimals));
    return round_to_increment(Decimal(static_cast<Int128>(kPow10[kScale - decimals])), mode);
}

bool Decimal::is_multiple_of(Decimal increment) const {
    if (increment.sign() <= 0)
        throw std::invalid_argument(
            fmt::format("invalid increment {}: expected a positive tick or step size", increment.to_string()));
    return raw() % increment.raw() == 0;
}

}  // namespace te
