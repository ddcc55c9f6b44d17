#pragma once
// Private to the parser sources: the simdjson state behind Parser and the field readers the
// message parsers share. Every reader returns a ParseResult naming the field; none throws
// (simdjson is used through its error-code interface only).
#include <cstring>
#include <memory>
#include <string_view>

#include <simdjson.h>

#include "core/decimal.hpp"
#include "core/money.hpp"
#include "venues/binance/parser.hpp"

namespace te::binance {

namespace od = simdjson::ondemand;

struct Parser::Impl {
    od::parser parser;
    od::document doc;
    std::unique_ptr<char[]> buffer;  // the message copied with simdjson's padding after it
    std::size_t capacity = 0;

    simdjson::error_code load(std::string_view json);
};

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
};

ParseResult json_error(simdjson::error_code ec, std::string_view field) noexcept;

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
ParseResult get_i64(od::value& v, std::int64_t& out, std::string_view field) noexcept;
ParseResult get_int(od::value& v, int& out, std::string_view field) noexcept;
ParseResult get_bool(od::value& v, bool& out, std::string_view field) noexcept;
ParseResult get_string(od::value& v, std::string_view& out, std::string_view field) noexcept;
ParseResult get_time(od::value& v, const Ctx& ctx, UnixNanos& out, std::string_view field) noexcept;
ParseResult get_decimal(od::value& v, Decimal& out, std::string_view field) noexcept;
// Like get_decimal, but a value too large for Decimal saturates to Decimal::max() (used for
// exchangeInfo maxima that mean "no limit").
ParseResult get_decimal_saturating(od::value& v, Decimal& out, std::string_view field) noexcept;
// The decimal text of an array element or value, without the JSON quotes.
ParseResult decimal_from_text(std::string_view text, Decimal& out, std::string_view field) noexcept;

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
ParseResult get_instrument(od::value& v, std::string_view venue, InstrumentId& out,
                           std::string_view field) noexcept;

// Balances [{"a","f","l"}] (stream) or [{"asset","free","locked"}] (REST).
ParseResult get_balances(od::value& v, std::vector<AssetBalance>& out, bool rest_names, std::string_view field);

// {"code": int, "msg": string[, "id": ...]}: REST errors and stream control errors.
ParseResult parse_error_object(od::object& obj, ErrorResponse& out);
// Raw JSON text of any value (object, array or scalar); a view into the parser's buffer.
ParseResult get_raw_json(od::value& v, std::string_view& out, std::string_view field) noexcept;

}  // namespace detail
}  // namespace te::binance
