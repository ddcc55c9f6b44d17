#include "venues/binance/signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace te::binance {

std::string hmac_sha256_hex(std::string_view secret, std::string_view payload) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &len) == nullptr)
        throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(std::size_t{len} * 2, '\0');
    for (unsigned int i = 0; i < len; ++i) {
        out[2 * i] = kHex[digest[i] >> 4];
        out[2 * i + 1] = kHex[digest[i] & 0x0f];
    }
    return out;
}

bool signature_matches(std::string_view expected_hex, std::string_view given_hex) noexcept {
    if (expected_hex.size() != given_hex.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < expected_hex.size(); ++i) {
        auto a = static_cast<unsigned char>(expected_hex[i]);
        auto b = static_cast<unsigned char>(given_hex[i]);
        if (b >= 'A' && b <= 'F') b = static_cast<unsigned char>(b - 'A' + 'a');
        diff |= static_cast<unsigned>(a ^ b);
    }
    return diff == 0;
}

std::string sorted_payload(std::vector<std::pair<std::string, std::string>> params) {
    std::erase_if(params, [](const auto& kv) { return kv.first == "signature"; });
    std::sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out += '&';
        out += k;
        out += '=';
        out += v;
    }
    return out;
}

}  // namespace te::binance
