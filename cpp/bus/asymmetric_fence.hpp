#pragma once
// An asymmetric memory fence for Dekker-style hand-offs where one side is hot and the other
// rare: a publisher checking whether the dispatcher sleeps (every publish) against the
// dispatcher deciding to sleep (only when idle).
//
//   hot side:   store; light_fence(); load      -- a compiler barrier only
//   rare side:  store; heavy_fence(); load      -- membarrier(2): every running thread of the
//                                                  process executes a full barrier
//
// Either the hot side's store is visible to the rare side's load, or the hot side's load
// sees the rare side's store; never neither. Where membarrier's expedited command is not
// available (old kernels, sanitizer builds that cannot see it) both sides use a seq_cst
// fence, which is what the hot path paid before.
#include <atomic>

namespace te {

namespace detail {
// True once the process registered for MEMBARRIER_CMD_PRIVATE_EXPEDITED (see the .cpp).
extern const bool g_heavy_fence_available;
}  // namespace detail

inline void light_fence() noexcept {
    if (detail::g_heavy_fence_available) std::atomic_signal_fence(std::memory_order_seq_cst);
    else std::atomic_thread_fence(std::memory_order_seq_cst);
}

// Costs a system call (~0.2-5 us): call it only on the rare side.
void heavy_fence() noexcept;

bool heavy_fence_uses_membarrier() noexcept;

}  // namespace te
