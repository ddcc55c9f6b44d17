#pragma once
// Connection liveness: a silence detector (no frame for `timeout` -> the peer is dead) and the
// proactive reconnect before Binance's 24 h connection limit. Plain classes on an injected
// clock; the socket client asks them when to act.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "core/time.hpp"
#include "net/policy/backoff.hpp"

namespace te::net {

class SilenceDetector {
public:
    // Throws std::invalid_argument unless timeout > 0.
    SilenceDetector(const Clock& clock, Duration timeout);

    // Any frame counts: data, ping, pong, control replies. Also call it on connect.
    void on_frame() noexcept { last_frame_ = clock_.now_ns(); }
    bool is_dead() const noexcept { return clock_.now_ns() - last_frame_ > timeout_.count(); }
    // When the peer counts as dead if nothing arrives before (the client's timer deadline).
    UnixNanos deadline() const noexcept { return last_frame_ + timeout_.count(); }
    UnixNanos last_frame() const noexcept { return last_frame_; }
    Duration silence() const noexcept { return Duration(clock_.now_ns() - last_frame_); }

private:
    const Clock& clock_;
    Duration timeout_;
    UnixNanos last_frame_;
};

struct ConnectionAgeConfig {
    Duration max_age = std::chrono::hours(24);  // Binance closes connections at 24 h
    // Reconnect this long before the limit, plus a random extra of up to `spread`, so the
    // shards of one client do not all reconnect in the same second.
    Duration margin = std::chrono::minutes(10);
    Duration spread = std::chrono::minutes(5);
    std::uint64_t seed = 0x24a9eULL;
};

class ConnectionAge {
public:
    // Throws std::invalid_argument unless margin + spread < max_age and none is negative.
    ConnectionAge(const Clock& clock, ConnectionAgeConfig config = {});

    void on_connected();  // draws this connection's deadline
    void on_disconnected() noexcept { reconnect_at_.reset(); }
    // True once the connection should be replaced (open a new one, then close the old).
    bool should_reconnect() const noexcept { return reconnect_at_ && clock_.now_ns() >= *reconnect_at_; }
    std::optional<UnixNanos> reconnect_at() const noexcept { return reconnect_at_; }

private:
    const Clock& clock_;
    ConnectionAgeConfig config_;
    std::mt19937_64 rng_;
    std::optional<UnixNanos> reconnect_at_;
};

}  // namespace te::net
