// BoundedRing: FIFO, exact capacities, and seal() (the shutdown path's way to refuse pushes).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "bus/bounded_ring.hpp"

namespace te {
namespace {

TEST(BoundedRing, KeepsFifoOrderAndItsExactCapacity) {
    BoundedRing<int> ring(3);
    EXPECT_TRUE(ring.try_push(1));
    EXPECT_TRUE(ring.try_push(2));
    EXPECT_TRUE(ring.try_push(3));
    EXPECT_FALSE(ring.try_push(4));  // full at exactly 3 (not rounded up to a power of two)
    int v = 0;
    ASSERT_TRUE(ring.try_pop(v));
    EXPECT_EQ(v, 1);
    EXPECT_TRUE(ring.try_push(4));
    for (int want : {2, 3, 4}) {
        ASSERT_TRUE(ring.try_pop(v));
        EXPECT_EQ(v, want);
    }
    EXPECT_FALSE(ring.try_pop(v));
    EXPECT_EQ(ring.head(), 4u);
    EXPECT_EQ(ring.tail(), 4u);
}

TEST(BoundedRing, ZeroCapacityIsRejected) { EXPECT_THROW(BoundedRing<int>(0), std::invalid_argument); }

TEST(BoundedRing, SealRefusesLaterPushesAndKeepsWhatWasQueued) {
    BoundedRing<int> ring(4);
    ASSERT_TRUE(ring.try_push(7));
    ring.seal();
    EXPECT_TRUE(ring.sealed());
    EXPECT_FALSE(ring.try_push(8));
    EXPECT_EQ(ring.size(), 1u);
    EXPECT_EQ(ring.tail(), 1u);  // the seal bit is not a position
    int v = 0;
    ASSERT_TRUE(ring.try_pop(v));
    EXPECT_EQ(v, 7);
    EXPECT_EQ(ring.size(), 0u);
    EXPECT_FALSE(ring.try_push(9));  // sealed for good, even with room
    EXPECT_TRUE(ring.try_push(10, /*past_seal=*/true));  // the consumer's own thread still may
    ASSERT_TRUE(ring.try_pop(v));
    EXPECT_EQ(v, 10);
    EXPECT_TRUE(ring.sealed());
}

TEST(BoundedRing, SealDuringConcurrentPushesLosesNothing) {
    // Every push that returned true is popped after the seal; every later one returned false.
    BoundedRing<std::uint64_t> ring(64);
    std::atomic<bool> go{true};
    std::atomic<std::uint64_t> accepted{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p)
        producers.emplace_back([&] {
            while (go.load(std::memory_order_relaxed))
                if (ring.try_push(std::uint64_t{1})) accepted.fetch_add(1, std::memory_order_relaxed);
        });
    std::uint64_t popped = 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 200'000; ++i)
        if (ring.try_pop(v)) ++popped;
    ring.seal();
    while (ring.size() > 0)
        if (ring.try_pop(v)) ++popped;
    go = false;
    for (auto& t : producers) t.join();
    EXPECT_FALSE(ring.try_pop(v));
    EXPECT_EQ(popped, accepted.load());
    EXPECT_EQ(ring.tail(), popped);
}

}  // namespace
}  // namespace te
