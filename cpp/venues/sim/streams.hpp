#pragma once
// Market-stream subscription state of one WebSocket connection, sans-I/O: parses Binance's
// control messages (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY)
// and answers them with Binance's responses and error payloads.
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/market.hpp"

namespace te::sim {

class Exchange;

enum class StreamKind : std::uint8_t { Trade, AggTrade, BookTicker, Kline };

struct StreamName {
    int symbol = -1;
    StreamKind kind = StreamKind::Trade;
    std::size_t interval = 0;  // Kline only
};

// "btcusdt@kline_1m" etc.; nullopt for an unknown symbol, stream type or interval.
std::optional<StreamName> parse_stream(const Exchange& ex, std::string_view name);
std::string stream_name(const Exchange& ex, int symbol, StreamKind kind, std::size_t interval = 0);

class Subscriptions {
public:
    using Validator = std::function<bool(std::string_view)>;
    Subscriptions(std::size_t max_streams, bool combined) : max_(max_streams), combined_(combined) {}

    struct Outcome {
        std::string response;
        std::vector<std::string> added;
        std::vector<std::string> removed;
    };
    Outcome handle(std::string_view text, const Validator& valid);
    // Initial streams from the URL (/ws/a/b, /stream?streams=a/b); false if one is invalid.
    bool add_initial(const std::vector<std::string>& names, const Validator& valid);

    const std::set<std::string>& streams() const noexcept { return streams_; }
    bool combined() const noexcept { return combined_; }

private:
    std::size_t max_;
    bool combined_;
    std::set<std::string> streams_;
};

}  // namespace te::sim
