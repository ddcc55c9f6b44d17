#include "venues/binance/market_data_client.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "net/policy/backoff.hpp"
#include "venues/binance/kline_sequencer.hpp"
#include "venues/binance/parser.hpp"

namespace te::binance {

namespace asio = boost::asio;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

bool valid_symbol(const std::string& s) {
    if (s.empty() || s.size() > 20) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

// (instrument, interval) of "btcusdt@kline_1m"; nothing for other streams.
std::optional<std::pair<InstrumentId, Interval>> kline_stream_key(std::string_view stream, std::string_view venue) {
    const auto at = stream.find("@kline_");
    if (at == std::string_view::npos) return std::nullopt;
    std::string symbol(stream.substr(0, at));
    for (auto& c : symbol) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    try {
        return std::pair{InstrumentId::of(symbol, venue), enum_from_string<Interval>(stream.substr(at + 7))};
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

std::string combined_stream_url(std::string base) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.size() < 7 || base.compare(base.size() - 7, 7, "/stream") != 0) base += "/stream";
    return base;
}

std::vector<std::string> all_streams(const MarketDataConfig& c) {
    std::vector<std::string> streams;
    for (const auto& symbol : c.symbols) {
        const auto s = lower(symbol);
        for (const auto& interval : c.intervals) streams.push_back(s + "@kline_" + interval);
        if (c.trades) streams.push_back(s + "@trade");
        if (c.quotes) streams.push_back(s + "@bookTicker");
    }
    return streams;
}

}  // namespace

void validate(const MarketDataConfig& c) {
    std::vector<std::string> problems;
    auto check_url = [&](const char* name, const std::string& url, bool websocket) {
        try {
            if (net::parse_url(url).websocket() != websocket)
                problems.push_back(fmt::format("{} '{}' must start with {}", name, url,
                                               websocket ? "ws:// or wss://" : "http:// or https://"));
        } catch (const std::invalid_argument& e) {
            problems.push_back(fmt::format("{}: {}", name, e.what()));
        }
    };
    check_url("stream_url", c.stream_url, true);
    check_url("rest_url", c.rest_url, false);
    try {
        (void)InstrumentId::of("X", c.venue);
    } catch (const std::invalid_argument&) {
        problems.push_back(fmt::format("venue '{}' must be upper-case letters, digits, '-' or '_'", c.venue));
    }
    if (c.symbols.empty() && !c.on_demand) problems.emplace_back("symbols is empty: name at least one, like 'BTCUSDT'");
    std::set<std::string> seen;
    for (const auto& s : c.symbols) {
        if (!valid_symbol(s))
            problems.push_back(fmt::format("symbol '{}' must be 1-20 upper-case letters or digits, like 'BTCUSDT'", s));
        else if (!seen.insert(s).second)
            problems.push_back(fmt::format("symbol '{}' is listed twice", s));
    }
    for (const auto& i : c.intervals) {
        try {
            (void)enum_from_string<Interval>(i);
        } catch (const std::invalid_argument& e) {
            problems.emplace_back(e.what());
        }
    }
    if (c.intervals.empty() && !c.trades && !c.quotes && !c.on_demand)
        problems.emplace_back("nothing to subscribe: give intervals, or set trades or quotes");
    if (c.max_streams_per_connection == 0 || c.max_streams_per_connection > 1024)
        problems.push_back(fmt::format("max_streams_per_connection {} must be 1..1024 (Binance's limit)",
                                       c.max_streams_per_connection));
    if (c.streams_per_subscribe == 0) problems.emplace_back("streams_per_subscribe must be > 0");
    if (c.max_connections == 0) problems.emplace_back("max_connections must be > 0");
    const auto total = c.symbols.size() * (c.intervals.size() + (c.trades ? 1 : 0) + (c.quotes ? 1 : 0));
    if (c.max_streams_per_connection > 0 && total > c.max_streams_per_connection * c.max_connections)
        problems.push_back(fmt::format("{} streams are more than allowed: {} connections x {} streams", total,
                                       c.max_connections, c.max_streams_per_connection));
    auto ws = c.ws;
    ws.url = "ws://127.0.0.1:1/";
    try {
        net::validate(ws);
    } catch (const ConfigError& e) {
        problems.emplace_back(e.what());
    }
    auto http = c.http;
    http.base_url = "http://127.0.0.1:1";
    try {
        net::validate(http);
    } catch (const ConfigError& e) {
        problems.emplace_back(e.what());
    }
    if (!problems.empty())
        throw ConfigError(fmt::format("invalid Binance market-data configuration: {}", fmt::join(problems, "; ")));
}

std::vector<std::vector<std::string>> plan_streams(const MarketDataConfig& c) {
    std::vector<std::vector<std::string>> shards;
    for (auto& stream : all_streams(c)) {
        if (shards.empty() || shards.back().size() >= c.max_streams_per_connection) shards.emplace_back();
        shards.back().push_back(std::move(stream));
    }
    return shards;
}

struct MarketDataClient::Shard {
    std::size_t index = 0;
    std::vector<std::string> streams;
    std::unique_ptr<Parser> parser;
    KlineSequencer sequencer;
    std::unique_ptr<net::WsClient> ws;
    int opens = 0;
    std::int64_t next_request_id = 1;
};

MarketDataClient::MarketDataClient(asio::io_context& ctx, MarketDataConfig config, DataSink& sink)
    : ctx_(ctx), config_((validate(config), std::move(config))), sink_(sink) {
    auto http = config_.http;
    http.base_url = config_.rest_url;
    rest_ = std::make_unique<net::HttpClient>(ctx_, http);
    for (auto& streams : plan_streams(config_)) {
        auto& shard = add_shard();
        for (const auto& stream : streams) streams_[stream] = StreamStatus{stream, 0, 0};
        shard.streams = std::move(streams);
    }
}

MarketDataClient::Shard& MarketDataClient::add_shard() {
    auto shard = std::make_unique<Shard>();
    shard->index = shards_.size();
    shard->parser = std::make_unique<Parser>(ParserOptions{fmt::format("binance.md.{}", shard->index), config_.venue});
    auto ws = config_.ws;
    ws.url = combined_stream_url(config_.stream_url);
    Shard* s = shard.get();
    shard->ws = std::make_unique<net::WsClient>(
        ctx_, ws,
        net::WsHandlers{[this, s] { on_open(*s); }, [this, s](std::string_view text) { on_message(*s, text); },
                        [this, s](std::string_view reason) {
                            if (stopping_.load()) return;
                            log::warn("binance", "market-data connection lost",
                                      {{"shard", s->index}, {"reason", std::string(reason)}});
                        }});
    std::lock_guard lock(shards_mutex_);
    shards_.push_back(std::move(shard));
    connections_.store(shards_.size());
    return *shards_.back();
}

MarketDataClient::~MarketDataClient() { stop(); }

void MarketDataClient::start() {
    started_ = true;
    asio::post(ctx_, [this] {
        for (auto& shard : shards_)
            if (!shard->streams.empty()) shard->ws->start();
    });
}

void MarketDataClient::subscribe(std::vector<std::string> streams) {
    asio::post(ctx_, [this, streams = std::move(streams)] { add_streams(streams); });
}

void MarketDataClient::unsubscribe(std::vector<std::string> streams) {
    asio::post(ctx_, [this, streams = std::move(streams)] { remove_streams(streams); });
}

void MarketDataClient::add_streams(const std::vector<std::string>& streams) {
    if (stopping_.load()) return;
    std::map<Shard*, std::vector<std::string>> added;
    for (const auto& stream : streams) {
        {
            std::lock_guard lock(stats_mutex_);
            if (streams_.contains(stream)) continue;
        }
        Shard* target = nullptr;
        for (auto& shard : shards_)
            if (shard->streams.size() < config_.max_streams_per_connection) target = shard.get();
        if (!target && shards_.size() < config_.max_connections) target = &add_shard();
        if (!target) {
            log::error("binance", "stream refused: every connection is full",
                       {{"stream", stream}, {"max_connections", config_.max_connections},
                        {"max_streams_per_connection", config_.max_streams_per_connection}});
            std::lock_guard lock(stats_mutex_);
            stats_.streams_refused++;
            continue;
        }
        target->streams.push_back(stream);
        {
            std::lock_guard lock(stats_mutex_);
            streams_[stream] = StreamStatus{stream, 0, 0};
        }
        added[target].push_back(stream);
    }
    for (auto& [shard, names] : added) {
        if (!started_.load()) continue;          // start() subscribes everything
        if (shard->opens == 0 && names.size() == shard->streams.size()) {
            shard->ws->start();                  // a new connection: on_open subscribes
        } else if (shard->ws->connected()) {
            send_subscription(*shard, "SUBSCRIBE", names);
        }  // reconnecting: on_open subscribes every stream of the shard
    }
}

void MarketDataClient::remove_streams(const std::vector<std::string>& streams) {
    for (auto& shard : shards_) {
        std::vector<std::string> removed;
        std::erase_if(shard->streams, [&](const std::string& s) {
            const bool gone = std::find(streams.begin(), streams.end(), s) != streams.end();
            if (gone) removed.push_back(s);
            return gone;
        });
        if (removed.empty()) continue;
        for (const auto& name : removed) {
            if (const auto key = kline_stream_key(name, config_.venue)) shard->sequencer.forget(key->first, key->second);
        }
        if (shard->ws->connected()) send_subscription(*shard, "UNSUBSCRIBE", removed);
    }
    std::lock_guard lock(stats_mutex_);
    for (const auto& s : streams) streams_.erase(s);
}

void MarketDataClient::send_subscription(Shard& shard, std::string_view method, const std::vector<std::string>& streams) {
    for (std::size_t i = 0; i < streams.size(); i += config_.streams_per_subscribe) {
        const auto end = std::min(streams.size(), i + config_.streams_per_subscribe);
        std::string params;
        for (std::size_t k = i; k < end; ++k) params += fmt::format("{}\"{}\"", k == i ? "" : ",", streams[k]);
        shard.ws->send(fmt::format(R"({{"method":"{}","params":[{}],"id":{}}})", method, params, shard.next_request_id++));
    }
}

void MarketDataClient::stop() {
    stopping_ = true;
    {
        std::lock_guard lock(shards_mutex_);
        for (auto& shard : shards_) shard->ws->stop();
    }
    // Backfill coroutines hold pointers into this object; each has a deadline, so this ends.
    const auto deadline = std::chrono::steady_clock::now() + 4 * config_.backfill_timeout;
    while (backfills_in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

MarketDataStats MarketDataClient::stats() const {
    std::lock_guard lock(stats_mutex_);
    MarketDataStats out = stats_;
    for (const auto& [name, status] : streams_) out.streams.push_back(status);
    std::lock_guard shards_lock(shards_mutex_);
    for (const auto& shard : shards_) out.parse_errors += shard->parser->stats().errors_total();
    return out;
}

void MarketDataClient::on_open(Shard& shard) {
    if (shard.opens++ > 0) {
        {
            std::lock_guard lock(stats_mutex_);
            stats_.reconnects++;
        }
        SequencerOutput out;
        shard.sequencer.on_reconnect(out);
        publish(shard, out);
    }
    send_subscription(shard, "SUBSCRIBE", shard.streams);
}

void MarketDataClient::count(std::uint64_t& counter) {
    std::lock_guard lock(stats_mutex_);
    counter++;
}

void MarketDataClient::on_message(Shard& shard, std::string_view text) {
    MarketMessage msg;
    const LiveClock clock;
    const auto result = shard.parser->parse_market(text, msg, clock.now_ns());
    if (!result.ok()) return;  // counted and logged by the parser
    {
        std::lock_guard lock(stats_mutex_);
        stats_.messages++;
        if (!msg.stream.empty()) {
            const auto it = streams_.find(msg.stream);
            if (it != streams_.end()) {
                it->second.messages++;
                it->second.last_message_ns = monotonic_ns();
            }
        }
    }
    switch (msg.type) {
        case MarketMessageType::Kline: {
            SequencerOutput out;
            shard.sequencer.on_live(msg.kline.candle, out);
            publish(shard, out);
            break;
        }
        case MarketMessageType::Trade:
            sink_.on_trade(msg.trade.trade);
            count(stats_.trades);
            break;
        case MarketMessageType::AggTrade:
            sink_.on_trade(msg.agg_trade.trade);
            count(stats_.trades);
            break;
        case MarketMessageType::BookTicker:
            sink_.on_quote(msg.book_ticker.quote);
            count(stats_.quotes);
            break;
        case MarketMessageType::ServerShutdown:
            log::warn("binance", "serverShutdown: reconnecting now", {{"shard", shard.index}});
            shard.ws->reconnect_now("serverShutdown");
            break;
        case MarketMessageType::Error:
            log::warn("binance", "stream error", {{"shard", shard.index}, {"code", msg.error.code}, {"msg", msg.error.msg}});
            break;
        default:
            break;
    }
}

void MarketDataClient::publish(Shard& shard, SequencerOutput& out) {
    for (const auto& candle : out.candles) sink_.on_candle(candle);
    {
        std::lock_guard lock(stats_mutex_);
        stats_.candles += out.candles.size();
        stats_.backfill_requests += out.backfills.size();
        stats_.duplicates_dropped = 0;
        for (const auto& s : shards_) stats_.duplicates_dropped += s->sequencer.stats().duplicates_dropped;
    }
    if (!out.backfills.empty()) run_backfills(shard, std::move(out.backfills));
}

void MarketDataClient::run_backfills(Shard& shard, std::vector<BackfillRequest> requests) {
    for (auto& request : requests) {
        backfills_in_flight_++;
        asio::co_spawn(
            ctx_,
            [this, &shard, request]() -> asio::awaitable<void> {
                const LiveClock clock;
                net::Backoff retry(clock, net::BackoffConfig::request_retry());
                const std::string target = fmt::format(
                    "/api/v3/klines?symbol={}&interval={}&startTime={}{}&limit={}", request.instrument_id.symbol(),
                    to_string(request.interval), request.start_ms,
                    request.end_ms ? fmt::format("&endTime={}", *request.end_ms) : std::string(), request.limit);
                for (;;) {
                    std::string failure;
                    try {
                        net::HttpRequest req;
                        req.target = target;
                        req.timeout = config_.backfill_timeout;
                        const auto res = co_await rest_->async_request(std::move(req));
                        if (res.status == 200) {
                            std::vector<Candle> rows;
                            const auto parsed = shard.parser->parse_klines(res.body, request.instrument_id,
                                                                          request.interval, rows);
                            if (parsed.ok()) {
                                // Rows that closed within the last 2 s are left to the live stream:
                                // clocks differ, and an open kline must never pass as closed.
                                const auto now_ms = clock.now_ns() / kNanosPerMilli - 2000;
                                SequencerOutput out;
                                shard.sequencer.on_backfill(request, rows, now_ms, out);
                                {
                                    std::lock_guard lock(stats_mutex_);
                                    stats_.backfilled += out.candles.size();
                                }
                                publish(shard, out);
                                break;
                            }
                            failure = fmt::format("unparsable klines ({})", to_string(parsed.error));
                        } else {
                            failure = fmt::format("HTTP {}: {}", res.status, res.body.substr(0, 200));
                        }
                    } catch (const std::exception& e) {
                        failure = e.what();
                    }
                    const auto delay = retry.next_delay();
                    log::warn("binance", "kline backfill failed", {{"request", target}, {"error", failure}});
                    if (!delay) {
                        {
                            std::lock_guard lock(stats_mutex_);
                            stats_.backfill_failures++;
                        }
                        SequencerOutput out;
                        shard.sequencer.on_backfill_failed(request, out);
                        publish(shard, out);
                        break;
                    }
                    asio::steady_timer pause(ctx_, *delay);
                    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                }
                backfills_in_flight_--;
            },
            asio::detached);
    }
}

}  // namespace te::binance
