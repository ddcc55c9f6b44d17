// Backtest throughput with a C++ strategy (target >= 5,000,000 bars/s): 1m bars replayed from
// memory through the backtest venue (each bar's four-point intrabar path through the matching
// engine, the closed candle through the bus and the strategy runtime) to a strategy that sums
// the closes; and the same with a strategy that trades every 50th bar.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "node/node.hpp"
#include "replay/backtest_venue.hpp"
#include "strategy/strategy.hpp"

namespace {

using namespace te;
using namespace te::replay;

const InstrumentId kBtc = InstrumentId::parse("BTCUSDT.BACKTEST");

std::vector<MarketItem> make_bars(std::size_t n) {
    std::vector<MarketItem> out;
    out.reserve(n);
    std::uint64_t s = 88172645463325252ULL;
    std::int64_t cents = 4'000'000;
    for (std::size_t i = 0; i < n; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::int64_t move = static_cast<std::int64_t>((s >> 33) % 2001) - 1000;
        Candle c;
        c.instrument_id = kBtc;
        c.open_time = 1'704'067'200'000'000'000 + static_cast<std::int64_t>(i) * 60'000'000'000;
        c.close_time = c.open_time + 59'999'000'000;
        c.open = Price(Decimal::from_int(cents) / Decimal::from_int(100));
        cents = std::max<std::int64_t>(100'000, cents + move);
        c.close = Price(Decimal::from_int(cents) / Decimal::from_int(100));
        c.high = std::max(c.open, c.close) + Price::parse("5");
        c.low = std::min(c.open, c.close) - Price::parse("5");
        c.volume = Quantity::parse("12.5");
        c.closed = true;
        out.emplace_back(c);
    }
    return out;
}

class SumCloses : public Strategy {
public:
    explicit SumCloses(int trade_every) : Strategy("sum"), trade_every_(trade_every) {}
    Decimal sum;
    std::int64_t n = 0;

protected:
    void on_start() override { subscribe_candles(kBtc, Interval::M1); }
    void on_candle(const Candle& c) override {
        sum += c.close.value();
        if (trade_every_ > 0 && ++n % trade_every_ == 0) {
            if (is_flat(kBtc)) buy(kBtc, Quantity::parse("0.01"));
            else close_position(kBtc);
        }
    }

private:
    int trade_every_;
};

void run_backtest(benchmark::State& state, int trade_every) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto bars = make_bars(n);
    std::uint64_t replayed = 0;
    for (auto _ : state) {
        state.PauseTiming();
        NodeConfig nc = backtest_node_config();
        nc.oms.id_prefix = "bench";
        auto node = std::make_shared<Node>(nc);
        BacktestVenueConfig vc;
        sim::SymbolConfig sc;
        sc.symbol = "BTCUSDT";
        sc.min_notional = Decimal{};
        sc.level_qty = Decimal::parse("1000");
        vc.exchange.symbols = {sc};
        sim::AccountConfig a;
        a.api_key = a.secret = "bench";
        a.balances = {{"USDT", Decimal::parse("1000000")}};
        vc.exchange.accounts = {a};
        vc.equity_interval = std::chrono::hours(24);
        auto venue = std::make_shared<BacktestVenue>(vc);
        venue->add_source(std::make_unique<VectorSource>("bars", bars));
        node->add_venue(venue);
        node->add_strategy(std::make_shared<SumCloses>(trade_every));
        state.ResumeTiming();
        replayed += venue->run(*node).candles;
        // Freeing the copied input (1M bars, page by page) is the benchmark's, not the run's.
        state.PauseTiming();
        node.reset();
        venue.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(replayed));
    state.counters["bars/s"] = benchmark::Counter(static_cast<double>(replayed), benchmark::Counter::kIsRate);
}

void BM_BacktestSumCloses(benchmark::State& state) { run_backtest(state, 0); }
void BM_BacktestTradeEvery50(benchmark::State& state) { run_backtest(state, 50); }
BENCHMARK(BM_BacktestSumCloses)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BacktestTradeEvery50)->Arg(200'000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
BENCHMARK_MAIN();
