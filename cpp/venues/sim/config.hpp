#pragma once
// Configuration of the simulated exchange: symbols (filters, price path, book shape),
// accounts (API keys and starting balances), fees, limits and the initial faults.
// Parsed from JSON (the Python SimExchange and the CLI build it), with defaults for all.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/decimal.hpp"

namespace te::sim {

struct SymbolConfig {
    std::string symbol = "BTCUSDT";
    std::string base_asset = "BTC";
    std::string quote_asset = "USDT";
    // Filters (exchangeInfo): PRICE_FILTER, LOT_SIZE, NOTIONAL.
    Decimal min_price = Decimal::parse("0.01");
    Decimal max_price = Decimal::parse("1000000");
    Decimal tick_size = Decimal::parse("0.01");
    Decimal min_qty = Decimal::parse("0.00001");
    Decimal max_qty = Decimal::parse("9000");
    Decimal step_size = Decimal::parse("0.00001");
    Decimal min_notional = Decimal::parse("5");
    Decimal max_notional = Decimal::parse("9000000");
    // Price path: geometric Brownian motion (annualised drift and volatility) or a kline CSV.
    Decimal start_price = Decimal::parse("50000");
    double drift = 0.0;
    double volatility = 0.5;
    std::string kline_csv;  // non-empty: replay these 1m klines instead of GBM
    // Book: `depth_levels` levels on each side, `level_qty` each, `spread_ticks` apart at the top.
    int spread_ticks = 1;
    int depth_levels = 5;
    Decimal level_qty = Decimal::parse("2");
};

struct AccountConfig {
    std::string api_key;
    std::string secret;
    std::vector<std::pair<std::string, Decimal>> balances;  // asset -> free amount
};

struct FaultConfig {
    std::int64_t latency_us = 0;        // added to every REST response
    double reject_ratio = 0.0;          // new orders rejected at random (-2010)
    double error_5xx_ratio = 0.0;       // REST answered 503 at random, before or after acting
    bool storm_429 = false;             // every REST request answered 429 (-1003)
    bool storm_418 = false;             // every REST request answered 418 (banned)
    std::int64_t storm_retry_after_s = 0;  // the storms' Retry-After; 0: Binance's 60 s (429), 120 s (418)
    bool stall = false;                 // WebSockets stay open but nothing is sent
    double malformed_ratio = 0.0;       // market messages replaced by malformed JSON at random
    std::int64_t clock_skew_ms = 0;     // added to the server's clock
};

// Faults from JSON ({"stall": true, ...}); keys not given keep their value in `base`.
FaultConfig faults_from_json(std::string_view json, FaultConfig base);
std::string faults_to_json(const FaultConfig& f);

struct SimConfig {
    std::vector<SymbolConfig> symbols;
    std::vector<AccountConfig> accounts;
    std::uint64_t seed = 1;
    double speed = 1.0;             // simulated milliseconds per real millisecond
    std::int64_t tick_ms = 100;     // real time between market updates
    bool auto_tick = true;          // false: the market moves only when step() is called
    int trades_per_tick = 2;
    std::int64_t start_time_ms = 0;  // simulated start time; 0 = the wall clock at start
    int history_minutes = 1000;      // 1m klines generated before the start (REST backfill)
    std::size_t max_kline_history = 1500;
    Decimal maker_fee = Decimal::parse("0.001");
    Decimal taker_fee = Decimal::parse("0.001");
    // Limits (Binance's values by default).
    int weight_limit_1m = 6000;
    int orders_limit_10s = 50;
    int orders_limit_1d = 160000;
    int requests_after_429_before_ban = 10;
    std::int64_t ban_seconds = 120;
    std::size_t max_closed_orders = 10000;  // per account; older closed orders are forgotten
    std::size_t max_trades = 10000;         // per account, for myTrades
    // Server.
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::int64_t ws_ping_interval_ms = 20000;
    std::int64_t ws_pong_timeout_ms = 60000;
    std::int64_t ws_max_age_ms = 24LL * 3600 * 1000;
    unsigned ws_max_incoming_per_second = 5;
    std::size_t ws_max_streams = 1024;
    FaultConfig faults;

    // Defaults: BTCUSDT and ETHUSDT, one account with 10000 USDT and 1 BTC.
    static SimConfig defaults();
    // Missing keys keep their defaults; unknown keys and bad values throw ConfigError.
    static SimConfig from_json(std::string_view json);
};

}  // namespace te::sim
