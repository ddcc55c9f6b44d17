#include <gtest/gtest.h>

#include <random>

#include "venues/binance/kline_sequencer.hpp"

using namespace te;
using te::binance::BackfillRequest;
using te::binance::KlineSequencer;
using te::binance::SequencerOutput;

namespace {

constexpr std::int64_t kMinute = 60'000;
const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BINANCE");

Candle kline(std::int64_t index, bool closed = true) {
    Candle c;
    c.instrument_id = kBtc;
    c.interval = Interval::M1;
    c.open_time = index * kMinute * kNanosPerMilli;
    c.close_time = ((index + 1) * kMinute - 1) * kNanosPerMilli;
    c.open = c.high = c.low = c.close = Price::from_int(100 + index);
    c.closed = closed;
    return c;
}

std::vector<std::int64_t> indices(const std::vector<Candle>& candles) {
    std::vector<std::int64_t> out;
    for (const auto& c : candles) out.push_back(c.open_time / kNanosPerMilli / kMinute);
    return out;
}

// What GET /api/v3/klines returns when the venue's current kline is `now_index`.
std::vector<Candle> rest(const BackfillRequest& r, std::int64_t now_index) {
    std::vector<Candle> rows;
    for (std::int64_t i = r.start_ms / kMinute; i <= now_index && static_cast<int>(rows.size()) < r.limit; ++i) {
        if (r.end_ms && i * kMinute > *r.end_ms) break;
        rows.push_back(kline(i, false));  // REST rows carry no closed flag
    }
    return rows;
}

std::int64_t now_ms(std::int64_t now_index) { return now_index * kMinute + 1; }

}  // namespace

TEST(KlineSequencer, InOrderKlinesPassAndDuplicatesAreDropped) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(1), out);
    seq.on_live(kline(2, false), out);
    seq.on_live(kline(2), out);
    seq.on_live(kline(2), out);
    seq.on_live(kline(1), out);
    EXPECT_EQ(indices(out.candles), (std::vector<std::int64_t>{1, 2, 2}));
    EXPECT_FALSE(out.candles[1].closed);
    EXPECT_TRUE(out.backfills.empty());
    EXPECT_EQ(seq.stats().duplicates_dropped, 2u);
}

TEST(KlineSequencer, AGapIsBackfilledBeforeTheHeldLiveKline) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(1), out);
    seq.on_live(kline(5), out);
    ASSERT_EQ(out.backfills.size(), 1u);
    const auto req = out.backfills[0];
    EXPECT_EQ(req.start_ms, 2 * kMinute);
    EXPECT_EQ(req.end_ms, 5 * kMinute - 1);
    seq.on_live(kline(6, false), out);  // in-progress update while backfilling: dropped
    seq.on_live(kline(6), out);         // held behind 5
    SequencerOutput filled;
    seq.on_backfill(req, rest(req, 7), now_ms(7), filled);
    EXPECT_EQ(indices(filled.candles), (std::vector<std::int64_t>{2, 3, 4, 5, 6}));
    for (const auto& c : filled.candles) EXPECT_TRUE(c.closed);
    EXPECT_EQ(seq.stats().updates_dropped, 1u);
    EXPECT_EQ(seq.stats().backfilled, 3u);
}

TEST(KlineSequencer, AfterAReconnectMissedKlinesComeFirstAndTheOpenOneIsNotReleasedEarly) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(10), out);
    seq.on_reconnect(out);
    ASSERT_EQ(out.backfills.size(), 1u);
    EXPECT_EQ(out.backfills[0].start_ms, 11 * kMinute);
    EXPECT_FALSE(out.backfills[0].end_ms);
    seq.on_live(kline(14), out);  // live again while the REST call is in flight
    SequencerOutput filled;
    seq.on_backfill(out.backfills[0], rest(out.backfills[0], 15), now_ms(15), filled);
    // 11..13 from REST, 14 from the live stream (REST's copy is dropped), 15 is still open.
    EXPECT_EQ(indices(filled.candles), (std::vector<std::int64_t>{11, 12, 13, 14}));
    SequencerOutput later;
    seq.on_live(kline(15), later);
    EXPECT_EQ(indices(later.candles), (std::vector<std::int64_t>{15}));
}

TEST(KlineSequencer, LongGapsArePagedAtTheRestLimit) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(0), out);
    seq.on_live(kline(2500), out);
    std::vector<Candle> released;
    int requests = 0;
    while (!out.backfills.empty()) {
        const auto req = out.backfills.front();
        out.backfills.erase(out.backfills.begin());
        ++requests;
        SequencerOutput step;
        seq.on_backfill(req, rest(req, 3000), now_ms(3000), step);
        released.insert(released.end(), step.candles.begin(), step.candles.end());
        out.backfills.insert(out.backfills.end(), step.backfills.begin(), step.backfills.end());
    }
    EXPECT_EQ(requests, 3);
    ASSERT_EQ(released.size(), 2500u);
    for (std::size_t i = 0; i < released.size(); ++i) EXPECT_EQ(indices({released[i]})[0], static_cast<std::int64_t>(i + 1));
}

TEST(KlineSequencer, AFailedBackfillReleasesHeldKlinesAndCountsTheHole) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(1), out);
    seq.on_live(kline(4), out);
    SequencerOutput after;
    seq.on_backfill_failed(out.backfills[0], after);
    EXPECT_EQ(indices(after.candles), (std::vector<std::int64_t>{4}));
    EXPECT_EQ(seq.stats().holes_accepted, 1u);
    seq.on_live(kline(5), after);
    EXPECT_EQ(indices(after.candles), (std::vector<std::int64_t>{4, 5}));
}

TEST(KlineSequencer, AVenueClockAheadOfOursDoesNotHideClosedRows) {
    // An accelerated (or skewed) venue: its klines close long before our clock says so. The
    // venue's own later klines prove the rows closed; only the venue's open kline is held back.
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(10), out);
    seq.on_reconnect(out);
    seq.on_live(kline(14, false), out);  // the venue's current kline, in progress
    SequencerOutput filled;
    seq.on_backfill(out.backfills[0], rest(out.backfills[0], 14), /*now_ms=*/0, filled);
    EXPECT_EQ(indices(filled.candles), (std::vector<std::int64_t>{11, 12, 13}));
    SequencerOutput gap;
    seq.on_live(kline(14), gap);
    seq.on_live(kline(16), gap);  // 15 was missed: a bounded backfill, every row closed
    ASSERT_EQ(gap.backfills.size(), 1u);
    SequencerOutput refilled;
    seq.on_backfill(gap.backfills[0], rest(gap.backfills[0], 16), /*now_ms=*/0, refilled);
    EXPECT_EQ(indices(refilled.candles), (std::vector<std::int64_t>{15, 16}));
}

TEST(KlineSequencer, ARestViewThatNeverCatchesUpEndsInAnAcceptedHoleNotALoop) {
    KlineSequencer seq;
    SequencerOutput out;
    seq.on_live(kline(1), out);
    seq.on_live(kline(4), out);
    std::vector<Candle> released;
    int requests = 0;
    while (!out.backfills.empty() && requests < 100) {
        const auto req = out.backfills.front();
        out.backfills.erase(out.backfills.begin());
        ++requests;
        SequencerOutput step;
        seq.on_backfill(req, {}, now_ms(10), step);  // REST has nothing yet, every time
        released.insert(released.end(), step.candles.begin(), step.candles.end());
        out.backfills.insert(out.backfills.end(), step.backfills.begin(), step.backfills.end());
    }
    EXPECT_EQ(requests, KlineSequencer::kMaxFruitlessBackfills);
    EXPECT_EQ(indices(released), (std::vector<std::int64_t>{4}));
    EXPECT_EQ(seq.stats().holes_accepted, 1u);
    EXPECT_EQ(seq.stats().fruitless_backfills, static_cast<std::uint64_t>(KlineSequencer::kMaxFruitlessBackfills));
}

TEST(KlineSequencer, FiftyRandomDisconnectsGiveExactlyTheVenueSequence) {
    std::mt19937 rng(2026);
    KlineSequencer seq;
    std::vector<Candle> released;
    std::vector<BackfillRequest> pending;
    auto take = [&](SequencerOutput& out) {
        released.insert(released.end(), out.candles.begin(), out.candles.end());
        pending.insert(pending.end(), out.backfills.begin(), out.backfills.end());
    };
    std::int64_t now = 0;
    for (int disconnect = 0; disconnect < 50; ++disconnect) {
        // Connected: a run of live klines, with in-progress updates and the odd duplicate.
        const int run = std::uniform_int_distribution<>(1, 30)(rng);
        for (int i = 0; i < run; ++i, ++now) {
            SequencerOutput out;
            seq.on_live(kline(now, false), out);
            seq.on_live(kline(now), out);
            if (rng() % 7 == 0) seq.on_live(kline(now), out);
            take(out);
            // Answer outstanding backfills at random moments, with the venue's view at `now`.
            while (!pending.empty() && rng() % 2 == 0) {
                const auto req = pending.front();
                pending.erase(pending.begin());
                SequencerOutput filled;
                seq.on_backfill(req, rest(req, now + 1), now_ms(now + 1), filled);
                take(filled);
            }
        }
        // Disconnected: some klines close unseen.
        now += std::uniform_int_distribution<>(0, 40)(rng);
        SequencerOutput out;
        seq.on_reconnect(out);
        take(out);
    }
    for (int i = 0; i < 5; ++i, ++now) {
        SequencerOutput out;
        seq.on_live(kline(now), out);
        take(out);
    }
    while (!pending.empty()) {
        const auto req = pending.front();
        pending.erase(pending.begin());
        SequencerOutput filled;
        seq.on_backfill(req, rest(req, now), now_ms(now), filled);
        take(filled);
    }
    std::vector<std::int64_t> closed;
    for (const auto& c : released)
        if (c.closed) closed.push_back(indices({c})[0]);
    ASSERT_EQ(closed.size(), static_cast<std::size_t>(now));
    for (std::int64_t i = 0; i < now; ++i) ASSERT_EQ(closed[static_cast<std::size_t>(i)], i) << "at " << i;
    EXPECT_EQ(seq.stats().holes_accepted, 0u);
}
