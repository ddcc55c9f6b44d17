#pragma once
// A short string stored inline (symbols, assets, client order ids), so that parsed messages
// stay trivially copyable and parsing never allocates.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace te {

template <std::size_t N>
class FixedString {
    static_assert(N > 0 && N < 256);

public:
    static constexpr std::size_t kCapacity = N;

    constexpr FixedString() noexcept = default;

    // False (and unchanged) when `text` is longer than N.
    bool assign(std::string_view text) noexcept {
        if (text.size() > N) return false;
        if (!text.empty()) std::memcpy(data_.data(), text.data(), text.size());
        size_ = static_cast<std::uint8_t>(text.size());
        return true;
    }
    void clear() noexcept { size_ = 0; }

    std::string_view view() const noexcept { return {data_.data(), size_}; }
    std::string str() const { return std::string(view()); }
    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }

    friend bool operator==(const FixedString& a, const FixedString& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const FixedString& a, std::string_view b) noexcept { return a.view() == b; }

private:
    std::array<char, N> data_{};
    std::uint8_t size_ = 0;
};

using Symbol = FixedString<32>;
using Asset = FixedString<16>;
using ClientOrderId = FixedString<48>;  // Binance allows 36; the margin tolerates other venues
using ShortText = FixedString<48>;      // venue codes: reject reasons, STP modes, expiry reasons
using ReasonText = FixedString<96>;     // why an order was rejected or expired, in words

}  // namespace te
