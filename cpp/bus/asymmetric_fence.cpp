#include "bus/asymmetric_fence.hpp"

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace te {

namespace {

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TE_NO_MEMBARRIER 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define TE_NO_MEMBARRIER 1
#endif

// Registration must happen before the first expedited call; doing it during static
// initialisation means light_fence() never sees the flag change under a running hand-off.
bool register_membarrier() noexcept {
#if defined(__linux__) && !defined(TE_NO_MEMBARRIER) && defined(MEMBARRIER_CMD_PRIVATE_EXPEDITED)
    const long supported = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
    return syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
#else
    return false;
#endif
}

}  // namespace

namespace detail {
const bool g_heavy_fence_available = register_membarrier();
}  // namespace detail

void heavy_fence() noexcept {
#if defined(__linux__) && !defined(TE_NO_MEMBARRIER) && defined(MEMBARRIER_CMD_PRIVATE_EXPEDITED)
    if (detail::g_heavy_fence_available) {
        if (syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0) return;
    }
#endif
    std::atomic_thread_fence(std::memory_order_seq_cst);
}

bool heavy_fence_uses_membarrier() noexcept { return detail::g_heavy_fence_available; }

}  // namespace te
