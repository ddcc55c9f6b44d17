#include "venues/sim/format.hpp"

#include <cstdio>

namespace te::sim {

JsonOut& JsonOut::str(std::string_view v) {
    comma();
    s_ += '"';
    for (char c : v) {
        switch (c) {
            case '"': s_ += "\\\""; break;
            case '\\': s_ += "\\\\"; break;
            case '\n': s_ += "\\n"; break;
            case '\r': s_ += "\\r"; break;
            case '\t': s_ += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    s_ += buf;
                } else {
                    s_ += c;
                }
        }
    }
    s_ += '"';
    need_comma_ = true;
    return *this;
}

JsonOut& JsonOut::num(std::int64_t v) {
    comma();
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    s_.append(buf, static_cast<std::size_t>(n));
    need_comma_ = true;
    return *this;
}

JsonOut& JsonOut::dec(Decimal v, int places) {
    comma();
    s_ += '"';
    s_ += v.round_to_places(places, Rounding::HalfEven).to_string_fixed(places);
    s_ += '"';
    need_comma_ = true;
    return *this;
}

std::string error_json(int code, std::string_view msg) {
    JsonOut j;
    j.begin_obj().key("code").num(code).key("msg").str(msg).end_obj();
    return j.take();
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

namespace {

const std::string& sym_name(const Exchange& ex, const Order& o) { return ex.symbol(o.symbol).symbol; }

void common_order_fields(JsonOut& j, const Order& o) {
    j.key("price").dec(o.price).key("origQty").dec(o.orig_qty).key("executedQty").dec(o.executed_qty);
}

}  // namespace

std::string order_placed_json(const Exchange& ex, const PlaceResult& r, RespType type) {
    const Order& o = r.order;
    JsonOut j;
    j.begin_obj()
        .key("symbol").str(sym_name(ex, o))
        .key("orderId").num(o.order_id)
        .key("orderListId").num(-1)
        .key("clientOrderId").str(o.client_order_id)
        .key("transactTime").num(o.time);
    if (type != RespType::Ack) {
        common_order_fields(j, o);
        j.key("origQuoteOrderQty").dec(o.orig_quote_qty)
            .key("cummulativeQuoteQty").dec(o.cum_quote)
            .key("status").str(to_string(o.status))
            .key("timeInForce").str(te::to_string(o.tif))
            .key("type").str(te::to_string(o.type))
            .key("side").str(te::to_string(o.side))
            .key("workingTime").num(o.working_time)
            .key("selfTradePreventionMode").str("NONE");
        if (type == RespType::Full) {
            j.key("fills").begin_arr();
            for (const auto& f : r.fills) {
                j.begin_obj()
                    .key("price").dec(f.price)
                    .key("qty").dec(f.qty)
                    .key("commission").dec(f.commission)
                    .key("commissionAsset").str(f.commission_asset)
                    .key("tradeId").num(f.trade_id)
                    .end_obj();
            }
            j.end_arr();
        }
    }
    j.end_obj();
    return j.take();
}

void order_query_json(JsonOut& j, const Exchange& ex, const Order& o) {
    j.begin_obj()
        .key("symbol").str(sym_name(ex, o))
        .key("orderId").num(o.order_id)
        .key("orderListId").num(-1)
        .key("clientOrderId").str(o.client_order_id);
    common_order_fields(j, o);
    j.key("cummulativeQuoteQty").dec(o.cum_quote)
        .key("status").str(to_string(o.status))
        .key("timeInForce").str(te::to_string(o.tif))
        .key("type").str(te::to_string(o.type))
        .key("side").str(te::to_string(o.side))
        .key("stopPrice").dec(Decimal{})
        .key("icebergQty").dec(Decimal{})
        .key("time").num(o.time)
        .key("updateTime").num(o.update_time)
        .key("isWorking").boolean(o.is_working())
        .key("origQuoteOrderQty").dec(o.orig_quote_qty)
        .key("workingTime").num(o.working_time)
        .key("selfTradePreventionMode").str("NONE")
        .end_obj();
}

void order_cancel_json(JsonOut& j, const Exchange& ex, const Order& o, std::string_view orig_client_id) {
    j.begin_obj()
        .key("symbol").str(sym_name(ex, o))
        .key("origClientOrderId").str(orig_client_id)
        .key("orderId").num(o.order_id)
        .key("orderListId").num(-1)
        .key("clientOrderId").str(o.client_order_id)
        .key("transactTime").num(o.update_time);
    common_order_fields(j, o);
    j.key("origQuoteOrderQty").dec(o.orig_quote_qty)
        .key("cummulativeQuoteQty").dec(o.cum_quote)
        .key("status").str(to_string(o.status))
        .key("timeInForce").str(te::to_string(o.tif))
        .key("type").str(te::to_string(o.type))
        .key("side").str(te::to_string(o.side))
        .key("selfTradePreventionMode").str("NONE")
        .end_obj();
}

std::string account_json(const Exchange& ex, int account, bool omit_zero) {
    const auto& c = ex.config();
    auto bps = [](Decimal fee) {
        return static_cast<std::int64_t>((fee * Decimal::from_int(10000)).round_to_places(0, Rounding::HalfEven).integer_part());
    };
    JsonOut j;
    j.begin_obj()
        .key("makerCommission").num(bps(c.maker_fee))
        .key("takerCommission").num(bps(c.taker_fee))
        .key("buyerCommission").num(0)
        .key("sellerCommission").num(0)
        .key("commissionRates").begin_obj()
        .key("maker").dec(c.maker_fee)
        .key("taker").dec(c.taker_fee)
        .key("buyer").dec(Decimal{})
        .key("seller").dec(Decimal{})
        .end_obj()
        .key("canTrade").boolean(true)
        .key("canWithdraw").boolean(true)
        .key("canDeposit").boolean(true)
        .key("brokered").boolean(false)
        .key("requireSelfTradePrevention").boolean(false)
        .key("preventSor").boolean(false)
        .key("updateTime").num(ex.account_update_time(account))
        .key("accountType").str("SPOT")
        .key("balances").begin_arr();
    for (const auto& [asset, b] : ex.balances(account)) {
        if (omit_zero && b.free.is_zero() && b.locked.is_zero()) continue;
        j.begin_obj().key("asset").str(asset).key("free").dec(b.free).key("locked").dec(b.locked).end_obj();
    }
    j.end_arr()
        .key("permissions").begin_arr().str("SPOT").end_arr()
        .key("uid").num(354937868 + account)
        .end_obj();
    return j.take();
}

void my_trade_json(JsonOut& j, const Exchange& ex, const AccountTrade& t) {
    j.begin_obj()
        .key("symbol").str(ex.symbol(t.symbol).symbol)
        .key("id").num(t.id)
        .key("orderId").num(t.order_id)
        .key("orderListId").num(-1)
        .key("price").dec(t.price)
        .key("qty").dec(t.qty)
        .key("quoteQty").dec(t.quote_qty)
        .key("commission").dec(t.commission)
        .key("commissionAsset").str(t.commission_asset)
        .key("time").num(t.time)
        .key("isBuyer").boolean(t.is_buyer)
        .key("isMaker").boolean(t.is_maker)
        .key("isBestMatch").boolean(true)
        .end_obj();
}

void kline_row_json(JsonOut& j, const Kline& k) {
    j.begin_arr()
        .num(k.open_time)
        .dec(k.open).dec(k.high).dec(k.low).dec(k.close).dec(k.volume)
        .num(k.close_time)
        .dec(k.quote_volume)
        .num(k.trades)
        .dec(k.taker_base).dec(k.taker_quote)
        .str("0")
        .end_arr();
}

void symbol_info_json(JsonOut& j, const SymbolConfig& s) {
    j.begin_obj()
        .key("symbol").str(s.symbol)
        .key("status").str("TRADING")
        .key("baseAsset").str(s.base_asset)
        .key("baseAssetPrecision").num(8)
        .key("quoteAsset").str(s.quote_asset)
        .key("quoteAssetPrecision").num(8)
        .key("orderTypes").begin_arr().str("LIMIT").str("LIMIT_MAKER").str("MARKET").end_arr()
        .key("filters").begin_arr()
        .begin_obj().key("filterType").str("PRICE_FILTER").key("minPrice").dec(s.min_price)
        .key("maxPrice").dec(s.max_price).key("tickSize").dec(s.tick_size).end_obj()
        .begin_obj().key("filterType").str("LOT_SIZE").key("minQty").dec(s.min_qty)
        .key("maxQty").dec(s.max_qty).key("stepSize").dec(s.step_size).end_obj()
        .begin_obj().key("filterType").str("NOTIONAL").key("minNotional").dec(s.min_notional)
        .key("applyMinToMarket").boolean(true).key("maxNotional").dec(s.max_notional)
        .key("applyMaxToMarket").boolean(false).key("avgPriceMins").num(5).end_obj()
        .end_arr()
        .end_obj();
}

std::string rate_limits_json(const SimConfig& c) {
    JsonOut j;
    j.begin_arr()
        .begin_obj().key("rateLimitType").str("REQUEST_WEIGHT").key("interval").str("MINUTE")
        .key("intervalNum").num(1).key("limit").num(c.weight_limit_1m).end_obj()
        .begin_obj().key("rateLimitType").str("ORDERS").key("interval").str("SECOND")
        .key("intervalNum").num(10).key("limit").num(c.orders_limit_10s).end_obj()
        .begin_obj().key("rateLimitType").str("ORDERS").key("interval").str("DAY")
        .key("intervalNum").num(1).key("limit").num(c.orders_limit_1d).end_obj()
        .begin_obj().key("rateLimitType").str("RAW_REQUESTS").key("interval").str("MINUTE")
        .key("intervalNum").num(5).key("limit").num(61000).end_obj()
        .end_arr();
    return j.take();
}

std::string trade_event(const std::string& symbol, const PublicTrade& t, std::int64_t event_time) {
    JsonOut j;
    j.begin_obj()
        .key("e").str("trade").key("E").num(event_time).key("s").str(symbol)
        .key("t").num(t.id).key("p").dec(t.price).key("q").dec(t.qty)
        .key("T").num(t.time).key("m").boolean(t.buyer_is_maker).key("M").boolean(true)
        .end_obj();
    return j.take();
}

std::string agg_trade_event(const std::string& symbol, const PublicTrade& t, std::int64_t event_time) {
    JsonOut j;
    j.begin_obj()
        .key("e").str("aggTrade").key("E").num(event_time).key("s").str(symbol)
        .key("a").num(t.id).key("p").dec(t.price).key("q").dec(t.qty)
        .key("f").num(t.id).key("l").num(t.id)
        .key("T").num(t.time).key("m").boolean(t.buyer_is_maker).key("M").boolean(true)
        .end_obj();
    return j.take();
}

std::string book_ticker_event(const std::string& symbol, const BookTop& b) {
    JsonOut j;
    j.begin_obj()
        .key("u").num(b.update_id).key("s").str(symbol)
        .key("b").dec(b.bid).key("B").dec(b.bid_qty)
        .key("a").dec(b.ask).key("A").dec(b.ask_qty)
        .end_obj();
    return j.take();
}

std::string kline_event(const std::string& symbol, std::string_view interval, const Kline& k, bool closed,
                        std::int64_t event_time) {
    JsonOut j;
    j.begin_obj()
        .key("e").str("kline").key("E").num(event_time).key("s").str(symbol)
        .key("k").begin_obj()
        .key("t").num(k.open_time).key("T").num(k.close_time).key("s").str(symbol).key("i").str(interval)
        .key("f").num(k.first_trade_id).key("L").num(k.last_trade_id)
        .key("o").dec(k.open).key("c").dec(k.close).key("h").dec(k.high).key("l").dec(k.low)
        .key("v").dec(k.volume).key("n").num(k.trades).key("x").boolean(closed)
        .key("q").dec(k.quote_volume).key("V").dec(k.taker_base).key("Q").dec(k.taker_quote)
        .key("B").str("0")
        .end_obj()
        .end_obj();
    return j.take();
}

std::string execution_report(const Exchange& ex, const ExecutionEvent& ev) {
    const Order& o = ev.order;
    JsonOut j;
    j.begin_obj()
        .key("e").str("executionReport")
        .key("E").num(ev.event_time)
        .key("s").str(ex.symbol(o.symbol).symbol)
        .key("c").str(o.client_order_id)
        .key("S").str(te::to_string(o.side))
        .key("o").str(te::to_string(o.type))
        .key("f").str(te::to_string(o.tif))
        .key("q").dec(o.orig_qty)
        .key("p").dec(o.price)
        .key("P").dec(Decimal{})
        .key("F").dec(Decimal{})
        .key("g").num(-1)
        .key("C").str(ev.orig_client_order_id)
        .key("x").str(ev.exec_type)
        .key("X").str(to_string(o.status))
        .key("r").str(ev.reject_reason)
        .key("i").num(o.order_id)
        .key("l").dec(ev.fill ? ev.fill->qty : Decimal{})
        .key("z").dec(o.executed_qty)
        .key("L").dec(ev.fill ? ev.fill->price : Decimal{});
    if (ev.fill) j.key("n").dec(ev.fill->commission).key("N").str(ev.fill->commission_asset);
    else j.key("n").str("0").key("N").null();
    j.key("T").num(ev.event_time)
        .key("t").num(ev.fill ? ev.fill->trade_id : -1)
        .key("v").num(-1)
        .key("I").num(ev.execution_id)
        .key("w").boolean(is_open(o.status))
        .key("m").boolean(ev.fill ? ev.fill->maker : false)
        .key("M").boolean(false)
        .key("O").num(o.time)
        .key("Z").dec(o.cum_quote)
        .key("Y").dec(ev.fill ? ev.fill->quote_qty : Decimal{})
        .key("Q").dec(o.orig_quote_qty)
        .key("W").num(o.working_time)
        .key("V").str("NONE");
    if (!ev.expiry_reason.empty()) j.key("eR").str(ev.expiry_reason);
    j.end_obj();
    return j.take();
}

std::string account_position(std::int64_t time, const std::vector<std::pair<std::string, Balance>>& changed,
                             std::int64_t update_time) {
    JsonOut j;
    j.begin_obj().key("e").str("outboundAccountPosition").key("E").num(time).key("u").num(update_time).key("B").begin_arr();
    for (const auto& [asset, b] : changed)
        j.begin_obj().key("a").str(asset).key("f").dec(b.free).key("l").dec(b.locked).end_obj();
    j.end_arr().end_obj();
    return j.take();
}

std::string balance_update(const std::string& asset, Decimal delta, std::int64_t time) {
    JsonOut j;
    j.begin_obj().key("e").str("balanceUpdate").key("E").num(time).key("a").str(asset).key("d").dec(delta)
        .key("T").num(time).end_obj();
    return j.take();
}

}  // namespace te::sim
