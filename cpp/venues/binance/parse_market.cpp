// Market-stream messages: kline, trade, aggTrade, bookTicker, serverShutdown, the combined
// wrapper, control responses and errors. Each parser walks the object's fields once, in any
// order, skipping unknown keys, and then checks that every required field was seen.
#include "venues/binance/json_detail.hpp"

namespace te::binance {
using namespace detail;

namespace {

// Single-character keys (all of Binance's stream fields) as a switch value; 0 otherwise.
inline char short_key(std::string_view key) noexcept { return key.size() == 1 ? key[0] : '\0'; }

ParseResult parse_kline_body(od::object& obj, const Ctx& ctx, KlineEvent& out) {
    constexpr std::array<std::string_view, 16> names = {"k.t", "k.T", "k.s", "k.i", "k.f", "k.L", "k.o", "k.c",
                                                        "k.h", "k.l", "k.v", "k.n", "k.x", "k.q", "k.V", "k.Q"};
    Candle& c = out.candle;
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), "k"));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        switch (short_key(key_of(f))) {
            case 't': TE_BINANCE_TRY(get_time(v, ctx, c.open_time, names[0])); seen |= bit(0); break;
            case 'T': TE_BINANCE_TRY(get_time(v, ctx, c.close_time, names[1])); seen |= bit(1); break;
            case 's': TE_BINANCE_TRY(get_instrument(v, ctx, c.instrument_id, names[2])); seen |= bit(2); break;
            case 'i': TE_BINANCE_TRY(get_enum(v, EnumInfo<Interval>::names, c.interval, names[3])); seen |= bit(3); break;
            case 'f': TE_BINANCE_TRY(get_i64(v, out.first_trade_id, names[4])); seen |= bit(4); break;
            case 'L': TE_BINANCE_TRY(get_i64(v, out.last_trade_id, names[5])); seen |= bit(5); break;
            case 'o': TE_BINANCE_TRY(get_decimal(v, c.open, names[6])); seen |= bit(6); break;
            case 'c': TE_BINANCE_TRY(get_decimal(v, c.close, names[7])); seen |= bit(7); break;
            case 'h': TE_BINANCE_TRY(get_decimal(v, c.high, names[8])); seen |= bit(8); break;
            case 'l': TE_BINANCE_TRY(get_decimal(v, c.low, names[9])); seen |= bit(9); break;
            case 'v': TE_BINANCE_TRY(get_decimal(v, c.volume, names[10])); seen |= bit(10); break;
            case 'n': TE_BINANCE_TRY(get_i64(v, c.trade_count, names[11])); seen |= bit(11); break;
            case 'x': TE_BINANCE_TRY(get_bool(v, c.closed, names[12])); seen |= bit(12); break;
            case 'q': TE_BINANCE_TRY(get_decimal(v, c.quote_volume, names[13])); seen |= bit(13); break;
            case 'V': TE_BINANCE_TRY(get_decimal(v, out.taker_buy_base_volume, names[14])); seen |= bit(14); break;
            case 'Q': TE_BINANCE_TRY(get_decimal(v, out.taker_buy_quote_volume, names[15])); seen |= bit(15); break;
            default: break;  // "B" (ignore) and anything new
        }
    }
    return check_required(seen, bit(16) - 1, names);
}

ParseResult parse_kline(od::object& obj, const Ctx& ctx, KlineEvent& out) {
    constexpr std::array<std::string_view, 2> names = {"E", "k"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        switch (short_key(key_of(f))) {
            case 'E': TE_BINANCE_TRY(get_time(v, ctx, out.candle.ts_event, names[0])); seen |= bit(0); break;
            case 'k': {
                od::object k;
                TE_BINANCE_TRY(get_object(v, k, names[1]));
                TE_BINANCE_TRY(parse_kline_body(k, ctx, out));
                seen |= bit(1);
                break;
            }
            default: break;  // "e", and "s" which repeats k.s
        }
    }
    TE_BINANCE_TRY(check_required(seen, bit(0) | bit(1), names));
    out.candle.ts_recv = ctx.ts_recv;
    return parse_ok();
}

// trade and aggTrade share every field except the ids.
ParseResult parse_trade_like(od::object& obj, const Ctx& ctx, bool aggregate, Trade& t, UnixNanos& event_time,
                             std::int64_t& first_id, std::int64_t& last_id) {
    constexpr std::array<std::string_view, 9> names = {"E", "s", "t", "p", "q", "T", "m", "f", "l"};
    constexpr std::array<std::string_view, 9> agg_names = {"E", "s", "a", "p", "q", "T", "m", "f", "l"};
    const auto& n = aggregate ? agg_names : names;
    const char id_key = aggregate ? 'a' : 't';
    std::uint64_t seen = 0;
    bool buyer_is_maker = false;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        const char k = short_key(key_of(f));
        if (k == id_key && k != '\0') {
            TE_BINANCE_TRY(get_i64(v, t.trade_id, n[2]));
            seen |= bit(2);
            continue;
        }
        switch (k) {
            case 'E': TE_BINANCE_TRY(get_time(v, ctx, event_time, n[0])); seen |= bit(0); break;
            case 's': TE_BINANCE_TRY(get_instrument(v, ctx, t.instrument_id, n[1])); seen |= bit(1); break;
            case 'p': TE_BINANCE_TRY(get_decimal(v, t.price, n[3])); seen |= bit(3); break;
            case 'q': TE_BINANCE_TRY(get_decimal(v, t.quantity, n[4])); seen |= bit(4); break;
            case 'T': TE_BINANCE_TRY(get_time(v, ctx, t.ts_event, n[5])); seen |= bit(5); break;
            case 'm': TE_BINANCE_TRY(get_bool(v, buyer_is_maker, n[6])); seen |= bit(6); break;
            case 'f':
                if (aggregate) { TE_BINANCE_TRY(get_i64(v, first_id, n[7])); seen |= bit(7); }
                break;
            case 'l':
                if (aggregate) { TE_BINANCE_TRY(get_i64(v, last_id, n[8])); seen |= bit(8); }
                break;
            default: break;  // "e", "M" (ignore), the retired "b"/"a" order ids of trades
        }
    }
    const std::uint64_t required = aggregate ? bit(9) - 1 : bit(7) - 1;
    TE_BINANCE_TRY(check_required(seen, required, n));
    // The buyer was the maker, so the seller crossed the spread.
    t.aggressor_side = buyer_is_maker ? Side::Sell : Side::Buy;
    t.ts_recv = ctx.ts_recv;
    return parse_ok();
}

ParseResult parse_book_ticker(od::object& obj, const Ctx& ctx, BookTickerEvent& out) {
    constexpr std::array<std::string_view, 6> names = {"u", "s", "b", "B", "a", "A"};
    Quote& q = out.quote;
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        switch (short_key(key_of(f))) {
            case 'u': TE_BINANCE_TRY(get_i64(v, out.update_id, names[0])); seen |= bit(0); break;
            case 's': TE_BINANCE_TRY(get_instrument(v, ctx, q.instrument_id, names[1])); seen |= bit(1); break;
            case 'b': TE_BINANCE_TRY(get_decimal(v, q.bid_price, names[2])); seen |= bit(2); break;
            case 'B': TE_BINANCE_TRY(get_decimal(v, q.bid_size, names[3])); seen |= bit(3); break;
            case 'a': TE_BINANCE_TRY(get_decimal(v, q.ask_price, names[4])); seen |= bit(4); break;
            case 'A': TE_BINANCE_TRY(get_decimal(v, q.ask_size, names[5])); seen |= bit(5); break;
            default: break;
        }
    }
    TE_BINANCE_TRY(check_required(seen, bit(6) - 1, names));
    // bookTicker carries no venue time; the receive time is the best event time we have.
    q.ts_event = ctx.ts_recv;
    q.ts_recv = ctx.ts_recv;
    return parse_ok();
}

// serverShutdown and eventStreamTerminated: just the event time.
ParseResult parse_event_time_only(od::object& obj, const Ctx& ctx, UnixNanos& event_time) {
    constexpr std::array<std::string_view, 1> names = {"E"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        if (short_key(key_of(f)) == 'E') {
            TE_BINANCE_TRY(get_time(f.value(), ctx, event_time, names[0]));
            seen |= bit(0);
        }
    }
    return check_required(seen, bit(0), names);
}

ParseResult parse_control_response(od::object& obj, ControlResponse& out) {
    constexpr std::array<std::string_view, 2> names = {"result", "id"};
    std::uint64_t seen = 0;
    out = ControlResponse{};
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "result") {
            out.result_is_null = is_null(f.value());
            TE_BINANCE_TRY(get_raw_json(f.value(), out.result_json, names[0]));
            seen |= bit(0);
        } else if (key == "id") {
            TE_BINANCE_TRY(get_request_id(f.value(), out.id, names[1]));
            seen |= bit(1);
        }
    }
    return check_required(seen, bit(0) | bit(1), names);
}

// Keys that tell the shapes without "e" apart.
enum : std::uint32_t { kHasData = 1, kHasStream = 2, kHasResult = 4, kHasCode = 8, kHasBookKeys = 16 };

ParseResult parse_market_object(od::object& obj, const Ctx& ctx, MarketMessage& out, bool nested);

ParseResult parse_combined(od::object& obj, const Ctx& ctx, MarketMessage& out) {
    constexpr std::array<std::string_view, 2> names = {"stream", "data"};
    std::uint64_t seen = 0;
    std::string_view stream;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "stream") {
            TE_BINANCE_TRY(get_string(f.value(), stream, names[0]));
            seen |= bit(0);
        } else if (key == "data") {
            od::object data;
            TE_BINANCE_TRY(get_object(f.value(), data, names[1]));
            TE_BINANCE_TRY(parse_market_object(data, ctx, out, true));
            seen |= bit(1);
        }
    }
    TE_BINANCE_TRY(check_required(seen, bit(0) | bit(1), names));
    out.stream = stream;
    return parse_ok();
}

ParseResult parse_market_object(od::object& obj, const Ctx& ctx, MarketMessage& out, bool nested) {
    // Pass 1: find "e" (usually the first key, so this stops at once) or note which other
    // keys exist; pass 2 parses the fields of the shape found.
    std::string_view event;
    bool has_event = false;
    std::uint32_t keys = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "e") {
            TE_BINANCE_TRY(get_string(f.value(), event, "e"));
            has_event = true;
            break;
        }
        if (!nested && (key == "data" || key == "stream")) {
            keys |= kHasData;  // the combined wrapper: no need to skip over its payload first
            break;
        }
        if (key == "data") keys |= kHasData;
        else if (key == "stream") keys |= kHasStream;
        else if (key == "result") keys |= kHasResult;
        else if (key == "code") keys |= kHasCode;
        else if (key == "u" || key == "b" || key == "a") keys |= kHasBookKeys;
    }
    TE_BINANCE_TRY(json_error(obj.reset().error(), ""));

    if (has_event) {
        out.event_name = event;
        if (event == "kline") {
            out.type = MarketMessageType::Kline;
            return parse_kline(obj, ctx, out.kline);
        }
        if (event == "trade") {
            out.type = MarketMessageType::Trade;
            TradeEvent& t = out.trade;
            std::int64_t unused_first = 0, unused_last = 0;
            return parse_trade_like(obj, ctx, false, t.trade, t.event_time, unused_first, unused_last);
        }
        if (event == "aggTrade") {
            out.type = MarketMessageType::AggTrade;
            AggTradeEvent& a = out.agg_trade;
            return parse_trade_like(obj, ctx, true, a.trade, a.event_time, a.first_trade_id, a.last_trade_id);
        }
        if (event == "serverShutdown") {
            out.type = MarketMessageType::ServerShutdown;
            return parse_event_time_only(obj, ctx, out.shutdown.event_time);
        }
        out.type = MarketMessageType::Unknown;  // depthUpdate, 24hrTicker, ...: not ours to parse
        for (auto fr : obj) TE_BINANCE_TRY(json_error(fr.error(), ""));  // consume, so trailing bytes are checked
        return parse_ok();
    }
    if (!nested && (keys & (kHasData | kHasStream))) return parse_combined(obj, ctx, out);
    if (keys & kHasCode) {
        out.type = MarketMessageType::Error;
        return parse_error_object(obj, out.error);
    }
    if (keys & kHasResult) {
        out.type = MarketMessageType::ControlResponse;
        return parse_control_response(obj, out.control);
    }
    if (keys & kHasBookKeys) {
        out.type = MarketMessageType::BookTicker;
        return parse_book_ticker(obj, ctx, out.book_ticker);
    }
    out.type = MarketMessageType::Unknown;
    return parse_fail(ParseError::UnknownMessage, "");
}

}  // namespace

namespace detail {

ParseResult parse_error_object(od::object& obj, ErrorResponse& out) {
    constexpr std::array<std::string_view, 3> names = {"code", "msg", "id"};
    std::uint64_t seen = 0;
    out.id = RequestId{};
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "code") {
            TE_BINANCE_TRY(get_int(f.value(), out.code, names[0]));
            seen |= bit(0);
        } else if (key == "msg") {
            std::string_view msg;
            TE_BINANCE_TRY(get_string(f.value(), msg, names[1]));
            out.msg.assign(msg);
            seen |= bit(1);
        } else if (key == "id") {
            TE_BINANCE_TRY(get_request_id(f.value(), out.id, names[2]));
        }
    }
    return check_required(seen, bit(0) | bit(1), names);
}

ParseResult get_raw_json(od::value& v, std::string_view& out, std::string_view field) noexcept {
    od::json_type t{};
    TE_BINANCE_TRY(json_error(v.type().get(t), field));
    if (t == od::json_type::object) {
        od::object o;
        TE_BINANCE_TRY(get_object(v, o, field));
        return json_error(o.raw_json().get(out), field);
    }
    if (t == od::json_type::array) {
        od::array a;
        TE_BINANCE_TRY(get_array(v, a, field));
        return json_error(a.raw_json().get(out), field);
    }
    out = v.raw_json_token();
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\r' || out.back() == '\t'))
        out.remove_suffix(1);
    return parse_ok();
}

}  // namespace detail

ParseResult Parser::parse_market(std::string_view json, MarketMessage& out, UnixNanos ts_recv) {
    const Ctx ctx{options_.time_unit, options_.venue, ts_recv, &impl_->symbols};
    out.stream = {};
    out.event_name = {};
    auto r = run("market", json, [&](od::document& doc) -> ParseResult {
        od::object obj;
        TE_BINANCE_TRY(get_root_object(doc, obj));
        return parse_market_object(obj, ctx, out, false);
    });
    if (r.ok()) {
        if (out.type == MarketMessageType::Unknown) stats_.count_ignored();
        else stats_.count_ok();
    }
    return r;
}

ParseResult Parser::parse_error(std::string_view json, ErrorResponse& out) {
    auto r = run("error", json, [&](od::document& doc) -> ParseResult {
        od::object obj;
        TE_BINANCE_TRY(get_root_object(doc, obj));
        return parse_error_object(obj, out);
    });
    if (r.ok()) stats_.count_ok();
    return r;
}

}  // namespace te::binance
