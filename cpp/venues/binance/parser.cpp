#include "venues/binance/parser.hpp"

#include <algorithm>
#include <limits>

#include "core/logging.hpp"
#include "venues/binance/json_detail.hpp"

namespace te::binance {

// ---- enum names -------------------------------------------------------------------------

namespace {
template <std::size_t N, class E>
std::string_view name_of(const std::array<std::string_view, N>& names, E v) noexcept {
    const auto i = static_cast<std::size_t>(v);
    return i < N ? names[i] : std::string_view("UNKNOWN");
}
}  // namespace

std::string_view to_string(ExecutionType v) noexcept { return name_of(kExecutionTypeNames, v); }
std::string_view to_string(OrderStatus v) noexcept { return name_of(kOrderStatusNames, v); }
std::string_view to_string(OrderType v) noexcept { return name_of(kOrderTypeNames, v); }

std::string_view to_string(MarketMessageType t) noexcept {
    constexpr std::array<std::string_view, 8> names = {"kline",           "trade", "aggTrade", "bookTicker",
                                                       "serverShutdown", "control_response", "error", "unknown"};
    return name_of(names, t);
}

std::string_view to_string(UserMessageType t) noexcept {
    constexpr std::array<std::string_view, 6> names = {"executionReport",       "outboundAccountPosition",
                                                       "balanceUpdate",         "eventStreamTerminated",
                                                       "api_response",          "unknown"};
    return name_of(names, t);
}

te::OrderStatus to_engine_status(OrderStatus s) noexcept {
    switch (s) {
        case OrderStatus::New: return te::OrderStatus::Accepted;
        case OrderStatus::PartiallyFilled: return te::OrderStatus::PartiallyFilled;
        case OrderStatus::Filled: return te::OrderStatus::Filled;
        case OrderStatus::Canceled: return te::OrderStatus::Canceled;
        case OrderStatus::PendingNew: return te::OrderStatus::Submitted;
        case OrderStatus::PendingCancel: return te::OrderStatus::PendingCancel;
        case OrderStatus::Rejected: return te::OrderStatus::Rejected;
        case OrderStatus::Expired:
        case OrderStatus::ExpiredInMatch: return te::OrderStatus::Expired;
    }
    return te::OrderStatus::Accepted;
}

std::optional<te::OrderType> to_engine_order_type(OrderType t) noexcept {
    switch (t) {
        case OrderType::Market: return te::OrderType::Market;
        case OrderType::Limit: return te::OrderType::Limit;
        case OrderType::LimitMaker: return te::OrderType::LimitMaker;
        case OrderType::StopLossLimit: return te::OrderType::StopLossLimit;
        case OrderType::TakeProfitLimit: return te::OrderType::TakeProfitLimit;
        default: return std::nullopt;
    }
}

// ---- Parser -----------------------------------------------------------------------------

simdjson::error_code Parser::Impl::load(std::string_view json) {
    const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
    if (needed > capacity) {
        // Grow geometrically so a connection settles on one buffer.
        capacity = std::max(needed, std::max<std::size_t>(capacity * 2, 4096));
        buffer = std::make_unique<char[]>(capacity);
    }
    if (!json.empty()) std::memcpy(buffer.get(), json.data(), json.size());
    std::memset(buffer.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
    return parser.iterate(simdjson::padded_string_view(buffer.get(), json.size(), capacity)).get(doc);
}

Parser::Parser(ParserOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
    (void)InstrumentId::of("X", options_.venue);  // a bad venue name fails here, not per message
}
Parser::~Parser() = default;

void Parser::report(std::string_view kind, ParseResult r, std::string_view json) {
    // Logged sparsely: a hostile or broken peer must not turn the log into the bottleneck.
    const auto n = stats_.errors_total();
    if (n > 10 && n % 1000 != 0) return;
    constexpr std::size_t kExcerpt = 160;
    std::string excerpt(json.substr(0, kExcerpt));
    for (char& c : excerpt)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    if (json.size() > kExcerpt) excerpt += "...";
    log::warn(options_.name, "parse error",
              {{"message", kind},
               {"error", to_string(r.error)},
               {"field", r.field},
               {"bytes", json.size()},
               {"errors_total", n},
               {"excerpt", excerpt}});
}

// ---- field readers ----------------------------------------------------------------------

namespace detail {

ParseResult json_error_slow(simdjson::error_code ec, std::string_view field) noexcept {
    switch (ec) {
        case simdjson::SUCCESS: return parse_ok();
        case simdjson::INCORRECT_TYPE: return parse_fail(ParseError::WrongType, field);
        case simdjson::NUMBER_OUT_OF_RANGE: return parse_fail(ParseError::OutOfRange, field);
        case simdjson::NO_SUCH_FIELD: return parse_fail(ParseError::MissingField, field);
        default: return parse_fail(ParseError::InvalidJson, field);
    }
}

ParseResult get_object(od::value& v, od::object& out, std::string_view field) noexcept {
    return json_error(v.get_object().get(out), field);
}

namespace {
ParseResult root_type(od::document& doc, od::json_type expected) noexcept {
    od::json_type t{};
    if (doc.type().get(t) != simdjson::SUCCESS) return parse_fail(ParseError::InvalidJson, "");
    if (t != expected) return parse_fail(ParseError::WrongType, "");
    return parse_ok();
}
}  // namespace

ParseResult get_root_object(od::document& doc, od::object& out) noexcept {
    TE_BINANCE_TRY(root_type(doc, od::json_type::object));
    return json_error(doc.get_object().get(out), "");
}

ParseResult get_root_array(od::document& doc, od::array& out) noexcept {
    TE_BINANCE_TRY(root_type(doc, od::json_type::array));
    return json_error(doc.get_array().get(out), "");
}

ParseResult get_array(od::value& v, od::array& out, std::string_view field) noexcept {
    return json_error(v.get_array().get(out), field);
}


ParseResult get_int(od::value& v, int& out, std::string_view field) noexcept {
    std::int64_t x = 0;
    TE_BINANCE_TRY(get_i64(v, x, field));
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
        return parse_fail(ParseError::OutOfRange, field);
    out = static_cast<int>(x);
    return parse_ok();
}

ParseResult get_side(od::value& v, Side& out, std::string_view field) noexcept {
    return get_enum(v, EnumInfo<Side>::names, out, field);
}

ParseResult get_order_type(od::value& v, OrderType& out, std::string_view field) noexcept {
    std::string_view s;
    TE_BINANCE_TRY(get_string(v, s, field));
    const int i = index_of(kOrderTypeNames, s);
    out = i < 0 ? OrderType::Unknown : static_cast<OrderType>(i);
    return parse_ok();
}

ParseResult get_time_in_force(od::value& v, std::optional<TimeInForce>& out, std::string_view field) noexcept {
    std::string_view s;
    TE_BINANCE_TRY(get_string(v, s, field));
    const int i = index_of(EnumInfo<TimeInForce>::names, s);
    out = i < 0 ? std::nullopt : std::optional<TimeInForce>(static_cast<TimeInForce>(i));
    return parse_ok();
}

ParseResult get_request_id(od::value& v, RequestId& out, std::string_view field) noexcept {
    od::json_type t{};
    TE_BINANCE_TRY(json_error(v.type().get(t), field));
    switch (t) {
        case od::json_type::null: out = RequestId{}; return parse_ok();
        case od::json_type::number:
            out.kind = RequestId::Kind::Int;
            return get_i64(v, out.num, field);
        case od::json_type::string:
            out.kind = RequestId::Kind::Str;
            return get_fixed(v, out.str, field);
        default: return parse_fail(ParseError::WrongType, field);
    }
}

ParseResult get_instrument(od::value& v, const Ctx& ctx, InstrumentId& out, std::string_view field) noexcept {
    std::string_view s;
    TE_BINANCE_TRY(get_string(v, s, field));
    if (ctx.symbols && !s.empty() && s == ctx.symbols->symbol.view()) {
        out = ctx.symbols->id;
        return parse_ok();
    }
    if (s.empty() || s.size() + ctx.venue.size() + 1 > InstrumentId::kMaxLength)
        return parse_fail(ParseError::OutOfRange, field);
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return parse_fail(ParseError::UnknownValue, field);
    // Validated above (and the venue at construction), so of() cannot throw here.
    out = InstrumentId::of(s, ctx.venue);
    if (ctx.symbols) {
        ctx.symbols->symbol.assign(s);
        ctx.symbols->id = out;
    }
    return parse_ok();
}

ParseResult get_balances(od::value& v, std::vector<AssetBalance>& out, bool rest_names, std::string_view field) {
    const std::string_view k_asset = rest_names ? "asset" : "a";
    const std::string_view k_free = rest_names ? "free" : "f";
    const std::string_view k_locked = rest_names ? "locked" : "l";
    constexpr std::array<std::string_view, 3> names = {"balances[].asset", "balances[].free", "balances[].locked"};
    out.clear();
    od::array arr;
    TE_BINANCE_TRY(get_array(v, arr, field));
    for (auto item : arr) {
        od::value iv;
        TE_BINANCE_TRY(json_error(std::move(item).get(iv), field));
        od::object obj;
        TE_BINANCE_TRY(get_object(iv, obj, field));
        AssetBalance b;
        std::uint64_t seen = 0;
        // On an error in this entry, the entry as far as it was read is left last in `out`,
        // so that the caller can name its asset (Binance sends the asset first).
        auto fail = [&](ParseResult r) {
            out.push_back(b);
            return r;
        };
        for (auto fr : obj) {
            if (auto r = json_error(fr.error(), field); !r) return fail(r);
            od::field& f = fr.value_unsafe();
            const auto key = key_of(f);
            ParseResult r;
            if (key == k_asset) {
                r = get_fixed(f.value(), b.asset, names[0]);
                seen |= bit(0);
            } else if (key == k_free) {
                r = get_decimal(f.value(), b.free, names[1]);
                seen |= bit(1);
            } else if (key == k_locked) {
                r = get_decimal(f.value(), b.locked, names[2]);
                seen |= bit(2);
            }
            if (!r) return fail(r);
        }
        if (auto r = check_required(seen, bit(0) | bit(1) | bit(2), names); !r) return fail(r);
        out.push_back(b);
    }
    return parse_ok();
}

}  // namespace detail
}  // namespace te::binance
