// Binance parse throughput per message type: one warm Parser (as on one connection), the
// message copied into its padded buffer and parsed into the output struct each iteration.
// Reports messages/s (items_per_second) and ns/message; medians of 5 repetitions.
// Target (issue 5): >= 2 M kline messages/s per core.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/logging.hpp"
#include "venues/binance/parser.hpp"

using namespace te::binance;

namespace {

std::string fixture(const char* name) {
    const std::string path = std::string(TRADEENGINE_FIXTURES_DIR) + "/binance/" + name;
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (s.empty()) throw std::runtime_error("missing fixture " + path);
    return s;
}

void finish(benchmark::State& state, const Parser& p, std::size_t bytes) {
    if (p.stats().errors_total() != 0) state.SkipWithError("parse errors");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
    state.counters["ns_per_msg"] =
        benchmark::Counter(static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void market(benchmark::State& state, const char* file) {
    const std::string json = fixture(file);
    Parser p;
    MarketMessage m;
    for (auto _ : state) {
        benchmark::DoNotOptimize(p.parse_market(json, m, 1));
        benchmark::ClobberMemory();
    }
    finish(state, p, json.size());
}

void user(benchmark::State& state, const char* file) {
    const std::string json = fixture(file);
    Parser p;
    UserMessage m;
    for (auto _ : state) {
        benchmark::DoNotOptimize(p.parse_user(json, m, 1));
        benchmark::ClobberMemory();
    }
    finish(state, p, json.size());
}

void BM_order_full(benchmark::State& state) {
    const std::string json = fixture("rest_order_full.json");
    Parser p;
    OrderReport o;
    for (auto _ : state) {
        benchmark::DoNotOptimize(p.parse_order(json, o));
        benchmark::ClobberMemory();
    }
    finish(state, p, json.size());
}

void BM_klines_1000_rows(benchmark::State& state) {
    // A full backfill page: 1000 rows (throughput reported per page).
    std::string row = fixture("rest_klines.json");
    row = row.substr(1, row.size() - 2);
    std::string json = "[";
    for (int i = 0; i < 1000; ++i) json += (i ? "," : "") + row;
    json += "]";
    Parser p;
    std::vector<te::Candle> out;
    const auto id = te::InstrumentId::of("BTCUSDT", "BINANCE");
    for (auto _ : state) {
        benchmark::DoNotOptimize(p.parse_klines(json, id, te::Interval::M1, out));
        benchmark::ClobberMemory();
    }
    finish(state, p, json.size());
}

const bool quiet = (te::log::set_level(te::log::Level::Error), true);

}  // namespace

#define TE_BENCH(fn, name, file) \
    BENCHMARK_CAPTURE(fn, name, file)->Repetitions(5)->ReportAggregatesOnly(true)->DisplayAggregatesOnly(true)

TE_BENCH(market, kline, "ws_kline.json");
TE_BENCH(market, kline_combined, "ws_kline_closed_combined.json");
TE_BENCH(market, trade, "ws_trade.json");
TE_BENCH(market, aggTrade, "ws_aggTrade.json");
TE_BENCH(market, bookTicker, "ws_bookTicker.json");
TE_BENCH(market, serverShutdown, "ws_serverShutdown.json");
TE_BENCH(user, executionReport, "user_executionReport_new.json");
TE_BENCH(user, accountPosition_wrapped, "wsapi_event_wrapper.json");
TE_BENCH(user, api_error, "wsapi_error.json");
BENCHMARK(BM_order_full)->Repetitions(5)->ReportAggregatesOnly(true)->DisplayAggregatesOnly(true);
BENCHMARK(BM_klines_1000_rows)->Repetitions(5)->ReportAggregatesOnly(true)->DisplayAggregatesOnly(true);

BENCHMARK_MAIN();
