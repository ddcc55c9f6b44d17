#pragma once
// The backtest venue (ARCHITECTURE §4a, §6): a Node venue whose market data is replayed from
// its sources and whose orders fill in the simulated exchange's matching engine, in process
// (no sockets), and whose timeline drives the Node's clock. A backtest is a Node with this
// venue, a TestClock and a manual bus: the same strategies, order manager and portfolio code
// as live, run deterministically on one thread.
//
// The timeline: every source's items are merged in time order into actions —
//   a candle:  its intrabar path (open, then high and low in the order the path says, then
//              close), each point a trade of a quarter of the bar's volume at its time, then the
//              closed candle delivered to the strategies at close time + data_latency;
//   a trade:   matched at its time, delivered at its time + data_latency;
//   a quote:   sets the book at its time, delivered at + data_latency;
//   a book:    sets the book's levels at its time, delivered as a quote of its best bid/ask;
//   an order or cancel a strategy sends reaches the matching engine order_latency later.
// Before each action the clock moves to its time and every timer due by then fires, in time
// order; after it, the bus is served (strategies' callbacks run, their orders go out).
// Same sources, configuration and seed → the same actions in the same order → byte-identical
// orders and fills.
//
// Fill model (docs/guide/backtesting.md): resting limit orders fill at their limit price, as
// makers, when a path point or trade crosses them (with limit_fills_to_volume, at most the
// point's volume between them); market orders fill as takers against a synthetic book of
// depth_levels levels of level_qty around the last price, spread_ticks wide (or against the
// replayed quote's bid/ask, or walking the replayed book's levels).
//
// Threads: everything runs on the thread that calls run() (the Node's dispatcher).
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "node/node.hpp"
#include "replay/data_source.hpp"
#include "venues/engine_sinks.hpp"
#include "venues/sim/exchange.hpp"
#include "venues/venue.hpp"

namespace te::replay {

// The order of a bar's high and low inside the bar.
enum class BarPath : std::uint8_t {
    Adaptive,         // by direction: a bar that closes up went low first (O→L→H→C), else O→H→L→C
    OpenHighLowClose,
    OpenLowHighClose,
};

struct BacktestVenueConfig {
    std::string name = "BACKTEST";
    // The listed symbols (trading rules, book shape), the one account's balances, the maker and
    // taker fees and the seed: the simulated exchange's own configuration.
    sim::SimConfig exchange;
    BarPath bar_path = BarPath::Adaptive;
    std::chrono::nanoseconds order_latency{0};  // strategy → matching engine (orders and cancels)
    std::chrono::nanoseconds data_latency{0};   // market → strategy (candles, trades, quotes)
    bool limit_fills_to_volume = false;         // resting orders fill at most the traded volume
    std::optional<UnixNanos> start;             // data before is skipped (counted)
    std::optional<UnixNanos> end;               // data from here on is skipped (counted)
    // The account's value is sampled after each delivery (candle, trade, quote; one sample per
    // distinct time), at most once per equity_interval (0: every time), in valuation_asset ("": the
    // first symbol's quote asset).
    std::chrono::nanoseconds equity_interval{0};
    std::string valuation_asset;
};

// The account's value at one time, in the valuation asset: cash (that asset, free + locked) and
// the other assets at the last price of their symbol against it (assets without one are left out).
struct EquitySample {
    UnixNanos time = 0;
    Decimal cash;
    Decimal positions;
};

// What a run did, for the result and the closing line.
struct BacktestReport {
    std::uint64_t candles = 0, trades = 0, quotes = 0, books = 0;  // replayed (to the matching engine)
    std::uint64_t skipped_before_start = 0, skipped_after_end = 0;
    std::uint64_t timers_fired = 0;
    std::uint64_t events_dispatched = 0;
    std::vector<DataGap> gaps;
    UnixNanos first_time = 0, last_time = 0;  // data time covered
    double wall_seconds = 0;
    bool stopped_early = false;
    std::string stop_reason;  // why it stopped before the end of the data
};

// What a backtest's Node needs (the bindings' `backtest` setting): a TestClock, a manual bus
// that does not measure its wall-clock latency, no scheduler thread, every order kept for the result, and the order manager's timeout check
// once an hour of data time (the venue answers every order; each check is an event, and a
// timer inside a bar makes its whole intrabar path run).
NodeConfig backtest_node_config(NodeConfig base = {});

// Called every `progress_every` actions and at the end: (items replayed, data time now).
using ProgressFn = std::function<void(std::uint64_t items, UnixNanos data_time)>;

class BacktestVenue final : public Venue, public ExecutionVenue, private sim::UserSink {
public:
    explicit BacktestVenue(BacktestVenueConfig config);
    ~BacktestVenue() override;

    // Before the run. The source's instruments must be listed (DataError at run() otherwise).
    void add_source(std::unique_ptr<DataSource> source);

    // The whole backtest on the calling thread: the node's clock set to the first data time,
    // node.start(), the timeline to its end (or a stop request, or a strategy that fails),
    // node.stop(). The node must have this venue, a TestClock and a manual bus (ConfigError
    // otherwise). DataError for bad data (the node is stopped first; what ran is kept).
    BacktestReport run(Node& node, const ProgressFn& progress = {}, std::uint64_t progress_every = 65536);

    // ---- Venue ------------------------------------------------------------------------------
    void start(TradingEngine& engine) override;
    void stop_market_data() override;
    void stop() override;
    void interrupt() noexcept override {}
    void subscribe(const StreamKey& stream) override;
    void unsubscribe(const StreamKey& stream) override;
    ExecutionVenue* execution() noexcept override { return this; }
    std::vector<Instrument> instruments() const override;
    const Instrument* instrument(const InstrumentId& id) const override;
    std::vector<Balance> balances() const override;
    std::vector<FeedStatus> feeds() const override;

    // ---- ExecutionVenue ---------------------------------------------------------------------
    std::string name() const override { return Component::name(); }
    void submit(const OrderRequest& request) override;
    void cancel(const InstrumentId& instrument, std::string_view client_order_id) override;
    void query(const InstrumentId& instrument, std::string_view client_order_id) override;

    const sim::Exchange& exchange() const noexcept { return *exchange_; }
    const std::vector<EquitySample>& equity() const noexcept { return equity_; }
    // The last price of symbol `symbol` (in SimConfig order) at equity sample `sample`.
    Decimal mark(std::size_t sample, std::size_t symbol) const { return marks_[sample * instruments_.size() + symbol]; }
    // Every fill the matching engine made, in order (the run's record; the order manager's
    // closed orders may be pruned, these are not).
    const std::vector<Fill>& fills() const noexcept { return fills_; }
    const std::string& valuation_asset() const noexcept { return config_.valuation_asset; }

protected:
    std::vector<std::pair<std::string, std::string>> details() const override;

private:
    enum class ActionKind : std::uint8_t { PathPoint, Deliver, Submit, Cancel };
    // Small, so the timeline's heap moves 32 bytes: what an action needs lives in its slot.
    struct Action {
        UnixNanos time = 0;
        std::uint64_t seq = 0;  // ties: in the order they were made
        ActionKind kind = ActionKind::PathPoint;
        std::uint8_t point = 0;  // PathPoint: 0 open, 1 and 2 the extremes, 3 close
        std::int32_t symbol = -1;
        std::uint32_t slot = 0;  // PathPoint, Deliver: items_; Submit, Cancel: requests_
        bool operator>(const Action& o) const noexcept { return time != o.time ? time > o.time : seq > o.seq; }
    };
    template <class T>
    struct Slots {  // reusable storage for what waiting actions refer to
        std::vector<T> values;
        std::vector<std::uint32_t> free;
        std::uint32_t put(T v);
        void release(std::uint32_t i) { free.push_back(i); }
    };
    struct Cursor {  // one source and its next item
        std::unique_ptr<DataSource> source;
        MarketItem next;
        bool has_next = false;
        std::uint64_t rows = 0;
        InstrumentId last_instrument;  // a source mostly repeats one: its symbol index, cached
        int last_symbol = -1;
    };
    // Per symbol, the delivered-message counters of its subscribed streams (pointers into
    // subscribed_, rebuilt when it changes): one per candle interval, then trades, then quotes.
    static constexpr std::size_t kTradeCounter = EnumInfo<Interval>::names.size();
    static constexpr std::size_t kQuoteCounter = kTradeCounter + 1;
    using Counters = std::array<std::uint64_t*, kQuoteCounter + 1>;

    // sim::UserSink: the matching engine's reports, as the engine's OrderUpdate, Fill, Balance.
    void on_execution(int account, const sim::ExecutionEvent& ev) override;
    void on_account_position(int account, std::int64_t time,
                             const std::vector<std::pair<std::string, sim::Balance>>& changed) override;
    void on_balance_update(int, const std::string&, Decimal, std::int64_t) override {}

    void schedule(Action a);
    void advance_cursor(Cursor& c);
    // Moves the earliest source item into the timeline, or, for a candle nothing can trade
    // inside (and no data latency), replays its close and delivers it at once: returns the
    // time of that when it did (the run loop then serves the bus as after an action).
    std::optional<UnixNanos> take_next_item();
    void refresh_next_item_time();  // after a cursor moved
    std::optional<UnixNanos> next_item_time() const {
        return next_item_time_ == kNoItem ? std::nullopt : std::optional<UnixNanos>(next_item_time_);
    }
    void expand_candle(const Candle& c, int symbol);
    bool path_matters(const Candle& c, int symbol) const;
    void perform(const Action& a);
    Decimal path_price(const Candle& c, std::uint8_t point) const;
    void deliver(const MarketItem& item, int symbol);
    void deliver_candle(const Candle& c, int symbol);
    void count(int symbol, StreamKind kind, Interval interval, const InstrumentId& id);
    void rebuild_counters();
    void place(const OrderRequest& r);
    void cancel_now(const OrderRequest& r);
    void fire_timers_until(UnixNanos t);
    void sample_equity(UnixNanos t);
    int symbol_of(const InstrumentId& id, const DataSource& source) const;
    int symbol_of(Cursor& c, const InstrumentId& id);
    std::int64_t now_ms() const;

    BacktestVenueConfig config_;
    std::unique_ptr<sim::Exchange> exchange_;
    std::vector<Instrument> instruments_;
    std::map<InstrumentId, std::size_t> instrument_index_;
    std::vector<Cursor> cursors_;
    std::priority_queue<Action, std::vector<Action>, std::greater<>> timeline_;
    std::uint64_t seq_ = 0;
    Slots<MarketItem> items_;        // items whose path or delivery is still ahead
    Slots<OrderRequest> requests_;   // orders and cancels on their way (order_latency)
    std::map<StreamKey, std::uint64_t> subscribed_;  // stream -> messages delivered
    std::vector<Counters> counters_;                 // per symbol: into subscribed_
    static constexpr UnixNanos kNoItem = std::numeric_limits<UnixNanos>::max();
    UnixNanos next_item_time_ = kNoItem;             // the earliest cursor's item (kNoItem: none)

    TradingEngine* engine_ = nullptr;
    TestClock* clock_ = nullptr;
    Node* node_ = nullptr;
    std::unique_ptr<EngineExecutionSink> sink_;
    bool data_stopped_ = false;  // stop_market_data(): orders still go through, at once
    BacktestReport report_;
    std::vector<EquitySample> equity_;
    std::vector<Decimal> marks_;  // per equity sample, every symbol's last price (symbol order)
    std::vector<Fill> fills_;
    std::vector<std::pair<std::string, int>> valued_by_;  // asset -> symbol priced in the valuation asset
};

}  // namespace te::replay
