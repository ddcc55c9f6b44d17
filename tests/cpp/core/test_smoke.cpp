#include <gtest/gtest.h>
#include "core/decimal.hpp"
TEST(Smoke, Parses) { EXPECT_EQ(te::Decimal::parse("1.5").raw(), 1'500'000'000); }
