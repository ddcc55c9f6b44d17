#include "venues/sim/config.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"

namespace te::sim {

namespace json = boost::json;

namespace {

[[noreturn]] void bad(std::string_view where, std::string_view what) {
    throw ConfigError("sim config: " + std::string(where) + ": " + std::string(what));
}

Decimal to_decimal(const json::value& v, std::string_view where) {
    try {
        if (v.is_string()) return Decimal::parse(v.get_string(), where);
        if (v.is_int64()) return Decimal::from_int(v.get_int64());
        if (v.is_uint64()) return Decimal::from_int(static_cast<std::int64_t>(v.get_uint64()));
    } catch (const std::exception& e) {
        bad(where, e.what());
    }
    bad(where, "expected a decimal string such as \"0.01\" (floats are not accepted for money)");
}

double to_double(const json::value& v, std::string_view where) {
    if (v.is_double()) return v.get_double();
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_string()) {
        try {
            return std::stod(std::string(v.get_string()));
        } catch (const std::exception&) {
        }
    }
    bad(where, "expected a number");
}

std::int64_t to_int(const json::value& v, std::string_view where) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
    if (v.is_double() && v.get_double() == static_cast<double>(static_cast<std::int64_t>(v.get_double())))
        return static_cast<std::int64_t>(v.get_double());
    bad(where, "expected an integer");
}

std::string to_str(const json::value& v, std::string_view where) {
    if (!v.is_string()) bad(where, "expected a string");
    return std::string(v.get_string());
}

bool to_bool(const json::value& v, std::string_view where) {
    if (!v.is_bool()) bad(where, "expected true or false");
    return v.get_bool();
}

const json::object& to_obj(const json::value& v, std::string_view where) {
    if (!v.is_object()) bad(where, "expected an object");
    return v.get_object();
}

SymbolConfig parse_symbol(const json::value& v) {
    SymbolConfig s;
    if (v.is_string()) {  // "BTCUSDT" or "BTC/USDT": defaults with this name
        std::string name = to_str(v, "symbols[]");
        auto slash = name.find('/');
        if (slash != std::string::npos) {
            s.base_asset = name.substr(0, slash);
            s.quote_asset = name.substr(slash + 1);
            s.symbol = s.base_asset + s.quote_asset;
        } else {
            s.symbol = name;
            for (std::string_view q : {"USDT", "USDC", "BUSD", "FDUSD", "BTC", "ETH", "BNB", "EUR"}) {
                if (name.size() > q.size() && name.ends_with(q)) {
                    s.quote_asset = std::string(q);
                    s.base_asset = name.substr(0, name.size() - q.size());
                    break;
                }
            }
            if (s.symbol != "BTCUSDT" && s.base_asset == "BTC" && !name.starts_with("BTC"))
                bad("symbols", "cannot split '" + name + "' into base and quote; use \"BASE/QUOTE\" or an object");
        }
        if (s.base_asset == "ETH") s.start_price = Decimal::parse("3000");
        return s;
    }
    const auto& o = to_obj(v, "symbols[]");
    for (const auto& [key, val] : o) {
        const std::string where = "symbols[]." + std::string(key);
        if (key == "symbol") s.symbol = to_str(val, where);
        else if (key == "base_asset") s.base_asset = to_str(val, where);
        else if (key == "quote_asset") s.quote_asset = to_str(val, where);
        else if (key == "min_price") s.min_price = to_decimal(val, where);
        else if (key == "max_price") s.max_price = to_decimal(val, where);
        else if (key == "tick_size") s.tick_size = to_decimal(val, where);
        else if (key == "min_qty") s.min_qty = to_decimal(val, where);
        else if (key == "max_qty") s.max_qty = to_decimal(val, where);
        else if (key == "step_size") s.step_size = to_decimal(val, where);
        else if (key == "min_notional") s.min_notional = to_decimal(val, where);
        else if (key == "max_notional") s.max_notional = to_decimal(val, where);
        else if (key == "start_price") s.start_price = to_decimal(val, where);
        else if (key == "drift") s.drift = to_double(val, where);
        else if (key == "volatility") s.volatility = to_double(val, where);
        else if (key == "kline_csv") s.kline_csv = to_str(val, where);
        else if (key == "spread_ticks") s.spread_ticks = static_cast<int>(to_int(val, where));
        else if (key == "depth_levels") s.depth_levels = static_cast<int>(to_int(val, where));
        else if (key == "level_qty") s.level_qty = to_decimal(val, where);
        else bad(where, "unknown key");
    }
    if (s.symbol.empty() || s.base_asset.empty() || s.quote_asset.empty()) bad("symbols[]", "symbol, base_asset and quote_asset are required");
    if (s.tick_size.sign() <= 0 || s.step_size.sign() <= 0) bad(s.symbol, "tick_size and step_size must be > 0");
    if (s.start_price.sign() <= 0) bad(s.symbol, "start_price must be > 0");
    if (s.depth_levels < 1 || s.spread_ticks < 1 || s.level_qty.sign() <= 0)
        bad(s.symbol, "depth_levels, spread_ticks and level_qty must be positive");
    if (s.volatility < 0) bad(s.symbol, "volatility must be >= 0");
    return s;
}

AccountConfig parse_account(const json::value& v) {
    AccountConfig a;
    const auto& o = to_obj(v, "accounts[]");
    for (const auto& [key, val] : o) {
        const std::string where = "accounts[]." + std::string(key);
        if (key == "api_key") a.api_key = to_str(val, where);
        else if (key == "secret") a.secret = to_str(val, where);
        else if (key == "balances") {
            for (const auto& [asset, amount] : to_obj(val, where))
                a.balances.emplace_back(std::string(asset), to_decimal(amount, where + "." + std::string(asset)));
        } else bad(where, "unknown key");
    }
    if (a.api_key.empty() || a.secret.empty()) bad("accounts[]", "api_key and secret are required");
    return a;
}

void parse_faults(FaultConfig& f, const json::value& v) {
    for (const auto& [key, val] : to_obj(v, "faults")) {
        const std::string where = "faults." + std::string(key);
        if (key == "latency_us") f.latency_us = to_int(val, where);
        else if (key == "reject_ratio") f.reject_ratio = to_double(val, where);
        else if (key == "error_5xx_ratio") f.error_5xx_ratio = to_double(val, where);
        else if (key == "storm_429") f.storm_429 = to_bool(val, where);
        else if (key == "storm_418") f.storm_418 = to_bool(val, where);
        else if (key == "storm_retry_after_s") {
            f.storm_retry_after_s = to_int(val, where);
            if (f.storm_retry_after_s < 0) bad(where, "must be >= 0 seconds");
        }
        else if (key == "stall") f.stall = to_bool(val, where);
        else if (key == "malformed_ratio") f.malformed_ratio = to_double(val, where);
        else if (key == "clock_skew_ms") f.clock_skew_ms = to_int(val, where);
        else bad(where, "unknown fault");
    }
}

}  // namespace

FaultConfig faults_from_json(std::string_view text, FaultConfig base) {
    json::value root;
    try {
        root = json::parse(text);
    } catch (const std::exception& e) {
        bad("faults", e.what());
    }
    parse_faults(base, root);
    return base;
}

std::string faults_to_json(const FaultConfig& f) {
    json::object o;
    o["latency_us"] = f.latency_us;
    o["reject_ratio"] = f.reject_ratio;
    o["error_5xx_ratio"] = f.error_5xx_ratio;
    o["storm_429"] = f.storm_429;
    o["storm_418"] = f.storm_418;
    o["storm_retry_after_s"] = f.storm_retry_after_s;
    o["stall"] = f.stall;
    o["malformed_ratio"] = f.malformed_ratio;
    o["clock_skew_ms"] = f.clock_skew_ms;
    return json::serialize(o);
}

SimConfig SimConfig::defaults() {
    SimConfig c;
    c.symbols.push_back(parse_symbol(json::value("BTCUSDT")));
    c.symbols.push_back(parse_symbol(json::value("ETHUSDT")));
    AccountConfig a;
    a.api_key = "sim-api-key-0000000000000000000000000000000000000000000000000000";
    a.secret = "sim-secret-000000000000000000000000000000000000000000000000000000";
    a.balances = {{"USDT", Decimal::parse("10000")}, {"BTC", Decimal::parse("1")}, {"ETH", Decimal::parse("10")}};
    c.accounts.push_back(std::move(a));
    return c;
}

SimConfig SimConfig::from_json(std::string_view text) {
    json::value root;
    try {
        root = json::parse(text);
    } catch (const std::exception& e) {
        bad("json", e.what());
    }
    SimConfig c = defaults();
    bool symbols_set = false, accounts_set = false;
    for (const auto& [key, val] : to_obj(root, "config")) {
        const std::string where(key);
        if (key == "symbols") {
            if (!val.is_array()) bad(where, "expected a list");
            c.symbols.clear();
            for (const auto& s : val.get_array()) c.symbols.push_back(parse_symbol(s));
            symbols_set = true;
        } else if (key == "accounts") {
            if (!val.is_array()) bad(where, "expected a list");
            c.accounts.clear();
            for (const auto& a : val.get_array()) c.accounts.push_back(parse_account(a));
            accounts_set = true;
        } else if (key == "seed") c.seed = static_cast<std::uint64_t>(to_int(val, where));
        else if (key == "speed") c.speed = to_double(val, where);
        else if (key == "tick_ms") c.tick_ms = to_int(val, where);
        else if (key == "auto_tick") c.auto_tick = to_bool(val, where);
        else if (key == "trades_per_tick") c.trades_per_tick = static_cast<int>(to_int(val, where));
        else if (key == "start_time_ms") c.start_time_ms = to_int(val, where);
        else if (key == "history_minutes") c.history_minutes = static_cast<int>(to_int(val, where));
        else if (key == "max_kline_history") c.max_kline_history = static_cast<std::size_t>(to_int(val, where));
        else if (key == "maker_fee") c.maker_fee = to_decimal(val, where);
        else if (key == "taker_fee") c.taker_fee = to_decimal(val, where);
        else if (key == "weight_limit_1m") c.weight_limit_1m = static_cast<int>(to_int(val, where));
        else if (key == "orders_limit_10s") c.orders_limit_10s = static_cast<int>(to_int(val, where));
        else if (key == "orders_limit_1d") c.orders_limit_1d = static_cast<int>(to_int(val, where));
        else if (key == "requests_after_429_before_ban") c.requests_after_429_before_ban = static_cast<int>(to_int(val, where));
        else if (key == "ban_seconds") c.ban_seconds = to_int(val, where);
        else if (key == "max_closed_orders") c.max_closed_orders = static_cast<std::size_t>(to_int(val, where));
        else if (key == "max_trades") c.max_trades = static_cast<std::size_t>(to_int(val, where));
        else if (key == "host") c.host = to_str(val, where);
        else if (key == "port") c.port = static_cast<std::uint16_t>(to_int(val, where));
        else if (key == "ws_ping_interval_ms") c.ws_ping_interval_ms = to_int(val, where);
        else if (key == "ws_pong_timeout_ms") c.ws_pong_timeout_ms = to_int(val, where);
        else if (key == "ws_max_age_ms") c.ws_max_age_ms = to_int(val, where);
        else if (key == "ws_max_incoming_per_second") c.ws_max_incoming_per_second = static_cast<unsigned>(to_int(val, where));
        else if (key == "ws_max_streams") c.ws_max_streams = static_cast<std::size_t>(to_int(val, where));
        else if (key == "faults") parse_faults(c.faults, val);
        else bad(where, "unknown key");
    }
    (void)symbols_set;
    (void)accounts_set;
    if (c.symbols.empty()) bad("symbols", "at least one symbol is required");
    if (!(c.speed > 0)) bad("speed", "must be > 0");
    if (c.tick_ms < 1) bad("tick_ms", "must be >= 1");
    if (c.trades_per_tick < 1) bad("trades_per_tick", "must be >= 1");
    return c;
}

}  // namespace te::sim
