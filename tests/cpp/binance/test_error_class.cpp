#include <gtest/gtest.h>

#include "venues/binance/error_class.hpp"

using namespace te::binance;

namespace {
ErrorClass code(int http, int c, std::string_view msg = "", bool mutating = true) {
    return classify(RequestFailure{.http_status = http, .code = c, .msg = msg, .mutating = mutating});
}
}  // namespace

TEST(ErrorClass, BinanceCodes) {
    EXPECT_EQ(code(400, -1013, "Filter failure: PRICE_FILTER"), ErrorClass::Permanent);
    EXPECT_EQ(code(400, -1121, "Invalid symbol."), ErrorClass::Permanent);
    EXPECT_EQ(code(400, -1102), ErrorClass::Permanent);
    EXPECT_EQ(code(400, -2011, "Unknown order sent."), ErrorClass::Permanent);
    EXPECT_EQ(code(400, -2010, "Duplicate order sent."), ErrorClass::Duplicate);
    EXPECT_EQ(code(400, -2010, "Account has insufficient balance for requested action."), ErrorClass::Permanent);
    EXPECT_EQ(code(400, -1021, "Timestamp for this request is outside of the recvWindow."), ErrorClass::ClockSkew);
    EXPECT_EQ(code(400, -1022), ErrorClass::Auth);
    EXPECT_EQ(code(401, -2015), ErrorClass::Auth);
    EXPECT_EQ(code(400, -2014), ErrorClass::Auth);
    EXPECT_EQ(code(400, -1015), ErrorClass::RateLimited);
    EXPECT_EQ(code(400, -1003, "Too much request weight used"), ErrorClass::RateLimited);
    EXPECT_EQ(code(400, -1003, "Way too much request weight used; IP banned until 1700000000000."),
              ErrorClass::Banned);
    EXPECT_EQ(code(400, -1001), ErrorClass::Transient);
    EXPECT_EQ(code(503, -1008), ErrorClass::Transient);
    EXPECT_EQ(code(400, -1007), ErrorClass::StatusUnknown);
    EXPECT_EQ(code(400, -1006), ErrorClass::StatusUnknown);
    EXPECT_EQ(code(400, -1000), ErrorClass::StatusUnknown);
    EXPECT_EQ(code(400, -1007, "", false), ErrorClass::Transient);  // a query can just be repeated
    EXPECT_EQ(code(400, -9999), ErrorClass::Permanent);              // unknown: report, do not repeat
}

TEST(ErrorClass, HttpStatusesAndTransport) {
    EXPECT_EQ(classify({.http_status = 429}), ErrorClass::RateLimited);
    EXPECT_EQ(classify({.http_status = 418}), ErrorClass::Banned);
    EXPECT_EQ(classify({.http_status = 429, .code = -1003}), ErrorClass::RateLimited);
    EXPECT_EQ(classify({.http_status = 502}), ErrorClass::StatusUnknown);
    EXPECT_EQ(classify({.http_status = 500, .code = -1013}), ErrorClass::StatusUnknown);  // 5xx never proves a reject
    EXPECT_EQ(classify({.http_status = 504, .mutating = false}), ErrorClass::Transient);
    EXPECT_EQ(classify({.http_status = 409}), ErrorClass::StatusUnknown);
    EXPECT_EQ(classify({.http_status = 403}), ErrorClass::Permanent);
    EXPECT_EQ(classify({.timed_out = true}), ErrorClass::StatusUnknown);
    EXPECT_EQ(classify({.transport_error = true}), ErrorClass::StatusUnknown);
    EXPECT_EQ(classify({.transport_error = true, .request_sent = false}), ErrorClass::Transient);
    EXPECT_EQ(classify({.timed_out = true, .mutating = false}), ErrorClass::Transient);
    EXPECT_TRUE(is_retryable(ErrorClass::Transient));
    EXPECT_TRUE(is_retryable(ErrorClass::ClockSkew));
    EXPECT_FALSE(is_retryable(ErrorClass::StatusUnknown));
    EXPECT_FALSE(is_retryable(ErrorClass::Duplicate));
    EXPECT_FALSE(is_retryable(ErrorClass::Permanent));
    EXPECT_EQ(to_string(ErrorClass::StatusUnknown), "status_unknown");
}
