#include "venues/sim/price_path.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"

namespace te::sim {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

std::uint64_t Rng::next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double Rng::uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() noexcept {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
}

std::uint64_t fnv1a(std::string_view text) noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

GbmPath::GbmPath(double start, double drift, double volatility, std::uint64_t seed)
    : price_(start), drift_(drift), vol_(volatility), rng_(seed) {}

double GbmPath::next(double dt_ms) noexcept {
    constexpr double kMsPerYear = 365.0 * 24 * 3600 * 1000;
    const double dt = dt_ms / kMsPerYear;
    const double z = rng_.normal();
    price_ *= std::exp((drift_ - 0.5 * vol_ * vol_) * dt + vol_ * std::sqrt(dt) * z);
    return price_;
}

std::vector<CsvKline> load_kline_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("kline_csv: cannot open '" + path + "'");
    std::vector<CsvKline> rows;
    std::string line;
    std::size_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, ',')) cols.push_back(col);
        if (cols.size() < 6) throw ConfigError("kline_csv: " + path + ":" + std::to_string(line_no) + ": expected at least 6 columns (open_time,open,high,low,close,volume)");
        CsvKline k;
        try {
            k.open_time = std::stoll(cols[0]);
        } catch (const std::exception&) {
            if (rows.empty() && line_no == 1) continue;  // header
            throw ConfigError("kline_csv: " + path + ":" + std::to_string(line_no) + ": bad open time '" + cols[0] + "'");
        }
        try {
            k.open = Decimal::parse(cols[1], Rounding::HalfEven);
            k.high = Decimal::parse(cols[2], Rounding::HalfEven);
            k.low = Decimal::parse(cols[3], Rounding::HalfEven);
            k.close = Decimal::parse(cols[4], Rounding::HalfEven);
            k.volume = Decimal::parse(cols[5], Rounding::HalfEven);
        } catch (const std::exception& e) {
            throw ConfigError("kline_csv: " + path + ":" + std::to_string(line_no) + ": " + e.what());
        }
        rows.push_back(k);
    }
    if (rows.empty()) throw ConfigError("kline_csv: '" + path + "' has no klines");
    return rows;
}

ReplayPath::ReplayPath(std::vector<CsvKline> rows) : rows_(std::move(rows)) {}

Decimal ReplayPath::price_at(std::size_t i, int step) const {
    const auto& k = rows_[i % rows_.size()];
    const bool up = k.close >= k.open;
    switch (step) {
        case 0: return k.open;
        case 1: return up ? k.low : k.high;
        case 2: return up ? k.high : k.low;
        default: return k.close;
    }
}

}  // namespace te::sim
