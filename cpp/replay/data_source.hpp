#pragma once
// Where a backtest's market data comes from: one time-ordered stream of candles, trades,
// quotes or books per source (a kline CSV, an aggTrades CSV, a DataFrame's rows). The backtest venue
// merges its sources in time order; each source only has to be in order itself.
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/market.hpp"

namespace te::replay {

// A book from the data (a depth snapshot: levels best first, each side at least one): the
// matching engine's book becomes it (takers walk its levels); strategies get its best bid and
// ask as a Quote.
struct BookDepth {
    InstrumentId instrument_id;
    UnixNanos ts_event = 0;
    std::vector<std::pair<Price, Quantity>> bids, asks;
};

using MarketItem = std::variant<Candle, Trade, Quote, BookDepth>;

// When an item starts to matter to the matching engine: a candle's open (its intrabar path
// starts there), a trade's or quote's own time.
inline UnixNanos start_time(const MarketItem& item) noexcept {
    if (const auto* c = std::get_if<Candle>(&item)) return c->open_time;
    if (const auto* t = std::get_if<Trade>(&item)) return t->ts_event;
    if (const auto* q = std::get_if<Quote>(&item)) return q->ts_event;
    return std::get<BookDepth>(item).ts_event;
}

const InstrumentId& instrument_of(const MarketItem& item) noexcept;

// A gap in a source: bars missing between two consecutive rows (reported and counted, not an error).
struct DataGap {
    std::string file;  // the source ("" for in-memory data)
    std::size_t line = 0;  // the row after the gap (1-based)
    UnixNanos after_open = 0;  // open time of the bar before the gap
    UnixNanos next_open = 0;   // open time of the bar after it
    std::int64_t missing_bars = 0;
};

class DataSource {
public:
    virtual ~DataSource() = default;
    // The next item in time order; false at the end. DataError (naming the source and the row)
    // for bad data.
    virtual bool next(MarketItem& out) = 0;
    // The source in messages: a file path, or "DataFrame BTCUSDT 1m".
    virtual std::string describe() const = 0;
    virtual std::vector<DataGap> gaps() const { return {}; }
};

// Items already in memory (rows of a DataFrame). The constructor checks the order: times must
// not decrease (candles: open times must increase), else DataError naming the row; gaps
// between candles are recorded.
class VectorSource final : public DataSource {
public:
    VectorSource(std::string description, std::vector<MarketItem> items);
    bool next(MarketItem& out) override;
    std::string describe() const override { return description_; }
    std::vector<DataGap> gaps() const override { return gaps_; }
    std::size_t size() const noexcept { return items_.size(); }

private:
    std::string description_;
    std::vector<MarketItem> items_;
    std::size_t next_ = 0;
    std::vector<DataGap> gaps_;
};

}  // namespace te::replay
