#pragma once
// A log-linear latency histogram (HdrHistogram-like, ~3% resolution) for nanosecond values.
// Recording is a bit scan and one relaxed counter increment: a few nanoseconds, no lock.
// record() is safe from many threads; record_single_writer() is the cheaper form for a
// histogram only one thread writes (the dispatcher). Readers may run concurrently; a
// snapshot is then approximate by the few events recorded while it was taken.
#include <array>
#include <atomic>
#include <bit>
#include <cstdint>

namespace te {

struct LatencySummary {
    std::uint64_t count = 0;
    std::int64_t p50_ns = 0;
    std::int64_t p99_ns = 0;
    std::int64_t p999_ns = 0;
    std::int64_t max_ns = 0;
    double mean_ns = 0.0;
};

// A summary recorded in other units (e.g. TSC ticks) converted to nanoseconds.
inline LatencySummary scaled(LatencySummary s, double ns_per_unit) noexcept {
    auto k = [&](std::int64_t v) { return static_cast<std::int64_t>(static_cast<double>(v) * ns_per_unit); };
    s.p50_ns = k(s.p50_ns);
    s.p99_ns = k(s.p99_ns);
    s.p999_ns = k(s.p999_ns);
    s.max_ns = k(s.max_ns);
    s.mean_ns *= ns_per_unit;
    return s;
}

class LatencyHistogram {
public:
    static constexpr int kSubBits = 5;                       // 32 sub-buckets per power of two
    static constexpr int kLinear = 1 << (kSubBits + 1);      // values below 64 ns are exact
    static constexpr int kMaxMsb = 42;                       // ~73 minutes; larger values clamp
    static constexpr std::size_t kBuckets = kLinear + (kMaxMsb - kSubBits) * (1 << kSubBits);

    static std::size_t bucket_of(std::int64_t ns) noexcept {
        const auto v = ns < 0 ? 0u : static_cast<std::uint64_t>(ns);
        if (v < static_cast<std::uint64_t>(kLinear)) return static_cast<std::size_t>(v);
        int msb = 63 - std::countl_zero(v);
        if (msb > kMaxMsb) return kBuckets - 1;
        const auto sub = (v >> (msb - kSubBits)) & ((1u << kSubBits) - 1);
        return static_cast<std::size_t>(kLinear) +
               static_cast<std::size_t>(msb - kSubBits - 1) * (1u << kSubBits) + sub;
    }
    // The largest value that falls in bucket `b` (percentiles report this upper edge).
    static std::int64_t upper_of(std::size_t b) noexcept {
        if (b < static_cast<std::size_t>(kLinear)) return static_cast<std::int64_t>(b);
        const auto k = b - static_cast<std::size_t>(kLinear);
        const int msb = static_cast<int>(k >> kSubBits) + kSubBits + 1;
        const auto sub = k & ((1u << kSubBits) - 1);
        const std::uint64_t base = (std::uint64_t{1} << msb) | (sub << (msb - kSubBits));
        return static_cast<std::int64_t>(base + (std::uint64_t{1} << (msb - kSubBits)) - 1);
    }

    void record(std::int64_t ns) noexcept {
        buckets_[bucket_of(ns)].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(ns < 0 ? 0 : static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
        auto m = max_.load(std::memory_order_relaxed);
        while (ns > m && !max_.compare_exchange_weak(m, ns, std::memory_order_relaxed)) {
        }
    }
    void record_single_writer(std::int64_t ns) noexcept {
        auto& b = buckets_[bucket_of(ns)];
        b.store(b.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        sum_.store(sum_.load(std::memory_order_relaxed) + (ns < 0 ? 0 : static_cast<std::uint64_t>(ns)),
                   std::memory_order_relaxed);
        if (ns > max_.load(std::memory_order_relaxed)) max_.store(ns, std::memory_order_relaxed);
    }

    LatencySummary summary() const noexcept;
    void reset() noexcept;

private:
    std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
    std::atomic<std::uint64_t> sum_{0};
    std::atomic<std::int64_t> max_{0};
};

}  // namespace te
