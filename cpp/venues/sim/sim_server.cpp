#include "venues/sim/sim_server.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>
#include <simdjson.h>

#include "core/logging.hpp"
#include "venues/binance/signer.hpp"
#include "venues/sim/format.hpp"
#include "venues/sim/streams.hpp"

namespace te::sim {

namespace asio = boost::asio;
namespace json = boost::json;
using ParamMap = std::map<std::string, std::string>;

namespace {
std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

// ---- sessions ------------------------------------------------------------------------------

class MarketSession final : public net::WsHandler {
public:
    MarketSession(SimServer& srv, net::WsConnection* conn, std::size_t max_streams, bool combined)
        : srv_(srv), conn_(conn), subs_(max_streams, combined), combined_(combined) {}

    bool init(const std::vector<std::string>& streams) {
        return subs_.add_initial(streams, [this](std::string_view n) { return srv_.valid_stream(n); });
    }
    void on_message(net::WsConnection& c, std::string_view text) override {
        auto out = subs_.handle(text, [this](std::string_view n) { return srv_.valid_stream(n); });
        combined_.store(subs_.combined());
        if (!out.removed.empty()) srv_.unsubscribe_market(this, out.removed);
        if (!out.added.empty()) srv_.subscribe_market(this, out.added);
        c.send(std::move(out.response));
    }
    void on_close(net::WsConnection&) override {
        srv_.unsubscribe_market(this, std::vector<std::string>(subs_.streams().begin(), subs_.streams().end()));
        srv_.unsubscribe_market(this, {});  // forget the session itself
    }
    net::WsConnection* conn() const noexcept { return conn_; }
    bool combined() const noexcept { return combined_.load(); }
    std::vector<std::string> streams() const { return {subs_.streams().begin(), subs_.streams().end()}; }

private:
    SimServer& srv_;
    net::WsConnection* conn_;
    Subscriptions subs_;
    std::atomic<bool> combined_;
};

class WsApiSession final : public net::WsHandler {
public:
    WsApiSession(SimServer& srv, net::WsConnection* conn, std::string ip) : srv_(srv), conn_(conn), ip_(std::move(ip)) {}
    void on_message(net::WsConnection& c, std::string_view text) override { c.send(srv_.handle_ws_api(*this, text, ip_)); }
    void on_close(net::WsConnection&) override { srv_.remove_user_session(this); }
    net::WsConnection* conn() const noexcept { return conn_; }
    std::int64_t next_subscription_id() noexcept { return next_sub_++; }

private:
    SimServer& srv_;
    net::WsConnection* conn_;
    std::string ip_;
    std::int64_t next_sub_ = 0;
};

// ---- lifecycle ------------------------------------------------------------------------------

SimServer::SimServer(SimConfig config)
    : config_(std::move(config)),
      fault_rng_(config_.seed ^ 0x5eedULL),
      faults_(config_.faults),
      weights_(config_.weight_limit_1m, config_.requests_after_429_before_ban, config_.ban_seconds * 1000),
      orders_(config_.orders_limit_10s, config_.orders_limit_1d) {
    const std::int64_t start = config_.start_time_ms != 0 ? config_.start_time_ms : wall_ms();
    ex_ = std::make_unique<Exchange>(config_, start);
    ex_->set_user_sink(this);
    stream_names_.resize(ex_->symbol_count());
    for (std::size_t s = 0; s < ex_->symbol_count(); ++s) {
        for (int kind = 0; kind < 4; ++kind)
            for (std::size_t i = 0; i < kIntervals; ++i)
                stream_names_[s].push_back(kind == 3 || i == 0 ? stream_name(*ex_, static_cast<int>(s), static_cast<StreamKind>(kind), i)
                                                               : std::string());
    }
    stalled_ = faults_.stall;
    for (const auto& a : config_.accounts) te::log::add_secret(a.secret);

    net::ServerConfig sc;
    sc.host = config_.host;
    sc.port = config_.port;
    sc.ws_ping_interval = std::chrono::milliseconds(config_.ws_ping_interval_ms);
    sc.ws_pong_timeout = std::chrono::milliseconds(config_.ws_pong_timeout_ms);
    sc.ws_max_age = std::chrono::milliseconds(config_.ws_max_age_ms);
    sc.ws_max_incoming_per_second = config_.ws_max_incoming_per_second;
    sc.request_timeout = std::chrono::seconds(30);
    server_ = std::make_unique<net::Server>(
        sc, [this](const net::IncomingRequest& r) { return handle_http(r); },
        [this](const net::IncomingRequest& r, const std::shared_ptr<net::WsConnection>& c) { return accept_ws(r, c); });
}

SimServer::~SimServer() {
    stop();
    ticker_.reset();
    server_.reset();
}

void SimServer::start() {
    if (server_->running()) return;
    stopping_ = false;
    server_->start();
    if (config_.auto_tick) {
        auto timer = std::make_shared<asio::steady_timer>(server_->io());
        timer->expires_after(std::chrono::milliseconds(config_.tick_ms));
        ticker_ = timer;
        schedule_tick();
    }
    te::log::info("sim", "simulated exchange listening",
                  {{"rest", "http://" + config_.host + ":" + std::to_string(port())},
                   {"symbols", static_cast<std::int64_t>(ex_->symbol_count())},
                   {"seed", static_cast<std::int64_t>(config_.seed)}, {"speed", config_.speed}});
}

void SimServer::schedule_tick() {
    auto timer = std::static_pointer_cast<asio::steady_timer>(ticker_);
    timer->async_wait([this, timer](const boost::system::error_code& ec) {
        if (ec || stopping_) return;
        tick_once();
        timer->expires_at(timer->expiry() + std::chrono::milliseconds(config_.tick_ms));
        schedule_tick();
    });
}

void SimServer::tick_once() {
    std::lock_guard lock(ex_mu_);
    ++tick_count_;
    const auto step = static_cast<std::int64_t>(std::llround(static_cast<double>(config_.tick_ms) * config_.speed));
    ex_->advance(ex_->market_time() + std::max<std::int64_t>(1, step), now_ms(), this);
}

void SimServer::step(int ticks) {
    for (int i = 0; i < ticks; ++i) tick_once();
}

void SimServer::stop() {
    if (!server_ || !server_->running()) return;
    stopping_ = true;
    if (ticker_) {
        auto timer = std::static_pointer_cast<asio::steady_timer>(ticker_);
        asio::post(server_->io(), [timer] { timer->cancel(); });
    }
    announce_shutdown();  // a planned shutdown: tell stream clients first
    server_->stop(std::chrono::milliseconds(1000));
    // Sessions that did not finish in time are gone with the IO thread: forget them.
    {
        std::lock_guard lock(hub_mu_);
        hub_.clear();
        market_sessions_.clear();
    }
    {
        std::lock_guard lock(user_mu_);
        user_subs_.clear();
    }
    te::log::info("sim", "simulated exchange stopped", {{"port", static_cast<std::int64_t>(port())}});
}

std::int64_t SimServer::now_ms() const {
    std::lock_guard lock(fault_mu_);
    return wall_ms() + faults_.clock_skew_ms;
}

bool SimServer::roll(double ratio) {
    if (ratio <= 0) return false;
    std::lock_guard lock(fault_mu_);
    return fault_rng_.uniform() < ratio;
}

// ---- faults ----------------------------------------------------------------------------------

FaultConfig SimServer::faults() const {
    std::lock_guard lock(fault_mu_);
    return faults_;
}

void SimServer::set_faults(const FaultConfig& f) {
    {
        std::lock_guard lock(fault_mu_);
        faults_ = f;
    }
    if (stalled_.exchange(f.stall) != f.stall)
        for (auto& c : server_->ws_connections()) c->set_paused(f.stall);
    te::log::info("sim", "faults changed",
                  {{"latency_us", f.latency_us}, {"reject_ratio", f.reject_ratio}, {"error_5xx_ratio", f.error_5xx_ratio},
                   {"storm_429", f.storm_429}, {"storm_418", f.storm_418}, {"stall", f.stall},
                   {"malformed_ratio", f.malformed_ratio}, {"clock_skew_ms", f.clock_skew_ms}});
}

void SimServer::drop_connections() {
    for (auto& c : server_->ws_connections()) c->abort();
}

std::size_t SimServer::drop_stream(std::string_view name) {
    // abort() only posts to the connection's strand: safe (and needed) under the hub lock,
    // which keeps the session alive.
    std::lock_guard lock(hub_mu_);
    auto it = hub_.find(std::string(name));
    if (it == hub_.end()) return 0;
    for (auto* s : it->second) s->conn()->abort();
    return it->second.size();
}

void SimServer::note_accepted(const std::string& client_order_id) {
    if (client_order_id.empty()) return;
    accepted_ns_[client_order_id] = LiveClock().now_ns();
    accepted_order_.push_back(client_order_id);
    if (accepted_order_.size() > 100'000) {
        accepted_ns_.erase(accepted_order_.front());
        accepted_order_.pop_front();
    }
}

std::optional<std::int64_t> SimServer::order_accepted_ns(const std::string& client_order_id) const {
    std::lock_guard lock(ex_mu_);
    const auto it = accepted_ns_.find(client_order_id);
    return it == accepted_ns_.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
}

std::size_t SimServer::announce_shutdown() {
    const std::string event = "{\"e\":\"serverShutdown\",\"E\":" + std::to_string(now_ms()) + "}";
    std::lock_guard lock(hub_mu_);
    for (auto* s : market_sessions_)
        s->conn()->send(s->combined() ? "{\"stream\":\"!serverShutdown\",\"data\":" + event + "}" : event);
    return market_sessions_.size();
}

void SimServer::restart(std::int64_t downtime_ms) { server_->restart(std::chrono::milliseconds(downtime_ms)); }

// ---- market fan-out ------------------------------------------------------------------------

bool SimServer::valid_stream(std::string_view name) const { return parse_stream(*ex_, name).has_value(); }

void SimServer::subscribe_market(MarketSession* s, const std::vector<std::string>& streams) {
    std::lock_guard lock(hub_mu_);
    market_sessions_.insert(s);
    for (const auto& n : streams) hub_[n].insert(s);
}

void SimServer::unsubscribe_market(MarketSession* s, const std::vector<std::string>& streams) {
    std::lock_guard lock(hub_mu_);
    if (streams.empty()) market_sessions_.erase(s);
    for (const auto& n : streams) {
        auto it = hub_.find(n);
        if (it == hub_.end()) continue;
        it->second.erase(s);
        if (it->second.empty()) hub_.erase(it);
    }
}

std::size_t SimServer::inject(const std::string& stream, std::string payload) {
    std::size_t n = 0;
    {
        std::lock_guard lock(hub_mu_);
        const auto it = hub_.find(stream);
        n = it == hub_.end() ? 0 : it->second.size();
    }
    if (n == 0 || !server_) return n;
    // On the IO thread, as the market's own messages are: a publish from another thread would
    // wake the IO thread while holding Asio's scheduler lock and time that hand-off instead.
    asio::post(server_->io(), [this, stream, payload = std::move(payload)]() mutable {
        static constexpr std::string_view kNow = "${now_ns}";
        for (auto pos = payload.find(kNow); pos != std::string::npos; pos = payload.find(kNow, pos))
            payload.replace(pos, kNow.size(), std::to_string(LiveClock().now_ns()));
        publish(stream, payload);
    });
    return n;
}

void SimServer::publish(const std::string& stream, const std::string& payload) {
    std::shared_ptr<const std::string> raw, wrapped;
    const double malformed = faults().malformed_ratio;
    std::lock_guard lock(hub_mu_);
    auto it = hub_.find(stream);
    if (it == hub_.end()) return;
    for (auto* s : it->second) {
        const bool comb = s->combined();
        auto& msg = comb ? wrapped : raw;
        if (!msg)
            msg = std::make_shared<const std::string>(comb ? "{\"stream\":\"" + stream + "\",\"data\":" + payload + "}"
                                                           : payload);
        if (malformed > 0 && roll(malformed)) s->conn()->send(msg->substr(0, msg->size() / 2));  // truncated JSON
        else s->conn()->send(msg);
        messages_sent_.fetch_add(1, std::memory_order_relaxed);
    }
}

void SimServer::on_trade(int symbol, const PublicTrade& t, std::int64_t event_time) {
    if (stalled_) return;
    const auto& names = stream_names_[static_cast<std::size_t>(symbol)];
    const auto& sym = ex_->symbol(symbol).symbol;
    bool want_trade = false, want_agg = false;
    {
        std::lock_guard lock(hub_mu_);
        want_trade = hub_.count(names[0]) > 0;
        want_agg = hub_.count(names[kIntervals]) > 0;
    }
    if (want_trade) publish(names[0], trade_event(sym, t, event_time));
    if (want_agg) publish(names[kIntervals], agg_trade_event(sym, t, event_time));
}

void SimServer::on_book(int symbol, const BookTop& top) {
    if (stalled_) return;
    const auto& name = stream_names_[static_cast<std::size_t>(symbol)][2 * kIntervals];
    {
        std::lock_guard lock(hub_mu_);
        if (!hub_.count(name)) return;
    }
    publish(name, book_ticker_event(ex_->symbol(symbol).symbol, top));
}

void SimServer::on_kline(int symbol, std::size_t interval, const Kline& k, bool closed, std::int64_t event_time) {
    if (stalled_) return;
    const auto& name = stream_names_[static_cast<std::size_t>(symbol)][3 * kIntervals + interval];
    {
        std::lock_guard lock(hub_mu_);
        if (!hub_.count(name)) return;
    }
    publish(name, kline_event(ex_->symbol(symbol).symbol, EnumInfo<Interval>::names[interval], k, closed, event_time));
}

// ---- user data -------------------------------------------------------------------------------

void SimServer::send_user(int account, const std::string& event) {
    if (stalled_) return;
    std::lock_guard lock(user_mu_);
    auto [b, e] = user_subs_.equal_range(account);
    for (auto it = b; it != e; ++it) {
        auto [session, id] = it->second;
        session->conn()->send("{\"subscriptionId\":" + std::to_string(id) + ",\"event\":" + event + "}");
    }
}

void SimServer::on_execution(int account, const ExecutionEvent& ev) { send_user(account, execution_report(*ex_, ev)); }

void SimServer::on_account_position(int account, std::int64_t time,
                                    const std::vector<std::pair<std::string, Balance>>& changed) {
    send_user(account, account_position(time, changed, ex_->account_update_time(account)));
}

void SimServer::on_balance_update(int account, const std::string& asset, Decimal delta, std::int64_t time) {
    send_user(account, balance_update(asset, delta, time));
}

void SimServer::remove_user_session(WsApiSession* s) {
    std::lock_guard lock(user_mu_);
    for (auto it = user_subs_.begin(); it != user_subs_.end();) {
        if (it->second.first == s) it = user_subs_.erase(it);
        else ++it;
    }
}

// ---- WebSocket endpoints --------------------------------------------------------------------

std::shared_ptr<net::WsHandler> SimServer::accept_ws(const net::IncomingRequest& req,
                                                     const std::shared_ptr<net::WsConnection>& c) {
    if (stopping_) return nullptr;
    const auto target = req.target();
    const auto q = target.find('?');
    const auto path = target.substr(0, q);
    const auto query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    if (stalled_) c->set_paused(true);
    if (path == "/ws-api/v3") return std::make_shared<WsApiSession>(*this, c.get(), std::string(req.remote_address));
    std::vector<std::string> streams;
    auto split = [&](std::string_view list) {
        while (!list.empty()) {
            const auto slash = list.find('/');
            if (slash != 0) streams.emplace_back(list.substr(0, slash));
            if (slash == std::string_view::npos) break;
            list = list.substr(slash + 1);
        }
    };
    bool combined = false;
    if (path == "/ws" || path.starts_with("/ws/")) {
        split(path.size() > 4 ? path.substr(4) : std::string_view{});
    } else if (path == "/stream") {
        combined = true;
        if (query.starts_with("streams=")) split(query.substr(8));
    } else {
        return nullptr;
    }
    auto session = std::make_shared<MarketSession>(*this, c.get(), config_.ws_max_streams, combined);
    if (!session->init(streams)) return nullptr;
    subscribe_market(session.get(), streams);
    return session;
}

namespace {

// The request's id as the reply echoes it: Binance takes an integer (of any length), a string
// or null and answers with the same id. Boost.JSON holds an integer beyond 64 bits as a double
// (serialized as 1.2345678901234568E29, or "Infinity" for 1e400: not the id, not even JSON), so
// such an id's text is read back from the request with simdjson's raw token. nullopt: any other
// JSON (a fraction, an exponent, true, an array, an object), which the caller refuses.
std::optional<std::string> echoed_id(std::string_view request, const json::value* id) {
    if (!id || id->is_null()) return "null";
    if (id->is_string() || id->is_int64() || id->is_uint64()) return json::serialize(*id);
    if (!id->is_double()) return std::nullopt;
    simdjson::padded_string padded(request);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    std::string_view raw;
    if (parser.iterate(padded).get(doc) || doc["id"].raw_json_token().get(raw)) return std::nullopt;
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
        raw.remove_suffix(1);
    const std::string_view digits = !raw.empty() && raw.front() == '-' ? raw.substr(1) : raw;
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return std::string(raw);
}

std::string param_text(const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    if (v.is_double()) {
        char buf[64];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
        return ec == std::errc() ? std::string(buf, p) : std::string();
    }
    return json::serialize(v);
}

}  // namespace

std::string SimServer::handle_ws_api(WsApiSession& session, std::string_view text, const std::string& ip) {
    boost::system::error_code ec;
    json::value root = json::parse(text, ec);
    std::string id = "null";  // as the reply echoes it
    auto envelope = [&](unsigned status, std::string_view body_key, const std::string& body, bool orders,
                        std::int64_t used, int account) {
        JsonOut j;
        j.begin_obj().key("id").raw(id).key("status").num(status).key(body_key).raw(body);
        j.key("rateLimits").begin_arr()
            .begin_obj().key("rateLimitType").str("REQUEST_WEIGHT").key("interval").str("MINUTE").key("intervalNum").num(1)
            .key("limit").num(config_.weight_limit_1m).key("count").num(used).end_obj();
        if (orders && account >= 0) {
            std::lock_guard lock(limits_mu_);
            const auto now = now_ms();
            j.begin_obj().key("rateLimitType").str("ORDERS").key("interval").str("SECOND").key("intervalNum").num(10)
                .key("limit").num(orders_.limit_10s()).key("count").num(orders_.count_10s(account, now)).end_obj()
                .begin_obj().key("rateLimitType").str("ORDERS").key("interval").str("DAY").key("intervalNum").num(1)
                .key("limit").num(orders_.limit_1d()).key("count").num(orders_.count_1d(account, now)).end_obj();
        }
        j.end_arr().end_obj();
        return j.take();
    };
    auto error = [&](unsigned status, int code, std::string_view msg, std::int64_t used = 0) {
        return envelope(status, "error", error_json(code, msg), false, used, -1);
    };
    if (ec || !root.is_object()) return error(400, -1102, "Malformed request: expected a JSON object.");
    const auto& obj = root.get_object();
    if (auto echoed = echoed_id(text, obj.if_contains("id"))) id = std::move(*echoed);
    else return error(400, -1102, "Malformed 'id': expected an integer, a string or null.");
    const auto* method_v = obj.if_contains("method");
    if (!method_v || !method_v->is_string()) return error(400, -1102, "Mandatory parameter 'method' was not sent, was empty/null, or malformed.");
    const std::string method(method_v->get_string());
    ParamMap params;
    if (const auto* p = obj.if_contains("params")) {
        if (!p->is_object()) return error(400, -1102, "Mandatory parameter 'params' was not sent, was empty/null, or malformed.");
        for (const auto& [k, v] : p->get_object()) params[std::string(k)] = param_text(v);
    }
    const int weight = method == "order.status" ? 4 : method == "userDataStream.subscribe.signature" ? 2 : 1;
    WeightLimiter::Verdict verdict;
    {
        std::lock_guard lock(limits_mu_);
        verdict = weights_.charge(ip, weight, now_ms());
    }
    if (verdict.status != 200)
        return error(verdict.status, -1003,
                     verdict.status == 418 ? "Way too much request weight used; IP banned until " + std::to_string(verdict.banned_until_ms) + "."
                                           : "Too much request weight used; current limit is " + std::to_string(config_.weight_limit_1m) +
                                                 " request weight per 1 MINUTE.",
                     verdict.used);

    // Signed methods: apiKey + timestamp + signature over the sorted params.
    auto authenticate = [&](int& account) -> std::optional<std::string> {
        auto key = params.find("apiKey");
        if (key == params.end() || key->second.empty()) return error(400, -1102, "Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed.", verdict.used);
        account = ex_->account_by_key(key->second);
        if (account < 0) return error(401, -2015, "Invalid API-key, IP, or permissions for action.", verdict.used);
        if (auto e = check_timestamp(params)) return error(e->status, e->code, e->body, verdict.used);
        auto sig = params.find("signature");
        if (sig == params.end() || sig->second.empty()) return error(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.", verdict.used);
        std::vector<std::pair<std::string, std::string>> kv(params.begin(), params.end());
        const auto payload = binance::sorted_payload(std::move(kv));
        if (!binance::signature_matches(binance::hmac_sha256_hex(ex_->account_config(account).secret, payload), sig->second))
            return error(400, -1022, "Signature for this request is not valid.", verdict.used);
        return std::nullopt;
    };

    if (method == "ping") return envelope(200, "result", "{}", false, verdict.used, -1);
    if (method == "time") return envelope(200, "result", "{\"serverTime\":" + std::to_string(now_ms()) + "}", false, verdict.used, -1);
    if (method == "userDataStream.subscribe.signature") {
        int account = -1;
        if (auto e = authenticate(account)) return *e;
        const auto sub = session.next_subscription_id();
        {
            std::lock_guard lock(user_mu_);
            user_subs_.emplace(account, std::make_pair(&session, sub));
        }
        return envelope(200, "result", "{\"subscriptionId\":" + std::to_string(sub) + "}", false, verdict.used, -1);
    }
    if (method == "userDataStream.unsubscribe" || method == "session.subscriptions") {
        std::optional<std::int64_t> only;
        if (auto it = params.find("subscriptionId"); it != params.end()) {
            std::int64_t v = 0;
            auto [p, e] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
            if (e != std::errc()) return error(400, -1102, "Mandatory parameter 'subscriptionId' was not sent, was empty/null, or malformed.", verdict.used);
            only = v;
        }
        std::vector<std::int64_t> ids;
        {
            std::lock_guard lock(user_mu_);
            for (auto it = user_subs_.begin(); it != user_subs_.end();) {
                const bool mine = it->second.first == &session && (!only || it->second.second == *only);
                if (mine) ids.push_back(it->second.second);
                if (mine && method == "userDataStream.unsubscribe") it = user_subs_.erase(it);
                else ++it;
            }
        }
        if (method == "session.subscriptions") {
            JsonOut j;
            j.begin_arr();
            for (auto s : ids) j.begin_obj().key("subscriptionId").num(s).end_obj();
            j.end_arr();
            return envelope(200, "result", j.view(), false, verdict.used, -1);
        }
        if (only && ids.empty()) return error(400, -1102, "Invalid subscription ID.", verdict.used);
        const auto now = now_ms();
        for (auto s : ids)
            session.conn()->send("{\"subscriptionId\":" + std::to_string(s) + ",\"event\":{\"e\":\"eventStreamTerminated\",\"E\":" +
                                 std::to_string(now) + "}}");
        return envelope(200, "result", "{}", false, verdict.used, -1);
    }
    if (method == "order.place" || method == "order.test" || method == "order.cancel" || method == "order.status") {
        int account = -1;
        if (auto e = authenticate(account)) return *e;
        OpResult r = method == "order.place"   ? op_place(account, params, false)
                     : method == "order.test"  ? op_place(account, params, true)
                     : method == "order.cancel" ? op_cancel(account, params)
                                                : op_status(account, params);
        if (r.status != 200) return envelope(r.status, "error", error_json(r.code, r.body), false, verdict.used, -1);
        return envelope(200, "result", r.body, method == "order.place", verdict.used, account);
    }
    return error(400, -1102, "Unknown method '" + method + "'.", verdict.used);
}

// ---- inspection ------------------------------------------------------------------------------

std::string SimServer::book_json(std::string_view symbol) const {
    std::lock_guard lock(ex_mu_);
    const int si = ex_->symbol_index(symbol);
    if (si < 0) throw std::invalid_argument("unknown symbol '" + std::string(symbol) + "'");
    JsonOut j;
    j.begin_obj().key("symbol").str(symbol).key("last").dec(ex_->last_price(si)).key("updateId").num(ex_->book(si).update_id)
        .key("bids").begin_arr();
    for (const auto& [p, q] : ex_->levels(si, Side::Buy)) j.begin_arr().dec(p).dec(q).end_arr();
    j.end_arr().key("asks").begin_arr();
    for (const auto& [p, q] : ex_->levels(si, Side::Sell)) j.begin_arr().dec(p).dec(q).end_arr();
    j.end_arr().end_obj();
    return j.take();
}

std::string SimServer::open_orders_json(int account) const {
    std::lock_guard lock(ex_mu_);
    if (account < 0 || account >= static_cast<int>(config_.accounts.size()))
        throw std::invalid_argument("unknown account " + std::to_string(account));
    JsonOut j;
    j.begin_arr();
    for (const auto& o : ex_->open_orders(account, -1)) order_query_json(j, *ex_, o);
    j.end_arr();
    return j.take();
}

std::string SimServer::balances_json(int account) const {
    std::lock_guard lock(ex_mu_);
    if (account < 0 || account >= static_cast<int>(config_.accounts.size()))
        throw std::invalid_argument("unknown account " + std::to_string(account));
    JsonOut j;
    j.begin_obj();
    for (const auto& [asset, b] : ex_->balances(account))
        j.key(asset).begin_obj().key("free").dec(b.free).key("locked").dec(b.locked).end_obj();
    j.end_obj();
    return j.take();
}

std::string SimServer::stats_json() const {
    const auto s = server_->stats();
    std::size_t market = 0, subs = 0;
    {
        std::lock_guard lock(hub_mu_);
        market = market_sessions_.size();
    }
    {
        std::lock_guard lock(user_mu_);
        subs = user_subs_.size();
    }
    JsonOut j;
    j.begin_obj()
        .key("connections_accepted").num(static_cast<std::int64_t>(s.connections_accepted))
        .key("connections_open").num(static_cast<std::int64_t>(s.connections_open))
        .key("ws_open").num(static_cast<std::int64_t>(s.ws_open))
        .key("http_requests").num(static_cast<std::int64_t>(s.http_requests))
        .key("bad_requests").num(static_cast<std::int64_t>(s.bad_requests))
        .key("market_messages_sent").num(static_cast<std::int64_t>(messages_sent_.load()))
        .key("market_sessions").num(static_cast<std::int64_t>(market))
        .key("user_subscriptions").num(static_cast<std::int64_t>(subs))
        .key("market_time").num(market_time_ms())
        .end_obj();
    return j.take();
}

void SimServer::deposit(int account, const std::string& asset, Decimal amount) {
    std::lock_guard lock(ex_mu_);
    if (account < 0 || account >= static_cast<int>(config_.accounts.size()))
        throw std::invalid_argument("unknown account " + std::to_string(account));
    ex_->deposit(account, asset, amount, now_ms());
}

std::int64_t SimServer::market_time_ms() const {
    std::lock_guard lock(ex_mu_);
    return ex_->market_time();
}

}  // namespace te::sim
