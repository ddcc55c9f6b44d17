#include "net/policy/request_weight.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace te::net {

std::string_view to_string(WeightState s) noexcept {
    switch (s) {
        case WeightState::Ok: return "ok";
        case WeightState::Throttled: return "throttled";
        case WeightState::RateLimited: return "rate_limited";
        case WeightState::Banned: return "banned";
    }
    return "?";
}

RequestWeightTracker::RequestWeightTracker(const Clock& clock, RequestWeightConfig config)
    : clock_(clock), config_(config) {
    if (config_.limit <= 0 || !(config_.throttle_at > 0.0 && config_.throttle_at <= 1.0) ||
        config_.window.count() <= 0)
        throw std::invalid_argument("request weight: need limit > 0, throttle_at in (0, 1] and window > 0");
    window_start_ = clock.now_ns() - clock.now_ns() % config_.window.count();
}

UnixNanos RequestWeightTracker::window_end(UnixNanos now) const noexcept {
    return now - now % config_.window.count() + config_.window.count();
}

void RequestWeightTracker::roll(UnixNanos now) {
    const UnixNanos start = now - now % config_.window.count();
    if (start != window_start_) {
        window_start_ = start;
        used_ = 0;
    }
    if (blocked_until_ != 0 && now >= blocked_until_) {
        blocked_until_ = 0;
        banned_ = false;
    }
}

SendDecision RequestWeightTracker::check(std::int64_t weight) {
    const UnixNanos now = clock_.now_ns();
    roll(now);
    if (blocked_until_ != 0)
        return {false, blocked_until_, banned_ ? WeightState::Banned : WeightState::RateLimited};
    const auto budget = static_cast<std::int64_t>(std::floor(static_cast<double>(config_.limit) * config_.throttle_at));
    // A request heavier than the whole budget still goes in an empty window.
    if (used_ > 0 && used_ + weight > budget) {
        ++throttled_total_;
        return {false, window_end(now), WeightState::Throttled};
    }
    return {};
}

void RequestWeightTracker::on_sent(std::int64_t weight) {
    roll(clock_.now_ns());
    used_ += std::max<std::int64_t>(weight, 0);
}

void RequestWeightTracker::on_response(int http_status, std::optional<std::int64_t> used_weight,
                                       std::optional<Duration> retry_after) {
    const UnixNanos now = clock_.now_ns();
    roll(now);
    // Responses to concurrent requests arrive in any order: keep the highest figure.
    if (used_weight && *used_weight >= 0) used_ = std::max(used_, *used_weight);
    if (http_status == 429) {
        ++rate_limited_total_;
        blocked_until_ = std::max(blocked_until_, now + retry_after.value_or(config_.default_retry_after).count());
    } else if (http_status == 418) {
        ++bans_total_;
        banned_ = true;
        blocked_until_ = std::max(blocked_until_, now + retry_after.value_or(config_.default_ban).count());
    }
}

void RequestWeightTracker::on_banned_until(UnixNanos until) {
    roll(clock_.now_ns());
    if (until <= clock_.now_ns()) return;
    if (!banned_) ++bans_total_;
    banned_ = true;
    blocked_until_ = std::max(blocked_until_, until);
}

WeightState RequestWeightTracker::state() {
    const UnixNanos now = clock_.now_ns();
    roll(now);
    if (blocked_until_ != 0) return banned_ ? WeightState::Banned : WeightState::RateLimited;
    const double budget = static_cast<double>(config_.limit) * config_.throttle_at;
    return static_cast<double>(used_) >= budget ? WeightState::Throttled : WeightState::Ok;
}

std::int64_t RequestWeightTracker::used() {
    roll(clock_.now_ns());
    return used_;
}

std::optional<std::int64_t> parse_header_int(std::string_view value) noexcept {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty() || value.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<UnixNanos> parse_banned_until(std::string_view msg) noexcept {
    constexpr std::string_view marker = "banned until ";
    const auto pos = msg.find(marker);
    if (pos == std::string_view::npos) return std::nullopt;
    std::string_view rest = msg.substr(pos + marker.size());
    std::size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    const auto ms = parse_header_int(rest.substr(0, n));
    if (!ms || *ms > std::numeric_limits<std::int64_t>::max() / kNanosPerMilli) return std::nullopt;
    return *ms * kNanosPerMilli;
}

}  // namespace te::net
