#include <gtest/gtest.h>

#include "bus/latency_histogram.hpp"

namespace te {

TEST(LatencyHistogram, EmptySummaryIsZero) {
    LatencyHistogram h;
    const auto s = h.summary();
    EXPECT_EQ(s.count, 0u);
    EXPECT_EQ(s.p99_ns, 0);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
    LatencyHistogram h;
    for (int i = 1; i <= 50; ++i) h.record(i);
    const auto s = h.summary();
    EXPECT_EQ(s.count, 50u);
    EXPECT_EQ(s.p50_ns, 25);
    EXPECT_EQ(s.max_ns, 50);
}

TEST(LatencyHistogram, PercentilesWithinThreePercent) {
    LatencyHistogram h;
    for (std::int64_t v = 1; v <= 100'000; ++v) h.record_single_writer(v * 100);  // 100 ns .. 10 ms
    const auto s = h.summary();
    EXPECT_NEAR(static_cast<double>(s.p50_ns), 5e6, 5e6 * 0.035);
    EXPECT_NEAR(static_cast<double>(s.p99_ns), 9.9e6, 9.9e6 * 0.035);
    EXPECT_NEAR(static_cast<double>(s.p999_ns), 9.99e6, 9.99e6 * 0.035);
    EXPECT_EQ(s.max_ns, 10'000'000);
}

TEST(LatencyHistogram, BucketUpperEdgeContainsValue) {
    for (std::int64_t v : {0L, 1L, 63L, 64L, 65L, 1000L, 123456L, 987654321L, 1L << 40}) {
        const auto b = LatencyHistogram::bucket_of(v);
        EXPECT_GE(LatencyHistogram::upper_of(b), v) << v;
        if (b > 0) {
            EXPECT_LT(LatencyHistogram::upper_of(b - 1), v) << v;
        }
    }
}

TEST(LatencyHistogram, HugeAndNegativeValuesClamp) {
    LatencyHistogram h;
    h.record(-5);
    h.record(INT64_MAX);
    EXPECT_EQ(h.summary().count, 2u);
}

}  // namespace te
