#pragma once
// Parsed Binance REST responses: orders (ACK/RESULT/FULL, cancel, query, open orders),
// account, exchangeInfo, klines, server time. Vectors are cleared, not freed, between parses
// so a reused output object stops allocating once warm.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument.hpp"
#include "core/market.hpp"
#include "venues/binance/messages.hpp"

namespace te::binance {

struct OrderFill {
    Price price;
    Quantity quantity;
    Money commission;
    Asset commission_asset;
    std::int64_t trade_id = 0;
};

// Which response shape an order endpoint returned.
enum class OrderResponseKind : std::uint8_t { Ack, Result, Full };

// POST /api/v3/order (any newOrderRespType), DELETE /api/v3/order, GET /api/v3/order and
// the items of GET /api/v3/openOrders share this shape; fields an endpoint omits stay default.
struct OrderReport {
    OrderResponseKind kind = OrderResponseKind::Ack;
    Symbol symbol;
    std::int64_t order_id = 0;
    std::int64_t order_list_id = -1;
    ClientOrderId client_order_id;
    ClientOrderId orig_client_order_id;  // cancel only
    UnixNanos transact_time = 0;         // place and cancel
    Price price;
    Quantity orig_quantity;
    Quantity executed_quantity;
    Money orig_quote_order_quantity;
    Money cumulative_quote_quantity;  // "cummulativeQuoteQty" (sic)
    OrderStatus status = OrderStatus::New;
    std::optional<TimeInForce> time_in_force;
    OrderType type = OrderType::Unknown;
    Side side = Side::Buy;
    Price stop_price;
    Quantity iceberg_quantity;
    UnixNanos time = 0;          // query and open orders
    UnixNanos update_time = 0;   // query and open orders
    UnixNanos working_time = 0;
    bool is_working = false;
    ShortText self_trade_prevention_mode;
    std::vector<OrderFill> fills;  // FULL only
};

// One row of GET /api/v3/myTrades (it names the order by id only, not by client id).
struct MyTrade {
    Symbol symbol;
    std::int64_t id = 0;  // trade id
    std::int64_t order_id = 0;
    Price price;
    Quantity quantity;
    Money quote_quantity;
    Money commission;
    Asset commission_asset;
    UnixNanos time = 0;
    bool is_buyer = false;
    bool is_maker = false;
};

struct CommissionRates {
    Decimal maker, taker, buyer, seller;
};

struct Account {
    std::int64_t maker_commission = 0;  // in basis points x 100 (legacy integer form)
    std::int64_t taker_commission = 0;
    CommissionRates commission_rates;
    bool can_trade = false;
    bool can_withdraw = false;
    bool can_deposit = false;
    UnixNanos update_time = 0;
    ShortText account_type;
    std::int64_t uid = 0;
    std::vector<AssetBalance> balances;
};

// One symbol of exchangeInfo with the filters the engine enforces. A disabled part of a
// filter ("0") is stored as zero.
struct SymbolInfo {
    std::string symbol;
    std::string status;  // TRADING, HALT, BREAK, ...
    std::string base_asset;
    std::string quote_asset;
    int base_asset_precision = 0;
    int quote_asset_precision = 0;
    bool has_price_filter = false;
    Price min_price, max_price, tick_size;
    bool has_lot_size = false;
    Quantity min_quantity, max_quantity, step_size;
    bool has_notional = false;  // NOTIONAL or the legacy MIN_NOTIONAL
    Money min_notional, max_notional;
};

struct ExchangeRateLimit {
    std::string type;
    std::string interval;
    std::int64_t interval_num = 0;
    std::int64_t limit = 0;
};

struct ExchangeInfo {
    UnixNanos server_time = 0;
    std::vector<ExchangeRateLimit> rate_limits;
    std::vector<SymbolInfo> symbols;
};

// The engine Instrument for a symbol (id SYMBOL.venue). Throws std::invalid_argument naming
// the symbol when the filters cannot make a valid instrument (e.g. no LOT_SIZE filter). A
// disabled tick size (0) becomes the finest Decimal step, a disabled max quantity the largest.
Instrument to_instrument(const SymbolInfo& info, std::string_view venue = "BINANCE");

}  // namespace te::binance
