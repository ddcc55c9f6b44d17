// The execution client's lifecycle and user-data stream: start-up (clock, exchangeInfo,
// subscription), execution reports and balances from the WebSocket API, and the REST
// reconciliation after every (re)subscription so that no fill is missed around a disconnect.
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
#include "net/client/run_blocking.hpp"
#include "venues/binance/execution_client.hpp"
#include "venues/binance/parser.hpp"
#include "venues/binance/signer.hpp"

namespace te::binance {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::use_awaitable;
using Params = std::vector<std::pair<std::string, std::string>>;

void ExecutionClient::start() {
    if (ctx_.get_executor().running_in_this_thread())
        throw std::logic_error("ExecutionClient::start() blocks; call it from another thread");
    start_time_ = clock_.now_ns();
    const auto aborted = [this] {
        if (start_aborted_.load()) throw EngineNotRunningError("the execution client's start was interrupted");
    };
    net::run_blocking(ctx_.get_executor(), [this, aborted]() -> asio::awaitable<void> {
        co_await sync_time();
        aborted();
        co_await load_exchange_info();
    }());
    aborted();
    user_ws_->start();
    const auto deadline = std::chrono::steady_clock::now() + config_.start_timeout;
    auto refused = [this] {
        std::lock_guard lock(stats_mutex_);  // written by the IO thread
        return !auth_error_.empty();
    };
    while (!subscribed_ && std::chrono::steady_clock::now() < deadline) {
        if (refused() || start_aborted_.load()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!subscribed_) {
        user_ws_->stop();
        aborted();
        std::lock_guard lock(stats_mutex_);
        if (!auth_error_.empty()) throw AuthenticationError(auth_error_, auth_answer_);
        throw ConnectionLostError(fmt::format("user-data stream at {} not subscribed within {} ms", config_.ws_api_url,
                                              config_.start_timeout.count()));
    }
    background_++;
    asio::co_spawn(ctx_, time_sync_loop(), asio::detached);
}

void ExecutionClient::stop() {
    if (stopping_.exchange(true)) return;
    user_ws_->stop();
    asio::post(ctx_, [this] {
        if (sync_timer_) sync_timer_->cancel();
    });
    // Background coroutines (clock sync, reconciliation) end at their next step; each REST call
    // has a deadline.
    const auto deadline = std::chrono::steady_clock::now() + 2 * config_.query_timeout;
    while (background_.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

asio::awaitable<void> ExecutionClient::time_sync_loop() {
    sync_timer_ = std::make_unique<asio::steady_timer>(ctx_);
    while (!stopping_) {
        sync_timer_->expires_after(config_.time_sync_interval);
        co_await sync_timer_->async_wait(asio::as_tuple(use_awaitable));
        if (stopping_) break;
        try {
            co_await sync_time();
        } catch (const std::exception& e) {
            log::warn("binance", "server time sync failed", {{"error", e.what()}});
        }
    }
    background_--;
}

void ExecutionClient::on_user_open() {
    subscribed_ = false;
    const auto timestamp = std::to_string(clock_.now_ns() / kNanosPerMilli + offset_ms_.load());
    const auto payload = sorted_payload({{"apiKey", config_.credentials.api_key}, {"timestamp", timestamp}});
    subscribe_id_ = fmt::format("sub-{}", next_ws_id_++);
    user_ws_->send(fmt::format(
        R"({{"id":"{}","method":"userDataStream.subscribe.signature","params":{{"apiKey":"{}","timestamp":{},"signature":"{}"}}}})",
        subscribe_id_, config_.credentials.api_key, timestamp, hmac_sha256_hex(config_.credentials.api_secret, payload)));
}

void ExecutionClient::on_user_message(std::string_view text) {
    UserMessage msg;
    if (!parser_->parse_user(text, msg, clock_.now_ns()).ok()) return;  // counted and logged by the parser
    switch (msg.type) {
        case UserMessageType::ApiResponse: {
            const auto& r = msg.response;
            if (r.id.kind != RequestId::Kind::Str || r.id.str.view() != subscribe_id_) break;
            if (r.status == 200 && !r.has_error) {
                {
                    std::lock_guard lock(stats_mutex_);
                    stats_.user_stream_subscriptions++;
                }
                log::info("binance", "user-data stream subscribed");
                background_++;
                asio::co_spawn(ctx_, reconcile(), asio::detached);
            } else {
                std::lock_guard lock(stats_mutex_);
                auth_error_ = fmt::format("userDataStream.subscribe.signature refused: {} {}", r.error_code, r.error_msg);
                auth_answer_ = VenueAnswer{r.status, r.error_code, std::string(r.error_msg)};
                sink_.on_alert("auth", auth_error_);
            }
            break;
        }
        case UserMessageType::ExecutionReport: on_execution_report(msg.execution_report); break;
        case UserMessageType::AccountPosition:
            for (const auto& b : msg.account_position.balances)
                sink_.on_balance(Balance{b.asset, b.free, b.locked, msg.account_position.event_time});
            break;
        case UserMessageType::StreamTerminated:
            subscribed_ = false;
            log::warn("binance", "eventStreamTerminated: subscribing again");
            user_ws_->reconnect_now("eventStreamTerminated");
            break;
        default: break;
    }
}

void ExecutionClient::on_execution_report(const ExecutionReport& er) {
    OrderUpdate u;
    try {
        u.instrument_id = InstrumentId::of(er.symbol.view(), config_.venue);
    } catch (const std::invalid_argument& e) {
        log::warn("binance", "execution report for an unusable symbol", {{"error", e.what()}});
        return;
    }
    // On a cancel, "c" is the cancel request's id and "C" the order's own.
    u.client_order_id = er.orig_client_order_id.empty() ? er.client_order_id : er.orig_client_order_id;
    u.venue_order_id = er.order_id;
    u.status = to_engine_status(er.status);
    u.side = er.side;
    u.type = to_engine_order_type(er.order_type).value_or(te::OrderType::Limit);
    u.time_in_force = er.time_in_force.value_or(TimeInForce::Gtc);
    u.price = er.price;
    u.quantity = er.quantity;
    u.filled_quantity = er.cumulative_quantity;
    u.filled_quote = er.cumulative_quote_quantity;
    if (er.reject_reason.view() != "NONE") u.reason.assign(er.reject_reason.view());
    if (u.reason.empty() && !er.expiry_reason.empty()) u.reason.assign(er.expiry_reason.view());
    u.ts_event = er.transaction_time ? er.transaction_time : er.event_time;
    u.ts_recv = er.ts_recv;
    client_ids_[u.venue_order_id] = u.client_order_id;
    if (er.is_fill()) {
        Fill f;
        f.instrument_id = u.instrument_id;
        f.client_order_id = u.client_order_id;
        f.venue_order_id = er.order_id;
        f.trade_id = er.trade_id;
        f.side = er.side;
        f.price = er.last_price;
        f.quantity = er.last_quantity;
        f.commission = er.commission;
        f.commission_asset = er.commission_asset;
        f.maker = er.is_maker;
        f.ts_event = er.transaction_time;
        f.ts_recv = er.ts_recv;
        deliver_fill(f, false);
    }
    report(u);
}

void ExecutionClient::deliver_fill(const Fill& fill, bool from_reconciliation) {
    if (!seen_trades_.emplace(std::string(fill.instrument_id.symbol()), fill.trade_id).second) return;
    auto& last = last_fill_time_[std::string(fill.instrument_id.symbol())];
    last = std::max(last, fill.ts_event);
    {
        std::lock_guard lock(stats_mutex_);
        stats_.fills++;
        if (from_reconciliation) stats_.reconciled_fills++;
    }
    sink_.on_fill(fill);
}

// After every subscription: open orders as the venue has them, and any fill since the last one
// seen that the stream did not deliver (it was down, or the subscription lapsed).
asio::awaitable<void> ExecutionClient::reconcile() {
    try {
        for (const auto& symbol : config_.symbols) {
            if (stopping_) break;
            Params symbol_args{{"symbol", symbol}};
            const auto open = co_await signed_request(http::verb::get, "/api/v3/openOrders", symbol_args,
                                                      config_.query_timeout, 6);
            std::vector<OrderReport> reports;
            if (open.status == 200 && parser_->parse_open_orders(open.body, reports).ok())
                for (const auto& r : reports) {
                    auto u = to_update(r);
                    client_ids_[u.venue_order_id] = u.client_order_id;
                    report(u);
                }
            const auto it = last_fill_time_.find(symbol);
            const UnixNanos since = (it != last_fill_time_.end() ? it->second : start_time_) - 60 * kNanosPerSecond;
            Params trades_args{{"symbol", symbol}, {"startTime", std::to_string(std::max<UnixNanos>(since, 0) / kNanosPerMilli)},
                 {"limit", "1000"}};
            const auto trades_res = co_await signed_request(
                http::verb::get, "/api/v3/myTrades",
                trades_args,
                config_.query_timeout, 20);
            std::vector<MyTrade> trades;
            if (trades_res.status != 200 || !parser_->parse_my_trades(trades_res.body, trades).ok()) continue;
            std::set<std::int64_t> touched_orders;
            for (const auto& t : trades) {
                if (seen_trades_.count({symbol, t.id})) continue;
                auto known = client_ids_.find(t.order_id);
                if (known == client_ids_.end()) {
                    Params by_order_id{{"symbol", symbol}, {"orderId", std::to_string(t.order_id)}};
                    const auto q = co_await signed_request(http::verb::get, "/api/v3/order",
                                                           by_order_id,
                                                           config_.query_timeout, 4);
                    OrderReport r;
                    if (q.status != 200 || !parser_->parse_order(q.body, r).ok()) continue;
                    known = client_ids_.insert_or_assign(t.order_id, r.client_order_id).first;
                }
                Fill f;
                f.instrument_id = InstrumentId::of(symbol, config_.venue);
                f.client_order_id = known->second;
                f.venue_order_id = t.order_id;
                f.trade_id = t.id;
                f.side = t.is_buyer ? Side::Buy : Side::Sell;
                f.price = t.price;
                f.quantity = t.quantity;
                f.commission = t.commission;
                f.commission_asset = t.commission_asset;
                f.maker = t.is_maker;
                f.ts_event = t.time;
                f.ts_recv = clock_.now_ns();
                deliver_fill(f, true);
                touched_orders.insert(t.order_id);
            }
            // The order updates that went with the missed fills were missed too.
            for (const auto order_id : touched_orders) {
                Params by_order_id{{"symbol", symbol}, {"orderId", std::to_string(order_id)}};
                const auto q = co_await signed_request(http::verb::get, "/api/v3/order",
                                                       by_order_id,
                                                       config_.query_timeout, 4);
                OrderReport r;
                if (q.status == 200 && parser_->parse_order(q.body, r).ok()) report(to_update(r));
            }
        }
        subscribed_ = true;
    } catch (const std::exception& e) {
        log::warn("binance", "reconciliation failed; the stream is live but missed fills may be reported later",
                  {{"error", e.what()}});
        subscribed_ = true;
    }
    background_--;
}

}  // namespace te::binance
