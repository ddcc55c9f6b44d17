// TradingEngine: the cost of one EngineState transition and of on_candle_received.
// Run: build/bench/bench_engine --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <atomic>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "engine/trading_engine.hpp"

namespace te {
namespace {

// Four transitions (the whole life of an engine) per iteration; the per-transition time is
// the reported time / 4. Transition logs are at info; the level here is warn, so the cost is
// validation + counting + the level check (with info logging on, add the log line's cost).
void BM_StateTransition(benchmark::State& state) {
    log::set_level(state.range(0) ? log::Level::Info : log::Level::Warn);
    if (state.range(0)) log::configure({log::Level::Info, true, "/dev/null"});
    for (auto _ : state) {
        EngineStateMachine sm;
        sm.transition(EngineState::Initialized);
        sm.transition(EngineState::Running);
        sm.transition(EngineState::Stopping);
        sm.transition(EngineState::Stopped);
        benchmark::DoNotOptimize(sm);
    }
    state.SetItemsProcessed(state.iterations() * 4);
    log::configure({log::Level::Warn, false, ""});
}
BENCHMARK(BM_StateTransition)->Arg(0)->Arg(1)->ArgName("info_logging");

void BM_InvalidTransition(benchmark::State& state) {
    log::set_level(log::Level::Off);
    EngineStateMachine sm;
    for (auto _ : state) {
        try {
            sm.transition(EngineState::Stopped);
        } catch (const StateTransitionError&) {
        }
    }
}
BENCHMARK(BM_InvalidTransition);

// on_candle_received with the engine RUNNING and a C++ handler draining the data lane.
void BM_OnCandleReceived(benchmark::State& state) {
    log::set_level(log::Level::Warn);
    TradingEngine engine;
    std::atomic<std::uint64_t> n{0};
    engine.bus().subscribe(EventType::CandleClosed, [&](const Event&) { n.fetch_add(1, std::memory_order_relaxed); },
                           "count");
    engine.set_components({});
    engine.run();
    Candle c;
    c.instrument_id = InstrumentId::parse("BTCUSDT.BINANCE");
    c.closed = true;
    for (auto _ : state) engine.on_candle_received(c);
    state.SetItemsProcessed(state.iterations());
    const auto m = engine.metrics();
    state.counters["publish_p50_us"] = m.publish_latency_p50_us;
    state.counters["publish_p99_us"] = m.publish_latency_p99_us;
    state.counters["dropped"] = static_cast<double>(m.events_dropped);
    engine.stop(5.0);
}
BENCHMARK(BM_OnCandleReceived);

// The rejecting path: engine not RUNNING (counted drop, rate-limited warning).
void BM_OnCandleReceivedNotRunning(benchmark::State& state) {
    log::set_level(log::Level::Off);
    TradingEngine engine;
    Candle c;
    for (auto _ : state) engine.on_candle_received(c);
}
BENCHMARK(BM_OnCandleReceivedNotRunning);

}  // namespace
}  // namespace te

BENCHMARK_MAIN();
