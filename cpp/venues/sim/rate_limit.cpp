#include "venues/sim/rate_limit.hpp"

namespace te::sim {

WeightLimiter::Verdict WeightLimiter::charge(const std::string& ip, int weight, std::int64_t now_ms) {
    auto& s = ips_[ip];
    const std::int64_t window = now_ms / 60'000;
    if (window != s.window) {
        s.window = window;
        s.used = 0;
        s.after_429 = 0;
    }
    Verdict v;
    if (s.banned_until > now_ms) {
        v.status = 418;
        v.used = s.used;
        v.banned_until_ms = s.banned_until;
        v.retry_after_s = (s.banned_until - now_ms + 999) / 1000;
        return v;
    }
    s.used += weight;
    v.used = s.used;
    if (limit_ > 0 && s.used > limit_) {
        if (++s.after_429 > before_ban_) {
            s.banned_until = now_ms + ban_ms_;
            v.status = 418;
            v.banned_until_ms = s.banned_until;
            v.retry_after_s = (ban_ms_ + 999) / 1000;
            return v;
        }
        v.status = 429;
        v.retry_after_s = ((window + 1) * 60'000 - now_ms + 999) / 1000;
    }
    return v;
}

std::int64_t WeightLimiter::used(const std::string& ip, std::int64_t now_ms) {
    auto it = ips_.find(ip);
    if (it == ips_.end() || it->second.window != now_ms / 60'000) return 0;
    return it->second.used;
}

void OrderCounter::roll(Counts& c, std::int64_t now_ms) {
    if (now_ms / 10'000 != c.window_10s) {
        c.window_10s = now_ms / 10'000;
        c.n_10s = 0;
    }
    if (now_ms / 86'400'000 != c.day) {
        c.day = now_ms / 86'400'000;
        c.n_1d = 0;
    }
}

bool OrderCounter::try_add(int account, std::int64_t now_ms) {
    auto& c = accounts_[account];
    roll(c, now_ms);
    if ((limit_10s_ > 0 && c.n_10s >= limit_10s_) || (limit_1d_ > 0 && c.n_1d >= limit_1d_)) return false;
    ++c.n_10s;
    ++c.n_1d;
    return true;
}

std::int64_t OrderCounter::count_10s(int account, std::int64_t now_ms) {
    auto& c = accounts_[account];
    roll(c, now_ms);
    return c.n_10s;
}

std::int64_t OrderCounter::count_1d(int account, std::int64_t now_ms) {
    auto& c = accounts_[account];
    roll(c, now_ms);
    return c.n_1d;
}

}  // namespace te::sim
