// REST API of the simulated exchange (/api/v3/...) and the order operations it shares with
// the WebSocket API.
#include <boost/json.hpp>
#include <charconv>

#include "venues/binance/signer.hpp"
#include "venues/sim/format.hpp"
#include "venues/sim/sim_server.hpp"

namespace te::sim {

namespace json = boost::json;
using ParamMap = std::map<std::string, std::string>;

struct SimServer::Params {
    ParamMap values;
    std::string payload;    // what the signature covers: query then body, without `signature`
    std::string signature;  // empty if none was sent
};

namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else out += s[i];
    }
    return out;
}

// Splits a=1&b=2 into the map; returns the text without the signature component.
std::string parse_form(std::string_view text, ParamMap& out, std::string& signature, bool overwrite) {
    std::string kept;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto part = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        const std::string key = url_decode(part.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? std::string() : url_decode(part.substr(eq + 1));
        if (key == "signature") {
            signature = value;
            continue;
        }
        if (!kept.empty()) kept += '&';
        kept += part;
        if (overwrite || !out.count(key)) out[key] = value;
    }
    return kept;
}

const std::string* get(const ParamMap& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() || it->second.empty() ? nullptr : &it->second;
}

std::string mandatory_msg(std::string_view name) {
    return "Mandatory parameter '" + std::string(name) + "' was not sent, was empty/null, or malformed.";
}

std::string illegal_msg(std::string_view name, std::string_view range) {
    return "Illegal characters found in parameter '" + std::string(name) + "'; legal range is '" + std::string(range) + "'.";
}

bool parse_int(const std::string& s, std::int64_t& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

// Binance's decimal parameter syntax: digits with an optional fraction, no sign or exponent.
bool parse_decimal(const std::string& s, Decimal& out) {
    if (s.empty() || s.size() > 42) return false;
    for (char c : s)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;
    return Decimal::try_parse(s, out) == ParseStatus::Ok;
}

bool valid_client_id(const std::string& s) {
    if (s.empty() || s.size() > 36) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '/' || c == '_' || c == '-'))
            return false;
    return true;
}

SimServer::OpResult op_error(int code, std::string msg, unsigned status = 400) {
    SimServer::OpResult r;
    r.status = status;
    r.code = code;
    r.body = std::move(msg);
    return r;
}

SimServer::OpResult op_ok(std::string body) {
    SimServer::OpResult r;
    r.body = std::move(body);
    return r;
}

int weight_of(std::string_view method, std::string_view path, const ParamMap& p) {
    if (path == "/api/v3/exchangeInfo" || path == "/api/v3/account" || path == "/api/v3/myTrades") return 20;
    if (path == "/api/v3/klines") return 2;
    if (path == "/api/v3/ticker/price") return p.count("symbol") ? 2 : 4;
    if (path == "/api/v3/depth") return 5;
    if (path == "/api/v3/order" && method == "GET") return 4;
    if (path == "/api/v3/openOrders" && method == "GET") return p.count("symbol") ? 6 : 80;
    return 1;
}

}  // namespace

net::ServerResponse SimServer::rest_error(unsigned status, int code, std::string_view msg) const {
    return net::ServerResponse::json(status, error_json(code, msg));
}

std::optional<SimServer::OpResult> SimServer::check_timestamp(const ParamMap& p) const {
    const auto* ts_text = get(p, "timestamp");
    std::int64_t ts = 0;
    if (!ts_text || !parse_int(*ts_text, ts)) return op_error(-1102, mandatory_msg("timestamp"));
    if (ts >= 1'000'000'000'000'000) ts /= 1000;  // microseconds
    std::int64_t window = 5000;
    if (const auto* rw = get(p, "recvWindow")) {
        if (!parse_int(*rw, window) || window < 0) return op_error(-1102, mandatory_msg("recvWindow"));
        if (window > 60000) return op_error(-1131, "recvWindow must be less than 60000");
    }
    const std::int64_t now = now_ms();
    if (ts >= now + 1000) return op_error(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    if (now - ts > window) return op_error(-1021, "Timestamp for this request is outside of the recvWindow.");
    return std::nullopt;
}

std::optional<net::ServerResponse> SimServer::authenticate(const net::IncomingRequest& req, Params& p, int& account) {
    const auto key = req.header("X-MBX-APIKEY");
    if (key.empty()) return rest_error(401, -2014, "API-key format invalid.");
    account = ex_->account_by_key(key);  // the key table never changes after construction
    if (account < 0) return rest_error(401, -2015, "Invalid API-key, IP, or permissions for action.");
    if (auto e = check_timestamp(p.values)) return rest_error(e->status, e->code, e->body);
    if (p.signature.empty()) return rest_error(400, -1102, mandatory_msg("signature"));
    const auto& secret = ex_->account_config(account).secret;
    if (!binance::signature_matches(binance::hmac_sha256_hex(secret, p.payload), p.signature))
        return rest_error(400, -1022, "Signature for this request is not valid.");
    return std::nullopt;
}

net::ServerResponse SimServer::handle_http(const net::IncomingRequest& req) {
    const auto target = req.target();
    const auto qpos = target.find('?');
    const std::string path(target.substr(0, qpos));
    Params p;
    std::string body_payload;
    if (req.method() != "GET") body_payload = parse_form(req.body(), p.values, p.signature, false);
    std::string query_payload;
    if (qpos != std::string_view::npos) query_payload = parse_form(target.substr(qpos + 1), p.values, p.signature, true);
    p.payload = query_payload + body_payload;

    const FaultConfig f = faults();
    const std::string ip(req.remote_address);
    const std::int64_t now = now_ms();
    net::ServerResponse res;
    std::int64_t used = 0;
    if (f.storm_418) {
        const std::int64_t ban_s = f.storm_retry_after_s > 0 ? f.storm_retry_after_s : 120;
        res = rest_error(418, -1003, "Way too much request weight used; IP banned until " + std::to_string(now + ban_s * 1000) +
                                         ". Please use WebSocket Streams for live updates to avoid bans.");
        res.headers.emplace_back("Retry-After", std::to_string(ban_s));
    } else if (f.storm_429) {
        res = rest_error(429, -1003, "Too much request weight used; current limit is " + std::to_string(config_.weight_limit_1m) +
                                         " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.");
        res.headers.emplace_back("Retry-After", std::to_string(f.storm_retry_after_s > 0 ? f.storm_retry_after_s : 60));
    } else {
        int weight = weight_of(req.method(), path, p.values);
        WeightLimiter::Verdict v;
        {
            std::lock_guard lock(limits_mu_);
            v = weights_.charge(ip, weight, now);
        }
        used = v.used;
        if (v.status == 418) {
            res = rest_error(418, -1003, "Way too much request weight used; IP banned until " + std::to_string(v.banned_until_ms) +
                                             ". Please use WebSocket Streams for live updates to avoid bans.");
            res.headers.emplace_back("Retry-After", std::to_string(v.retry_after_s));
        } else if (v.status == 429) {
            res = rest_error(429, -1003, "Too much request weight used; current limit is " + std::to_string(config_.weight_limit_1m) +
                                             " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.");
            res.headers.emplace_back("Retry-After", std::to_string(v.retry_after_s));
        } else {
            try {
                res = rest(req, path, p, weight);
            } catch (const std::exception& e) {
                res = rest_error(500, -1000, std::string("An unknown error occurred while processing the request: ") + e.what());
            }
        }
    }
    res.headers.emplace_back("X-MBX-USED-WEIGHT-1M", std::to_string(used));
    if (f.latency_us > 0) res.delay = std::chrono::microseconds(f.latency_us);
    return res;
}

net::ServerResponse SimServer::rest(const net::IncomingRequest& req, const std::string& path, Params& p, int& /*weight*/) {
    const auto method = req.method();
    const auto& v = p.values;
    const FaultConfig f = faults();
    const bool is_order_op = path == "/api/v3/order" && (method == "POST" || method == "DELETE");
    if (!is_order_op && roll(f.error_5xx_ratio))
        return rest_error(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");

    auto to_response = [this](const OpResult& r) {
        return r.status == 200 ? net::ServerResponse::json(200, r.body) : rest_error(r.status, r.code, r.body);
    };
    // Public endpoints.
    if (method == "GET" && path == "/api/v3/ping") return net::ServerResponse::json(200, "{}");
    if (method == "GET" && path == "/api/v3/time")
        return net::ServerResponse::json(200, "{\"serverTime\":" + std::to_string(now_ms()) + "}");
    if (method == "GET" && path == "/api/v3/exchangeInfo") {
        std::vector<int> selected;
        if (const auto* s = get(v, "symbol")) {
            const int i = ex_->symbol_index(*s);
            if (i < 0) return rest_error(400, -1121, "Invalid symbol.");
            selected.push_back(i);
        } else if (const auto* list = get(v, "symbols")) {
            boost::system::error_code ec;
            auto parsed = json::parse(*list, ec);
            if (ec || !parsed.is_array()) return rest_error(400, -1102, mandatory_msg("symbols"));
            for (const auto& name : parsed.get_array()) {
                const int i = name.is_string() ? ex_->symbol_index(name.get_string()) : -1;
                if (i < 0) return rest_error(400, -1121, "Invalid symbol.");
                selected.push_back(i);
            }
        } else {
            for (std::size_t i = 0; i < ex_->symbol_count(); ++i) selected.push_back(static_cast<int>(i));
        }
        JsonOut j;
        j.begin_obj().key("timezone").str("UTC").key("serverTime").num(now_ms())
            .key("rateLimits").raw(rate_limits_json(config_))
            .key("exchangeFilters").begin_arr().end_arr()
            .key("symbols").begin_arr();
        for (int i : selected) symbol_info_json(j, ex_->symbol(i));
        j.end_arr().end_obj();
        return net::ServerResponse::json(200, j.take());
    }
    if (method == "GET" && path == "/api/v3/klines") {
        const auto* s = get(v, "symbol");
        if (!s) return rest_error(400, -1102, mandatory_msg("symbol"));
        const int si = ex_->symbol_index(*s);
        if (si < 0) return rest_error(400, -1121, "Invalid symbol.");
        const auto* iv = get(v, "interval");
        if (!iv) return rest_error(400, -1102, mandatory_msg("interval"));
        int interval = -1;
        for (std::size_t i = 0; i < kIntervals; ++i)
            if (EnumInfo<Interval>::names[i] == *iv) interval = static_cast<int>(i);
        if (interval < 0) return rest_error(400, -1120, "Invalid interval.");
        std::optional<std::int64_t> start, end;
        std::int64_t limit = 500, tmp = 0;
        if (const auto* t = get(v, "startTime")) {
            if (!parse_int(*t, tmp)) return rest_error(400, -1100, illegal_msg("startTime", "^[0-9]{1,20}$"));
            start = tmp;
        }
        if (const auto* t = get(v, "endTime")) {
            if (!parse_int(*t, tmp)) return rest_error(400, -1100, illegal_msg("endTime", "^[0-9]{1,20}$"));
            end = tmp;
        }
        if (const auto* t = get(v, "limit")) {
            if (!parse_int(*t, limit)) return rest_error(400, -1100, illegal_msg("limit", "^[0-9]{1,20}$"));
            if (limit < 1 || limit > 1000) return rest_error(400, -1130, "Invalid data sent for a parameter.");
        }
        JsonOut j;
        j.begin_arr();
        {
            std::lock_guard lock(ex_mu_);
            for (const auto& k : ex_->klines(si, static_cast<Interval>(interval), start, end, static_cast<std::size_t>(limit)))
                kline_row_json(j, k);
        }
        j.end_arr();
        return net::ServerResponse::json(200, j.take());
    }
    if (method == "GET" && path == "/api/v3/ticker/price") {
        JsonOut j;
        std::lock_guard lock(ex_mu_);
        if (const auto* s = get(v, "symbol")) {
            const int si = ex_->symbol_index(*s);
            if (si < 0) return rest_error(400, -1121, "Invalid symbol.");
            j.begin_obj().key("symbol").str(*s).key("price").dec(ex_->last_price(si)).end_obj();
        } else {
            j.begin_arr();
            for (std::size_t i = 0; i < ex_->symbol_count(); ++i)
                j.begin_obj().key("symbol").str(ex_->symbol(static_cast<int>(i)).symbol)
                    .key("price").dec(ex_->last_price(static_cast<int>(i))).end_obj();
            j.end_arr();
        }
        return net::ServerResponse::json(200, j.take());
    }
    if (method == "GET" && path == "/api/v3/depth") {
        const auto* s = get(v, "symbol");
        if (!s) return rest_error(400, -1102, mandatory_msg("symbol"));
        const int si = ex_->symbol_index(*s);
        if (si < 0) return rest_error(400, -1121, "Invalid symbol.");
        JsonOut j;
        std::lock_guard lock(ex_mu_);
        j.begin_obj().key("lastUpdateId").num(ex_->book(si).update_id).key("bids").begin_arr();
        for (const auto& [price, qty] : ex_->levels(si, Side::Buy)) j.begin_arr().dec(price).dec(qty).end_arr();
        j.end_arr().key("asks").begin_arr();
        for (const auto& [price, qty] : ex_->levels(si, Side::Sell)) j.begin_arr().dec(price).dec(qty).end_arr();
        j.end_arr().end_obj();
        return net::ServerResponse::json(200, j.take());
    }

    // Signed endpoints.
    const bool signed_path = path == "/api/v3/order" || path == "/api/v3/order/test" || path == "/api/v3/openOrders" ||
                             path == "/api/v3/account" || path == "/api/v3/myTrades";
    if (!signed_path) return rest_error(404, -1000, "Unknown endpoint " + std::string(method) + " " + path + ".");
    int account = -1;
    if (auto e = authenticate(req, p, account)) return *e;

    if (path == "/api/v3/order" && method == "POST") {
        if (roll(f.error_5xx_ratio)) {
            // The order may or may not exist afterwards, as on the real exchange.
            if (roll(0.5)) op_place(account, v, false);
            return rest_error(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }
        auto r = op_place(account, v, false);
        auto res = to_response(r);
        std::lock_guard lock(limits_mu_);
        res.headers.emplace_back("X-MBX-ORDER-COUNT-10S", std::to_string(orders_.count_10s(account, now_ms())));
        res.headers.emplace_back("X-MBX-ORDER-COUNT-1D", std::to_string(orders_.count_1d(account, now_ms())));
        return res;
    }
    if (path == "/api/v3/order/test" && method == "POST") return to_response(op_place(account, v, true));
    if (path == "/api/v3/order" && method == "GET") return to_response(op_status(account, v));
    if (path == "/api/v3/order" && method == "DELETE") {
        if (roll(f.error_5xx_ratio)) {
            if (roll(0.5)) op_cancel(account, v);
            return rest_error(503, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");
        }
        return to_response(op_cancel(account, v));
    }
    if (path == "/api/v3/openOrders" && method == "GET") {
        int si = -1;
        if (const auto* s = get(v, "symbol")) {
            si = ex_->symbol_index(*s);
            if (si < 0) return rest_error(400, -1121, "Invalid symbol.");
        }
        JsonOut j;
        j.begin_arr();
        std::lock_guard lock(ex_mu_);
        for (const auto& o : ex_->open_orders(account, si)) order_query_json(j, *ex_, o);
        j.end_arr();
        return net::ServerResponse::json(200, j.take());
    }
    if (path == "/api/v3/openOrders" && method == "DELETE") {
        const auto* s = get(v, "symbol");
        if (!s) return rest_error(400, -1102, mandatory_msg("symbol"));
        std::lock_guard lock(ex_mu_);
        auto r = ex_->cancel_all(account, *s, now_ms());
        if (auto* e = std::get_if<ApiError>(&r)) return rest_error(e->http_status, e->code, e->msg);
        JsonOut j;
        j.begin_arr();
        for (const auto& o : std::get<std::vector<Order>>(r)) order_cancel_json(j, *ex_, o, o.orig_client_order_id);
        j.end_arr();
        return net::ServerResponse::json(200, j.take());
    }
    if (path == "/api/v3/account" && method == "GET") {
        const auto* omit = get(v, "omitZeroBalances");
        std::lock_guard lock(ex_mu_);
        return net::ServerResponse::json(200, account_json(*ex_, account, omit && *omit == "true"));
    }
    if (path == "/api/v3/myTrades" && method == "GET") {
        const auto* s = get(v, "symbol");
        if (!s) return rest_error(400, -1102, mandatory_msg("symbol"));
        const int si = ex_->symbol_index(*s);
        if (si < 0) return rest_error(400, -1121, "Invalid symbol.");
        std::optional<std::int64_t> order_id, from_id;
        std::int64_t start = 0, end = INT64_MAX, limit = 500, tmp = 0;
        for (const char* name : {"orderId", "fromId", "startTime", "endTime", "limit"}) {
            if (const auto* t = get(v, name)) {
                if (!parse_int(*t, tmp)) return rest_error(400, -1100, illegal_msg(name, "^[0-9]{1,20}$"));
                const std::string_view n(name);
                if (n == "orderId") order_id = tmp;
                else if (n == "fromId") from_id = tmp;
                else if (n == "startTime") start = tmp;
                else if (n == "endTime") end = tmp;
                else limit = std::clamp<std::int64_t>(tmp, 1, 1000);
            }
        }
        JsonOut j;
        j.begin_arr();
        std::lock_guard lock(ex_mu_);
        for (const auto& t : ex_->trades(account, si, order_id, from_id, start, end, static_cast<std::size_t>(limit)))
            my_trade_json(j, *ex_, t);
        j.end_arr();
        return net::ServerResponse::json(200, j.take());
    }
    return rest_error(404, -1000, "Unknown endpoint " + std::string(method) + " " + path + ".");
}

SimServer::OpResult SimServer::op_place(int account, const ParamMap& p, bool test_only) {
    OrderRequest req;
    const auto* symbol = get(p, "symbol");
    if (!symbol) return op_error(-1102, mandatory_msg("symbol"));
    req.symbol = *symbol;
    const auto* side = get(p, "side");
    if (!side) return op_error(-1102, mandatory_msg("side"));
    if (*side == "BUY") req.side = Side::Buy;
    else if (*side == "SELL") req.side = Side::Sell;
    else return op_error(-1117, "Invalid side.");
    const auto* type = get(p, "type");
    if (!type) return op_error(-1102, mandatory_msg("type"));
    if (*type == "LIMIT") req.type = OrderType::Limit;
    else if (*type == "MARKET") req.type = OrderType::Market;
    else if (*type == "LIMIT_MAKER") req.type = OrderType::LimitMaker;
    else if (*type == "STOP_LOSS" || *type == "STOP_LOSS_LIMIT" || *type == "TAKE_PROFIT" || *type == "TAKE_PROFIT_LIMIT")
        return op_error(-1014, "Unsupported order combination.");
    else return op_error(-1116, "Invalid orderType.");
    if (const auto* tif = get(p, "timeInForce")) {
        if (*tif == "GTC") req.tif = TimeInForce::Gtc;
        else if (*tif == "IOC") req.tif = TimeInForce::Ioc;
        else if (*tif == "FOK") req.tif = TimeInForce::Fok;
        else return op_error(-1115, "Invalid timeInForce.");
    }
    for (auto [name, slot] : {std::pair{"quantity", &req.quantity}, std::pair{"quoteOrderQty", &req.quote_order_qty},
                              std::pair{"price", &req.price}}) {
        if (const auto* t = get(p, name)) {
            Decimal d;
            if (!parse_decimal(*t, d)) return op_error(-1100, illegal_msg(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$"));
            *slot = d;
        }
    }
    if (const auto* id = get(p, "newClientOrderId")) {
        if (!valid_client_id(*id)) return op_error(-1100, illegal_msg("newClientOrderId", "^[\\.A-Z\\:/a-z0-9_-]{1,36}$"));
        req.client_order_id = *id;
    }
    RespType resp = req.type == OrderType::LimitMaker ? RespType::Ack : RespType::Full;
    if (const auto* rt = get(p, "newOrderRespType")) {
        if (*rt == "ACK") resp = RespType::Ack;
        else if (*rt == "RESULT") resp = RespType::Result;
        else if (*rt == "FULL") resp = RespType::Full;
        else return op_error(-1100, illegal_msg("newOrderRespType", "ACK, RESULT, FULL"));
    }
    const std::int64_t now = now_ms();
    if (!test_only) {
        if (roll(faults().reject_ratio)) return op_error(-2010, "Order was rejected by the exchange (simulated).");
        std::lock_guard lock(limits_mu_);
        if (!orders_.try_add(account, now))
            return op_error(-1015, "Too many new orders; current limit is " + std::to_string(orders_.limit_10s()) +
                                       " orders per 10 SECOND.", 429);
    }
    std::lock_guard lock(ex_mu_);
    auto r = ex_->place(account, req, now, test_only);
    if (auto* e = std::get_if<ApiError>(&r)) return op_error(e->code, e->msg, e->http_status);
    if (test_only) return op_ok("{}");
    OpResult ok = op_ok(order_placed_json(*ex_, std::get<PlaceResult>(r), resp));
    ok.order_placed = true;
    note_accepted(req.client_order_id);
    return ok;
}

SimServer::OpResult SimServer::op_cancel(int account, const ParamMap& p) {
    const auto* symbol = get(p, "symbol");
    if (!symbol) return op_error(-1102, mandatory_msg("symbol"));
    std::optional<std::int64_t> order_id;
    if (const auto* t = get(p, "orderId")) {
        std::int64_t id = 0;
        if (!parse_int(*t, id)) return op_error(-1100, illegal_msg("orderId", "^[0-9]{1,20}$"));
        order_id = id;
    }
    const auto* orig = get(p, "origClientOrderId");
    if (!order_id && !orig) return op_error(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    const auto* new_id = get(p, "newClientOrderId");
    if (new_id && !valid_client_id(*new_id))
        return op_error(-1100, illegal_msg("newClientOrderId", "^[\\.A-Z\\:/a-z0-9_-]{1,36}$"));
    std::lock_guard lock(ex_mu_);
    auto r = ex_->cancel(account, *symbol, order_id, orig ? *orig : std::string(), new_id ? *new_id : std::string(), now_ms());
    if (auto* e = std::get_if<ApiError>(&r)) return op_error(e->code, e->msg, e->http_status);
    const auto& o = std::get<Order>(r);
    JsonOut j;
    order_cancel_json(j, *ex_, o, o.orig_client_order_id);
    return op_ok(j.take());
}

SimServer::OpResult SimServer::op_status(int account, const ParamMap& p) {
    const auto* symbol = get(p, "symbol");
    if (!symbol) return op_error(-1102, mandatory_msg("symbol"));
    std::optional<std::int64_t> order_id;
    if (const auto* t = get(p, "orderId")) {
        std::int64_t id = 0;
        if (!parse_int(*t, id)) return op_error(-1100, illegal_msg("orderId", "^[0-9]{1,20}$"));
        order_id = id;
    }
    const auto* orig = get(p, "origClientOrderId");
    if (!order_id && !orig) return op_error(-1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    std::lock_guard lock(ex_mu_);
    auto r = ex_->query(account, *symbol, order_id, orig ? *orig : std::string());
    if (auto* e = std::get_if<ApiError>(&r)) return op_error(e->code, e->msg, e->http_status);
    JsonOut j;
    order_query_json(j, *ex_, std::get<Order>(r));
    return op_ok(j.take());
}

}  // namespace te::sim
