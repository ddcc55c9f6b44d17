// libFuzzer target: user-data stream messages (WebSocket API envelope, event wrapper, events).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/logging.hpp"
#include "venues/binance/parser.hpp"

using namespace te::binance;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (te::log::set_level(te::log::Level::Off), true);
    static Parser parser;
    static UserMessage msg;
    (void)quiet;
    const std::string_view json(reinterpret_cast<const char*>(data), size);
    const auto before = parser.stats().errors_total();
    const ParseResult r = parser.parse_user(json, msg, 1);
    if (r.ok() == (parser.stats().errors_total() != before)) __builtin_trap();
    if (r.ok() && msg.type == UserMessageType::ApiResponse) {
        // The raw result must lie inside the parser's copy of the message and be no longer.
        if (msg.response.result_json.size() > size) __builtin_trap();
        if (msg.response.rate_limit_count > msg.response.rate_limits.size()) __builtin_trap();
    }
    return 0;
}
