#pragma once
// JSON payloads of the simulated exchange, field for field like Binance (names, JSON types,
// decimals as strings with 8 places). A small append-only writer: these run on the hot path
// of the market-data fan-out.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "venues/sim/exchange.hpp"

namespace te::sim {

class JsonOut {
public:
    JsonOut& begin_obj() { return open('{'); }
    JsonOut& end_obj() { return close('}'); }
    JsonOut& begin_arr() { return open('['); }
    JsonOut& end_arr() { return close(']'); }
    JsonOut& key(std::string_view k) {
        comma();
        s_ += '"';
        s_ += k;
        s_ += "\":";
        need_comma_ = false;
        return *this;
    }
    JsonOut& str(std::string_view v);
    JsonOut& num(std::int64_t v);
    JsonOut& boolean(bool v) { return raw(v ? "true" : "false"); }
    JsonOut& null() { return raw("null"); }
    JsonOut& dec(Decimal v, int places = 8);  // "0.01000000"
    JsonOut& raw(std::string_view json) {
        comma();
        s_ += json;
        need_comma_ = true;
        return *this;
    }
    std::string take() { return std::move(s_); }
    const std::string& view() const noexcept { return s_; }

private:
    void comma() {
        if (need_comma_) s_ += ',';
    }
    JsonOut& open(char c) {
        comma();
        s_ += c;
        need_comma_ = false;
        return *this;
    }
    JsonOut& close(char c) {
        s_ += c;
        need_comma_ = true;
        return *this;
    }
    std::string s_;
    bool need_comma_ = false;
};

std::string error_json(int code, std::string_view msg);
std::string lower(std::string_view s);

// REST order shapes.
enum class RespType : std::uint8_t { Ack, Result, Full };
std::string order_placed_json(const Exchange& ex, const PlaceResult& r, RespType type);
void order_query_json(JsonOut& j, const Exchange& ex, const Order& o);  // GET /order, openOrders
void order_cancel_json(JsonOut& j, const Exchange& ex, const Order& o, std::string_view orig_client_id);
std::string account_json(const Exchange& ex, int account, bool omit_zero);
void my_trade_json(JsonOut& j, const Exchange& ex, const AccountTrade& t);
void kline_row_json(JsonOut& j, const Kline& k);
void symbol_info_json(JsonOut& j, const SymbolConfig& s);
std::string rate_limits_json(const SimConfig& c);

// Market streams (raw payloads).
std::string trade_event(const std::string& symbol, const PublicTrade& t, std::int64_t event_time);
std::string agg_trade_event(const std::string& symbol, const PublicTrade& t, std::int64_t event_time);
std::string book_ticker_event(const std::string& symbol, const BookTop& b);
std::string kline_event(const std::string& symbol, std::string_view interval, const Kline& k, bool closed,
                        std::int64_t event_time);

// User data (inner events).
std::string execution_report(const Exchange& ex, const ExecutionEvent& ev);
std::string account_position(std::int64_t time, const std::vector<std::pair<std::string, Balance>>& changed,
                             std::int64_t update_time);
std::string balance_update(const std::string& asset, Decimal delta, std::int64_t time);

}  // namespace te::sim
