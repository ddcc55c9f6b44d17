#pragma once
// Keeps every kline stream gap-free and duplicate-free across disconnects (sans-I/O).
//
// Closed klines of one stream are released strictly in open-time order, each exactly once.
// When a closed kline arrives whose open time is past the next expected one — or after a
// reconnect — the sequencer asks for a REST backfill (GET /api/v3/klines) of the missing range
// and holds live closed klines until the backfill has been released before them. In-progress
// updates pass straight through, except while their stream is backfilling (they would arrive
// ahead of older closed klines; the next update supersedes them anyway).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/market.hpp"

namespace te::binance {

struct BackfillRequest {
    InstrumentId instrument_id;
    Interval interval = Interval::M1;
    std::int64_t start_ms = 0;               // open time of the first missing kline
    std::optional<std::int64_t> end_ms;      // open time of the last missing kline; none: up to now
    int limit = 1000;                        // Binance's maximum rows per request
};

struct SequencerOutput {
    std::vector<Candle> candles;             // to publish, in this order
    std::vector<BackfillRequest> backfills;  // to fetch; answer with on_backfill()
};

struct SequencerStats {
    std::uint64_t released = 0;
    std::uint64_t backfilled = 0;
    std::uint64_t duplicates_dropped = 0;
    std::uint64_t updates_dropped = 0;  // in-progress updates dropped while backfilling
    std::uint64_t backfill_requests = 0;
    std::uint64_t holes_accepted = 0;   // klines given up on after a failed backfill
    std::uint64_t fruitless_backfills = 0;  // bounded backfills that filled nothing (REST lagging)
};

class KlineSequencer {
public:
    // Bounded backfills in a row that may come back empty (the venue's REST lagging behind its
    // stream) before the hole is accepted, so a broken REST view cannot loop forever.
    static constexpr int kMaxFruitlessBackfills = 3;

    // A live kline (in progress or closed) from the stream.
    void on_live(const Candle& candle, SequencerOutput& out);
    // The connection came back: every stream that has released a kline backfills from there.
    void on_reconnect(SequencerOutput& out);
    // Rows answering `request` (Binance order: ascending open time). A row is closed when the
    // venue has shown a later kline (a live kline of this stream opened after it, or a held
    // closed kline after a bounded range) or, failing that, when its close time is before
    // `now_ms`. The venue's own klines come first: an accelerated or skewed venue clock must
    // not make closed rows look open.
    void on_backfill(const BackfillRequest& request, const std::vector<Candle>& rows, std::int64_t now_ms,
                     SequencerOutput& out);
    // The backfill failed for good: release what is held and accept the hole (counted).
    void on_backfill_failed(const BackfillRequest& request, SequencerOutput& out);

    // The stream was unsubscribed: drop what is known and held of it (a later subscription
    // starts afresh, with no backfill of the time it was not wanted).
    void forget(const InstrumentId& id, Interval interval) { streams_.erase({id, interval}); }
    std::optional<std::int64_t> last_closed_open_ms(const InstrumentId& id, Interval interval) const;
    const SequencerStats& stats() const noexcept { return stats_; }

private:
    struct Stream {
        std::optional<std::int64_t> last_open_ms;  // last released closed kline
        std::optional<std::int64_t> live_open_ms;  // newest live kline seen (in progress or closed)
        bool backfilling = false;
        int fruitless_backfills = 0;               // bounded backfills in a row that released nothing
        std::deque<Candle> held;                   // live closed klines waiting for the backfill
    };
    using Key = std::pair<InstrumentId, Interval>;

    void request_backfill(const Key& key, Stream& s, std::int64_t start_ms, std::optional<std::int64_t> end_ms,
                          SequencerOutput& out);
    void release(Stream& s, const Candle& c, SequencerOutput& out);
    void release_held(const Key& key, Stream& s, SequencerOutput& out);
    void give_up(Stream& s, SequencerOutput& out);

    std::map<Key, Stream> streams_;
    SequencerStats stats_;
};

}  // namespace te::binance
