// libFuzzer target: market-stream messages (raw and combined) through the dispatcher.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/logging.hpp"
#include "venues/binance/parser.hpp"

using namespace te::binance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One parser for the whole run, like one connection: buffer reuse is part of what is tested.
    static const bool quiet = (te::log::set_level(te::log::Level::Off), true);
    static Parser parser;
    static MarketMessage msg;
    (void)quiet;
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    const auto before = parser.stats().errors_total();
    const ParseResult r = parser.parse_market(json, msg, 1);
    // Invariants: a failure is counted exactly once and names a known error.
    if (r.ok() == (parser.stats().errors_total() != before)) __builtin_trap();
    if (!r.ok() && r.error == ParseError::Ok) __builtin_trap();
    if (r.ok() && msg.type == MarketMessageType::Kline) {
        const auto& c = msg.kline.candle;
        if (c.open_time < 0 || c.close_time < 0 || c.instrument_id.empty()) __builtin_trap();
    }
    return 0;
}
