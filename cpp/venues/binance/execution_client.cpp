#include "venues/binance/execution_client.hpp"

#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "net/client/run_blocking.hpp"
#include "net/policy/backoff.hpp"
#include "venues/binance/error_class.hpp"
#include "venues/binance/parser.hpp"
#include "venues/binance/signer.hpp"

namespace te::binance {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::use_awaitable;
using Params = std::vector<std::pair<std::string, std::string>>;

namespace {

std::string url_encode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out.push_back(static_cast<char>(c));
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string encode(const Params& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out.push_back('&');
        out += url_encode(k);
        out.push_back('=');
        out += url_encode(v);
    }
    return out;
}

std::string side_name(Side s) { return std::string(to_string(s)); }

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::as_tuple(use_awaitable));
}

}  // namespace

void validate(const ExecutionConfig& c) {
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
    check_url("rest_url", c.rest_url, false);
    check_url("ws_api_url", c.ws_api_url, true);
    if (c.credentials.api_key.empty()) problems.emplace_back("api_key is missing");
    if (c.credentials.api_secret.empty()) problems.emplace_back("api_secret is missing");
    for (const auto* value : {&c.credentials.api_key, &c.credentials.api_secret})
        for (char ch : *value)
            if (static_cast<unsigned char>(ch) <= 0x20) {
                problems.emplace_back("api_key/api_secret contain whitespace (a copy-paste accident?)");
                break;
            }
    if (c.recv_window <= std::chrono::milliseconds(0) || c.recv_window > std::chrono::milliseconds(60000))
        problems.push_back(fmt::format("recv_window {} ms must be 1..60000 (Binance's limit)", c.recv_window.count()));
    if (c.order_timeout <= std::chrono::milliseconds(0)) problems.emplace_back("order_timeout must be > 0");
    if (c.query_timeout <= std::chrono::milliseconds(0)) problems.emplace_back("query_timeout must be > 0");
    if (c.max_attempts < 1) problems.emplace_back("max_attempts must be >= 1");
    for (const auto& s : c.symbols)
        if (s.empty() || s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != std::string::npos)
            problems.push_back(fmt::format("symbol '{}' must be upper-case letters or digits, like 'BTCUSDT'", s));
    if (!problems.empty())
        throw ConfigError(fmt::format("invalid Binance execution configuration: {}", fmt::join(problems, "; ")));
}

ExecutionClient::ExecutionClient(asio::io_context& ctx, ExecutionConfig config, ExecutionSink& sink)
    : ctx_(ctx),
      config_((validate(config), std::move(config))),
      sink_(sink),
      parser_(std::make_unique<Parser>(ParserOptions{"binance.exec", config_.venue})),
      weight_(clock_, config_.weight) {
    // Before anything can log them.
    log::add_secret(config_.credentials.api_key);
    log::add_secret(config_.credentials.api_secret);
    auto http = config_.http;
    http.base_url = config_.rest_url;
    rest_ = std::make_unique<net::HttpClient>(ctx_, http);
    auto ws = config_.ws;
    ws.url = config_.ws_api_url;
    user_ws_ = std::make_unique<net::WsClient>(
        ctx_, ws,
        net::WsHandlers{[this] { on_user_open(); }, [this](std::string_view text) { on_user_message(text); },
                        [this](std::string_view reason) {
                            subscribed_ = false;
                            if (!stopping_) sink_.on_alert("user_stream", fmt::format("user-data stream lost: {}", reason));
                        }});
}

ExecutionClient::~ExecutionClient() { stop(); }

template <class T>
T ExecutionClient::run_blocking(asio::awaitable<T> op) {
    if (ctx_.get_executor().running_in_this_thread())
        throw std::logic_error("ExecutionClient: blocking call on the IO thread; use the async_ variant");
    return net::run_blocking(ctx_.get_executor(), std::move(op));
}

// ---- signed REST ---------------------------------------------------------------------------

asio::awaitable<net::HttpResponse> ExecutionClient::signed_request(http::verb method, std::string_view path, Params params,
                                                                   std::chrono::milliseconds timeout, int weight) {
    const auto deadline = clock_.now_ns() + std::chrono::nanoseconds(timeout).count();
    for (;;) {
        const auto decision = weight_.check(weight);
        if (decision.allowed) break;
        if (decision.reason == net::WeightState::Banned) {
            {
                std::lock_guard lock(stats_mutex_);
                stats_.bans = weight_.bans_total();
            }
            throw RateLimitedError(fmt::format("Binance has banned this IP until {} (HTTP 418); not sending",
                                               format_iso8601(decision.wait_until)));
        }
        if (decision.wait_until > deadline)
            throw RateLimitedError(fmt::format("request weight limit: {} would wait until {}, past its timeout", path,
                                               format_iso8601(decision.wait_until)));
        co_await sleep_for(std::chrono::nanoseconds(decision.wait_until - clock_.now_ns()));
    }
    params.emplace_back("timestamp", std::to_string(clock_.now_ns() / kNanosPerMilli + offset_ms_.load()));
    params.emplace_back("recvWindow", std::to_string(config_.recv_window.count()));
    std::string query = encode(params);
    query += "&signature=" + hmac_sha256_hex(config_.credentials.api_secret, query);
    net::HttpRequest req;
    req.method = method;
    req.timeout = timeout;
    req.headers.emplace_back("X-MBX-APIKEY", config_.credentials.api_key);
    if (method == http::verb::post) {
        req.target = std::string(path);
        req.body = std::move(query);
        req.content_type = "application/x-www-form-urlencoded";
    } else {
        req.target = std::string(path) + "?" + query;
    }
    weight_.on_sent(weight);
    auto res = co_await rest_->async_request(std::move(req));
    std::optional<net::Duration> retry_after;
    if (auto h = res.header("Retry-After"))
        if (auto s = net::parse_header_int(*h)) retry_after = std::chrono::seconds(*s);
    std::optional<std::int64_t> used;
    if (auto h = res.header("X-MBX-USED-WEIGHT-1M")) used = net::parse_header_int(*h);
    weight_.on_response(static_cast<int>(res.status), used, retry_after);
    if (res.status == 418 || res.status == 429) {
        ErrorResponse err;
        if (parser_->parse_error(res.body, err).ok())
            if (auto until = net::parse_banned_until(err.msg)) weight_.on_banned_until(*until);
        std::lock_guard lock(stats_mutex_);
        stats_.rate_limited = weight_.rate_limited_total();
        stats_.bans = weight_.bans_total();
        if (res.status == 418) sink_.on_alert("banned", fmt::format("Binance answered 418: {}", res.body.substr(0, 200)));
    }
    co_return res;
}

void ExecutionClient::report(const OrderUpdate& u) {
    constexpr std::size_t kRemembered = 100'000;  // orders whose last report is kept
    const std::string id = u.client_order_id.str();
    auto it = reported_.find(id);
    if (it != reported_.end()) {
        const auto& last = it->second;
        const bool repeat = last.status == u.status && last.filled == u.filled_quantity;
        const bool behind = is_terminal(last.status) || u.filled_quantity < last.filled;
        if (repeat || behind) {
            std::lock_guard lock(stats_mutex_);
            stats_.repeats_suppressed++;
            return;
        }
        it->second = {u.status, u.filled_quantity};
    } else {
        reported_.emplace(id, Reported{u.status, u.filled_quantity});
        reported_order_.push_back(id);
        if (reported_order_.size() > kRemembered) {
            reported_.erase(reported_order_.front());
            reported_order_.pop_front();
        }
    }
    {
        std::lock_guard lock(stats_mutex_);
        stats_.updates_reported++;
    }
    sink_.on_order_update(u);
}

void ExecutionClient::throw_for(const net::HttpResponse& res, std::string_view what) {
    ErrorResponse err;
    const bool parsed = parser_->parse_error(res.body, err).ok();
    RequestFailure failure{static_cast<int>(res.status), parsed ? std::optional<int>(err.code) : std::nullopt,
                           parsed ? std::string_view(err.msg) : std::string_view(), false, false, true, false};
    const auto text = parsed ? fmt::format("{}: Binance {} {}", what, err.code, err.msg)
                             : fmt::format("{}: HTTP {} {}", what, res.status, res.body.substr(0, 200));
    VenueAnswer answer{static_cast<int>(res.status), parsed ? err.code : 0, parsed ? std::string(err.msg) : std::string()};
    switch (classify(failure)) {
        case ErrorClass::Auth: sink_.on_alert("auth", text); throw AuthenticationError(text, std::move(answer));
        case ErrorClass::RateLimited:
        case ErrorClass::Banned: throw RateLimitedError(text, std::move(answer));
        case ErrorClass::Permanent:
        case ErrorClass::Duplicate: throw OrderRejectedError(text, std::move(answer));
        default: throw ConnectionLostError(text, std::move(answer));
    }
}

asio::awaitable<void> ExecutionClient::sync_time() {
    net::HttpRequest req;
    req.target = "/api/v3/time";
    req.timeout = config_.query_timeout;
    const auto sent = clock_.now_ns();
    const auto res = co_await rest_->async_request(std::move(req));
    const auto received = clock_.now_ns();
    UnixNanos server = 0;
    if (res.status != 200 || !parser_->parse_server_time(res.body, server).ok())
        throw ConnectionLostError(fmt::format("GET /api/v3/time failed: HTTP {}", res.status));
    // The server read its clock about halfway through the round trip.
    const auto offset = (server - (sent + received) / 2) / kNanosPerMilli;
    offset_ms_ = offset;
    std::lock_guard lock(stats_mutex_);
    stats_.server_time_offset_ms = offset;
}

asio::awaitable<void> ExecutionClient::load_exchange_info() {
    net::HttpRequest req;
    req.target = "/api/v3/exchangeInfo";
    req.timeout = config_.query_timeout;
    const auto res = co_await rest_->async_request(std::move(req));
    if (res.status != 200) throw_for(res, "GET /api/v3/exchangeInfo");
    ExchangeInfo info;
    if (!parser_->parse_exchange_info(res.body, info).ok())
        throw ConnectionLostError("GET /api/v3/exchangeInfo: unparsable response");
    for (const auto& s : info.symbols) {
        try {
            instruments_.insert_or_assign(s.symbol, to_instrument(s, config_.venue));
        } catch (const std::invalid_argument& e) {
            log::warn("binance", "symbol skipped", {{"symbol", s.symbol}, {"error", e.what()}});
        }
    }
    std::vector<std::string> unknown;
    for (const auto& s : config_.symbols)
        if (!instruments_.count(s)) unknown.push_back(s);
    if (!unknown.empty())
        throw ConfigError(fmt::format("unknown symbol(s) {}: not listed by {}/api/v3/exchangeInfo",
                                      fmt::join(unknown, ", "), config_.rest_url));
}

const Instrument& ExecutionClient::instrument(std::string_view symbol) const {
    const auto it = instruments_.find(symbol);
    if (it == instruments_.end())
        throw ConfigError(fmt::format("unknown symbol '{}': not in exchangeInfo of {}", symbol, config_.rest_url));
    return it->second;
}

std::vector<Instrument> ExecutionClient::instruments() const {
    std::vector<Instrument> out;
    out.reserve(instruments_.size());
    for (const auto& [symbol, inst] : instruments_) out.push_back(inst);
    return out;
}

// ---- orders ----------------------------------------------------------------------------------

OrderRequest ExecutionClient::prepare(const OrderRequest& request) const {
    const Instrument& inst = instrument(request.instrument_id.symbol());
    OrderRequest out = request;
    if (request.client_order_id.empty())
        throw OrderRejectedError("order without a client order id: every order needs one for idempotent retries");
    if (!request.quote_quantity) out.quantity = inst.round_quantity(request.quantity, Rounding::Down);
    const bool needs_price = request.type != te::OrderType::Market;
    if (needs_price && !request.price)
        throw OrderRejectedError(fmt::format("{} order {} needs a price", to_string(request.type), request.client_order_id.view()));
    if (needs_price)
        out.price = inst.round_price(*request.price, request.side == Side::Buy ? Rounding::Floor : Rounding::Ceiling);
    if (request.quote_quantity) {
        if (request.type != te::OrderType::Market || request.quote_quantity->sign() <= 0)
            throw OrderRejectedError("quote_quantity is only for MARKET orders, and must be > 0");
        return out;
    }
    if (auto reason = inst.check_order(needs_price ? out.price : std::nullopt, out.quantity))
        throw OrderRejectedError(fmt::format("order {} on {}: {}", request.client_order_id.view(),
                                             request.instrument_id.view(), *reason));
    return out;
}

OrderUpdate ExecutionClient::to_update(const OrderReport& r) const {
    OrderUpdate u;
    u.instrument_id = InstrumentId::of(r.symbol.view(), config_.venue);
    u.client_order_id = r.orig_client_order_id.empty() ? r.client_order_id : r.orig_client_order_id;
    u.venue_order_id = r.order_id;
    u.status = to_engine_status(r.status);
    u.side = r.side;
    u.type = to_engine_order_type(r.type).value_or(te::OrderType::Limit);
    u.time_in_force = r.time_in_force.value_or(TimeInForce::Gtc);
    u.price = r.price;
    u.quantity = r.orig_quantity;
    u.filled_quantity = r.executed_quantity;
    u.filled_quote = r.cumulative_quote_quantity;
    u.ts_event = r.update_time ? r.update_time : r.transact_time;
    u.ts_recv = clock_.now_ns();
    return u;
}

OrderUpdate ExecutionClient::place(const OrderRequest& request) { return run_blocking(async_place(request)); }

asio::awaitable<OrderUpdate> ExecutionClient::async_place(OrderRequest request) {
    const OrderRequest order = prepare(request);
    const Instrument& inst = instrument(order.instrument_id.symbol());
    Params params{{"symbol", std::string(order.instrument_id.symbol())},
                  {"side", side_name(order.side)},
                  {"type", std::string(to_string(order.type))}};
    if (order.type == te::OrderType::Limit || order.type == te::OrderType::StopLossLimit ||
        order.type == te::OrderType::TakeProfitLimit)
        params.emplace_back("timeInForce", std::string(to_string(order.time_in_force)));
    if (order.quote_quantity)
        params.emplace_back("quoteOrderQty", order.quote_quantity->to_string());
    else
        params.emplace_back("quantity", order.quantity.to_string_fixed(inst.quantity_precision()));
    if (order.price) params.emplace_back("price", order.price->to_string_fixed(inst.price_precision()));
    params.emplace_back("newClientOrderId", order.client_order_id.str());
    params.emplace_back("newOrderRespType", "RESULT");

    net::BackoffConfig retry_config = net::BackoffConfig::request_retry();
    retry_config.max_attempts = static_cast<std::uint32_t>(config_.max_attempts - 1);
    net::Backoff retry(clock_, retry_config);
    for (;;) {
        std::optional<net::HttpResponse> res;
        RequestFailure failure;
        try {
            {
                std::lock_guard lock(stats_mutex_);
                stats_.orders_sent++;
            }
            res = co_await signed_request(http::verb::post, "/api/v3/order", params, config_.order_timeout, 1);
        } catch (const net::HttpError& e) {
            failure.timed_out = e.kind() == net::HttpError::Kind::Timeout;
            failure.transport_error = !failure.timed_out;
            failure.request_sent = e.maybe_sent();
            failure.msg = "";
            log::warn("binance", "order request failed", {{"client_order_id", order.client_order_id.str()},
                                                          {"error", e.what()}});
        }
        ErrorResponse err;
        if (res && res->status == 200) {
            OrderReport answer;
            if (parser_->parse_order(res->body, answer).ok()) {
                auto update = to_update(answer);
                client_ids_[update.venue_order_id] = update.client_order_id;
                {
                    std::lock_guard lock(stats_mutex_);
                    stats_.orders_accepted++;
                }
                report(update);
                co_return update;
            }
            failure.http_status = 500;  // an answer we cannot read: treat the status as unknown
        } else if (res) {
            failure.http_status = static_cast<int>(res->status);
            if (parser_->parse_error(res->body, err).ok()) {
                failure.code = err.code;
                failure.msg = err.msg;
            }
        }
        const auto cls = classify(failure);
        switch (cls) {
            case ErrorClass::Duplicate: {
                {
                    std::lock_guard lock(stats_mutex_);
                    stats_.duplicates_resolved++;
                }
                co_return co_await resolve_unknown(order);
            }
            case ErrorClass::StatusUnknown: {
                {
                    std::lock_guard lock(stats_mutex_);
                    stats_.status_unknown++;
                }
                // Find out before anything is resent: the first attempt may have landed.
                auto update = co_await resolve_unknown(order);
                if (update.status != te::OrderStatus::Rejected || update.venue_order_id != 0) co_return update;
                break;  // it never arrived: resending with the same client id is safe
            }
            case ErrorClass::ClockSkew: co_await sync_time(); break;
            case ErrorClass::Transient:
            case ErrorClass::RateLimited: break;
            case ErrorClass::Banned:
                throw RateLimitedError(fmt::format("order {} not sent: Binance ban (418)", order.client_order_id.view()));
            case ErrorClass::Auth: {
                const auto text = fmt::format("order {}: Binance {} {}", order.client_order_id.view(), err.code, err.msg);
                sink_.on_alert("auth", text);
                throw AuthenticationError(text, {failure.http_status, err.code, err.msg});
            }
            case ErrorClass::Permanent: {
                {
                    std::lock_guard lock(stats_mutex_);
                    stats_.orders_rejected++;
                }
                throw OrderRejectedError(fmt::format("order {} rejected: Binance {} {}", order.client_order_id.view(),
                                                     err.code, err.msg),
                                         {failure.http_status, err.code, err.msg});
            }
        }
        const auto delay = retry.next_delay();
        if (!delay)
            throw ConnectionLostError(fmt::format("order {}: no answer after {} attempts; its status was checked and it "
                                                  "does not exist",
                                                  order.client_order_id.view(), config_.max_attempts));
        {
            std::lock_guard lock(stats_mutex_);
            stats_.retries++;
        }
        co_await sleep_for(*delay);
    }
}

// Query the order by client id until the venue answers. A venue that says the order does not
// exist gets back an update with status REJECTED and no venue id.
asio::awaitable<OrderUpdate> ExecutionClient::resolve_unknown(const OrderRequest& order) {
    net::Backoff retry(clock_, net::BackoffConfig{{std::chrono::milliseconds(100), std::chrono::milliseconds(300),
                                                   std::chrono::seconds(1)},
                                                  0.2, std::chrono::seconds(60), 8, 1});
    for (;;) {
        std::string failure;
        try {
            Params by_client_id{{"symbol", std::string(order.instrument_id.symbol())}, {"origClientOrderId", order.client_order_id.str()}};
            const auto res = co_await signed_request(
                http::verb::get, "/api/v3/order",
                by_client_id,
                config_.query_timeout, 4);
            if (res.status == 200) {
                OrderReport answer;
                if (parser_->parse_order(res.body, answer).ok()) {
                    auto update = to_update(answer);
                    client_ids_[update.venue_order_id] = update.client_order_id;
                    report(update);
                    co_return update;
                }
                failure = "unparsable order";
            } else {
                ErrorResponse err;
                if (parser_->parse_error(res.body, err).ok() && err.code == -2013) {
                    OrderUpdate missing;
                    missing.instrument_id = order.instrument_id;
                    missing.client_order_id = order.client_order_id;
                    missing.status = te::OrderStatus::Rejected;
                    missing.reason.assign("order does not exist at the venue");
                    co_return missing;
                }
                failure = fmt::format("HTTP {}", res.status);
            }
        } catch (const net::HttpError& e) {
            failure = e.what();
        }
        const auto delay = retry.next_delay();
        if (!delay)
            throw ConnectionLostError(fmt::format("order {}: status unknown; the venue did not answer queries ({})",
                                                  order.client_order_id.view(), failure));
        co_await sleep_for(*delay);
    }
}

OrderUpdate ExecutionClient::cancel(const InstrumentId& instrument, std::string_view client_order_id) {
    return run_blocking(async_cancel(instrument, std::string(client_order_id)));
}

asio::awaitable<OrderUpdate> ExecutionClient::async_cancel(InstrumentId instrument, std::string client_order_id) {
    Params cancel_args{{"symbol", std::string(instrument.symbol())}, {"origClientOrderId", client_order_id}};
    const auto res = co_await signed_request(
        http::verb::delete_, "/api/v3/order",
        cancel_args, config_.order_timeout, 1);
    if (res.status == 200) {
        OrderReport answer;
        if (parser_->parse_order(res.body, answer).ok()) {
            auto update = to_update(answer);
            report(update);
            co_return update;
        }
    }
    ErrorResponse err;
    if (parser_->parse_error(res.body, err).ok() && err.code == -2011) {
        // Unknown order: filled or canceled meanwhile (a cancel racing a fill). Say where it ended.
        co_return co_await async_query(instrument, client_order_id);
    }
    throw_for(res, fmt::format("cancel {}", client_order_id));
}

std::vector<OrderUpdate> ExecutionClient::cancel_all(const InstrumentId& instrument) {
    return run_blocking([this, instrument]() -> asio::awaitable<std::vector<OrderUpdate>> {
        Params symbol_args{{"symbol", std::string(instrument.symbol())}};
        const auto res = co_await signed_request(http::verb::delete_, "/api/v3/openOrders",
                                                 symbol_args, config_.order_timeout, 1);
        std::vector<OrderUpdate> out;
        if (res.status == 200) {
            std::vector<OrderReport> reports;
            if (parser_->parse_open_orders(res.body, reports).ok() || reports.empty()) {
                for (const auto& r : reports) {
                    out.push_back(to_update(r));
                    report(out.back());
                }
                co_return out;
            }
        }
        ErrorResponse err;
        if (parser_->parse_error(res.body, err).ok() && err.code == -2011) co_return out;  // nothing open
        throw_for(res, fmt::format("cancel all on {}", instrument.view()));
    }());
}

OrderUpdate ExecutionClient::query(const InstrumentId& instrument, std::string_view client_order_id) {
    return run_blocking(async_query(instrument, std::string(client_order_id)));
}

asio::awaitable<OrderUpdate> ExecutionClient::async_query(InstrumentId instrument, std::string client_order_id) {
    Params by_client_id{{"symbol", std::string(instrument.symbol())}, {"origClientOrderId", client_order_id}};
    const auto res = co_await signed_request(
        http::verb::get, "/api/v3/order",
        by_client_id, config_.query_timeout, 4);
    OrderReport answer;
    if (res.status == 200 && parser_->parse_order(res.body, answer).ok()) {
        auto update = to_update(answer);
        report(update);
        co_return update;
    }
    throw_for(res, fmt::format("query {}", client_order_id));
}

std::vector<OrderUpdate> ExecutionClient::open_orders(const std::optional<InstrumentId>& instrument) {
    return run_blocking([this, instrument]() -> asio::awaitable<std::vector<OrderUpdate>> {
        Params params;
        if (instrument) params.emplace_back("symbol", std::string(instrument->symbol()));
        const auto res = co_await signed_request(http::verb::get, "/api/v3/openOrders", params, config_.query_timeout,
                                                 instrument ? 6 : 80);
        std::vector<OrderReport> reports;
        if (res.status != 200 || !parser_->parse_open_orders(res.body, reports).ok()) throw_for(res, "open orders");
        std::vector<OrderUpdate> out;
        for (const auto& r : reports) out.push_back(to_update(r));
        co_return out;
    }());
}

Account ExecutionClient::account() {
    return run_blocking([this]() -> asio::awaitable<Account> {
        Params no_args;
        const auto res = co_await signed_request(http::verb::get, "/api/v3/account", no_args, config_.query_timeout, 20);
        Account account;
        if (res.status != 200) throw_for(res, "account");
        const ParseResult r = parser_->parse_account(res.body, account);
        if (!r.ok()) {
            // A 200 answer we cannot read: name the field and, for a balance, its asset.
            std::string where(r.field);
            if (r.field.starts_with("balances[]") && !account.balances.empty()) {
                const auto asset = account.balances.back().asset.view();
                where = fmt::format("{} of asset {}", r.field, asset.empty() ? std::string_view("(unnamed)") : asset);
            }
            throw VenueError(fmt::format("account: cannot read {} in Binance's answer: {}{}", where, to_string(r.error),
                                         r.error == ParseError::OutOfRange ? " (outside the Decimal range ±1.7e29)"
                                         : r.error == ParseError::TooPrecise ? " (more than 9 decimal places)"
                                                                             : ""),
                             VenueAnswer{static_cast<int>(res.status), 0, std::string()});
        }
        co_return account;
    }());
}

ExecutionStats ExecutionClient::stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
}

}  // namespace te::binance
