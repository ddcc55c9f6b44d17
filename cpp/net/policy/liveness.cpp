#include "net/policy/liveness.hpp"

#include <stdexcept>

namespace te::net {

SilenceDetector::SilenceDetector(const Clock& clock, Duration timeout)
    : clock_(clock), timeout_(timeout), last_frame_(clock.now_ns()) {
    if (timeout.count() <= 0) throw std::invalid_argument("silence detector: timeout must be > 0");
}

ConnectionAge::ConnectionAge(const Clock& clock, ConnectionAgeConfig config)
    : clock_(clock), config_(config), rng_(config.seed) {
    if (config_.max_age.count() <= 0 || config_.margin.count() < 0 || config_.spread.count() < 0 ||
        config_.margin + config_.spread >= config_.max_age)
        throw std::invalid_argument("connection age: need max_age > 0, margin >= 0, spread >= 0 and "
                                    "margin + spread < max_age");
}

void ConnectionAge::on_connected() {
    const auto spread = static_cast<std::uint64_t>(config_.spread.count());
    const auto extra = spread == 0 ? 0 : static_cast<std::int64_t>(rng_() % (spread + 1));
    reconnect_at_ = clock_.now_ns() + (config_.max_age - config_.margin).count() - extra;
}

}  // namespace te::net
