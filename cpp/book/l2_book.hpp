#pragma once
// An L2 order book (price -> aggregate quantity per side) kept in sync with a venue from a
// depth snapshot plus diff events, by the documented procedure (Binance "How to manage a
// local order book correctly"): buffer the diffs, take a snapshot, drop the diffs it already
// covers, check that the first one bridges it, apply, and on any gap start over. Sans-I/O:
// the caller feeds snapshots and diffs and fetches a snapshot when asked to.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/enums.hpp"

namespace te::book {

struct Level {
    Decimal price;
    Decimal qty;
    bool operator==(const Level&) const = default;
};

// Price levels of both sides. Each side is a vector sorted so that the best price is at the
// back: updates concentrate near the top, where inserting and erasing is cheapest.
class L2Book {
public:
    void clear() noexcept;
    // Replaces both sides; levels with zero quantity are ignored. Throws std::invalid_argument
    // (naming the level) on a negative quantity or a non-positive price.
    void reset(std::int64_t update_id, const std::vector<Level>& bids, const std::vector<Level>& asks);
    // Sets one level (qty 0 removes it). Same checks as reset().
    void set(Side side, Decimal price, Decimal qty);

    std::int64_t update_id() const noexcept { return update_id_; }
    void set_update_id(std::int64_t id) noexcept { update_id_ = id; }
    bool empty() const noexcept { return bids_.empty() && asks_.empty(); }
    std::size_t depth(Side side) const noexcept { return side == Side::Buy ? bids_.size() : asks_.size(); }
    // Best first; at most n (0: all).
    std::vector<Level> levels(Side side, std::size_t n = 0) const;
    const Level* best_bid() const noexcept { return bids_.empty() ? nullptr : &bids_.back(); }
    const Level* best_ask() const noexcept { return asks_.empty() ? nullptr : &asks_.back(); }
    // True when the best bid is below the best ask (or a side is empty).
    bool consistent() const noexcept;

private:
    std::vector<Level> bids_;  // ascending price: best (highest) last
    std::vector<Level> asks_;  // descending price: best (lowest) last
    std::int64_t update_id_ = 0;
};

struct DepthSnapshot {
    std::int64_t last_update_id = 0;
    std::vector<Level> bids, asks;
};

struct DepthDiff {
    std::int64_t first_update_id = 0;  // U
    std::int64_t last_update_id = 0;   // u
    std::int64_t event_time = 0;       // E (ms)
    std::vector<Level> bids, asks;     // qty 0 = remove
};

struct BookSyncStats {
    std::uint64_t applied = 0;         // diffs applied to the book
    std::uint64_t stale_dropped = 0;   // diffs already covered (duplicates, out of order, older than the snapshot)
    std::uint64_t gaps = 0;            // a diff did not continue the previous one
    std::uint64_t resyncs = 0;         // snapshots requested after the first one
    std::uint64_t snapshots = 0;       // snapshots applied
    std::uint64_t snapshots_too_old = 0;  // snapshots older than the buffered diffs (fetched again)
    std::uint64_t buffer_overflows = 0;   // buffered diffs dropped while waiting for a snapshot
};

class BookSync {
public:
    enum class Result : std::uint8_t {
        Applied,       // the book moved
        Buffered,      // waiting for a snapshot
        Stale,         // ignored: already covered
        NeedSnapshot,  // fetch a snapshot and pass it to on_snapshot()
    };
    explicit BookSync(std::size_t max_buffered = 10'000) : max_buffered_(max_buffered) {}

    Result on_diff(DepthDiff diff);
    Result on_snapshot(const DepthSnapshot& snapshot);
    // Forget the book (e.g. after a reconnect): the next diff asks for a snapshot.
    void reset();

    bool synced() const noexcept { return synced_; }
    // True from the first diff (or a gap) until a usable snapshot arrived.
    bool wants_snapshot() const noexcept { return !synced_ && !buffer_.empty(); }
    const L2Book& book() const noexcept { return book_; }
    const BookSyncStats& stats() const noexcept { return stats_; }

private:
    void apply(const DepthDiff& d);
    L2Book book_;
    std::deque<DepthDiff> buffer_;
    std::size_t max_buffered_;
    bool synced_ = false;
    bool ever_synced_ = false;
    bool requested_ = false;
    BookSyncStats stats_;
};

std::string_view to_string(BookSync::Result r) noexcept;

}  // namespace te::book
