#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "oms/portfolio.hpp"
#include "oms_fixtures.hpp"

using namespace te;
using namespace te::oms;
using namespace te::oms::testing;

namespace {

const Instrument& btcusdt() {
    static const Instrument i = make_instrument("BTCUSDT", "BTC", "USDT");
    return i;
}

const Instrument& ethbtc() {
    static const Instrument i = make_instrument("ETHBTC", "ETH", "BTC");
    return i;
}

Fill trade(std::int64_t id, Side side, std::string_view quantity, std::string_view price,
           const Instrument& instrument = btcusdt()) {
    Fill f = fill(id, quantity, price, side);
    f.instrument_id = instrument.id();
    return f;
}

Fill with_fee(Fill f, std::string_view amount, std::string_view asset) {
    f.commission = money(amount);
    f.commission_asset.assign(asset);
    return f;
}

Balance make_balance(std::string_view asset, std::string_view free, std::string_view locked = "0") {
    Balance b;
    b.asset.assign(asset);
    b.free = qty(free);
    b.locked = qty(locked);
    return b;
}

void must(const ApplyResult& r) { ASSERT_TRUE(r.applied()) << to_string(r.status) << ": " << r.reason; }

}  // namespace

TEST(Portfolio, BuyDebitsQuoteCreditsBaseAndPaysTheFee) {
    Portfolio p;
    p.set_balance(make_balance("USDT", "10000", "5"));
    must(p.apply_fill(with_fee(trade(1, Side::Buy, "0.5", "20000"), "0.0005", "BTC"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("0"));
    EXPECT_EQ(p.balance("USDT").locked, qty("5"));  // fills never touch locked
    EXPECT_EQ(p.balance("BTC").free, qty("0.4995"));
    EXPECT_EQ(p.fees("BTC"), money("0.0005"));
    const Position pos = p.position(btcusdt().id());
    EXPECT_EQ(pos.quantity, qty("0.4995")) << "the position is what the account holds";
    EXPECT_EQ(pos.avg_entry_price, px("20000"));
    EXPECT_EQ(pos.fees, money("10")) << "0.0005 BTC at 20000";
    EXPECT_EQ(pos.base_asset, "BTC");
    EXPECT_EQ(pos.quote_asset, "USDT");
    EXPECT_EQ(pos.fill_count, 1u);
    EXPECT_TRUE(p.realized_pnl(btcusdt().id()).is_zero());
}

TEST(Portfolio, SellCreditsQuoteAndFeeInAThirdAsset) {
    Portfolio p;
    p.set_balance(make_balance("BTC", "1"));
    p.set_balance(make_balance("BNB", "2"));
    must(p.apply_fill(with_fee(trade(1, Side::Sell, "0.25", "40000.5"), "0.01", "BNB"), btcusdt()));
    EXPECT_EQ(p.balance("BTC").free, qty("0.75"));
    EXPECT_EQ(p.balance("USDT").free, qty("10000.125"));
    EXPECT_EQ(p.balance("BNB").free, qty("1.99"));
    EXPECT_EQ(p.fees("BNB"), money("0.01"));
    EXPECT_EQ(p.position(btcusdt().id()).quantity, qty("-0.25"));  // from flat: a short
}

TEST(Portfolio, IncreasesAverageReductionsRealize) {
    Portfolio p;
    const auto& id = btcusdt().id();
    must(p.apply_fill(trade(1, Side::Buy, "1", "100"), btcusdt()));
    must(p.apply_fill(trade(2, Side::Buy, "1", "110"), btcusdt()));
    EXPECT_EQ(p.position(id).avg_entry_price, px("105"));
    must(p.apply_fill(trade(3, Side::Sell, "0.5", "120"), btcusdt()));
    EXPECT_EQ(p.realized_pnl(id), money("7.5"));
    EXPECT_EQ(p.position(id).quantity, qty("1.5"));
    EXPECT_EQ(p.position(id).avg_entry_price, px("105"));  // a reduction keeps the entry
    EXPECT_EQ(p.unrealized_pnl(id, px("100")), money("-7.5"));
    EXPECT_EQ(p.unrealized_pnl(id, px("110")), money("7.5"));
}

TEST(Portfolio, AverageEntryRoundsHalfEven) {
    Portfolio p;
    must(p.apply_fill(trade(1, Side::Buy, "1", "1"), btcusdt()));
    must(p.apply_fill(trade(2, Side::Buy, "2", "2"), btcusdt()));
    EXPECT_EQ(p.position(btcusdt().id()).avg_entry_price, px("1.666666667"));  // 5 / 3
}

TEST(Portfolio, FlipThroughZero) {
    Portfolio p;
    const auto& id = btcusdt().id();
    must(p.apply_fill(trade(1, Side::Buy, "1", "100"), btcusdt()));
    must(p.apply_fill(trade(2, Side::Sell, "3", "90"), btcusdt()));
    EXPECT_EQ(p.realized_pnl(id), money("-10"));           // the long 1 closes at a loss
    EXPECT_EQ(p.position(id).quantity, qty("-2"));         // the rest opens a short
    EXPECT_EQ(p.position(id).avg_entry_price, px("90"));   // at the fill price
    EXPECT_EQ(p.unrealized_pnl(id, px("80")), money("20"));
    must(p.apply_fill(trade(3, Side::Buy, "2", "85"), btcusdt()));
    EXPECT_EQ(p.realized_pnl(id), money("0"));             // -10 + 2 * (90 - 85)
    EXPECT_TRUE(p.position(id).is_flat());
    EXPECT_TRUE(p.position(id).avg_entry_price.is_zero());
    EXPECT_TRUE(p.unrealized_pnl(id, px("1000")).is_zero());
    must(p.apply_fill(trade(4, Side::Buy, "1", "70"), btcusdt()));
    EXPECT_EQ(p.position(id).avg_entry_price, px("70"));
    EXPECT_EQ(p.realized_pnl(id), money("0"));  // realized PnL survives the flat
}

TEST(Portfolio, ShortCoverRealizes) {
    Portfolio p;
    const auto& id = btcusdt().id();
    must(p.apply_fill(trade(1, Side::Sell, "2", "100"), btcusdt()));
    must(p.apply_fill(trade(2, Side::Sell, "2", "104"), btcusdt()));
    EXPECT_EQ(p.position(id).avg_entry_price, px("102"));
    must(p.apply_fill(trade(3, Side::Buy, "1", "90"), btcusdt()));
    EXPECT_EQ(p.realized_pnl(id), money("12"));
    EXPECT_EQ(p.position(id).quantity, qty("-3"));
    EXPECT_EQ(p.unrealized_pnl(id, px("103")), money("-3"));
}

TEST(Portfolio, DuplicateFillIgnored) {
    Portfolio p;
    const Fill f = with_fee(trade(5, Side::Buy, "1", "100"), "0.1", "USDT");
    must(p.apply_fill(f, btcusdt()));
    const auto before = p.snapshot();
    const auto r = p.apply_fill(f, btcusdt());
    EXPECT_EQ(r.status, ApplyStatus::Duplicate);
    EXPECT_EQ(p.balance("USDT").free, qty("-100.1"));
    EXPECT_EQ(p.fees("USDT"), money("0.1"));
    EXPECT_EQ(p.position(btcusdt().id()).quantity, qty("1"));
    EXPECT_EQ(p.fill_count(), 1u);
    EXPECT_EQ(p.snapshot().balances.size(), before.balances.size());
    // Trade ids are per instrument: the same number on another one is another trade.
    must(p.apply_fill(trade(5, Side::Buy, "1", "0.05", ethbtc()), ethbtc()));
    EXPECT_TRUE(p.has_fill(ethbtc().id(), 5));
    EXPECT_FALSE(p.has_fill(ethbtc().id(), 6));
}

TEST(Portfolio, RefusalsChangeNothing) {
    Portfolio p;
    EXPECT_EQ(p.apply_fill(trade(1, Side::Buy, "1", "100"), ethbtc()).status, ApplyStatus::Refused);
    EXPECT_EQ(p.apply_fill(trade(2, Side::Buy, "0", "100"), btcusdt()).status, ApplyStatus::Refused);
    EXPECT_EQ(p.apply_fill(trade(3, Side::Buy, "1", "0"), btcusdt()).status, ApplyStatus::Refused);
    Fill no_asset = trade(4, Side::Buy, "1", "100");
    no_asset.commission = money("0.1");
    EXPECT_EQ(p.apply_fill(no_asset, btcusdt()).status, ApplyStatus::Refused);
    // Out of Decimal range: nothing is half-applied.
    p.set_balance(make_balance("USDT", "170141183460469231731687303715"));
    EXPECT_EQ(p.apply_fill(trade(5, Side::Sell, "1", "100"), btcusdt()).status, ApplyStatus::Refused);
    EXPECT_EQ(p.balance("USDT").free, qty("170141183460469231731687303715"));
    EXPECT_TRUE(p.balance("BTC").free.is_zero());
    EXPECT_TRUE(p.position(btcusdt().id()).is_flat());
    EXPECT_FALSE(p.has_fill(btcusdt().id(), 5));
    EXPECT_EQ(p.fill_count(), 0u);
}

TEST(Portfolio, SetBalanceIsAuthoritative) {
    Portfolio p;
    must(p.apply_fill(trade(1, Side::Buy, "1", "100"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("-100"));
    p.set_balance(make_balance("USDT", "900", "100"));  // the venue's snapshot wins
    EXPECT_EQ(p.balance("USDT").free, qty("900"));
    must(p.apply_fill(trade(2, Side::Sell, "1", "110"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("1010"));
    EXPECT_EQ(p.balance("USDT").locked, qty("100"));
    EXPECT_TRUE(p.balance("DOGE").free.is_zero());
    EXPECT_EQ(p.balance("DOGE").asset, "DOGE");
    EXPECT_THROW(p.set_balance(Balance{}), std::invalid_argument);
}

TEST(Portfolio, SnapshotIsSortedPlainData) {
    Portfolio p;
    p.set_balance(make_balance("USDT", "1000"));
    must(p.apply_fill(with_fee(trade(1, Side::Buy, "1", "0.05", ethbtc()), "0.001", "ETH"), ethbtc()));
    must(p.apply_fill(with_fee(trade(1, Side::Buy, "0.01", "30000"), "0.3", "USDT"), btcusdt()));
    const PortfolioSnapshot s = p.snapshot();
    ASSERT_EQ(s.balances.size(), 3u);
    EXPECT_EQ(s.balances[0].asset, "BTC");
    EXPECT_EQ(s.balances[0].free, qty("-0.04"));  // -0.05 for ETH, +0.01 bought
    EXPECT_EQ(s.balances[1].asset, "ETH");
    EXPECT_EQ(s.balances[1].free, qty("0.999"));
    EXPECT_EQ(s.balances[2].asset, "USDT");
    EXPECT_EQ(s.balances[2].free, qty("699.7"));
    ASSERT_EQ(s.positions.size(), 2u);
    EXPECT_EQ(s.positions[0].instrument_id, btcusdt().id());
    EXPECT_EQ(s.positions[1].instrument_id, ethbtc().id());
    ASSERT_EQ(s.fees.size(), 2u);
    EXPECT_EQ(s.fees[0].asset, "ETH");
    EXPECT_EQ(s.fees[1].amount, money("0.3"));
}

// ---- 1000 random fills against an independent integer computation ----------------------

namespace {

using I128 = te::Int128;

// Half-even rounding of a non-negative raw product (scale 1e18) to scale 1e9, written here
// independently of te::round_div. The prices and quantities below keep the product in 128 bits.
I128 notional_raw(I128 price_raw, I128 qty_raw) {
    const I128 product = price_raw * qty_raw;
    const I128 unit = 1'000'000'000;
    I128 q = product / unit;
    const I128 r = product % unit;
    if (r * 2 > unit || (r * 2 == unit && q % 2 == 1)) ++q;
    return q;
}

}  // namespace

TEST(Portfolio, ThousandRandomFillsMatchToTheLastUnit) {
    struct Market {
        const Instrument* instrument;
        std::int64_t min_price_raw;
        std::int64_t max_price_raw;
    };
    // ETHBTC makes BTC both a base and a quote asset.
    const std::vector<Market> markets = {{&btcusdt(), 10'000'000'000'000, 60'000'000'000'000},
                                         {&ethbtc(), 10'000'000, 100'000'000}};
    std::mt19937_64 rng(20261123);
    auto uniform = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };

    Portfolio p;
    std::map<std::string, I128> free;  // expected raw balances
    std::map<std::string, I128> fees;
    std::map<std::string, I128> position;  // by symbol
    free["USDT"] = 1'000'000 * Decimal::kOne;
    p.set_balance(make_balance("USDT", "1000000"));
    std::vector<std::pair<Fill, const Instrument*>> applied;

    for (std::int64_t id = 1; id <= 1000; ++id) {
        const Market& m = markets[static_cast<std::size_t>(uniform(0, 1))];
        const Instrument& inst = *m.instrument;
        Fill f;
        f.instrument_id = inst.id();
        f.client_order_id.assign("rnd");
        f.trade_id = id;
        f.side = uniform(0, 1) == 0 ? Side::Buy : Side::Sell;
        f.price = Price::from_raw(uniform(m.min_price_raw / 10, m.max_price_raw / 10) * 10);  // 8 places
        f.quantity = Quantity::from_raw(uniform(1, 200'000'000) * 10);                      // up to 2
        const std::string fee_assets[] = {inst.base_asset(), inst.quote_asset(), "BNB"};
        const std::string fee_asset = fee_assets[static_cast<std::size_t>(uniform(0, 2))];
        if (uniform(0, 3) != 0) {
            f.commission = Money::from_raw(uniform(1, 1'000'000));
            f.commission_asset.assign(fee_asset);
        }
        must(p.apply_fill(f, inst));
        applied.emplace_back(f, &inst);

        const I128 notional = notional_raw(f.price.raw(), f.quantity.raw());
        const bool buy = f.side == Side::Buy;
        free[inst.base_asset()] += buy ? f.quantity.raw() : -f.quantity.raw();
        free[inst.quote_asset()] += buy ? -notional : notional;
        position[inst.base_asset()] += buy ? f.quantity.raw() : -f.quantity.raw();
        if (!f.commission.is_zero() && fee_asset == inst.base_asset()) position[inst.base_asset()] -= f.commission.raw();
        if (!f.commission.is_zero()) {
            free[fee_asset] -= f.commission.raw();
            fees[fee_asset] += f.commission.raw();
        }
        // Now and then the venue sends an old fill again.
        if (id % 97 == 0) {
            const auto& [old, old_inst] = applied[static_cast<std::size_t>(uniform(0, id - 1))];
            EXPECT_EQ(p.apply_fill(old, *old_inst).status, ApplyStatus::Duplicate);
        }
    }

    for (const auto& [asset, raw] : free) EXPECT_EQ(p.balance(asset).free.raw(), raw) << asset;
    for (const auto& [asset, raw] : fees) EXPECT_EQ(p.fees(asset).raw(), raw) << asset;
    EXPECT_EQ(p.position(btcusdt().id()).quantity.raw(), position["BTC"]);
    EXPECT_EQ(p.position(ethbtc().id()).quantity.raw(), position["ETH"]);
    EXPECT_EQ(p.fill_count(), 1000u);
    EXPECT_EQ(p.snapshot().balances.size(), free.size());
}

// The worked example of docs/oms.md, step by step.
TEST(Portfolio, WorkedExampleFromTheDocs) {
    Portfolio p;
    const auto& id = btcusdt().id();
    p.set_balance(make_balance("USDT", "20000"));
    must(p.apply_fill(with_fee(trade(1, Side::Buy, "0.5", "20000"), "0.0005", "BTC"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("10000"));
    EXPECT_EQ(p.balance("BTC").free, qty("0.4995"));
    must(p.apply_fill(with_fee(trade(2, Side::Buy, "0.25", "23000"), "0.00025", "BTC"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("4250"));
    EXPECT_EQ(p.balance("BTC").free, qty("0.74925"));
    EXPECT_EQ(p.position(id).avg_entry_price, px("21000"));
    EXPECT_EQ(p.fees("BTC"), money("0.00075"));
    must(p.apply_fill(with_fee(trade(3, Side::Sell, "0.5", "22000"), "11", "USDT"), btcusdt()));
    EXPECT_EQ(p.balance("USDT").free, qty("15239"));
    EXPECT_EQ(p.balance("BTC").free, qty("0.24925"));
    EXPECT_EQ(p.position(id).quantity, qty("0.24925")) << "what the account holds";
    EXPECT_EQ(p.position(id).avg_entry_price, px("21000"));
    EXPECT_EQ(p.realized_pnl(id), money("500"));
    EXPECT_EQ(p.fees("USDT"), money("11"));
    EXPECT_EQ(p.position(id).fees, money("26.75")) << "10 + 5.75 (BTC at the fill prices) + 11";
    EXPECT_EQ(p.position(id).net_pnl(), money("473.25"));
    EXPECT_EQ(p.unrealized_pnl(id, px("20000")), money("-249.25"));
}
