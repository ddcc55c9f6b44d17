#pragma once
// Balances per asset, positions per instrument, realized PnL and fees, all in Decimal, updated
// from fills only (and overwritten by the venue's balance snapshots). Accounting rules and
// rounding: docs/oms.md.
//
// Single-threaded: driven by the engine's dispatcher thread, like the orders. Other threads
// (HTTP /status, Python) read a snapshot() taken on that thread, never the live object.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/instrument.hpp"
#include "core/money.hpp"
#include "core/orders.hpp"
#include "core/time.hpp"
#include "oms/types.hpp"

namespace te::oms {

// A position in one instrument. quantity is signed (long > 0, short < 0) and is what the
// account holds: a commission charged in the base asset reduces it. avg_entry_price is zero
// when flat; realized_pnl is in the instrument's quote asset and excludes fees; fees is what
// the fills cost in the quote asset (commissions in the quote asset, and those in the base
// asset valued at the fill price); other_fees holds commissions in any other asset (BNB).
struct Position {
    InstrumentId instrument_id;
    Asset base_asset;
    Asset quote_asset;
    Quantity quantity;
    Price avg_entry_price;
    Money realized_pnl;
    Money fees;
    std::vector<AssetAmount> other_fees;
    std::uint64_t fill_count = 0;
    UnixNanos ts_last = 0;  // ts_event of the last fill

    bool is_flat() const noexcept { return quantity.is_zero(); }
    // (mark - entry) * quantity, in the quote asset, rounded half-even to 9 places.
    Money unrealized_pnl(Price mark) const;
    // realized_pnl - fees (quote asset).
    Money net_pnl() const { return realized_pnl - fees; }
};

// Plain copies, sorted by asset / instrument id.
struct PortfolioSnapshot {
    std::vector<Balance> balances;
    std::vector<Position> positions;
    std::vector<AssetAmount> fees;
};

class Portfolio {
public:
    // Applies one fill of `instrument` (which must be the fill's). Duplicate for a trade id
    // already applied on that instrument; Refused (logged, nothing changed) for a mismatched
    // instrument, a non-positive quantity or price, an asset name too long, or an amount out
    // of Decimal range.
    ApplyResult apply_fill(const Fill& fill, const Instrument& instrument);

    // The venue's authoritative balance (reconciliation): replaces free and locked. Fills
    // applied later move it on from there.
    void set_balance(const Balance& balance);

    // Zero balance / flat position / zero amounts for what has never been seen.
    Balance balance(std::string_view asset) const;
    Position position(const InstrumentId& instrument) const;
    Money realized_pnl(const InstrumentId& instrument) const;
    Money unrealized_pnl(const InstrumentId& instrument, Price mark) const;
    Money fees(std::string_view asset) const;
    bool has_fill(const InstrumentId& instrument, std::int64_t trade_id) const;
    std::uint64_t fill_count() const noexcept { return fill_count_; }

    PortfolioSnapshot snapshot() const;

private:
    std::map<std::string, Balance, std::less<>> balances_;
    std::map<InstrumentId, Position> positions_;
    std::map<std::string, Money, std::less<>> fees_;
    // Trade ids are unique per instrument at the venue (te::Fill): the last kTradeIdsKept of
    // each instrument are kept to refuse duplicates (a venue repeats a fill within minutes,
    // after a reconnect), so memory stays bounded in long runs.
    static constexpr std::size_t kTradeIdsKept = 100'000;
    struct TradeIds {
        std::unordered_set<std::int64_t> set;
        std::deque<std::int64_t> order;  // oldest first
    };
    std::unordered_map<InstrumentId, TradeIds> trade_ids_;
    std::uint64_t fill_count_ = 0;
};

}  // namespace te::oms
