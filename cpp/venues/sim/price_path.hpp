#pragma once
// Price paths for the simulated exchange. Both produce one price per call to next(dt_ms);
// the GBM path is a pure function of (seed, symbol, sequence of dt): same seed, same path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"

namespace te::sim {

// xoshiro256** seeded through splitmix64: small, fast and identical on every platform
// (std::normal_distribution is not specified bit-for-bit across standard libraries).
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next() noexcept;
    double uniform() noexcept;  // [0, 1)
    double normal() noexcept;   // standard normal (Box-Muller)

private:
    std::uint64_t s_[4];
    bool has_spare_ = false;
    double spare_ = 0;
};

std::uint64_t fnv1a(std::string_view text) noexcept;

// Geometric Brownian motion: S *= exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z), dt in years.
class GbmPath {
public:
    GbmPath(double start, double drift, double volatility, std::uint64_t seed);
    double next(double dt_ms) noexcept;
    double price() const noexcept { return price_; }
    Rng& rng() noexcept { return rng_; }

private:
    double price_, drift_, vol_;
    Rng rng_;
};

// One row of a kline CSV: open time (ms), open, high, low, close, volume. Binance's 12-column
// export works as is (extra columns are ignored); a header line is skipped.
struct CsvKline {
    std::int64_t open_time = 0;
    Decimal open, high, low, close, volume;
};
std::vector<CsvKline> load_kline_csv(const std::string& path);

// Replays CSV klines: each kline is walked open -> low/high -> close in four steps, so a
// kline of the feed reproduces the file's OHLC.
class ReplayPath {
public:
    explicit ReplayPath(std::vector<CsvKline> rows);
    // The price `step` (0..3) of row `i` (wrapping around at the end of the file).
    Decimal price_at(std::size_t i, int step) const;
    const std::vector<CsvKline>& rows() const noexcept { return rows_; }

private:
    std::vector<CsvKline> rows_;
};

}  // namespace te::sim
