// L2 book maintenance: depth diffs applied per second through BookSync (target >= 2,000,000
// updates/s), on a 1000-level book with updates concentrated near the top.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "book/l2_book.hpp"
#include "core/decimal.hpp"

namespace {

using te::Decimal;
using te::book::BookSync;
using te::book::DepthDiff;
using te::book::DepthSnapshot;
using te::book::Level;

struct Lcg {
    std::uint64_t s = 88172645463325252ULL;
    std::uint64_t next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
};

DepthSnapshot make_snapshot() {
    DepthSnapshot snap;
    snap.last_update_id = 1;
    for (int i = 0; i < 1000; ++i) {
        snap.bids.push_back(Level{Decimal::from_int(100'000 - i), Decimal::from_int(1 + i % 7)});
        snap.asks.push_back(Level{Decimal::from_int(100'001 + i), Decimal::from_int(1 + i % 5)});
    }
    return snap;
}

// One diff = one level update (the unit counted), as in a busy @depth@100ms stream.
void BM_BookSyncApply(benchmark::State& state) {
    BookSync sync;
    std::vector<DepthDiff> diffs(4096);
    Lcg rng;
    for (auto& d : diffs) {
        const auto r = rng.next();
        const bool bid = (r & 1) != 0;
        const auto depth = static_cast<std::int64_t>((r >> 8) % 100);  // near the top
        const auto qty = static_cast<std::int64_t>((r >> 20) % 4);     // 0 removes
        Level l{Decimal::from_int(bid ? 100'000 - depth : 100'001 + depth), Decimal::from_int(qty)};
        (bid ? d.bids : d.asks).push_back(l);
    }
    sync.on_diff(DepthDiff{2, 2, 0, {}, {}});
    sync.on_snapshot(make_snapshot());
    std::int64_t id = 2;
    std::size_t i = 0;
    for (auto _ : state) {
        DepthDiff d = diffs[i++ & 4095];
        d.first_update_id = d.last_update_id = ++id;
        benchmark::DoNotOptimize(sync.on_diff(std::move(d)));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["updates/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BookSyncApply);

void BM_BookSetNearTop(benchmark::State& state) {
    te::book::L2Book book;
    const auto snap = make_snapshot();
    book.reset(1, snap.bids, snap.asks);
    Lcg rng;
    for (auto _ : state) {
        const auto r = rng.next();
        const auto depth = static_cast<std::int64_t>((r >> 8) % 100);
        book.set(te::Side::Sell, Decimal::from_int(100'001 + depth), Decimal::from_int(static_cast<std::int64_t>((r >> 20) % 4)));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BookSetNearTop);

}  // namespace

BENCHMARK_MAIN();
