#pragma once
// Test helpers: read a Binance fixture, and rewrite a JSON text (drop or replace a field).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace te::binance::testing {

inline std::string fixture(std::string_view name) {
    const std::string path = std::string(TRADEENGINE_FIXTURES_DIR) + "/binance/" + std::string(name);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// Replaces the first occurrence of `from` with `to` (the test fails loudly if absent).
inline std::string replace(std::string s, std::string_view from, std::string_view to) {
    const auto pos = s.find(from);
    if (pos == std::string::npos) throw std::runtime_error("replace: '" + std::string(from) + "' not in " + s);
    s.replace(pos, from.size(), to);
    return s;
}

}  // namespace te::binance::testing

#include <algorithm>
#include <utility>
#include <vector>

namespace te::binance::testing {

// A JSON object as an ordered list of (key, raw JSON value), to derive variants of a fixture:
// a field removed, replaced, added, or the order reversed.
struct Obj {
    std::vector<std::pair<std::string, std::string>> fields;

    std::string str() const {
        std::string s = "{";
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) s += ',';
            s += '"' + fields[i].first + "\":" + fields[i].second;
        }
        return s + '}';
    }
    std::vector<std::string> keys() const {
        std::vector<std::string> k;
        for (const auto& f : fields) k.push_back(f.first);
        return k;
    }
    Obj without(std::string_view key) const {
        Obj o = *this;
        o.fields.erase(std::remove_if(o.fields.begin(), o.fields.end(), [&](auto& f) { return f.first == key; }),
                       o.fields.end());
        return o;
    }
    Obj with(std::string_view key, std::string value) const {
        Obj o = *this;
        for (auto& f : o.fields)
            if (f.first == key) {
                f.second = std::move(value);
                return o;
            }
        o.fields.emplace_back(std::string(key), std::move(value));
        return o;
    }
    Obj reversed() const {
        Obj o = *this;
        std::reverse(o.fields.begin(), o.fields.end());
        return o;
    }
    const std::string& at(std::string_view key) const {
        for (const auto& f : fields)
            if (f.first == key) return f.second;
        throw std::runtime_error("no key " + std::string(key));
    }
};

inline std::string q(std::string_view s) { return '"' + std::string(s) + '"'; }

}  // namespace te::binance::testing
