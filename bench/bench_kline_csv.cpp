// Replay input: a 1,000,000-row 1m Binance kline CSV (~140 MB, rows as data.binance.vision
// writes them) read fully by KlineCsvReader; target <= 1 s per file, aim ~0.3 s. The split-only
// benchmark is the share of that spent finding lines and fields (the hand-written splitter).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "replay/csv_scan.hpp"
#include "replay/kline_csv.hpp"

namespace {

constexpr std::int64_t kRows = 1'000'000;
constexpr std::int64_t kT0 = 1'700'000'040'000;  // on the minute
constexpr std::int64_t kMinute = 60'000;

struct Lcg {
    std::uint64_t s = 88172645463325252ULL;
    std::uint64_t next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
};

// "37005.50000000" from a price in cents, with Binance's 8 decimals.
std::string price(std::int64_t cents) {
    return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100) + "000000";
}

// Written once per process; a random walk so the numbers vary like a real file's.
const std::string& kline_file() {
    static const std::string path = [] {
        const auto p = (std::filesystem::temp_directory_path() / "bench_kline_csv_1m.csv").string();
        std::FILE* f = std::fopen(p.c_str(), "wb");
        Lcg rng;
        std::int64_t cents = 3'700'000;
        for (std::int64_t i = 0; i < kRows; ++i) {
            const std::int64_t open = cents;
            cents += static_cast<std::int64_t>(rng.next() % 2001) - 1000;
            const std::int64_t high = std::max(open, cents) + 150, low = std::min(open, cents) - 120;
            const std::int64_t t = kT0 + i * kMinute;
            const std::string row = std::to_string(t) + "," + price(open) + "," + price(high) + "," + price(low) + "," +
                                    price(cents) + ",12.34567000," + std::to_string(t + kMinute - 1) +
                                    ",456789.12345678," + std::to_string(1000 + i % 777) +
                                    ",6.12345000,226543.21000000,0\n";
            std::fputs(row.c_str(), f);
        }
        std::fclose(f);
        return p;
    }();
    return path;
}

void BM_KlineCsvRead(benchmark::State& state) {
    const auto& path = kline_file();
    const auto btc = te::InstrumentId::parse("BTCUSDT.BINANCE");
    for (auto _ : state) {
        te::replay::KlineCsvReader reader(path, btc);
        te::Candle c;
        while (reader.next(c)) benchmark::DoNotOptimize(c);
        if (reader.rows() != static_cast<std::size_t>(kRows)) state.SkipWithError("wrong row count");
    }
    state.SetItemsProcessed(state.iterations() * kRows);
    state.counters["rows/s"] = benchmark::Counter(static_cast<double>(state.iterations() * kRows),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_KlineCsvRead)->Unit(benchmark::kMillisecond)->UseRealTime();

// Lines and fields only: what the hand-written splitter costs on the same file.
void BM_KlineCsvSplitOnly(benchmark::State& state) {
    const auto& path = kline_file();
    for (auto _ : state) {
        te::replay::detail::LineSource src(path);
        std::array<std::string_view, 12> fields;
        std::string_view line;
        std::size_t n = 0;
        while (src.next(line)) n += te::replay::detail::split_fields(line, fields);
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_KlineCsvSplitOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
