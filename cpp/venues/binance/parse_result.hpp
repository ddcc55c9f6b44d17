#pragma once
// The outcome of parsing one Binance message, and the per-parser error counters. Parsers never
// throw on the hot path: they return a ParseResult naming what was wrong and where.
#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace te::binance {

enum class ParseError : std::uint8_t {
    Ok,
    InvalidJson,      // not JSON, truncated, trailing content
    WrongType,        // a field had the wrong JSON type (number instead of string, null, ...)
    MissingField,     // a required field is absent
    BadDecimal,       // a decimal string that is not a number
    TooPrecise,       // a decimal with more than 9 decimal places (never silently rounded)
    OutOfRange,       // a number, decimal, time or string too large for its slot
    UnknownValue,     // an enum field with a value we cannot act on (side, status, interval ...)
    UnknownMessage,   // a message whose shape matches nothing this parser knows
    TooLarge,         // the message exceeds the parser's size limit
};
inline constexpr std::size_t kParseErrorCount = 10;

constexpr std::string_view to_string(ParseError e) noexcept {
    constexpr std::array<std::string_view, kParseErrorCount> names = {
        "ok",          "invalid_json", "wrong_type",    "missing_field",   "bad_decimal",
        "too_precise", "out_of_range", "unknown_value", "unknown_message", "too_large"};
    const auto i = static_cast<std::size_t>(e);
    return i < names.size() ? names[i] : "?";
}

struct ParseResult {
    ParseError error = ParseError::Ok;
    // The field at fault as a path ("k.o", "fills[].price"); always a string literal.
    std::string_view field;

    constexpr bool ok() const noexcept { return error == ParseError::Ok; }
    constexpr explicit operator bool() const noexcept { return ok(); }
};

constexpr ParseResult parse_ok() noexcept { return {}; }
constexpr ParseResult parse_fail(ParseError e, std::string_view field) noexcept { return {e, field}; }

// Counters owned by one parser (one connection, one thread) and readable from any thread
// (metrics): a single writer, so a relaxed load + store is enough and costs a plain move.
class ParseStats {
public:
    void count_ok() noexcept { bump(ok_); }
    void count_ignored() noexcept { bump(ignored_); }
    void count_error(ParseError e) noexcept {
        bump(errors_);
        bump(by_kind_[static_cast<std::size_t>(e) % kParseErrorCount]);
    }

    std::uint64_t messages_ok() const noexcept { return ok_.load(std::memory_order_relaxed); }
    // Well-formed messages of a kind this parser does not handle (e.g. a depth update).
    std::uint64_t messages_ignored() const noexcept { return ignored_.load(std::memory_order_relaxed); }
    std::uint64_t errors_total() const noexcept { return errors_.load(std::memory_order_relaxed); }
    std::uint64_t errors(ParseError e) const noexcept {
        return by_kind_[static_cast<std::size_t>(e) % kParseErrorCount].load(std::memory_order_relaxed);
    }

private:
    static void bump(std::atomic<std::uint64_t>& c) noexcept {
        c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    std::atomic<std::uint64_t> ok_{0}, ignored_{0}, errors_{0};
    std::array<std::atomic<std::uint64_t>, kParseErrorCount> by_kind_{};
};

}  // namespace te::binance
