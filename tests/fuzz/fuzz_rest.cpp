// libFuzzer target: every REST response parser on the same input.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/logging.hpp"
#include "venues/binance/parser.hpp"

using namespace te::binance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (te::log::set_level(te::log::Level::Off), true);
    static Parser parser;
    static OrderReport order;
    static std::vector<OrderReport> orders;
    static Account account;
    static ExchangeInfo info;
    static std::vector<te::Candle> candles;
    static ErrorResponse error;
    (void)quiet;
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    const auto id = te::InstrumentId::of("BTCUSDT", "BINANCE");
    te::UnixNanos t = 0;
    (void)parser.parse_order(json, order);
    if (!parser.parse_open_orders(json, orders).ok() && !orders.empty()) __builtin_trap();
    (void)parser.parse_account(json, account);
    if (parser.parse_exchange_info(json, info).ok()) {
        for (const auto& s : info.symbols) {
            try {
                (void)to_instrument(s);  // config time: may throw invalid_argument, never crash
            } catch (const std::invalid_argument&) {
            }
        }
    }
    if (!parser.parse_klines(json, id, te::Interval::M1, candles, 5).ok() && !candles.empty()) __builtin_trap();
    (void)parser.parse_server_time(json, t);
    (void)parser.parse_error(json, error);
    return 0;
}
