#include "oms/portfolio.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "core/logging.hpp"
#include "core/wide.hpp"

namespace te::oms {

namespace {

constexpr std::string_view kComponent = "oms";

Quantity as_quantity(Money m) { return Quantity(m.value()); }

// (q1 * p1 + q2 * p2) / (q1 + q2) from the exact 256-bit products, rounded once half-even.
// The result lies between p1 and p2, so it fits.
Price weighted_average(Quantity q1, Price p1, Quantity q2, Price p2) {
    const Int256 sum = wide_product(q1.value(), p1.value()) + wide_product(q2.value(), p2.value());
    const Quantity total = q1 + q2;
    const auto avg = narrow(round_div(sum, to_wide(total.raw()), Rounding::HalfEven));
    if (!avg)
        throw std::overflow_error(fmt::format("position cost out of range: {} at {} plus {} at {}", q1.to_string(),
                                              p1.to_string(), q2.to_string(), p2.to_string()));
    return Price::from_raw(*avg);
}

// Moves a position by one fill: increases average the entry price, reductions realize PnL
// at the entry price, and a flip through zero opens the remainder at the fill price.
void move_position(Position& pos, Side side, Quantity qty, Price price) {
    const Quantity delta = side == Side::Buy ? qty : -qty;
    const Quantity before = pos.quantity;
    if (before.is_zero() || before.sign() == delta.sign()) {
        pos.avg_entry_price = weighted_average(before.abs(), pos.avg_entry_price, qty, price);
        pos.quantity = before + delta;
        return;
    }
    const Quantity closed = std::min(before.abs(), qty);
    const Decimal per_unit = before.sign() > 0 ? (price - pos.avg_entry_price).value()
                                               : (pos.avg_entry_price - price).value();
    pos.realized_pnl += Money(per_unit * closed.value());  // half-even
    pos.quantity = before + delta;
    if (pos.quantity.is_zero()) pos.avg_entry_price = Price{};
    else if (pos.quantity.sign() != before.sign()) pos.avg_entry_price = price;
}

// How much of the base asset the fill moves in the account: a commission charged in the base
// asset leaves less of it (a BUY of 0.01 BTC charged 0.00001 BTC holds 0.00999; a SELL
// charged in BTC gives up the commission too), so the position is what the account holds.
Quantity position_change(const Position& pos, const Fill& fill) {
    const bool in_base = !fill.commission.is_zero() && fill.commission_asset.view() == pos.base_asset.view();
    if (!in_base) return fill.quantity;
    return fill.side == Side::Buy ? fill.quantity - as_quantity(fill.commission)
                                  : fill.quantity + as_quantity(fill.commission);
}

// Fees are valued in the quote asset where the fill's price allows it (base or quote asset);
// a commission in any other asset (BNB) is kept in that asset.
void count_fee(Position& pos, const Fill& fill) {
    const auto asset = fill.commission_asset.view();
    if (asset == pos.base_asset.view()) {
        pos.fees += fill.price * as_quantity(fill.commission);
    } else if (asset == pos.quote_asset.view()) {
        pos.fees += fill.commission;
    } else {
        for (auto& f : pos.other_fees)
            if (f.asset.view() == asset) {
                f.amount += fill.commission;
                return;
            }
        pos.other_fees.push_back(AssetAmount{fill.commission_asset, fill.commission});
    }
}

ApplyResult refused(const Fill& fill, std::string reason) {
    log::warn(kComponent, "portfolio fill refused",
              {{"instrument", fill.instrument_id.view()}, {"trade_id", fill.trade_id}, {"reason", reason}});
    return {ApplyStatus::Refused, std::move(reason)};
}

}  // namespace

Money Position::unrealized_pnl(Price mark) const {
    if (quantity.is_zero()) return Money{};
    return Money((mark - avg_entry_price).value() * quantity.value());
}

ApplyResult Portfolio::apply_fill(const Fill& fill, const Instrument& instrument) {
    if (!(fill.instrument_id == instrument.id()))
        return refused(fill, fmt::format("fill of {} applied with instrument {}", fill.instrument_id.view(),
                                         instrument.id().view()));
    if (fill.quantity.sign() <= 0 || fill.price.sign() <= 0)
        return refused(fill, fmt::format("fill of {} at {}: quantity and price must be positive",
                                         fill.quantity.to_string(), fill.price.to_string()));
    if (has_fill(fill.instrument_id, fill.trade_id)) {
        if (log::enabled(log::Level::Debug))
            log::debug(kComponent, "portfolio fill duplicate",
                       {{"instrument", fill.instrument_id.view()}, {"trade_id", fill.trade_id}});
        return {ApplyStatus::Duplicate, fmt::format("trade {} already applied", fill.trade_id)};
    }
    if (!fill.commission.is_zero() && fill.commission_asset.empty())
        return refused(fill, "commission without a commission asset");
    Asset base;
    Asset quote;
    if (!base.assign(instrument.base_asset()) || !quote.assign(instrument.quote_asset()))
        return refused(fill, "asset name longer than 16 characters");

    // Work on copies and commit only once every amount is known to be in range.
    std::map<std::string, Balance, std::less<>> touched;
    auto touch = [&](std::string_view asset) -> Balance& {
        auto it = touched.find(asset);
        if (it == touched.end()) it = touched.emplace(std::string(asset), balance(asset)).first;
        it->second.ts_event = fill.ts_event;
        return it->second;
    };
    Position pos = position(fill.instrument_id);
    pos.base_asset = base;  // before charge_fee, which compares the commission asset with them
    pos.quote_asset = quote;
    Money fee_total;
    try {
        const Quantity notional = as_quantity(fill.price * fill.quantity);  // half-even
        const bool buy = fill.side == Side::Buy;
        touch(base.view()).free += buy ? fill.quantity : -fill.quantity;
        touch(quote.view()).free += buy ? -notional : notional;
        const Quantity change = position_change(pos, fill);
        if (change.sign() <= 0) return refused(fill, "the commission in the base asset is not below the quantity bought");
        move_position(pos, fill.side, change, fill.price);
        if (!fill.commission.is_zero()) {
            touch(fill.commission_asset.view()).free -= as_quantity(fill.commission);
            fee_total = fees(fill.commission_asset.view()) + fill.commission;
            count_fee(pos, fill);
        }
    } catch (const std::overflow_error& e) {
        return refused(fill, e.what());
    }

    pos.ts_last = fill.ts_event;
    ++pos.fill_count;
    auto& ids = trade_ids_[fill.instrument_id];
    ids.set.insert(fill.trade_id);
    ids.order.push_back(fill.trade_id);
    if (ids.order.size() > kTradeIdsKept) {
        ids.set.erase(ids.order.front());
        ids.order.pop_front();
    }
    for (auto& [asset, b] : touched) balances_.insert_or_assign(asset, b);
    if (!fill.commission.is_zero()) fees_.insert_or_assign(fill.commission_asset.str(), fee_total);
    positions_.insert_or_assign(fill.instrument_id, pos);
    ++fill_count_;
    return ApplyResult::ok();
}

void Portfolio::set_balance(const Balance& balance) {
    if (balance.asset.empty()) throw std::invalid_argument("set_balance: empty asset");
    balances_.insert_or_assign(balance.asset.str(), balance);
}

Balance Portfolio::balance(std::string_view asset) const {
    if (auto it = balances_.find(asset); it != balances_.end()) return it->second;
    Balance b;
    b.asset.assign(asset);  // longer names never reach here: Asset could not hold them
    return b;
}

Position Portfolio::position(const InstrumentId& instrument) const {
    if (auto it = positions_.find(instrument); it != positions_.end()) return it->second;
    Position p;
    p.instrument_id = instrument;
    return p;
}

Money Portfolio::realized_pnl(const InstrumentId& instrument) const { return position(instrument).realized_pnl; }

Money Portfolio::unrealized_pnl(const InstrumentId& instrument, Price mark) const {
    return position(instrument).unrealized_pnl(mark);
}

Money Portfolio::fees(std::string_view asset) const {
    if (auto it = fees_.find(asset); it != fees_.end()) return it->second;
    return Money{};
}

bool Portfolio::has_fill(const InstrumentId& instrument, std::int64_t trade_id) const {
    auto it = trade_ids_.find(instrument);
    return it != trade_ids_.end() && it->second.set.contains(trade_id);
}

PortfolioSnapshot Portfolio::snapshot() const {
    PortfolioSnapshot s;
    s.balances.reserve(balances_.size());
    for (const auto& [asset, b] : balances_) s.balances.push_back(b);
    s.positions.reserve(positions_.size());
    for (const auto& [id, p] : positions_) s.positions.push_back(p);
    s.fees.reserve(fees_.size());
    for (const auto& [asset, amount] : fees_) {
        AssetAmount a;
        a.asset.assign(asset);
        a.amount = amount;
        s.fees.push_back(a);
    }
    return s;
}

}  // namespace te::oms
