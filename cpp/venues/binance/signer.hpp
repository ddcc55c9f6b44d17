#pragma once
// HMAC-SHA256 request signing as Binance defines it: hex(HMAC-SHA256(secret, payload)).
// Shared by the Binance client (signing) and the simulated exchange (verification).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace te::binance {

// Lower-case hex HMAC-SHA256 of `payload` keyed with `secret`.
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

// Constant-time, case-insensitive comparison of a hex signature with the expected one.
bool signature_matches(std::string_view expected_hex, std::string_view given_hex) noexcept;

// The WebSocket API payload: every param except "signature", sorted by name, as k=v&k=v.
std::string sorted_payload(std::vector<std::pair<std::string, std::string>> params);

class Signer {
public:
    explicit Signer(std::string secret) : secret_(std::move(secret)) {}
    std::string sign(std::string_view payload) const { return hmac_sha256_hex(secret_, payload); }
    bool verify(std::string_view payload, std::string_view signature) const {
        return signature_matches(sign(payload), signature);
    }

private:
    std::string secret_;
};

}  // namespace te::binance
