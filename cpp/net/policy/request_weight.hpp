#pragma once
// Request-weight budget for a REST API with Binance's rules: every response reports the IP's
// used weight in X-MBX-USED-WEIGHT-1M; 429 means slow down for Retry-After seconds; 418 means
// the IP is banned until Retry-After (2 min to 3 days) and any further request lengthens the
// ban. The tracker throttles itself before the limit so 429s are not reached in the first
// place. The used weight is counted per fixed window (one minute on Binance) of the clock.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.hpp"
#include "net/policy/backoff.hpp"

namespace te::net {

struct RequestWeightConfig {
    std::int64_t limit = 6000;           // REQUEST_WEIGHT per window (exchangeInfo rateLimits)
    double throttle_at = 0.9;            // hold requests once this share of the limit is used
    Duration window = std::chrono::minutes(1);
    Duration default_retry_after = std::chrono::seconds(60);  // 429 without Retry-After
    Duration default_ban = std::chrono::minutes(2);           // 418 without Retry-After
};

enum class WeightState : std::uint8_t { Ok, Throttled, RateLimited, Banned };
std::string_view to_string(WeightState s) noexcept;

struct SendDecision {
    bool allowed = true;
    UnixNanos wait_until = 0;  // when to ask again if not allowed
    WeightState reason = WeightState::Ok;
};

class RequestWeightTracker {
public:
    // Throws std::invalid_argument for limit <= 0, throttle_at outside (0, 1] or window <= 0.
    RequestWeightTracker(const Clock& clock, RequestWeightConfig config = {});

    // May a request of this weight go now? Nothing is recorded.
    SendDecision check(std::int64_t weight);
    // A request was sent: counted locally until a response reports the server's figure.
    void on_sent(std::int64_t weight);
    // Any response: its status, X-MBX-USED-WEIGHT-1M and Retry-After headers if present.
    void on_response(int http_status, std::optional<std::int64_t> used_weight,
                     std::optional<Duration> retry_after = std::nullopt);
    // The ban end named in a -1003 message ("IP banned until 1700000000000").
    void on_banned_until(UnixNanos until);

    WeightState state();
    std::int64_t used();
    UnixNanos blocked_until() const noexcept { return blocked_until_; }
    std::uint64_t rate_limited_total() const noexcept { return rate_limited_total_; }
    std::uint64_t bans_total() const noexcept { return bans_total_; }
    std::uint64_t throttled_total() const noexcept { return throttled_total_; }

private:
    void roll(UnixNanos now);
    UnixNanos window_end(UnixNanos now) const noexcept;

    const Clock& clock_;
    RequestWeightConfig config_;
    UnixNanos window_start_ = 0;
    std::int64_t used_ = 0;
    UnixNanos blocked_until_ = 0;
    bool banned_ = false;
    std::uint64_t rate_limited_total_ = 0, bans_total_ = 0, throttled_total_ = 0;
};

// Header and message helpers: "1234" -> 1234 (nullopt for anything else), and the epoch
// milliseconds of "... IP banned until 1700000000000. ..." as nanoseconds.
std::optional<std::int64_t> parse_header_int(std::string_view value) noexcept;
std::optional<UnixNanos> parse_banned_until(std::string_view msg) noexcept;

}  // namespace te::net
