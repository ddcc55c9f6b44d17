#include "net/policy/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace te::net {

std::vector<Duration> BackoffConfig::exponential(Duration initial, double factor, Duration max) {
    if (initial.count() <= 0 || factor < 1.0 || max < initial)
        throw std::invalid_argument("backoff: exponential(initial, factor, max) needs initial > 0, factor >= 1 "
                                    "and max >= initial");
    std::vector<Duration> out;
    double d = static_cast<double>(initial.count());
    while (d < static_cast<double>(max.count()) && out.size() < 64) {
        out.emplace_back(static_cast<Duration::rep>(d));
        if (factor == 1.0) break;
        d *= factor;
    }
    if (out.empty() || out.back() != max) out.push_back(max);
    return out;
}

BackoffConfig BackoffConfig::request_retry() {
    BackoffConfig c;
    c.schedule = exponential(std::chrono::milliseconds(100), 2.0, std::chrono::milliseconds(400));
    c.max_attempts = 3;
    c.healthy_after = Duration::zero();
    return c;
}

Backoff::Backoff(const Clock& clock, BackoffConfig config)
    : clock_(clock), config_(std::move(config)), rng_(config_.seed) {
    if (config_.schedule.empty()) throw std::invalid_argument("backoff: the schedule is empty");
    for (auto d : config_.schedule)
        if (d.count() <= 0) throw std::invalid_argument("backoff: every delay in the schedule must be > 0");
    if (!(config_.jitter >= 0.0 && config_.jitter <= 1.0))
        throw std::invalid_argument("backoff: jitter must be within 0..1");
    max_ = *std::max_element(config_.schedule.begin(), config_.schedule.end());
}

double Backoff::uniform() noexcept {
    // 53 random bits -> [0, 1): the same sequence on every platform for a given seed.
    return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

std::optional<Duration> Backoff::next_delay() {
    if (config_.max_attempts != 0 && attempts_ >= config_.max_attempts) return std::nullopt;
    const std::size_t i = std::min<std::size_t>(attempts_, config_.schedule.size() - 1);
    ++attempts_;
    const double base = static_cast<double>(config_.schedule[i].count());
    const double factor = 1.0 + config_.jitter * (2.0 * uniform() - 1.0);
    const double jittered = std::min(base * factor, static_cast<double>(max_.count()));
    return Duration(static_cast<Duration::rep>(std::llround(jittered)));
}

void Backoff::on_connected() { connected_at_ = clock_.now_ns(); }

void Backoff::on_disconnected() {
    if (connected_at_ && clock_.now_ns() - *connected_at_ >= config_.healthy_after.count()) attempts_ = 0;
    connected_at_.reset();
}

}  // namespace te::net
