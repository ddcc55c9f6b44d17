#include <gtest/gtest.h>

#include <thread>

#include "bus/tsc_clock.hpp"

namespace te {

TEST(TscClock, TicksAreMonotonicAndConvertToNanoseconds) {
    const auto t0 = tsc::ticks();
    const auto m0 = monotonic_ns();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const auto t1 = tsc::ticks();
    const auto m1 = monotonic_ns();
    ASSERT_GT(t1, t0);
    const auto measured = tsc::to_ns(t1 - t0);
    const auto truth = m1 - m0;
    EXPECT_NEAR(static_cast<double>(measured), static_cast<double>(truth), 0.1 * static_cast<double>(truth));
}

TEST(TscClock, StampConvertsToMonotonicTime) {
    const auto now = monotonic_ns();
    const auto converted = tsc::to_monotonic_ns(tsc::ticks());
    EXPECT_NEAR(static_cast<double>(converted), static_cast<double>(now), 5e6);  // within 5 ms
}

}  // namespace te
