#pragma once
// Binance's request-weight and order-count accounting (sans-I/O; callers pass the time).
// Weight counts per IP in fixed one-minute windows. Past the limit a request is answered 429
// with Retry-After (seconds to the next window); a client that keeps sending while limited is
// banned: 418 with Retry-After until the ban ends. Orders count per account over 10 s and a day.
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace te::sim {

class WeightLimiter {
public:
    struct Verdict {
        unsigned status = 200;  // 200, 429 or 418
        std::int64_t used = 0;  // X-MBX-USED-WEIGHT-1M
        std::int64_t retry_after_s = 0;
        std::int64_t banned_until_ms = 0;
    };

    WeightLimiter(int limit, int requests_before_ban, std::int64_t ban_ms)
        : limit_(limit), before_ban_(requests_before_ban), ban_ms_(ban_ms) {}

    Verdict charge(const std::string& ip, int weight, std::int64_t now_ms);
    std::int64_t used(const std::string& ip, std::int64_t now_ms);
    void reset() { ips_.clear(); }

private:
    struct Ip {
        std::int64_t window = -1;  // minute index
        std::int64_t used = 0;
        int after_429 = 0;
        std::int64_t banned_until = 0;
    };
    int limit_, before_ban_;
    std::int64_t ban_ms_;
    std::unordered_map<std::string, Ip> ips_;
};

class OrderCounter {
public:
    OrderCounter(int limit_10s, int limit_1d) : limit_10s_(limit_10s), limit_1d_(limit_1d) {}
    // Counts one new order; false (and not counted) when a limit is reached.
    bool try_add(int account, std::int64_t now_ms);
    std::int64_t count_10s(int account, std::int64_t now_ms);
    std::int64_t count_1d(int account, std::int64_t now_ms);
    int limit_10s() const noexcept { return limit_10s_; }
    int limit_1d() const noexcept { return limit_1d_; }

private:
    struct Counts {
        std::int64_t window_10s = -1, n_10s = 0;
        std::int64_t day = -1, n_1d = 0;
    };
    void roll(Counts& c, std::int64_t now_ms);
    int limit_10s_, limit_1d_;
    std::unordered_map<int, Counts> accounts_;
};

}  // namespace te::sim
