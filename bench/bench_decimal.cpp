// Decimal hot-path costs: parsing venue text, formatting, arithmetic and tick rounding.
#include <benchmark/benchmark.h>

#include <array>

#include "core/decimal.hpp"
#include "core/money.hpp"

namespace {

const std::array<const char*, 4> kTexts = {"30123.45000000", "0.00012345", "1.5", "-987654.321"};

void BM_TryParse(benchmark::State& state) {
    std::size_t i = 0;
    te::Decimal out;
    for (auto _ : state) {
        benchmark::DoNotOptimize(te::Decimal::try_parse(kTexts[i++ & 3], out));
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TryParse);

void BM_FormatTo(benchmark::State& state) {
    const te::Decimal d = te::Decimal::parse("30123.45");
    char buf[te::Decimal::kMaxTextLength];
    for (auto _ : state) benchmark::DoNotOptimize(d.format_to(buf));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatTo);

void BM_AddChecked(benchmark::State& state) {
    te::Decimal a = te::Decimal::parse("0.1");
    const te::Decimal b = te::Decimal::parse("0.000000001");
    for (auto _ : state) {
        a = a + b;
        benchmark::DoNotOptimize(a);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddChecked);

void BM_NotionalPriceTimesQuantity(benchmark::State& state) {
    const auto p = te::Price::parse("30123.45");
    const auto q = te::Quantity::parse("0.00123");
    for (auto _ : state) benchmark::DoNotOptimize(p * q);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NotionalPriceTimesQuantity);

void BM_RoundToTick(benchmark::State& state) {
    const auto p = te::Price::parse("30123.456789");
    const auto tick = te::Price::parse("0.01");
    for (auto _ : state) benchmark::DoNotOptimize(p.round_to(tick, te::Rounding::HalfEven));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RoundToTick);

}  // namespace

BENCHMARK_MAIN();
