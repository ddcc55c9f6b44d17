#pragma once
// Private to the parser sources: the simdjson state behind Parser and the field readers the
// message parsers share. Every reader returns a ParseResult naming the field; none throws
// (simdjson is used through its error-code interface only).
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include <simdjson.h>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "venues/binance/parser.hpp"

namespace te::binance {

namespace od = simdjson::ondemand;

// The last symbol seen and its InstrumentId: a connection usually streams few symbols, so
// this skips validating and building the id for almost every message.
struct SymbolCache {
    FixedString<InstrumentId::kMaxLength> symbol;
    InstrumentId id;
};

struct Parser::Impl {
    SymbolCache symbols;
    od::parser parser;
    od::document doc;
    std::unique_ptr<char[]> buffer;  // the message copied with simdjson's padding after it
    std::size_t capacity = 0;

    simdjson::error_code load(std::string_view json);
};

// Fields are taken as `fr.value_unsafe()` after checking fr.error(), never moved out with
// get(): GCC copies the moved field with a 16-byte load that stalls on store forwarding,
// which cost a fifth of a kline parse.

// Propagates a failed ParseResult to the caller.
#define TE_BINANCE_TRY(expr)                                 \
    do {                                                     \
        if (auto te_try_r_ = (expr); !te_try_r_.ok()) return te_try_r_; \
    } while (0)

template <class F>
ParseResult Parser::run(std::string_view kind, std::string_view json, F&& body) {
    ParseResult r;
    if (json.size() > options_.max_message_bytes) {
        r = parse_fail(ParseError::TooLarge, "");
    } else if (impl_->load(json) != simdjson::SUCCESS) {
        r = parse_fail(ParseError::InvalidJson, "");
    } else {
        r = body(impl_->doc);
        // Anything after the root value (current_location succeeds only when tokens remain).
        const char* rest = nullptr;
        if (r.ok() && impl_->doc.current_location().get(rest) == simdjson::SUCCESS)
            r = parse_fail(ParseError::InvalidJson, "<trailing content>");
    }
    if (!r.ok()) {
        stats_.count_error(r.error);
        report(kind, r, json);
    }
    return r;
}

namespace detail {

// Per-message context: how to convert times, which venue ids to build, when it arrived.
struct Ctx {
    TimeUnit unit = TimeUnit::Millisecond;
    std::string_view venue;
    UnixNanos ts_recv = 0;
    SymbolCache* symbols = nullptr;
};

ParseResult json_error_slow(simdjson::error_code ec, std::string_view field) noexcept;
// simdjson error -> ParseResult; the success test is inline (it runs for every field).
inline ParseResult json_error(simdjson::error_code ec, std::string_view field) noexcept {
    if (ec == simdjson::SUCCESS) [[likely]]
        return parse_ok();
    return json_error_slow(ec, field);
}

inline constexpr std::uint64_t bit(int i) noexcept { return std::uint64_t{1} << i; }

// The first required field (bit i of `required`, named names[i]) not in `seen`.
template <std::size_t N>
ParseResult check_required(std::uint64_t seen, std::uint64_t required,
                           const std::array<std::string_view, N>& names) noexcept {
    const std::uint64_t missing = required & ~seen;
    if (missing == 0) return parse_ok();
    for (std::size_t i = 0; i < N; ++i)
        if (missing & bit(static_cast<int>(i))) return parse_fail(ParseError::MissingField, names[i]);
    return parse_fail(ParseError::MissingField, "?");
}

// The key of a field without unescaping: Binance keys never contain escapes, so a key that
// does is returned as "\\", which matches no known field and is ignored.
inline std::string_view key_of(od::field& f) noexcept {
    const char* begin = f.key().raw();
    const char* p = begin;
    while (*p != '"') {
        if (*p == '\\') return "\\";
        ++p;
    }
    return {begin, static_cast<std::size_t>(p - begin)};
}

inline bool is_null(od::value& v) noexcept {
    od::json_type t{};
    return v.type().get(t) == simdjson::SUCCESS && t == od::json_type::null;
}

ParseResult get_object(od::value& v, od::object& out, std::string_view field) noexcept;
// The root value as an object / array: InvalidJson when the text is not JSON at all (an HTML
// error page), WrongType when it is JSON of another type.
ParseResult get_root_object(od::document& doc, od::object& out) noexcept;
ParseResult get_root_array(od::document& doc, od::array& out) noexcept;
ParseResult get_array(od::value& v, od::array& out, std::string_view field) noexcept;
// Integers are read from the raw token: Binance sends plain integers, and this is several
// times cheaper than simdjson's general number parser. Fractions, exponents and other JSON
// types are WrongType, integers beyond int64 OutOfRange, anything else InvalidJson.
inline ParseResult get_i64(od::value& v, std::int64_t& out, std::string_view field) noexcept {
    const std::string_view t = v.raw_json_token();
    std::size_t i = 0;
    const bool negative = !t.empty() && t[0] == '-';
    if (negative) ++i;
    const std::size_t digits_begin = i;
    std::uint64_t mag = 0;
    bool overflow = false;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
        const auto d = static_cast<std::uint64_t>(t[i] - '0');
        if (mag > (UINT64_MAX - d) / 10) overflow = true;
        else mag = mag * 10 + d;
        ++i;
    }
    if (i == digits_begin) {
        if (t.empty()) return parse_fail(ParseError::InvalidJson, field);
        const char c = t[0];
        const bool json_value = c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n';
        return parse_fail(json_value ? ParseError::WrongType : ParseError::InvalidJson, field);
    }
    if (i < t.size() && (t[i] == '.' || t[i] == 'e' || t[i] == 'E')) return parse_fail(ParseError::WrongType, field);
    for (std::size_t j = i; j < t.size(); ++j)  // only whitespace may follow the digits
        if (t[j] != ' ' && t[j] != '\t' && t[j] != '\n' && t[j] != '\r') return parse_fail(ParseError::InvalidJson, field);
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
    if (overflow || mag > limit) return parse_fail(ParseError::OutOfRange, field);
    out = negative ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
    return parse_ok();
}

ParseResult get_int(od::value& v, int& out, std::string_view field) noexcept;

inline ParseResult get_bool(od::value& v, bool& out, std::string_view field) noexcept {
    return json_error(v.get_bool().get(out), field);
}

inline ParseResult get_string(od::value& v, std::string_view& out, std::string_view field) noexcept {
    return json_error(v.get_string().get(out), field);
}

inline ParseResult get_time(od::value& v, const Ctx& ctx, UnixNanos& out, std::string_view field) noexcept {
    std::int64_t t = 0;
    TE_BINANCE_TRY(get_i64(v, t, field));
    const std::int64_t scale = ctx.unit == TimeUnit::Millisecond ? kNanosPerMilli : kNanosPerMicro;
    // Negative times and times past 2262 (int64 nanoseconds) are refused, not wrapped.
    if (t < 0 || t > INT64_MAX / scale) return parse_fail(ParseError::OutOfRange, field);
    out = t * scale;
    return parse_ok();
}

inline ParseResult decimal_status(ParseStatus s, std::string_view field) noexcept {
    switch (s) {
        case ParseStatus::Ok: return parse_ok();
        case ParseStatus::TooPrecise: return parse_fail(ParseError::TooPrecise, field);
        case ParseStatus::Overflow: return parse_fail(ParseError::OutOfRange, field);
        default: return parse_fail(ParseError::BadDecimal, field);
    }
}

// The text of a JSON string without unescaping: decimals never contain escapes, so one that
// does is handed to try_parse with its backslash and rejected there.
inline ParseResult raw_string(od::value& v, std::string_view& out, std::string_view field) noexcept {
    od::raw_json_string raw;
    TE_BINANCE_TRY(json_error(v.get_raw_json_string().get(raw), field));
    const char* begin = raw.raw();
    const char* p = begin;
    while (*p != '"') {
        if (*p == '\\') {
            ++p;  // keep the escape in the text; try_parse refuses it
            if (*p == '\0') break;
        }
        ++p;
    }
    out = {begin, static_cast<std::size_t>(p - begin)};
    return parse_ok();
}

inline ParseResult decimal_from_text(std::string_view text, Decimal& out, std::string_view field) noexcept {
    return decimal_status(Decimal::try_parse(text, out), field);
}

inline ParseResult get_decimal(od::value& v, Decimal& out, std::string_view field) noexcept {
    std::string_view text;
    TE_BINANCE_TRY(raw_string(v, text, field));
    return decimal_from_text(text, out, field);
}

template <class Tag>
ParseResult get_decimal(od::value& v, Fixed<Tag>& out, std::string_view field) noexcept {
    Decimal d;
    TE_BINANCE_TRY(get_decimal(v, d, field));
    out = Fixed<Tag>(d);
    return parse_ok();
}

template <std::size_t N>
ParseResult get_fixed(od::value& v, FixedString<N>& out, std::string_view field) noexcept {
    std::string_view s;
    TE_BINANCE_TRY(get_string(v, s, field));
    if (!out.assign(s)) return parse_fail(ParseError::OutOfRange, field);
    return parse_ok();
}

// A string field Binance may send as null (e.g. the commission asset "N"): null -> empty.
template <std::size_t N>
ParseResult get_fixed_nullable(od::value& v, FixedString<N>& out, std::string_view field) noexcept {
    if (is_null(v)) {
        out.clear();
        return parse_ok();
    }
    return get_fixed(v, out, field);
}

// Index of `s` in `names`, or -1.
template <std::size_t N>
int index_of(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<int>(i);
    return -1;
}

// An enum field that must hold one of `names` (UnknownValue otherwise).
template <class E, std::size_t N>
ParseResult get_enum(od::value& v, const std::array<std::string_view, N>& names, E& out,
                     std::string_view field) noexcept {
    std::string_view s;
    TE_BINANCE_TRY(get_string(v, s, field));
    const int i = index_of(names, s);
    if (i < 0) return parse_fail(ParseError::UnknownValue, field);
    out = static_cast<E>(i);
    return parse_ok();
}

ParseResult get_side(od::value& v, Side& out, std::string_view field) noexcept;
ParseResult get_order_type(od::value& v, OrderType& out, std::string_view field) noexcept;
ParseResult get_time_in_force(od::value& v, std::optional<TimeInForce>& out, std::string_view field) noexcept;
ParseResult get_request_id(od::value& v, RequestId& out, std::string_view field) noexcept;

// "BNBBTC" -> BNBBTC.<venue>, refusing characters InstrumentId does not accept.
ParseResult get_instrument(od::value& v, const Ctx& ctx, InstrumentId& out, std::string_view field) noexcept;

// Balances [{"a","f","l"}] (stream) or [{"asset","free","locked"}] (REST).
ParseResult get_balances(od::value& v, std::vector<AssetBalance>& out, bool rest_names, std::string_view field);

// {"code": int, "msg": string[, "id": ...]}: REST errors and stream control errors.
ParseResult parse_error_object(od::object& obj, ErrorResponse& out);
// Raw JSON text of any value (object, array or scalar); a view into the parser's buffer.
ParseResult get_raw_json(od::value& v, std::string_view& out, std::string_view field) noexcept;

}  // namespace detail
}  // namespace te::binance
