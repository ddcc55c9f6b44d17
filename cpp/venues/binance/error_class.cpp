#include "venues/binance/error_class.hpp"

namespace te::binance {

std::string_view to_string(ErrorClass c) noexcept {
    switch (c) {
        case ErrorClass::Transient: return "transient";
        case ErrorClass::Permanent: return "permanent";
        case ErrorClass::StatusUnknown: return "status_unknown";
        case ErrorClass::Duplicate: return "duplicate";
        case ErrorClass::RateLimited: return "rate_limited";
        case ErrorClass::Banned: return "banned";
        case ErrorClass::ClockSkew: return "clock_skew";
        case ErrorClass::Auth: return "auth";
    }
    return "?";
}

namespace {

// Binance error codes (errors.md). Anything not listed is permanent: an unknown rejection is
// safer reported than repeated.
ErrorClass classify_code(int code, std::string_view msg, bool mutating) noexcept {
    const ErrorClass unknown = mutating ? ErrorClass::StatusUnknown : ErrorClass::Transient;
    switch (code) {
        case -1000:  // UNKNOWN: "An unknown error occurred while processing the request."
        case -1006:  // UNEXPECTED_RESP: "... Execution status unknown."
        case -1007:  // TIMEOUT: "... Send status unknown; execution status unknown."
            return unknown;
        case -1001:  // DISCONNECTED: internal error, try again
        case -1004:  // SERVER_BUSY
        case -1008:  // server overloaded
        case -1016:  // service shutting down
        case -1034:  // too many concurrent connections
            return ErrorClass::Transient;
        case -1003:  // TOO_MANY_REQUESTS (or "IP banned until ...")
            return msg.find("banned") != std::string_view::npos ? ErrorClass::Banned : ErrorClass::RateLimited;
        case -1015:  // TOO_MANY_ORDERS
            return ErrorClass::RateLimited;
        case -1021:  // timestamp outside recvWindow
            return ErrorClass::ClockSkew;
        case -1002:  // UNAUTHORIZED
        case -1022:  // bad signature
        case -2014:  // API-key format invalid
        case -2015:  // invalid API-key, IP or permissions
            return ErrorClass::Auth;
        case -2010:  // NEW_ORDER_REJECTED: duplicates are resolved by a query (REQ-WF-001)
            return msg.find("Duplicate order") != std::string_view::npos ? ErrorClass::Duplicate
                                                                         : ErrorClass::Permanent;
        default:
            return ErrorClass::Permanent;  // -1013 filters, -1100.. bad parameters, -1121, -2011, -2013 ...
    }
}

}  // namespace

ErrorClass classify(const RequestFailure& f) noexcept {
    const ErrorClass unknown = f.mutating ? ErrorClass::StatusUnknown : ErrorClass::Transient;
    if (!f.request_sent) return ErrorClass::Transient;  // nothing reached the server
    if (f.http_status == 418) return ErrorClass::Banned;
    if (f.http_status == 429) return ErrorClass::RateLimited;
    if (f.code) {
        // A Binance code beats the HTTP status, except that a 5xx never proves a rejection.
        const ErrorClass c = classify_code(*f.code, f.msg, f.mutating);
        if (f.http_status >= 500 && c == ErrorClass::Permanent) return unknown;
        return c;
    }
    if (f.timed_out || f.transport_error) return unknown;  // the request may have been executed
    if (f.http_status >= 500) return unknown;              // "execution status is UNKNOWN"
    if (f.http_status == 409) return unknown;              // cancelReplace partly done: query
    return ErrorClass::Permanent;                          // other 4xx (403 WAF, 404 ...)
}

}  // namespace te::binance
