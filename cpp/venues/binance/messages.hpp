#pragma once
// Parsed Binance stream messages: market streams (kline, trade, aggTrade, bookTicker,
// serverShutdown, control responses) and the user-data stream over the WebSocket API
// (executionReport, outboundAccountPosition, balanceUpdate, eventStreamTerminated, the
// request/response envelope). Everything here is trivially copyable except the balance list
// and the error text, which reuse their capacity from one message to the next.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enums.hpp"
#include "core/market.hpp"
#include "core/fixed_string.hpp"

namespace te::binance {

// ---- Binance enumerations (wire spellings in the arrays) ---------------------------------

enum class ExecutionType : std::uint8_t { New, Canceled, Replaced, Rejected, Trade, Expired, TradePrevention };
inline constexpr std::array<std::string_view, 7> kExecutionTypeNames = {
    "NEW", "CANCELED", "REPLACED", "REJECTED", "TRADE", "EXPIRED", "TRADE_PREVENTION"};

enum class OrderStatus : std::uint8_t {
    New, PartiallyFilled, Filled, Canceled, PendingNew, PendingCancel, Rejected, Expired, ExpiredInMatch
};
inline constexpr std::array<std::string_view, 9> kOrderStatusNames = {
    "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "PENDING_NEW", "PENDING_CANCEL", "REJECTED", "EXPIRED",
    "EXPIRED_IN_MATCH"};

// Binance order types; Unknown keeps a report usable when Binance adds a type.
enum class OrderType : std::uint8_t {
    Limit, Market, StopLoss, StopLossLimit, TakeProfit, TakeProfitLimit, LimitMaker, Unknown
};
inline constexpr std::array<std::string_view, 7> kOrderTypeNames = {
    "LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER"};

std::string_view to_string(ExecutionType v) noexcept;
std::string_view to_string(OrderStatus v) noexcept;
std::string_view to_string(OrderType v) noexcept;

// The engine's view of a Binance status (ARCHITECTURE §7 state machine).
te::OrderStatus to_engine_status(OrderStatus s) noexcept;
// The engine's order type, if it has one for this Binance type.
std::optional<te::OrderType> to_engine_order_type(OrderType t) noexcept;

// A request id of the WebSocket API and of stream control messages: int64, string (<= 36
// characters on Binance) or null.
struct RequestId {
    enum class Kind : std::uint8_t { None, Int, Str };
    Kind kind = Kind::None;
    std::int64_t num = 0;
    FixedString<64> str;

    bool operator==(const RequestId&) const = default;
};

// ---- market streams -----------------------------------------------------------------------

struct KlineEvent {
    Candle candle;  // ts_event = E (event time)
    std::int64_t first_trade_id = 0;
    std::int64_t last_trade_id = 0;
    Quantity taker_buy_base_volume;
    Money taker_buy_quote_volume;
};

struct TradeEvent {
    Trade trade;  // ts_event = T (trade time); aggressor Sell when the buyer was the maker
    UnixNanos event_time = 0;
};

struct AggTradeEvent {
    Trade trade;  // trade_id = the aggregate id "a"
    std::int64_t first_trade_id = 0;
    std::int64_t last_trade_id = 0;
    UnixNanos event_time = 0;
};

struct BookTickerEvent {
    Quote quote;  // bookTicker has no venue time: ts_event = ts_recv
    std::int64_t update_id = 0;
};

struct ServerShutdown {
    UnixNanos event_time = 0;
};

// {"result": ..., "id": ...}: the answer to SUBSCRIBE and the other control messages.
struct ControlResponse {
    RequestId id;
    bool result_is_null = false;  // success of a non-query request
    std::string_view result_json;  // raw JSON of "result"; valid until the next parse
};

// {"code": 2, "msg": "...", "id": ...} on a stream connection, or a REST error body.
struct ErrorResponse {
    int code = 0;
    std::string msg;
    RequestId id;
};

enum class MarketMessageType : std::uint8_t {
    Kline, Trade, AggTrade, BookTicker, ServerShutdown, ControlResponse, Error, Unknown
};
std::string_view to_string(MarketMessageType t) noexcept;

// One parsed market-stream message; only the member matching `type` is meaningful.
struct MarketMessage {
    MarketMessageType type = MarketMessageType::Unknown;
    std::string_view stream;      // the combined-stream name, "" for a raw stream
    std::string_view event_name;  // the "e" value, useful when type is Unknown
    KlineEvent kline;
    TradeEvent trade;
    AggTradeEvent agg_trade;
    BookTickerEvent book_ticker;
    ServerShutdown shutdown;
    ControlResponse control;
    ErrorResponse error;
};

// ---- user-data stream ---------------------------------------------------------------------

struct ExecutionReport {
    UnixNanos event_time = 0;         // E
    Symbol symbol;                    // s
    ClientOrderId client_order_id;    // c
    Side side = Side::Buy;            // S
    OrderType order_type = OrderType::Unknown;  // o
    std::optional<TimeInForce> time_in_force;   // f (nullopt for a value we do not know)
    Quantity quantity;                // q
    Price price;                      // p
    Price stop_price;                 // P
    Quantity iceberg_quantity;        // F
    std::int64_t order_list_id = -1;  // g
    ClientOrderId orig_client_order_id;  // C: the order being canceled
    ExecutionType execution_type = ExecutionType::New;  // x
    OrderStatus status = OrderStatus::New;              // X
    ShortText reject_reason;          // r
    std::int64_t order_id = 0;        // i
    Quantity last_quantity;           // l
    Quantity cumulative_quantity;     // z
    Price last_price;                 // L
    Money commission;                 // n
    Asset commission_asset;           // N (null until a fill)
    UnixNanos transaction_time = 0;   // T
    std::int64_t trade_id = -1;       // t
    std::int64_t prevented_match_id = -1;  // v (only after an STP expiry)
    std::int64_t execution_id = 0;    // I
    bool is_working = false;          // w
    bool is_maker = false;            // m
    UnixNanos order_creation_time = 0;  // O
    Money cumulative_quote_quantity;  // Z
    Money last_quote_quantity;        // Y
    Money quote_order_quantity;       // Q
    UnixNanos working_time = 0;       // W
    ShortText self_trade_prevention_mode;  // V
    ShortText expiry_reason;          // eR
    UnixNanos ts_recv = 0;

    bool is_fill() const noexcept { return execution_type == ExecutionType::Trade; }
};

struct AssetBalance {
    Asset asset;
    Quantity free;
    Quantity locked;
};

struct AccountPosition {
    UnixNanos event_time = 0;   // E
    UnixNanos last_update = 0;  // u
    std::vector<AssetBalance> balances;  // B (capacity reused across messages)
};

struct BalanceUpdate {
    UnixNanos event_time = 0;  // E
    Asset asset;               // a
    Quantity delta;            // d (may be negative)
    UnixNanos clear_time = 0;  // T
};

struct StreamTerminated {
    UnixNanos event_time = 0;
};

// One entry of "rateLimits" in a WebSocket API response.
struct RateLimit {
    FixedString<24> type;      // REQUEST_WEIGHT, ORDERS, RAW_REQUESTS
    FixedString<8> interval;   // SECOND, MINUTE, HOUR, DAY
    std::int64_t interval_num = 0;
    std::int64_t limit = 0;
    std::int64_t count = 0;
};

// {"id":..., "status":..., "result":... | "error":{...}, "rateLimits":[...]}
struct WsApiResponse {
    static constexpr std::size_t kMaxRateLimits = 8;

    RequestId id;
    int status = 0;
    bool has_error = false;
    int error_code = 0;
    std::string error_msg;
    std::string_view result_json;               // raw JSON of "result"; valid until the next parse
    std::optional<std::int64_t> subscription_id;  // result.subscriptionId (userDataStream.subscribe)
    std::array<RateLimit, kMaxRateLimits> rate_limits{};
    std::size_t rate_limit_count = 0;  // entries beyond kMaxRateLimits are skipped
};

enum class UserMessageType : std::uint8_t {
    ExecutionReport, AccountPosition, BalanceUpdate, StreamTerminated, ApiResponse, Unknown
};
std::string_view to_string(UserMessageType t) noexcept;

struct UserMessage {
    UserMessageType type = UserMessageType::Unknown;
    std::optional<std::int64_t> subscription_id;  // set for events wrapped in {"subscriptionId","event"}
    std::string_view event_name;
    ExecutionReport execution_report;
    AccountPosition account_position;
    BalanceUpdate balance_update;
    StreamTerminated terminated;
    WsApiResponse response;
};

}  // namespace te::binance
