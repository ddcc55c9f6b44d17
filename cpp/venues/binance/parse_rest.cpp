// REST responses: orders, account, exchangeInfo, klines, server time.
#include <fmt/format.h>

#include "venues/binance/json_detail.hpp"

namespace te::binance {
using namespace detail;

namespace {

enum OrderField : int {
    kSymbol, kOrderId, kOrderListId, kClientOrderId, kOrigClientOrderId, kTransactTime, kPrice, kOrigQty,
    kExecutedQty, kOrigQuoteOrderQty, kCumQuoteQty, kStatus, kTimeInForce, kType, kSide, kStopPrice,
    kIcebergQty, kTime, kUpdateTime, kWorkingTime, kIsWorking, kStp, kFills, kOrderFieldCount
};
constexpr std::array<std::string_view, kOrderFieldCount> kOrderNames = {
    "symbol",      "orderId",     "orderListId", "clientOrderId", "origClientOrderId", "transactTime",
    "price",       "origQty",     "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status",
    "timeInForce", "type",        "side",        "stopPrice",     "icebergQty",        "time",
    "updateTime",  "workingTime", "isWorking",   "selfTradePreventionMode", "fills"};

// Fields every order-shaped response has, and those of the RESULT shape.
constexpr std::uint64_t kIdentity = bit(kSymbol) | bit(kOrderId) | bit(kClientOrderId);
constexpr std::uint64_t kResultFields = bit(kPrice) | bit(kOrigQty) | bit(kExecutedQty) | bit(kCumQuoteQty) |
                                        bit(kStatus) | bit(kTimeInForce) | bit(kType) | bit(kSide);

ParseResult parse_fills(od::value& v, std::vector<OrderFill>& out) {
    constexpr std::array<std::string_view, 5> names = {"fills[].price", "fills[].qty", "fills[].commission",
                                                       "fills[].commissionAsset", "fills[].tradeId"};
    od::array arr;
    TE_BINANCE_TRY(get_array(v, arr, "fills"));
    for (auto item : arr) {
        od::value iv;
        TE_BINANCE_TRY(json_error(std::move(item).get(iv), "fills"));
        od::object obj;
        TE_BINANCE_TRY(get_object(iv, obj, "fills"));
        OrderFill fill;
        std::uint64_t seen = 0;
        for (auto fr : obj) {
            TE_BINANCE_TRY(json_error(fr.error(), "fills"));
            od::field& f = fr.value_unsafe();
            const auto key = key_of(f);
            od::value& fv = f.value();
            if (key == "price") { TE_BINANCE_TRY(get_decimal(fv, fill.price, names[0])); seen |= bit(0); }
            else if (key == "qty") { TE_BINANCE_TRY(get_decimal(fv, fill.quantity, names[1])); seen |= bit(1); }
            else if (key == "commission") { TE_BINANCE_TRY(get_decimal(fv, fill.commission, names[2])); seen |= bit(2); }
            else if (key == "commissionAsset") { TE_BINANCE_TRY(get_fixed(fv, fill.commission_asset, names[3])); seen |= bit(3); }
            else if (key == "tradeId") { TE_BINANCE_TRY(get_i64(fv, fill.trade_id, names[4])); seen |= bit(4); }
        }
        TE_BINANCE_TRY(check_required(seen, bit(5) - 1, names));
        out.push_back(fill);
    }
    return parse_ok();
}

// One order object, whatever the endpoint; `seen` tells the caller which fields it had.
ParseResult parse_order_object(od::object& obj, const Ctx& ctx, OrderReport& o, std::uint64_t& seen) {
    o.fills.clear();
    auto fills = std::move(o.fills);  // keep the capacity across the reset
    o = OrderReport{};
    o.fills = std::move(fills);
    seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        od::value& v = f.value();
        const int i = index_of(kOrderNames, key);
        const std::string_view name = i >= 0 ? kOrderNames[static_cast<std::size_t>(i)] : "";
        switch (i) {
            case kSymbol: TE_BINANCE_TRY(get_fixed(v, o.symbol, name)); break;
            case kOrderId: TE_BINANCE_TRY(get_i64(v, o.order_id, name)); break;
            case kOrderListId: TE_BINANCE_TRY(get_i64(v, o.order_list_id, name)); break;
            case kClientOrderId: TE_BINANCE_TRY(get_fixed(v, o.client_order_id, name)); break;
            case kOrigClientOrderId: TE_BINANCE_TRY(get_fixed_nullable(v, o.orig_client_order_id, name)); break;
            case kTransactTime: TE_BINANCE_TRY(get_time(v, ctx, o.transact_time, name)); break;
            case kPrice: TE_BINANCE_TRY(get_decimal(v, o.price, name)); break;
            case kOrigQty: TE_BINANCE_TRY(get_decimal(v, o.orig_quantity, name)); break;
            case kExecutedQty: TE_BINANCE_TRY(get_decimal(v, o.executed_quantity, name)); break;
            case kOrigQuoteOrderQty: TE_BINANCE_TRY(get_decimal(v, o.orig_quote_order_quantity, name)); break;
            case kCumQuoteQty: TE_BINANCE_TRY(get_decimal(v, o.cumulative_quote_quantity, name)); break;
            case kStatus: TE_BINANCE_TRY(get_enum(v, kOrderStatusNames, o.status, name)); break;
            case kTimeInForce: TE_BINANCE_TRY(get_time_in_force(v, o.time_in_force, name)); break;
            case kType: TE_BINANCE_TRY(get_order_type(v, o.type, name)); break;
            case kSide: TE_BINANCE_TRY(get_side(v, o.side, name)); break;
            case kStopPrice: TE_BINANCE_TRY(get_decimal(v, o.stop_price, name)); break;
            case kIcebergQty: TE_BINANCE_TRY(get_decimal(v, o.iceberg_quantity, name)); break;
            case kTime: TE_BINANCE_TRY(get_time(v, ctx, o.time, name)); break;
            case kUpdateTime: TE_BINANCE_TRY(get_time(v, ctx, o.update_time, name)); break;
            case kWorkingTime: TE_BINANCE_TRY(get_time(v, ctx, o.working_time, name)); break;
            case kIsWorking: TE_BINANCE_TRY(get_bool(v, o.is_working, name)); break;
            case kStp: TE_BINANCE_TRY(get_fixed_nullable(v, o.self_trade_prevention_mode, name)); break;
            case kFills: TE_BINANCE_TRY(parse_fills(v, o.fills)); break;
            default: break;
        }
        if (i >= 0) seen |= bit(i);
    }
    TE_BINANCE_TRY(check_required(seen, kIdentity, kOrderNames));
    // Once any RESULT field is there, all of them must be.
    if (seen & kResultFields) TE_BINANCE_TRY(check_required(seen, kResultFields, kOrderNames));
    o.kind = (seen & bit(kFills)) ? OrderResponseKind::Full
             : (seen & kResultFields) ? OrderResponseKind::Result
                                      : OrderResponseKind::Ack;
    return parse_ok();
}

ParseResult parse_my_trade_object(od::object& obj, const Ctx& ctx, MyTrade& t) {
    constexpr std::array<std::string_view, 11> names = {"symbol", "id",         "orderId",         "price",
                                                        "qty",    "quoteQty",   "commission",      "commissionAsset",
                                                        "time",   "isBuyer",    "isMaker"};
    t = MyTrade{};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), "[]"));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        od::value& v = f.value();
        const int i = index_of(names, key);
        const std::string_view name = i >= 0 ? names[static_cast<std::size_t>(i)] : "";
        switch (i) {
            case 0: TE_BINANCE_TRY(get_fixed(v, t.symbol, name)); break;
            case 1: TE_BINANCE_TRY(get_i64(v, t.id, name)); break;
            case 2: TE_BINANCE_TRY(get_i64(v, t.order_id, name)); break;
            case 3: TE_BINANCE_TRY(get_decimal(v, t.price, name)); break;
            case 4: TE_BINANCE_TRY(get_decimal(v, t.quantity, name)); break;
            case 5: TE_BINANCE_TRY(get_decimal(v, t.quote_quantity, name)); break;
            case 6: TE_BINANCE_TRY(get_decimal(v, t.commission, name)); break;
            case 7: TE_BINANCE_TRY(get_fixed(v, t.commission_asset, name)); break;
            case 8: TE_BINANCE_TRY(get_time(v, ctx, t.time, name)); break;
            case 9: TE_BINANCE_TRY(get_bool(v, t.is_buyer, name)); break;
            case 10: TE_BINANCE_TRY(get_bool(v, t.is_maker, name)); break;
            default: break;
        }
        if (i >= 0) seen |= bit(i);
    }
    // quoteQty is optional: older responses and some venues omit it.
    return check_required(seen, (bit(11) - 1) & ~bit(5), names);
}

ParseResult parse_account_object(od::object& obj, const Ctx& ctx, Account& a) {
    constexpr std::array<std::string_view, 11> names = {
        "makerCommission", "takerCommission", "commissionRates", "canTrade", "canWithdraw", "canDeposit",
        "updateTime",      "accountType",     "uid",             "balances", "commissionRates.?"};
    a.balances.clear();
    auto balances = std::move(a.balances);
    a = Account{};
    a.balances = std::move(balances);
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), ""));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        od::value& v = f.value();
        const int i = index_of(names, key);
        switch (i) {
            case 0: TE_BINANCE_TRY(get_i64(v, a.maker_commission, names[0])); break;
            case 1: TE_BINANCE_TRY(get_i64(v, a.taker_commission, names[1])); break;
            case 2: {
                od::object rates;
                TE_BINANCE_TRY(get_object(v, rates, names[2]));
                for (auto rr : rates) {
                    TE_BINANCE_TRY(json_error(rr.error(), names[2]));
                    od::field& rf = rr.value_unsafe();
                    const auto rk = key_of(rf);
                    if (rk == "maker") TE_BINANCE_TRY(get_decimal(rf.value(), a.commission_rates.maker, "commissionRates.maker"));
                    else if (rk == "taker") TE_BINANCE_TRY(get_decimal(rf.value(), a.commission_rates.taker, "commissionRates.taker"));
                    else if (rk == "buyer") TE_BINANCE_TRY(get_decimal(rf.value(), a.commission_rates.buyer, "commissionRates.buyer"));
                    else if (rk == "seller") TE_BINANCE_TRY(get_decimal(rf.value(), a.commission_rates.seller, "commissionRates.seller"));
                }
                break;
            }
            case 3: TE_BINANCE_TRY(get_bool(v, a.can_trade, names[3])); break;
            case 4: TE_BINANCE_TRY(get_bool(v, a.can_withdraw, names[4])); break;
            case 5: TE_BINANCE_TRY(get_bool(v, a.can_deposit, names[5])); break;
            case 6: TE_BINANCE_TRY(get_time(v, ctx, a.update_time, names[6])); break;
            case 7: TE_BINANCE_TRY(get_fixed(v, a.account_type, names[7])); break;
            case 8: TE_BINANCE_TRY(get_i64(v, a.uid, names[8])); break;
            case 9: TE_BINANCE_TRY(get_balances(v, a.balances, true, names[9])); break;
            default: break;
        }
        if (i >= 0) seen |= bit(i);
    }
    // The balances are what the engine needs; canTrade tells whether it may trade at all.
    return check_required(seen, bit(3) | bit(9), names);
}

// A filter object: remember the decimal texts we may need, then decide by filterType.
ParseResult parse_filter(od::object& obj, SymbolInfo& s) {
    std::string_view type;
    std::string_view min_price, max_price, tick, min_qty, max_qty, step, min_notional, max_notional;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), "filters"));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        std::string_view* slot = nullptr;
        if (key == "filterType") TE_BINANCE_TRY(get_string(f.value(), type, "filters[].filterType"));
        else if (key == "minPrice") slot = &min_price;
        else if (key == "maxPrice") slot = &max_price;
        else if (key == "tickSize") slot = &tick;
        else if (key == "minQty") slot = &min_qty;
        else if (key == "maxQty") slot = &max_qty;
        else if (key == "stepSize") slot = &step;
        else if (key == "minNotional") slot = &min_notional;
        else if (key == "maxNotional") slot = &max_notional;
        // Strings stay valid in the parser's string buffer until the next document.
        if (slot) TE_BINANCE_TRY(get_string(f.value(), *slot, "filters[]"));
    }
    if (type.empty()) return parse_fail(ParseError::MissingField, "filters[].filterType");

    // Every filter value must be exactly representable: the range (±1.7e29) holds every limit
    // Binance sends (maxQty 92233720368, maxPrice 1000000), so nothing is clamped.
    auto need = [](std::string_view text, Decimal& out, std::string_view name) -> ParseResult {
        if (text.data() == nullptr) return parse_fail(ParseError::MissingField, name);
        return decimal_from_text(text, out, name);
    };
    Decimal a, b, c;
    if (type == "PRICE_FILTER") {
        TE_BINANCE_TRY(need(min_price, a, "PRICE_FILTER.minPrice"));
        TE_BINANCE_TRY(need(max_price, b, "PRICE_FILTER.maxPrice"));
        TE_BINANCE_TRY(need(tick, c, "PRICE_FILTER.tickSize"));
        s.min_price = Price(a), s.max_price = Price(b), s.tick_size = Price(c);
        s.has_price_filter = true;
    } else if (type == "LOT_SIZE") {
        TE_BINANCE_TRY(need(min_qty, a, "LOT_SIZE.minQty"));
        TE_BINANCE_TRY(need(max_qty, b, "LOT_SIZE.maxQty"));
        TE_BINANCE_TRY(need(step, c, "LOT_SIZE.stepSize"));
        s.min_quantity = Quantity(a), s.max_quantity = Quantity(b), s.step_size = Quantity(c);
        s.has_lot_size = true;
    } else if (type == "NOTIONAL") {
        TE_BINANCE_TRY(need(min_notional, a, "NOTIONAL.minNotional"));
        TE_BINANCE_TRY(need(max_notional, b, "NOTIONAL.maxNotional"));
        s.min_notional = Money(a), s.max_notional = Money(b);
        s.has_notional = true;
    } else if (type == "MIN_NOTIONAL" && !s.has_notional) {  // legacy; NOTIONAL wins when both exist
        TE_BINANCE_TRY(need(min_notional, a, "MIN_NOTIONAL.minNotional"));
        s.min_notional = Money(a);
        s.max_notional = Money(Decimal::max());
        s.has_notional = true;
    }
    return parse_ok();
}

ParseResult parse_symbol(od::object& obj, SymbolInfo& s) {
    constexpr std::array<std::string_view, 7> names = {"symbols[].symbol",     "symbols[].status",
                                                       "symbols[].baseAsset",  "symbols[].quoteAsset",
                                                       "symbols[].baseAssetPrecision",
                                                       "symbols[].quoteAssetPrecision", "symbols[].filters"};
    std::uint64_t seen = 0;
    for (auto fr : obj) {
        TE_BINANCE_TRY(json_error(fr.error(), "symbols[]"));
        od::field& f = fr.value_unsafe();
        const auto key = key_of(f);
        od::value& v = f.value();
        std::string_view text;
        if (key == "symbol") { TE_BINANCE_TRY(get_string(v, text, names[0])); s.symbol.assign(text); seen |= bit(0); }
        else if (key == "status") { TE_BINANCE_TRY(get_string(v, text, names[1])); s.status.assign(text); seen |= bit(1); }
        else if (key == "baseAsset") { TE_BINANCE_TRY(get_string(v, text, names[2])); s.base_asset.assign(text); seen |= bit(2); }
        else if (key == "quoteAsset") { TE_BINANCE_TRY(get_string(v, text, names[3])); s.quote_asset.assign(text); seen |= bit(3); }
        else if (key == "baseAssetPrecision") { TE_BINANCE_TRY(get_int(v, s.base_asset_precision, names[4])); seen |= bit(4); }
        else if (key == "quoteAssetPrecision") { TE_BINANCE_TRY(get_int(v, s.quote_asset_precision, names[5])); seen |= bit(5); }
        else if (key == "filters") {
            od::array arr;
            TE_BINANCE_TRY(get_array(v, arr, names[6]));
            for (auto item : arr) {
                od::value iv;
                TE_BINANCE_TRY(json_error(std::move(item).get(iv), names[6]));
                od::object fo;
                TE_BINANCE_TRY(get_object(iv, fo, names[6]));
                TE_BINANCE_TRY(parse_filter(fo, s));
            }
            seen |= bit(6);
        }
    }
    return check_required(seen, bit(0) | bit(1) | bit(2) | bit(3) | bit(6), names);
}

ParseResult parse_rate_limit_list(od::value& v, std::vector<ExchangeRateLimit>& out) {
    constexpr std::array<std::string_view, 4> names = {"rateLimits[].rateLimitType", "rateLimits[].interval",
                                                       "rateLimits[].intervalNum", "rateLimits[].limit"};
    od::array arr;
    TE_BINANCE_TRY(get_array(v, arr, "rateLimits"));
    for (auto item : arr) {
        od::value iv;
        TE_BINANCE_TRY(json_error(std::move(item).get(iv), "rateLimits"));
        od::object obj;
        TE_BINANCE_TRY(get_object(iv, obj, "rateLimits"));
        ExchangeRateLimit rl;
        std::uint64_t seen = 0;
        for (auto fr : obj) {
            TE_BINANCE_TRY(json_error(fr.error(), "rateLimits"));
            od::field& f = fr.value_unsafe();
            const auto key = key_of(f);
            std::string_view text;
            if (key == "rateLimitType") { TE_BINANCE_TRY(get_string(f.value(), text, names[0])); rl.type.assign(text); seen |= bit(0); }
            else if (key == "interval") { TE_BINANCE_TRY(get_string(f.value(), text, names[1])); rl.interval.assign(text); seen |= bit(1); }
            else if (key == "intervalNum") { TE_BINANCE_TRY(get_i64(f.value(), rl.interval_num, names[2])); seen |= bit(2); }
            else if (key == "limit") { TE_BINANCE_TRY(get_i64(f.value(), rl.limit, names[3])); seen |= bit(3); }
        }
        TE_BINANCE_TRY(check_required(seen, bit(4) - 1, names));
        out.push_back(std::move(rl));
    }
    return parse_ok();
}

ParseResult parse_kline_row(od::array& row, const Ctx& ctx, Candle& c, UnixNanos now) {
    constexpr std::array<std::string_view, 11> names = {
        "[0] open time", "[1] open",  "[2] high",         "[3] low",           "[4] close",        "[5] volume",
        "[6] close time", "[7] quote volume", "[8] trades", "[9] taker buy base", "[10] taker buy quote"};
    std::size_t i = 0;
    for (auto item : row) {
        od::value v;
        TE_BINANCE_TRY(json_error(std::move(item).get(v), "klines[]"));
        switch (i) {
            case 0: TE_BINANCE_TRY(get_time(v, ctx, c.open_time, names[0])); break;
            case 1: TE_BINANCE_TRY(get_decimal(v, c.open, names[1])); break;
            case 2: TE_BINANCE_TRY(get_decimal(v, c.high, names[2])); break;
            case 3: TE_BINANCE_TRY(get_decimal(v, c.low, names[3])); break;
            case 4: TE_BINANCE_TRY(get_decimal(v, c.close, names[4])); break;
            case 5: TE_BINANCE_TRY(get_decimal(v, c.volume, names[5])); break;
            case 6: TE_BINANCE_TRY(get_time(v, ctx, c.close_time, names[6])); break;
            case 7: TE_BINANCE_TRY(get_decimal(v, c.quote_volume, names[7])); break;
            case 8: TE_BINANCE_TRY(get_i64(v, c.trade_count, names[8])); break;
            default: break;  // taker-buy volumes and the unused column
        }
        ++i;
    }
    if (i < 9) return parse_fail(ParseError::MissingField, names[i]);
    c.closed = now == 0 || c.close_time < now;
    return parse_ok();
}

template <class Body>
ParseResult with_root_object(od::document& doc, Body&& body) {
    od::object obj;
    TE_BINANCE_TRY(get_root_object(doc, obj));
    return body(obj);
}

}  // namespace

ParseResult Parser::parse_order(std::string_view json, OrderReport& out) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    auto r = run("order", json, [&](od::document& doc) {
        return with_root_object(doc, [&](od::object& obj) {
            std::uint64_t seen = 0;
            return parse_order_object(obj, ctx, out, seen);
        });
    });
    if (r.ok()) stats_.count_ok();
    return r;
}

ParseResult Parser::parse_open_orders(std::string_view json, std::vector<OrderReport>& out) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    out.clear();
    auto r = run("openOrders", json, [&](od::document& doc) -> ParseResult {
        od::array arr;
        TE_BINANCE_TRY(get_root_array(doc, arr));
        for (auto item : arr) {
            od::value v;
            TE_BINANCE_TRY(json_error(std::move(item).get(v), "[]"));
            od::object obj;
            TE_BINANCE_TRY(get_object(v, obj, "[]"));
            out.emplace_back();
            std::uint64_t seen = 0;
            TE_BINANCE_TRY(parse_order_object(obj, ctx, out.back(), seen));
            // A listed order must say where it stands.
            TE_BINANCE_TRY(check_required(seen, kResultFields | bit(kTime), kOrderNames));
        }
        return parse_ok();
    });
    if (r.ok()) stats_.count_ok();
    else out.clear();
    return r;
}

ParseResult Parser::parse_my_trades(std::string_view json, std::vector<MyTrade>& out) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    out.clear();
    auto r = run("myTrades", json, [&](od::document& doc) -> ParseResult {
        od::array arr;
        TE_BINANCE_TRY(get_root_array(doc, arr));
        for (auto item : arr) {
            od::value v;
            TE_BINANCE_TRY(json_error(std::move(item).get(v), "[]"));
            od::object obj;
            TE_BINANCE_TRY(get_object(v, obj, "[]"));
            out.emplace_back();
            TE_BINANCE_TRY(parse_my_trade_object(obj, ctx, out.back()));
        }
        return parse_ok();
    });
    if (r.ok()) stats_.count_ok();
    else out.clear();
    return r;
}

ParseResult Parser::parse_account(std::string_view json, Account& out) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    auto r = run("account", json, [&](od::document& doc) {
        return with_root_object(doc, [&](od::object& obj) { return parse_account_object(obj, ctx, out); });
    });
    if (r.ok()) stats_.count_ok();
    return r;
}

ParseResult Parser::parse_exchange_info(std::string_view json, ExchangeInfo& out) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    out = ExchangeInfo{};
    auto r = run("exchangeInfo", json, [&](od::document& doc) {
        return with_root_object(doc, [&](od::object& obj) -> ParseResult {
            std::uint64_t seen = 0;
            for (auto fr : obj) {
                TE_BINANCE_TRY(json_error(fr.error(), ""));
                od::field& f = fr.value_unsafe();
                const auto key = key_of(f);
                if (key == "serverTime") {
                    TE_BINANCE_TRY(get_time(f.value(), ctx, out.server_time, "serverTime"));
                } else if (key == "rateLimits") {
                    TE_BINANCE_TRY(parse_rate_limit_list(f.value(), out.rate_limits));
                } else if (key == "symbols") {
                    od::array arr;
                    TE_BINANCE_TRY(get_array(f.value(), arr, "symbols"));
                    for (auto item : arr) {
                        od::value v;
                        TE_BINANCE_TRY(json_error(std::move(item).get(v), "symbols[]"));
                        od::object so;
                        TE_BINANCE_TRY(get_object(v, so, "symbols[]"));
                        out.symbols.emplace_back();
                        TE_BINANCE_TRY(parse_symbol(so, out.symbols.back()));
                    }
                    seen |= bit(0);
                }
            }
            if (!(seen & bit(0))) return parse_fail(ParseError::MissingField, "symbols");
            return parse_ok();
        });
    });
    if (r.ok()) stats_.count_ok();
    else out = ExchangeInfo{};
    return r;
}

ParseResult Parser::parse_klines(std::string_view json, InstrumentId instrument, Interval interval,
                                 std::vector<Candle>& out, UnixNanos now) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    out.clear();
    auto r = run("klines", json, [&](od::document& doc) -> ParseResult {
        od::array rows;
        TE_BINANCE_TRY(get_root_array(doc, rows));
        for (auto item : rows) {
            od::value v;
            TE_BINANCE_TRY(json_error(std::move(item).get(v), "klines[]"));
            od::array row;
            TE_BINANCE_TRY(get_array(v, row, "klines[]"));
            Candle c;
            c.instrument_id = instrument;
            c.interval = interval;
            TE_BINANCE_TRY(parse_kline_row(row, ctx, c, now));
            c.ts_event = c.close_time;
            out.push_back(c);
        }
        return parse_ok();
    });
    if (r.ok()) stats_.count_ok();
    else out.clear();
    return r;
}

ParseResult Parser::parse_server_time(std::string_view json, UnixNanos& server_time) {
    const Ctx ctx{options_.time_unit, options_.venue, 0};
    auto r = run("time", json, [&](od::document& doc) {
        return with_root_object(doc, [&](od::object& obj) -> ParseResult {
            bool seen = false;
            for (auto fr : obj) {
                TE_BINANCE_TRY(json_error(fr.error(), ""));
                od::field& f = fr.value_unsafe();
                if (key_of(f) == "serverTime") {
                    TE_BINANCE_TRY(get_time(f.value(), ctx, server_time, "serverTime"));
                    seen = true;
                }
            }
            return seen ? parse_ok() : parse_fail(ParseError::MissingField, "serverTime");
        });
    });
    if (r.ok()) stats_.count_ok();
    return r;
}

Instrument to_instrument(const SymbolInfo& info, std::string_view venue) {
    if (!info.has_lot_size)
        throw std::invalid_argument(fmt::format("symbol '{}' has no LOT_SIZE filter in exchangeInfo", info.symbol));
    InstrumentSpec spec;
    spec.id = InstrumentId::of(info.symbol, venue);
    spec.base_asset = info.base_asset;
    spec.quote_asset = info.quote_asset;
    // A tick size of 0 disables the tick check on Binance: the finest Decimal step does too.
    spec.tick_size = (info.has_price_filter && info.tick_size.sign() > 0) ? info.tick_size : Price::from_raw(1);
    spec.step_size = info.step_size.sign() > 0 ? info.step_size : Quantity::from_raw(1);
    spec.min_quantity = info.min_quantity;
    spec.max_quantity = info.max_quantity.sign() > 0 ? info.max_quantity : Quantity(Decimal::max());
    spec.min_notional = info.has_notional ? info.min_notional : Money();
    return Instrument(std::move(spec));
}

}  // namespace te::binance
