#include "bus/latency_histogram.hpp"

#include <algorithm>
#include <vector>

namespace te {

LatencySummary LatencyHistogram::summary() const noexcept {
    std::array<std::uint64_t, kBuckets> counts{};
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        counts[i] = buckets_[i].load(std::memory_order_relaxed);
        total += counts[i];
    }
    LatencySummary s;
    s.count = total;
    if (total == 0) return s;
    s.max_ns = max_.load(std::memory_order_relaxed);
    s.mean_ns = static_cast<double>(sum_.load(std::memory_order_relaxed)) / static_cast<double>(total);
    auto percentile = [&](double q) {
        // The smallest bucket whose cumulative count reaches q of the total.
        const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total) + 0.5);
        const auto target = std::max<std::uint64_t>(1, rank);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            seen += counts[i];
            if (seen >= target) return std::min(upper_of(i), s.max_ns);
        }
        return s.max_ns;
    };
    s.p50_ns = percentile(0.50);
    s.p99_ns = percentile(0.99);
    s.p999_ns = percentile(0.999);
    return s;
}

void LatencyHistogram::reset() noexcept {
    for (auto& b : buckets_) b.store(0, std::memory_order_relaxed);
    sum_.store(0, std::memory_order_relaxed);
    max_.store(0, std::memory_order_relaxed);
}

}  // namespace te
