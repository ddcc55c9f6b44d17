#include "venues/sim/streams.hpp"

#include <boost/json.hpp>

#include "venues/sim/exchange.hpp"
#include "venues/sim/format.hpp"

namespace te::sim {

namespace json = boost::json;

std::optional<StreamName> parse_stream(const Exchange& ex, std::string_view name) {
    const auto at = name.find('@');
    if (at == std::string_view::npos || at == 0) return std::nullopt;
    const std::string sym_lower(name.substr(0, at));
    for (char c : sym_lower)
        if (c >= 'A' && c <= 'Z') return std::nullopt;  // Binance symbols are lowercase in streams
    std::string upper = sym_lower;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    StreamName out;
    out.symbol = ex.symbol_index(upper);
    if (out.symbol < 0) return std::nullopt;
    const auto type = name.substr(at + 1);
    if (type == "trade") out.kind = StreamKind::Trade;
    else if (type == "aggTrade") out.kind = StreamKind::AggTrade;
    else if (type == "bookTicker") out.kind = StreamKind::BookTicker;
    else if (type.starts_with("kline_")) {
        out.kind = StreamKind::Kline;
        const auto iv = type.substr(6);
        bool found = false;
        for (std::size_t i = 0; i < kIntervals; ++i) {
            if (EnumInfo<Interval>::names[i] == iv) {
                out.interval = i;
                found = true;
            }
        }
        if (!found) return std::nullopt;
    } else {
        return std::nullopt;
    }
    return out;
}

std::string stream_name(const Exchange& ex, int symbol, StreamKind kind, std::size_t interval) {
    std::string s = lower(ex.symbol(symbol).symbol);
    switch (kind) {
        case StreamKind::Trade: return s + "@trade";
        case StreamKind::AggTrade: return s + "@aggTrade";
        case StreamKind::BookTicker: return s + "@bookTicker";
        case StreamKind::Kline: return s + "@kline_" + std::string(EnumInfo<Interval>::names[interval]);
    }
    return s;
}

namespace {

std::string reply(const json::value& id, std::string_view result_json) {
    return "{\"result\":" + std::string(result_json) + ",\"id\":" + json::serialize(id) + "}";
}

std::string error(int code, std::string_view msg, const json::value* id) {
    JsonOut j;
    j.begin_obj().key("code").num(code).key("msg").str(msg);
    if (id) j.key("id").raw(json::serialize(*id));
    j.end_obj();
    return j.take();
}

bool valid_id(const json::value& id) {
    if (id.is_null() || id.is_uint64()) return true;
    if (id.is_int64()) return id.get_int64() >= 0;
    if (id.is_string()) {
        const auto& s = id.get_string();
        if (s.size() > 36) return false;
        for (char c : s)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
        return true;
    }
    return false;
}

}  // namespace

bool Subscriptions::add_initial(const std::vector<std::string>& names, const Validator& valid) {
    for (const auto& n : names) {
        if (!valid(n)) return false;
        streams_.insert(n);
    }
    return streams_.size() <= max_;
}

Subscriptions::Outcome Subscriptions::handle(std::string_view text, const Validator& valid) {
    Outcome out;
    json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t used = parser.write(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        out.response = error(3, "Invalid JSON: expected value at line 1 column " + std::to_string(used + 1), nullptr);
        return out;
    }
    const json::value root = parser.release();
    if (!root.is_object()) {
        out.response = error(2, "Invalid request: expected an object at line 1 column 1", nullptr);
        return out;
    }
    const auto& obj = root.get_object();
    static const json::value null_id;
    const json::value* id = obj.if_contains("id");
    if (!id) id = &null_id;
    if (!valid_id(*id)) {
        out.response = error(2, "Invalid request: request ID must be an unsigned integer", nullptr);
        return out;
    }
    const json::value* method = obj.if_contains("method");
    if (!method) {
        out.response = error(2, "Invalid request: missing field `method` at line 1 column " + std::to_string(text.size()), id);
        return out;
    }
    const std::string m = method->is_string() ? std::string(method->get_string()) : json::serialize(*method);
    const json::value* params = obj.if_contains("params");
    static const json::array empty;
    const json::array* list = params && params->is_array() ? &params->get_array() : &empty;
    if (params && !params->is_array() && !params->is_null()) {
        out.response = error(2, "Invalid request: params must be an array", id);
        return out;
    }

    if (m == "SUBSCRIBE" || m == "UNSUBSCRIBE") {
        std::vector<std::string> names;
        for (const auto& p : *list) {
            if (!p.is_string()) {
                out.response = error(2, "Invalid request: stream names must be strings", id);
                return out;
            }
            names.emplace_back(p.get_string());
        }
        if (m == "SUBSCRIBE") {
            for (const auto& n : names) {
                if (!valid(n)) {
                    out.response = error(2, "Invalid request: unknown stream `" + n + "`", id);
                    return out;
                }
            }
            std::size_t total = streams_.size();
            for (const auto& n : names) total += streams_.count(n) ? 0u : 1u;
            if (total > max_) {
                out.response = error(2, "Invalid request: too many streams (max " + std::to_string(max_) + " per connection)", id);
                return out;
            }
            for (auto& n : names)
                if (streams_.insert(n).second) out.added.push_back(n);
        } else {
            for (auto& n : names)
                if (streams_.erase(n)) out.removed.push_back(n);
        }
        out.response = reply(*id, "null");
    } else if (m == "LIST_SUBSCRIPTIONS") {
        json::array arr;
        for (const auto& s : streams_) arr.emplace_back(s);
        out.response = reply(*id, json::serialize(arr));
    } else if (m == "SET_PROPERTY" || m == "GET_PROPERTY") {
        const std::size_t expected = m == "SET_PROPERTY" ? 2 : 1;
        if (list->size() > expected) {
            out.response = error(2, "Invalid request: too many parameters", id);
        } else if (list->empty() || !(*list)[0].is_string()) {
            out.response = error(2, "Invalid request: property name must be a string", id);
        } else if ((*list)[0].get_string() != "combined") {
            out.response = error(0, "Unknown property", id);
        } else if (m == "GET_PROPERTY") {
            out.response = reply(*id, combined_ ? "true" : "false");
        } else if (list->size() < 2 || !(*list)[1].is_bool()) {
            out.response = error(1, "Invalid value type: expected Boolean", id);
        } else {
            combined_ = (*list)[1].get_bool();
            out.response = reply(*id, "null");
        }
    } else {
        out.response = error(2,
                             "Invalid request: unknown variant `" + m +
                                 "`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, "
                                 "`GET_PROPERTY` at line 1 column 28",
                             id);
    }
    return out;
}

}  // namespace te::sim
