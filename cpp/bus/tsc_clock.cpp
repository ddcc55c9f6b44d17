#include "bus/tsc_clock.hpp"

#include <atomic>
#include <mutex>

namespace te::tsc {

namespace {

struct Anchor {
    std::int64_t ticks;
    std::int64_t ns;
};

Anchor take_anchor() noexcept { return {ticks(), monotonic_ns()}; }

const Anchor& start_anchor() noexcept {
    static const Anchor a = take_anchor();
    return a;
}

// Touch the anchor at load time so that calibration spans the process's lifetime.
[[maybe_unused]] const bool kAnchored = (start_anchor(), true);

std::atomic<double> g_ratio{0.0};
std::atomic<std::int64_t> g_ratio_at{0};

}  // namespace

double ns_per_tick() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    const Anchor& a = start_anchor();
    Anchor now = take_anchor();
    // Until 20 ms have passed, measure a short interval here (once) to get a usable ratio.
    if (now.ns - a.ns < 20 * kNanosPerMilli) {
        if (g_ratio.load(std::memory_order_relaxed) > 0) return g_ratio.load(std::memory_order_relaxed);
        const Anchor b = take_anchor();
        Anchor c;
        do {
            c = take_anchor();
        } while (c.ns - b.ns < 2 * kNanosPerMilli);
        const double r = static_cast<double>(c.ns - b.ns) / static_cast<double>(c.ticks - b.ticks);
        g_ratio.store(r, std::memory_order_relaxed);
        return r;
    }
    // Refresh at most every 100 ms; the longer the span, the more exact the ratio.
    if (now.ns - g_ratio_at.load(std::memory_order_relaxed) > 100 * kNanosPerMilli || g_ratio.load() <= 0) {
        const double r = static_cast<double>(now.ns - a.ns) / static_cast<double>(now.ticks - a.ticks);
        g_ratio.store(r, std::memory_order_relaxed);
        g_ratio_at.store(now.ns, std::memory_order_relaxed);
    }
    return g_ratio.load(std::memory_order_relaxed);
#else
    return 1.0;
#endif
}

double ns_per_tick_cached() noexcept {
    const double r = g_ratio.load(std::memory_order_relaxed);
    return r > 0 ? r : ns_per_tick();
}

std::int64_t to_monotonic_ns(std::int64_t stamp) noexcept {
#if defined(__x86_64__) || defined(__i386__)
    const Anchor& a = start_anchor();
    return a.ns + to_ns(stamp - a.ticks);
#else
    return stamp;
#endif
}

}  // namespace te::tsc
