#pragma once
// The simulated exchange's state machine, without sockets (sans-I/O): symbols and their price
// paths, a synthetic order book around the path, klines for all 16 intervals, accounts with
// free/locked balances, orders, matching and fees. Not thread-safe: the server serialises
// calls (one mutex). Times are passed in: `now_ms` is the server's wall clock (order and
// account times), market time is the simulated clock advanced by advance().
#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "core/enums.hpp"
#include "core/market.hpp"
#include "venues/sim/config.hpp"
#include "venues/sim/price_path.hpp"

namespace te::sim {

constexpr std::size_t kIntervals = 16;

// Binance order statuses (spelled as on the wire by to_string).
enum class Status : std::uint8_t { New, PartiallyFilled, Filled, Canceled, Rejected, Expired };
std::string_view to_string(Status s) noexcept;
inline bool is_open(Status s) noexcept { return s == Status::New || s == Status::PartiallyFilled; }

struct ApiError {
    int code = 0;
    std::string msg;
    unsigned http_status = 400;
};

struct Kline {
    std::int64_t open_time = 0;
    std::int64_t close_time = 0;
    Decimal open, high, low, close, volume, quote_volume, taker_base, taker_quote;
    std::int64_t trades = 0;
    std::int64_t first_trade_id = -1;
    std::int64_t last_trade_id = -1;
};

struct PublicTrade {
    std::int64_t id = 0;
    Decimal price, qty;
    std::int64_t time = 0;  // simulated ms
    bool buyer_is_maker = false;
};

struct BookTop {
    std::int64_t update_id = 0;
    Decimal bid, bid_qty, ask, ask_qty;
};

struct Order {
    std::int64_t order_id = 0;
    int symbol = 0;
    int account = 0;
    std::string client_order_id;
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    TimeInForce tif = TimeInForce::Gtc;
    Decimal price, orig_qty, executed_qty, cum_quote, orig_quote_qty;
    Status status = Status::New;
    std::int64_t time = 0, update_time = 0, working_time = -1;
    Decimal locked;  // still locked for this order (quote for a buy, base for a sell)
    std::string orig_client_order_id;  // set on the snapshot a cancel returns
    bool is_working() const noexcept { return working_time >= 0; }
};

struct Fill {
    Decimal price, qty, quote_qty, commission;
    std::string commission_asset;
    std::int64_t trade_id = 0;
    bool maker = false;
};

struct AccountTrade {
    int symbol = 0;
    std::int64_t id = 0, order_id = 0, time = 0;
    Decimal price, qty, quote_qty, commission;
    std::string commission_asset;
    bool is_buyer = false, is_maker = false;
};

struct Balance {
    Decimal free, locked;
};

// One user-data event, formatted by the server (executionReport / outboundAccountPosition).
struct ExecutionEvent {
    Order order;  // snapshot after the event
    std::string_view exec_type;  // NEW TRADE CANCELED REJECTED EXPIRED
    std::string_view reject_reason = "NONE";
    std::optional<Fill> fill;
    std::string orig_client_order_id;  // "C": set on cancels
    std::int64_t event_time = 0;
    std::int64_t execution_id = 0;
    std::string_view expiry_reason;  // eR, when set
};

class UserSink {
public:
    virtual ~UserSink() = default;
    virtual void on_execution(int account, const ExecutionEvent& ev) = 0;
    // Balances of the assets that changed, after the change.
    virtual void on_account_position(int account, std::int64_t time,
                                     const std::vector<std::pair<std::string, Balance>>& changed) = 0;
    virtual void on_balance_update(int account, const std::string& asset, Decimal delta, std::int64_t time) = 0;
};

class MarketSink {
public:
    virtual ~MarketSink() = default;
    virtual void on_trade(int symbol, const PublicTrade& t, std::int64_t event_time) = 0;
    virtual void on_book(int symbol, const BookTop& top) = 0;
    virtual void on_kline(int symbol, std::size_t interval, const Kline& k, bool closed, std::int64_t event_time) = 0;
};

struct OrderRequest {
    std::string symbol;
    Side side = Side::Buy;
    OrderType type = OrderType::Limit;
    std::optional<TimeInForce> tif;
    std::optional<Decimal> quantity, quote_order_qty, price;
    std::string client_order_id;  // empty: generated
};

struct PlaceResult {
    Order order;
    std::vector<Fill> fills;
};

class Exchange {
public:
    Exchange(SimConfig config, std::int64_t start_ms);

    const SimConfig& config() const noexcept { return config_; }
    int symbol_index(std::string_view symbol) const;  // -1 if unknown
    const SymbolConfig& symbol(int i) const { return symbols_[static_cast<std::size_t>(i)].cfg; }
    std::size_t symbol_count() const noexcept { return symbols_.size(); }
    int account_by_key(std::string_view api_key) const;  // -1 if unknown
    const AccountConfig& account_config(int i) const { return config_.accounts[static_cast<std::size_t>(i)]; }

    // Validates and (unless test_only) executes a new order.
    std::variant<ApiError, PlaceResult> place(int account, const OrderRequest& req, std::int64_t now_ms, bool test_only);
    std::variant<ApiError, Order> cancel(int account, std::string_view symbol, std::optional<std::int64_t> order_id,
                                         std::string_view orig_client_id, std::string_view new_client_id,
                                         std::int64_t now_ms);
    std::variant<ApiError, std::vector<Order>> cancel_all(int account, std::string_view symbol, std::int64_t now_ms);
    std::variant<ApiError, Order> query(int account, std::string_view symbol, std::optional<std::int64_t> order_id,
                                        std::string_view orig_client_id) const;
    std::vector<Order> open_orders(int account, int symbol /* -1: all */) const;
    bool has_open_orders(int symbol) const { return !open_by_symbol_[static_cast<std::size_t>(symbol)].empty(); }
    std::vector<AccountTrade> trades(int account, int symbol, std::optional<std::int64_t> order_id,
                                     std::optional<std::int64_t> from_id, std::int64_t start, std::int64_t end,
                                     std::size_t limit) const;
    const std::map<std::string, Balance>& balances(int account) const { return accounts_[static_cast<std::size_t>(account)].balances; }
    std::int64_t account_update_time(int account) const { return accounts_[static_cast<std::size_t>(account)].update_time; }
    // Credits (or debits, if negative) an asset: a deposit. Emits the account events.
    void deposit(int account, const std::string& asset, Decimal amount, std::int64_t now_ms);

    // Market.
    std::int64_t market_time() const noexcept { return market_ms_; }
    void advance(std::int64_t to_market_ms, std::int64_t now_ms, MarketSink* sink);
    Decimal last_price(int symbol) const { return symbols_[static_cast<std::size_t>(symbol)].last; }
    const BookTop& book(int symbol) const {
        const auto& s = symbols_[static_cast<std::size_t>(symbol)];
        if (s.book_stale) rebuild_book(s);
        return s.top;
    }
    // Levels of one side, best first: (price, qty).
    std::vector<std::pair<Decimal, Decimal>> levels(int symbol, Side side) const;
    std::vector<Kline> klines(int symbol, Interval interval, std::optional<std::int64_t> start,
                              std::optional<std::int64_t> end, std::size_t limit) const;
    const Kline& current_kline(int symbol, Interval interval) const;

    // ---- replayed data (backtests: cpp/replay) ----------------------------------------------
    // A trade from the replayed data instead of the exchange's own price path: the last price
    // and (unless replayed quotes set it) the synthetic book move to it, and the resting orders it
    // crosses fill at their limit price, as makers, oldest first: completely, or with
    // `limit_to_qty` at most `qty` between them (the rest stays resting). Market time becomes
    // `time_ms`; orders and fills are stamped with it.
    void replay_trade(int symbol, Decimal price, Decimal qty, std::int64_t time_ms, bool limit_to_qty);
    // A best bid/ask from the replayed data: the book top becomes it (market orders fill against
    // it), and resting buys at or above the ask, sells at or below the bid, fill at their limit
    // (with `limit_to_qty`, up to the size shown).
    void replay_quote(int symbol, const BookTop& top, std::int64_t time_ms, bool limit_to_qty);
    // A whole book from the replayed data (levels best first, at least one per side): takers
    // walk these levels until the next book or quote (replayed trades leave them); resting
    // orders fill as against a quote of its best bid and ask.
    void replay_book(int symbol, std::vector<std::pair<Decimal, Decimal>> bids,
                     std::vector<std::pair<Decimal, Decimal>> asks, std::int64_t time_ms, bool limit_to_qty);

    void set_user_sink(UserSink* sink) noexcept { user_sink_ = sink; }

    // Orders placed in the last 10 s / day by the account (for X-MBX-ORDER-COUNT-*).
    std::int64_t next_execution_id() noexcept { return ++execution_id_; }

private:
    struct SymbolState {
        SymbolConfig cfg;
        std::unique_ptr<GbmPath> gbm;
        std::unique_ptr<ReplayPath> replay;
        std::int64_t replay_origin = 0;  // open time of the minute replayed from row 0
        std::int64_t replay_last = std::numeric_limits<std::int64_t>::min();  // the last path point traded
        Rng rng{1};
        Decimal last;
        // The book's top. Replayed trades only mark it stale: it is rebuilt around `last` when
        // next read (a backtest reads it for market orders only; rebuilding it every bar was
        // ~15 ns of 128-bit arithmetic). Replay runs on one thread; the live path rebuilds eagerly.
        mutable BookTop top;
        mutable bool book_stale = false;
        std::int64_t next_trade_id = 1;
        std::array<Kline, kIntervals> current{};
        std::array<std::deque<Kline>, kIntervals> history;
        bool quoted = false;  // replayed quotes set the book; replayed trades leave it alone
        bool deep = false;    // a replayed book's levels stand (levels() returns them)
        std::vector<std::pair<Decimal, Decimal>> bids, asks;
    };
    struct Account {
        std::map<std::string, Balance> balances;
        std::int64_t update_time = 0;
        std::deque<std::int64_t> closed;  // closed order ids, oldest first
        std::deque<AccountTrade> trades;
    };

    SymbolState& sym(int i) { return symbols_[static_cast<std::size_t>(i)]; }
    Account& acct(int i) { return accounts_[static_cast<std::size_t>(i)]; }
    std::optional<ApiError> check_filters(const SymbolState& s, const OrderRequest& req) const;
    Order* find_order(int account, int symbol, std::optional<std::int64_t> order_id, std::string_view client_id);
    const Order* find_order(int account, int symbol, std::optional<std::int64_t> order_id,
                            std::string_view client_id) const;
    void rebuild_book(const SymbolState& s) const;
    void on_market_trade(int symbol, const PublicTrade& t, std::int64_t now_ms, MarketSink* sink);
    // Fills the resting orders that a buy-side price (`sells_at`: a trade or the ask) or a
    // sell-side price (`buys_at`: a trade or the bid) crosses, up to the budgets when given.
    void match_resting(int symbol, Decimal sells_at, Decimal buys_at, std::optional<Decimal> buy_budget,
                       std::optional<Decimal> sell_budget, std::int64_t now_ms);
    void update_klines(SymbolState& s, const PublicTrade& t, bool taker_buy);
    void roll_klines(int symbol, std::int64_t to_ms, MarketSink* sink);
    Decimal next_price(SymbolState& s, double dt_ms, std::int64_t t);
    // Executes one fill for `o` and moves balances; returns the fill.
    Fill apply_fill(Order& o, Decimal price, Decimal qty, bool maker, std::int64_t now_ms);
    void finish(Order& o, Status status, std::int64_t now_ms);
    void emit(const Order& o, std::string_view exec_type, std::int64_t now_ms, const Fill* fill = nullptr,
              std::string_view reject = "NONE", std::string orig_client = {}, std::string_view expiry = {});
    void emit_balances(int account, std::int64_t now_ms, std::vector<std::string> assets);
    void remember_closed(Order& o);

    SimConfig config_;
    std::vector<SymbolState> symbols_;
    std::vector<Account> accounts_;
    std::unordered_map<std::string, int> symbol_by_name_;
    std::unordered_map<std::string, int> account_by_key_;
    std::unordered_map<std::int64_t, Order> orders_;  // open and recently closed
    std::vector<std::map<std::int64_t, bool>> open_by_symbol_;  // order ids of open orders
    std::int64_t next_order_id_ = 1;
    std::int64_t execution_id_ = 0;
    std::int64_t market_ms_ = 0;
    std::uint64_t client_id_counter_ = 0;
    UserSink* user_sink_ = nullptr;
};

// Open time of the interval containing t (ms): weeks start on Monday, months on the 1st.
std::int64_t interval_open_time(Interval interval, std::int64_t t_ms);

}  // namespace te::sim
