// EventBus: C++ publisher -> C++ handler throughput (1 and 4 producers), publish->handler
// latency (paced and saturated), and the cost of recording one latency sample.
// Run: build/bench/bench_bus --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "bus/event_bus.hpp"
#include "core/logging.hpp"

namespace te {
namespace {

Event candle_event() {
    Candle c;
    c.instrument_id = InstrumentId::parse("BTCUSDT.BINANCE");
    c.closed = true;
    return Event::candle(c);
}

// Publishes `per_producer` candles from each of `producers` threads into a default bus whose
// one C++ handler counts; one iteration ends when every event has been delivered.
void run_throughput(benchmark::State& state, int producers) {
    log::set_level(log::Level::Warn);
    const auto per_producer = static_cast<std::uint64_t>(state.range(0));
    const auto total = per_producer * static_cast<std::uint64_t>(producers);
    EventBus bus;
    std::atomic<std::uint64_t> delivered{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { delivered.fetch_add(1, std::memory_order_relaxed); },
                  "count");
    bus.start();
    const Event ev = candle_event();
    std::uint64_t dropped_before = 0;
    for (auto _ : state) {
        delivered.store(0);
        bus.reset_latency();
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p)
            threads.emplace_back([&] {
                for (std::uint64_t i = 0; i < per_producer; ++i) bus.publish(ev);
            });
        for (auto& t : threads) t.join();
        const auto dropped = bus.stats().lanes[2].dropped - dropped_before;
        while (delivered.load(std::memory_order_relaxed) + dropped < total)
            std::this_thread::sleep_for(std::chrono::microseconds(200));  // leave the cores to the bus
        dropped_before += dropped;
    }
    const auto s = bus.stats();
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(total));
    state.counters["p50_us"] = static_cast<double>(s.latency.p50_ns) / 1e3;
    state.counters["p99_us"] = static_cast<double>(s.latency.p99_ns) / 1e3;
    state.counters["p999_us"] = static_cast<double>(s.latency.p999_ns) / 1e3;
    state.counters["dropped"] = static_cast<double>(s.lanes[2].dropped);
    bus.shutdown(5.0);
}

void BM_CppToCpp_1Producer(benchmark::State& state) { run_throughput(state, 1); }
void BM_CppToCpp_4Producers(benchmark::State& state) { run_throughput(state, 4); }
BENCHMARK(BM_CppToCpp_1Producer)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CppToCpp_4Producers)->Arg(250'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Publish->handler latency at a paced rate (events/s in range(0)): the dispatcher is mostly
// idle-spinning or parked, so this is the hop cost rather than queueing. range(1) is the
// dispatcher's idle spin in µs: the default 5 parks between events slower than ~200 k/s (a
// futex wake-up per event); 200 keeps it spinning through 100 µs gaps (a core kept busy).
void BM_Latency_Paced(benchmark::State& state) {
    log::set_level(log::Level::Warn);
    const auto rate = state.range(0);
    const std::int64_t gap_ns = kNanosPerSecond / rate;
    const int kEvents = static_cast<int>(std::min<std::int64_t>(20'000, rate / 5));
    BusConfig cfg;
    cfg.spin_ns = state.range(1) * kNanosPerMicro;
    EventBus bus(cfg);
    std::atomic<int> delivered{0};
    bus.subscribe(EventType::CandleClosed, [&](const Event&) { delivered.fetch_add(1, std::memory_order_relaxed); },
                  "count");
    bus.start();
    const Event ev = candle_event();
    for (auto _ : state) {
        delivered.store(0);
        bus.reset_latency();
        auto next = monotonic_ns();
        for (int i = 0; i < kEvents; ++i) {
            // Pace like an IO thread: sleep most of the gap, spin the rest.
            if (next - monotonic_ns() > 80'000) std::this_thread::sleep_for(std::chrono::nanoseconds(next - monotonic_ns() - 60'000));
            while (monotonic_ns() < next) {
            }
            bus.publish(ev);
            next += gap_ns;
        }
        while (delivered.load() < kEvents) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const auto s = bus.stats();
    state.counters["p50_us"] = static_cast<double>(s.latency.p50_ns) / 1e3;
    state.counters["p99_us"] = static_cast<double>(s.latency.p99_ns) / 1e3;
    state.counters["p999_us"] = static_cast<double>(s.latency.p999_ns) / 1e3;
    bus.shutdown(5.0);
}
BENCHMARK(BM_Latency_Paced)
    ->ArgNames({"rate", "spin_us"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {5, 200}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

void BM_HistogramRecord(benchmark::State& state) {
    LatencyHistogram h;
    std::int64_t v = 1234;
    for (auto _ : state) {
        h.record_single_writer(v);
        v = (v * 7 + 13) & 0xFFFFF;
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramRecordShared(benchmark::State& state) {
    static LatencyHistogram h;
    std::int64_t v = 1234;
    for (auto _ : state) {
        h.record(v);
        v = (v * 7 + 13) & 0xFFFFF;
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_HistogramRecordShared);

}  // namespace
}  // namespace te

BENCHMARK_MAIN();
