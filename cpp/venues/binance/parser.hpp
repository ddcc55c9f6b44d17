#pragma once
// The Binance message parser (simdjson On-Demand). One Parser per connection: it keeps its
// simdjson parser and a padded copy buffer between messages, so once warm it parses without
// allocating. Not thread-safe; stats() may be read from any thread.
//
// Every parse_* call returns a ParseResult and never throws. A failure is counted in
// stats() (by kind) and logged (the first 10, then every 1000th, with the field path and a
// short, sanitised excerpt). Views in the outputs (stream names, raw result JSON) point into
// the parser and are valid until its next parse call.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/market.hpp"
#include "venues/binance/messages.hpp"
#include "venues/binance/parse_result.hpp"
#include "venues/binance/rest_types.hpp"

namespace te::binance {

// Binance timestamps are milliseconds unless the stream was opened with timeUnit=MICROSECOND.
enum class TimeUnit : std::uint8_t { Millisecond, Microsecond };

struct ParserOptions {
    std::string name = "binance";     // for log lines ("binance.md.0", "binance.user", ...)
    std::string venue = "BINANCE";    // the venue part of the InstrumentIds produced
    TimeUnit time_unit = TimeUnit::Millisecond;
    std::size_t max_message_bytes = std::size_t{64} << 20;  // larger messages are refused
};

class Parser {
public:
    explicit Parser(ParserOptions options = {});
    ~Parser();
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    // Any market-stream message, raw or wrapped in {"stream","data"}: kline, trade, aggTrade,
    // bookTicker, serverShutdown, a control response or an error. The type comes from "e"
    // (bookTicker has none and is recognised by its fields). A well-formed event of another
    // kind yields type Unknown with an ok result (counted as ignored).
    ParseResult parse_market(std::string_view json, MarketMessage& out, UnixNanos ts_recv = 0);

    // Any user-data / WebSocket API message: the response envelope, the event wrapper
    // {"subscriptionId","event"}, or a bare event (executionReport, outboundAccountPosition,
    // balanceUpdate, eventStreamTerminated).
    ParseResult parse_user(std::string_view json, UserMessage& out, UnixNanos ts_recv = 0);

    // REST responses.
    ParseResult parse_order(std::string_view json, OrderReport& out);   // place / cancel / query
    ParseResult parse_open_orders(std::string_view json, std::vector<OrderReport>& out);
    ParseResult parse_account(std::string_view json, Account& out);
    ParseResult parse_my_trades(std::string_view json, std::vector<MyTrade>& out);
    ParseResult parse_exchange_info(std::string_view json, ExchangeInfo& out);
    // Rows of GET /api/v3/klines. The payload names neither the symbol nor the interval, so
    // the caller passes them; a row is closed when its close time is before `now` (0: all).
    ParseResult parse_klines(std::string_view json, InstrumentId instrument, Interval interval,
                             std::vector<Candle>& out, UnixNanos now = 0);
    ParseResult parse_server_time(std::string_view json, UnixNanos& server_time);
    ParseResult parse_error(std::string_view json, ErrorResponse& out);

    const ParseStats& stats() const noexcept { return stats_; }
    const ParserOptions& options() const noexcept { return options_; }

    struct Impl;  // simdjson state; defined in json_detail.hpp

private:
    template <class F>
    ParseResult run(std::string_view kind, std::string_view json, F&& body);
    void report(std::string_view kind, ParseResult r, std::string_view json);

    ParserOptions options_;
    std::unique_ptr<Impl> impl_;
    ParseStats stats_;
};

}  // namespace te::binance
