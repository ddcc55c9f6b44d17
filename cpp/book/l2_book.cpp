#include "book/l2_book.hpp"

#include <algorithm>
#include <stdexcept>

namespace te::book {

namespace {

void check(Side side, Decimal price, Decimal qty) {
    const char* s = side == Side::Buy ? "bid" : "ask";
    if (price.sign() <= 0)
        throw std::invalid_argument(std::string("order book ") + s + " level " + price.to_string() +
                                    ": expected a positive price");
    if (qty.sign() < 0)
        throw std::invalid_argument(std::string("order book ") + s + " level " + price.to_string() + " quantity " +
                                    qty.to_string() + ": expected a quantity >= 0");
}

}  // namespace

void L2Book::clear() noexcept {
    bids_.clear();
    asks_.clear();
    update_id_ = 0;
}

void L2Book::reset(std::int64_t update_id, const std::vector<Level>& bids, const std::vector<Level>& asks) {
    for (const auto& l : bids) check(Side::Buy, l.price, l.qty);
    for (const auto& l : asks) check(Side::Sell, l.price, l.qty);
    bids_.clear();
    asks_.clear();
    for (const auto& l : bids)
        if (l.qty.sign() > 0) bids_.push_back(l);
    for (const auto& l : asks)
        if (l.qty.sign() > 0) asks_.push_back(l);
    auto by_price = [](const Level& a, const Level& b) { return a.price < b.price; };
    std::sort(bids_.begin(), bids_.end(), by_price);
    std::sort(asks_.begin(), asks_.end(), [](const Level& a, const Level& b) { return a.price > b.price; });
    // Duplicate prices in a snapshot: the last one wins.
    auto dedupe = [](std::vector<Level>& v) {
        v.erase(std::unique(v.begin(), v.end(), [](const Level& a, const Level& b) { return a.price == b.price; }), v.end());
    };
    dedupe(bids_);
    dedupe(asks_);
    update_id_ = update_id;
}

void L2Book::set(Side side, Decimal price, Decimal qty) {
    check(side, price, qty);
    auto& v = side == Side::Buy ? bids_ : asks_;
    // Search from the top (the back): most updates are near the best price.
    std::vector<Level>::iterator it;
    if (side == Side::Buy)
        it = std::lower_bound(v.begin(), v.end(), price, [](const Level& l, Decimal p) { return l.price < p; });
    else
        it = std::lower_bound(v.begin(), v.end(), price, [](const Level& l, Decimal p) { return l.price > p; });
    const bool found = it != v.end() && it->price == price;
    if (qty.is_zero()) {
        if (found) v.erase(it);
    } else if (found) {
        it->qty = qty;
    } else {
        v.insert(it, Level{price, qty});
    }
}

std::vector<Level> L2Book::levels(Side side, std::size_t n) const {
    const auto& v = side == Side::Buy ? bids_ : asks_;
    const std::size_t count = n == 0 ? v.size() : std::min(n, v.size());
    return std::vector<Level>(v.rbegin(), v.rbegin() + static_cast<std::ptrdiff_t>(count));
}

bool L2Book::consistent() const noexcept {
    return bids_.empty() || asks_.empty() || bids_.back().price < asks_.back().price;
}

// ---- sync -----------------------------------------------------------------------------------

void BookSync::reset() {
    book_.clear();
    buffer_.clear();
    synced_ = false;
    requested_ = false;
}

void BookSync::apply(const DepthDiff& d) {
    for (const auto& l : d.bids) book_.set(Side::Buy, l.price, l.qty);
    for (const auto& l : d.asks) book_.set(Side::Sell, l.price, l.qty);
    book_.set_update_id(d.last_update_id);
    ++stats_.applied;
}

BookSync::Result BookSync::on_diff(DepthDiff diff) {
    if (diff.last_update_id < diff.first_update_id)
        throw std::invalid_argument("depth diff U=" + std::to_string(diff.first_update_id) + " u=" +
                                    std::to_string(diff.last_update_id) + ": expected U <= u");
    if (synced_) {
        if (diff.last_update_id <= book_.update_id()) {
            ++stats_.stale_dropped;
            return Result::Stale;
        }
        if (diff.first_update_id > book_.update_id() + 1) {
            // A gap: the book can no longer be trusted. Start over from a new snapshot.
            ++stats_.gaps;
            ++stats_.resyncs;
            synced_ = false;
            buffer_.clear();
            buffer_.push_back(std::move(diff));
            requested_ = true;
            return Result::NeedSnapshot;
        }
        apply(diff);
        return Result::Applied;
    }
    if (buffer_.size() >= max_buffered_) {
        buffer_.pop_front();
        ++stats_.buffer_overflows;
    }
    buffer_.push_back(std::move(diff));
    if (!requested_) {
        requested_ = true;
        if (ever_synced_) ++stats_.resyncs;
        return Result::NeedSnapshot;
    }
    return Result::Buffered;
}

BookSync::Result BookSync::on_snapshot(const DepthSnapshot& s) {
    // Drop what the snapshot already covers.
    while (!buffer_.empty() && buffer_.front().last_update_id <= s.last_update_id) {
        buffer_.pop_front();
        ++stats_.stale_dropped;
    }
    if (!buffer_.empty() && buffer_.front().first_update_id > s.last_update_id + 1) {
        // Older than the first buffered diff: the updates in between are missing.
        ++stats_.snapshots_too_old;
        requested_ = true;
        return Result::NeedSnapshot;
    }
    book_.reset(s.last_update_id, s.bids, s.asks);
    ++stats_.snapshots;
    synced_ = true;
    ever_synced_ = true;
    requested_ = false;
    std::deque<DepthDiff> pending;
    pending.swap(buffer_);
    Result out = Result::Applied;
    for (auto& d : pending) {
        const Result r = on_diff(std::move(d));
        if (r == Result::NeedSnapshot) out = r;  // a gap inside the buffer
    }
    return out;
}

std::string_view to_string(BookSync::Result r) noexcept {
    switch (r) {
        case BookSync::Result::Applied: return "applied";
        case BookSync::Result::Buffered: return "buffered";
        case BookSync::Result::Stale: return "stale";
        case BookSync::Result::NeedSnapshot: return "need_snapshot";
    }
    return "?";
}

}  // namespace te::book
