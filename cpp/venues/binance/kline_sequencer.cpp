#include "venues/binance/kline_sequencer.hpp"

#include <algorithm>

#include "core/logging.hpp"

namespace te::binance {
namespace {

constexpr std::int64_t ms(UnixNanos t) { return t / kNanosPerMilli; }

}  // namespace

void KlineSequencer::release(Stream& s, const Candle& c, SequencerOutput& out) {
    out.candles.push_back(c);
    s.last_open_ms = ms(c.open_time);
    stats_.released++;
}

void KlineSequencer::request_backfill(const Key& key, Stream& s, std::int64_t start_ms,
                                      std::optional<std::int64_t> end_ms, SequencerOutput& out) {
    s.backfilling = true;
    out.backfills.push_back({key.first, key.second, start_ms, end_ms, 1000});
    stats_.backfill_requests++;
}

void KlineSequencer::on_live(const Candle& candle, SequencerOutput& out) {
    const Key key{candle.instrument_id, candle.interval};
    Stream& s = streams_[key];
    const std::int64_t live_open = ms(candle.open_time);
    if (!s.live_open_ms || live_open > *s.live_open_ms) s.live_open_ms = live_open;
    if (!candle.closed) {
        if (s.backfilling) {
            stats_.updates_dropped++;
            return;
        }
        out.candles.push_back(candle);
        return;
    }
    const std::int64_t open = ms(candle.open_time);
    if (s.last_open_ms && open <= *s.last_open_ms) {
        stats_.duplicates_dropped++;
        return;
    }
    if (s.backfilling) {
        const bool already_held = std::any_of(s.held.begin(), s.held.end(),
                                              [&](const Candle& h) { return ms(h.open_time) == open; });
        if (already_held)
            stats_.duplicates_dropped++;
        else
            s.held.push_back(candle);
        return;
    }
    const std::int64_t expected = s.last_open_ms ? next_open_time_ms(candle.interval, *s.last_open_ms) : open;
    if (open == expected) {
        release(s, candle, out);
        return;
    }
    // A hole between the last released kline and this one: fetch it, hold this one.
    s.held.push_back(candle);
    request_backfill(key, s, expected, open - 1, out);
}

void KlineSequencer::on_reconnect(SequencerOutput& out) {
    for (auto& [key, s] : streams_) {
        if (!s.last_open_ms || s.backfilling) continue;
        request_backfill(key, s, next_open_time_ms(key.second, *s.last_open_ms), std::nullopt, out);
    }
}

void KlineSequencer::on_backfill(const BackfillRequest& request, const std::vector<Candle>& rows, std::int64_t now_ms,
                                 SequencerOutput& out) {
    const Key key{request.instrument_id, request.interval};
    const auto found = streams_.find(key);
    if (found == streams_.end()) return;  // unsubscribed meanwhile (forget())
    Stream& s = found->second;
    std::int64_t last_row_open = request.start_ms - 1;
    const auto released_before = stats_.released;
    for (const Candle& row : rows) {
        const std::int64_t open = ms(row.open_time);
        last_row_open = std::max(last_row_open, open);
        if (open < request.start_ms || (request.end_ms && open > *request.end_ms)) continue;
        const bool later_seen = (s.live_open_ms && open < *s.live_open_ms) || request.end_ms.has_value();
        if (!later_seen && ms(row.close_time) >= now_ms) continue;  // still in progress at the venue
        if (s.last_open_ms && open <= *s.last_open_ms) {
            stats_.duplicates_dropped++;
            continue;
        }
        if (!s.held.empty() && open >= ms(s.held.front().open_time)) break;  // live copies take over
        Candle closed = row;
        closed.closed = true;
        release(s, closed, out);
        stats_.backfilled++;
    }
    // A full page that did not reach the end of the range: fetch the next page first.
    const bool more = static_cast<int>(rows.size()) >= request.limit &&
                      (!request.end_ms || last_row_open < *request.end_ms) &&
                      (s.held.empty() || last_row_open < ms(s.held.front().open_time));
    if (more) {
        s.backfilling = false;
        request_backfill(key, s, next_open_time_ms(key.second, last_row_open), request.end_ms, out);
        return;
    }
    s.backfilling = false;
    if (request.end_ms && !s.held.empty() && stats_.released == released_before) {
        stats_.fruitless_backfills++;
        if (++s.fruitless_backfills >= kMaxFruitlessBackfills) {
            give_up(s, out);
            return;
        }
    } else {
        s.fruitless_backfills = 0;
    }
    release_held(key, s, out);
}

void KlineSequencer::release_held(const Key& key, Stream& s, SequencerOutput& out) {
    while (!s.held.empty()) {
        const Candle c = s.held.front();
        const std::int64_t open = ms(c.open_time);
        if (s.last_open_ms && open <= *s.last_open_ms) {
            s.held.pop_front();
            stats_.duplicates_dropped++;
            continue;
        }
        const std::int64_t expected = s.last_open_ms ? next_open_time_ms(key.second, *s.last_open_ms) : open;
        if (open != expected) {
            // The venue's REST view lagged: ask again for what is still missing.
            request_backfill(key, s, expected, open - 1, out);
            return;
        }
        s.held.pop_front();
        release(s, c, out);
    }
}

void KlineSequencer::on_backfill_failed(const BackfillRequest& request, SequencerOutput& out) {
    const Key key{request.instrument_id, request.interval};
    const auto found = streams_.find(key);
    if (found == streams_.end()) return;  // unsubscribed meanwhile (forget())
    Stream& s = found->second;
    s.backfilling = false;
    log::error("binance", "kline backfill failed; accepting a hole",
               {{"instrument", request.instrument_id.to_string()}, {"interval", std::string(to_string(request.interval))},
                {"start_ms", request.start_ms}});
    give_up(s, out);
}

void KlineSequencer::give_up(Stream& s, SequencerOutput& out) {
    s.backfilling = false;
    s.fruitless_backfills = 0;
    if (!s.held.empty()) {
        stats_.holes_accepted++;
        // Skip ahead: the first held kline becomes the new reference.
        s.last_open_ms.reset();
    }
    while (!s.held.empty()) {
        const Candle c = s.held.front();
        s.held.pop_front();
        if (s.last_open_ms && ms(c.open_time) <= *s.last_open_ms) continue;
        release(s, c, out);
    }
}

std::optional<std::int64_t> KlineSequencer::last_closed_open_ms(const InstrumentId& id, Interval interval) const {
    const auto it = streams_.find({id, interval});
    return it == streams_.end() ? std::nullopt : it->second.last_open_ms;
}

}  // namespace te::binance
