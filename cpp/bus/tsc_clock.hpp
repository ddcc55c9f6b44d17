#pragma once
// A cheap monotonic timestamp for the hot path: the CPU's time-stamp counter (rdtsc, a few ns)
// instead of clock_gettime (~25 ns here, and the bus reads the clock twice per event). Ticks
// are converted to nanoseconds only when reading statistics, with a ratio calibrated against
// steady_clock over the process's lifetime. Elsewhere (non-x86) ticks are monotonic_ns().
#include <cstdint>

#include "core/time.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace te::tsc {

inline std::int64_t ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    return static_cast<std::int64_t>(__rdtsc());
#else
    return monotonic_ns();
#endif
}

// Nanoseconds per tick (1.0 without a TSC).
double ns_per_tick() noexcept;
// The ratio as last calibrated, without reading the clock (ns_per_tick() reads it twice): for
// per-callback durations, where the clock reads cost more than the callback they time.
double ns_per_tick_cached() noexcept;

inline std::int64_t to_ns(std::int64_t tick_delta) noexcept {
    return static_cast<std::int64_t>(static_cast<double>(tick_delta) * ns_per_tick());
}

// A tick stamp as monotonic_ns() time.
std::int64_t to_monotonic_ns(std::int64_t stamp) noexcept;

}  // namespace te::tsc
