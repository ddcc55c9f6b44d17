#pragma once
// What to do about a failed Binance request (seed 004 REQ-ERR-001, REQ-WF-001/002): every
// HTTP status and Binance error code maps to one action, so the execution client behaves the
// same way whatever failed.
#include <cstdint>
#include <optional>
#include <string_view>

namespace te::binance {

enum class ErrorClass : std::uint8_t {
    Transient,      // retry the same request (same newClientOrderId) with backoff
    Permanent,      // reject at once; retrying cannot help
    StatusUnknown,  // the order may or may not exist: query it by client order id
    Duplicate,      // "Duplicate order sent.": the order exists; query it, never resend
    RateLimited,    // 429 / -1003 / -1015: wait (Retry-After), then retry
    Banned,         // 418: stop sending until the ban ends, raise an alert
    ClockSkew,      // -1021: resync the server-time offset, then retry
    Auth,           // bad key, signature or permissions: permanent, and alert
};
std::string_view to_string(ErrorClass c) noexcept;

struct RequestFailure {
    int http_status = 0;               // 0 when no response arrived
    std::optional<int> code{};         // Binance "code", when the body had one
    std::string_view msg{};            // Binance "msg"
    bool timed_out = false;            // no response within the request timeout
    bool transport_error = false;      // connection failed or dropped
    bool request_sent = true;          // false when the failure happened before sending
    bool mutating = true;              // placing/canceling an order (vs. a query)
};

// The action for a failure. For a query (mutating = false) "status unknown" is just transient:
// repeating a GET is harmless. A connection that failed before the request went out is
// transient too.
ErrorClass classify(const RequestFailure& failure) noexcept;

// Whether the class is worth retrying automatically (after a wait or a resync).
constexpr bool is_retryable(ErrorClass c) noexcept {
    return c == ErrorClass::Transient || c == ErrorClass::RateLimited || c == ErrorClass::ClockSkew;
}

}  // namespace te::binance
