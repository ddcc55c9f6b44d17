// User-data stream over the WebSocket API: the response envelope, the event wrapper
// {"subscriptionId","event"} and the account/order events inside it.
#include "venues/binance/json_detail.hpp"

namespace te::binance {
using namespace detail;

namespace {

inline char short_key(std::string_view key) noexcept { return key.size() == 1 ? key[0] : '\0'; }

template <class T>
ParseResult get_decimal_nullable(od::value& v, T& out, std::string_view field) noexcept {
    if (is_null(v)) {
        out = T{};
        return parse_ok();
    }
    return get_decimal(v, out, field);
}

ParseResult parse_execution_report(od::object& obj, const Ctx& ctx, ExecutionReport& r) {
    // Bit order = position in `names`; the mask below lists the required ones.
    constexpr std::array<std::string_view, 34> names = {
        "E", "s", "c", "S", "o", "f", "q", "p", "P", "F", "g", "C", "x", "X", "r", "i", "l",
        "z", "L", "n", "N", "T", "t", "v", "I", "w", "m", "O", "Z", "Y", "Q", "W", "V", "eR"};
    constexpr std::uint64_t required = bit(0) | bit(1) | bit(2) | bit(3) | bit(4) | bit(5) | bit(6) | bit(7) |
                                       bit(12) | bit(13) | bit(15) | bit(16) | bit(17) | bit(18) | bit(19) |
                                       bit(21) | bit(22) | bit(26) | bit(28);
    r = ExecutionReport{};
    r.ts_recv = ctx.ts_recv;
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        const auto key = key_of(f);
        int i = -1;
        switch (short_key(key)) {
            case 'E': i = 0; TE_BINANCE_TRY(get_time(v, ctx, r.event_time, names[0])); break;
            case 's': i = 1; TE_BINANCE_TRY(get_fixed(v, r.symbol, names[1])); break;
            case 'c': i = 2; TE_BINANCE_TRY(get_fixed(v, r.client_order_id, names[2])); break;
            case 'S': i = 3; TE_BINANCE_TRY(get_side(v, r.side, names[3])); break;
            case 'o': i = 4; TE_BINANCE_TRY(get_order_type(v, r.order_type, names[4])); break;
            case 'f': i = 5; TE_BINANCE_TRY(get_time_in_force(v, r.time_in_force, names[5])); break;
            case 'q': i = 6; TE_BINANCE_TRY(get_decimal(v, r.quantity, names[6])); break;
            case 'p': i = 7; TE_BINANCE_TRY(get_decimal(v, r.price, names[7])); break;
            case 'P': i = 8; TE_BINANCE_TRY(get_decimal_nullable(v, r.stop_price, names[8])); break;
            case 'F': i = 9; TE_BINANCE_TRY(get_decimal_nullable(v, r.iceberg_quantity, names[9])); break;
            case 'g': i = 10; TE_BINANCE_TRY(get_i64(v, r.order_list_id, names[10])); break;
            case 'C': i = 11; TE_BINANCE_TRY(get_fixed_nullable(v, r.orig_client_order_id, names[11])); break;
            case 'x': i = 12; TE_BINANCE_TRY(get_enum(v, kExecutionTypeNames, r.execution_type, names[12])); break;
            case 'X': i = 13; TE_BINANCE_TRY(get_enum(v, kOrderStatusNames, r.status, names[13])); break;
            case 'r': i = 14; TE_BINANCE_TRY(get_fixed_nullable(v, r.reject_reason, names[14])); break;
            case 'i': i = 15; TE_BINANCE_TRY(get_i64(v, r.order_id, names[15])); break;
            case 'l': i = 16; TE_BINANCE_TRY(get_decimal(v, r.last_quantity, names[16])); break;
            case 'z': i = 17; TE_BINANCE_TRY(get_decimal(v, r.cumulative_quantity, names[17])); break;
            case 'L': i = 18; TE_BINANCE_TRY(get_decimal(v, r.last_price, names[18])); break;
            case 'n': i = 19; TE_BINANCE_TRY(get_decimal(v, r.commission, names[19])); break;
            case 'N': i = 20; TE_BINANCE_TRY(get_fixed_nullable(v, r.commission_asset, names[20])); break;
            case 'T': i = 21; TE_BINANCE_TRY(get_time(v, ctx, r.transaction_time, names[21])); break;
            case 't': i = 22; TE_BINANCE_TRY(get_i64(v, r.trade_id, names[22])); break;
            case 'v': i = 23; TE_BINANCE_TRY(get_i64(v, r.prevented_match_id, names[23])); break;
            case 'I': i = 24; TE_BINANCE_TRY(get_i64(v, r.execution_id, names[24])); break;
            case 'w': i = 25; TE_BINANCE_TRY(get_bool(v, r.is_working, names[25])); break;
            case 'm': i = 26; TE_BINANCE_TRY(get_bool(v, r.is_maker, names[26])); break;
            case 'O': i = 27; TE_BINANCE_TRY(get_time(v, ctx, r.order_creation_time, names[27])); break;
            case 'Z': i = 28; TE_BINANCE_TRY(get_decimal(v, r.cumulative_quote_quantity, names[28])); break;
            case 'Y': i = 29; TE_BINANCE_TRY(get_decimal_nullable(v, r.last_quote_quantity, names[29])); break;
            case 'Q': i = 30; TE_BINANCE_TRY(get_decimal_nullable(v, r.quote_order_quantity, names[30])); break;
            case 'W': i = 31; TE_BINANCE_TRY(get_time(v, ctx, r.working_time, names[31])); break;
            case 'V': i = 32; TE_BINANCE_TRY(get_fixed_nullable(v, r.self_trade_prevention_mode, names[32])); break;
            default:
                if (key == "eR") {
                    i = 33;
                    TE_BINANCE_TRY(get_fixed_nullable(v, r.expiry_reason, names[33]));
                }
                break;  // "e", "M" (ignore), trailing/strategy/STP extras
        }
        if (i >= 0) seen |= bit(i);
    }
    return check_required(seen, required, names);
}

ParseResult parse_account_position(od::object& obj, const Ctx& ctx, AccountPosition& out) {
    constexpr std::array<std::string_view, 3> names = {"E", "u", "B"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        switch (short_key(key_of(f))) {
            case 'E': TE_BINANCE_TRY(get_time(v, ctx, out.event_time, names[0])); seen |= bit(0); break;
            case 'u': TE_BINANCE_TRY(get_time(v, ctx, out.last_update, names[1])); seen |= bit(1); break;
            case 'B': TE_BINANCE_TRY(get_balances(v, out.balances, false, names[2])); seen |= bit(2); break;
            default: break;
        }
    }
    return check_required(seen, bit(3) - 1, names);
}

ParseResult parse_balance_update(od::object& obj, const Ctx& ctx, BalanceUpdate& out) {
    constexpr std::array<std::string_view, 4> names = {"E", "a", "d", "T"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        od::value& v = f.value();
        switch (short_key(key_of(f))) {
            case 'E': TE_BINANCE_TRY(get_time(v, ctx, out.event_time, names[0])); seen |= bit(0); break;
            case 'a': TE_BINANCE_TRY(get_fixed(v, out.asset, names[1])); seen |= bit(1); break;
            case 'd': TE_BINANCE_TRY(get_decimal(v, out.delta, names[2])); seen |= bit(2); break;
            case 'T': TE_BINANCE_TRY(get_time(v, ctx, out.clear_time, names[3])); seen |= bit(3); break;
            default: break;
        }
    }
    return check_required(seen, bit(4) - 1, names);
}

ParseResult parse_terminated(od::object& obj, const Ctx& ctx, StreamTerminated& out) {
    constexpr std::array<std::string_view, 1> names = {"E"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        if (short_key(key_of(f)) == 'E') {
            TE_BINANCE_TRY(get_time(f.value(), ctx, out.event_time, names[0]));
            seen |= bit(0);
        }
    }
    return check_required(seen, bit(0), names);
}

// An event object ({"e": ...}); `event` is its "e" value, already read.
ParseResult parse_user_event(od::object& obj, std::string_view event, const Ctx& ctx, UserMessage& out) {
    out.event_name = event;
    if (event == "executionReport") {
        out.type = UserMessageType::ExecutionReport;
        return parse_execution_report(obj, ctx, out.execution_report);
    }
    if (event == "outboundAccountPosition") {
        out.type = UserMessageType::AccountPosition;
        return parse_account_position(obj, ctx, out.account_position);
    }
    if (event == "balanceUpdate") {
        out.type = UserMessageType::BalanceUpdate;
        return parse_balance_update(obj, ctx, out.balance_update);
    }
    if (event == "eventStreamTerminated") {
        out.type = UserMessageType::StreamTerminated;
        return parse_terminated(obj, ctx, out.terminated);
    }
    out.type = UserMessageType::Unknown;  // listStatus, externalLockUpdate, ...
    for (auto fr : obj) TE_BINANCE_TRY(json_error(fr.error(), ""));
    return parse_ok();
}

// Finds "e" in the first pass; false in `found` when the object has none.
ParseResult find_event_name(od::object& obj, std::string_view& event, bool& found) {
    found = false;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        if (key_of(f) == "e") {
            TE_BINANCE_TRY(get_string(f.value(), event, "e"));
            found = true;
            break;
        }
    }
    return json_error(obj.reset().error(), "");
}

ParseResult parse_event_object(od::object& obj, const Ctx& ctx, UserMessage& out, std::string_view field) {
    std::string_view event;
    bool found = false;
    TE_BINANCE_TRY(find_event_name(obj, event, found));
    if (!found) return parse_fail(ParseError::MissingField, field);
    return parse_user_event(obj, event, ctx, out);
}

ParseResult parse_wrapper(od::object& obj, const Ctx& ctx, UserMessage& out) {
    constexpr std::array<std::string_view, 2> names = {"subscriptionId", "event"};
    std::uint64_t seen = 0;
    std::int64_t id = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "subscriptionId") {
            TE_BINANCE_TRY(get_i64(f.value(), id, names[0]));
            seen |= bit(0);
        } else if (key == "event") {
            od::object ev;
            TE_BINANCE_TRY(get_object(f.value(), ev, names[1]));
            TE_BINANCE_TRY(parse_event_object(ev, ctx, out, "event.e"));
            seen |= bit(1);
        }
    }
    TE_BINANCE_TRY(check_required(seen, bit(0) | bit(1), names));
    out.subscription_id = id;
    return parse_ok();
}

ParseResult parse_rate_limits(od::value& v, WsApiResponse& out) {
    constexpr std::array<std::string_view, 5> names = {"rateLimits[].rateLimitType", "rateLimits[].interval",
                                                       "rateLimits[].intervalNum", "rateLimits[].limit",
                                                       "rateLimits[].count"};
    od::array arr;
    TE_BINANCE_TRY(get_array(v, arr, "rateLimits"));
    out.rate_limit_count = 0;
    for (auto item : arr) {
        od::value iv;
        TE_BINANCE_TRY(json_error(std::move(item).get(iv), "rateLimits"));
        od::object obj;
        TE_BINANCE_TRY(get_object(iv, obj, "rateLimits"));
        RateLimit rl;
        std::uint64_t seen = 0;
        for (auto fr : obj) {
            TE_BINANCE_TRY(json_error(fr.error(), "rateLimits"));
            od::field& f = fr.value_unsafe();
            const auto key = key_of(f);
            if (key == "rateLimitType") { TE_BINANCE_TRY(get_fixed(f.value(), rl.type, names[0])); seen |= bit(0); }
            else if (key == "interval") { TE_BINANCE_TRY(get_fixed(f.value(), rl.interval, names[1])); seen |= bit(1); }
            else if (key == "intervalNum") { TE_BINANCE_TRY(get_i64(f.value(), rl.interval_num, names[2])); seen |= bit(2); }
            else if (key == "limit") { TE_BINANCE_TRY(get_i64(f.value(), rl.limit, names[3])); seen |= bit(3); }
            else if (key == "count") { TE_BINANCE_TRY(get_i64(f.value(), rl.count, names[4])); seen |= bit(4); }
        }
        TE_BINANCE_TRY(check_required(seen, bit(4) - 1, names));  // count is optional
        if (out.rate_limit_count < out.rate_limits.size()) out.rate_limits[out.rate_limit_count++] = rl;
    }
    return parse_ok();
}

ParseResult parse_api_error(od::value& v, WsApiResponse& out) {
    od::object obj;
    TE_BINANCE_TRY(get_object(v, obj, "error"));
    ErrorResponse e;
    TE_BINANCE_TRY(parse_error_object(obj, e));
    out.has_error = true;
    out.error_code = e.code;
    out.error_msg = std::move(e.msg);
    return parse_ok();
}

// Keeps the raw result for the caller (an order, an account ...) and picks out the
// subscriptionId of userDataStream.subscribe.
ParseResult parse_api_result(od::value& v, WsApiResponse& out) {
    od::json_type t{};
    TE_BINANCE_TRY(json_error(v.type().get(t), "result"));
    if (t != od::json_type::object) return get_raw_json(v, out.result_json, "result");
    od::object obj;
    TE_BINANCE_TRY(get_object(v, obj, "result"));
    TE_BINANCE_TRY(json_error(obj.raw_json().get(out.result_json), "result"));
    TE_BINANCE_TRY(json_error(obj.reset().error(), "result"));
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), "result"));
        od::field& f = fr.value_unsafe();
        if (key_of(f) == "subscriptionId") {
            std::int64_t id = 0;
            TE_BINANCE_TRY(get_i64(f.value(), id, "result.subscriptionId"));
            out.subscription_id = id;
        }
    }
    return parse_ok();
}

ParseResult parse_envelope(od::object& obj, WsApiResponse& out) {
    constexpr std::array<std::string_view, 3> names = {"status", "result", "error"};
    out.id = RequestId{};
    out.status = 0;
    out.has_error = false;
    out.error_code = 0;
    out.error_msg.clear();
    out.result_json = {};
    out.subscription_id.reset();
    out.rate_limit_count = 0;
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        if (key == "id") {
            TE_BINANCE_TRY(get_request_id(f.value(), out.id, "id"));
        } else if (key == "status") {
            TE_BINANCE_TRY(get_int(f.value(), out.status, names[0]));
            seen |= bit(0);
        } else if (key == "result") {
            TE_BINANCE_TRY(parse_api_result(f.value(), out));
            seen |= bit(1);
        } else if (key == "error") {
            TE_BINANCE_TRY(parse_api_error(f.value(), out));
            seen |= bit(2);
        } else if (key == "rateLimits") {
            TE_BINANCE_TRY(parse_rate_limits(f.value(), out));
        }
    }
    TE_BINANCE_TRY(check_required(seen, bit(0), names));
    // A failed request carries "error"; a successful one "result".
    if (out.status != 200 && !(seen & bit(2))) return parse_fail(ParseError::MissingField, names[2]);
    if (out.status == 200 && !(seen & bit(1))) return parse_fail(ParseError::MissingField, names[1]);
    return parse_ok();
}

}  // namespace

ParseResult Parser::parse_user(std::string_view json, UserMessage& out, UnixNanos ts_recv) {
    const Ctx ctx{options_.time_unit, options_.venue, ts_recv, &impl_->symbols};
    out.subscription_id.reset();
    out.event_name = {};
    auto r = run("user", json, [&](od::document& doc) -> ParseResult {
        od::object obj;
        TE_BINANCE_TRY(get_root_object(doc, obj));
        // Pass 1: "e" (a bare event) or the keys of the wrapper / the envelope.
        std::string_view event;
        bool has_event = false, has_wrapper = false, has_envelope = false;
        for (auto fr : obj) {
            TE_BINANCE_TRY(json_error(fr.error(), ""));
            od::field& f = fr.value_unsafe();
            const auto key = key_of(f);
            if (key == "e") {
                TE_BINANCE_TRY(get_string(f.value(), event, "e"));
                has_event = true;
                break;
            }
            if (key == "subscriptionId" || key == "event") has_wrapper = true;
            else if (key == "status" || key == "result" || key == "error") has_envelope = true;
        }
        TE_BINANCE_TRY(json_error(obj.reset().error(), ""));
        if (has_event) return parse_user_event(obj, event, ctx, out);
        if (has_wrapper) return parse_wrapper(obj, ctx, out);
        if (has_envelope) {
            out.type = UserMessageType::ApiResponse;
            TE_BINANCE_TRY(parse_envelope(obj, out.response));
            return parse_ok();
        }
        out.type = UserMessageType::Unknown;
        return parse_fail(ParseError::UnknownMessage, "");
    });
    if (r.ok()) {
        if (out.type == UserMessageType::Unknown) stats_.count_ignored();
        else stats_.count_ok();
    }
    return r;
}

}  // namespace te::binance
