#pragma once
// Small value types shared by the order state machine and the portfolio (docs/oms.md).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/enums.hpp"
#include "core/fixed_string.hpp"
#include "core/money.hpp"

namespace te::oms {

// What happened to one venue message or local command offered to an Order or the Portfolio.
enum class ApplyStatus : std::uint8_t {
    Applied,    // the state changed (or, for a catch-up fill, its bookkeeping did)
    Duplicate,  // already known (same trade id, same status and quantities): ignored
    Stale,      // older than what is known (less filled, or after FILLED): ignored
    Refused,    // impossible or inconsistent: ignored and logged as a warning
    // The venue's first report of a state the order already shows (its fills got there first):
    // recorded as the venue's word, nothing changed, nothing to publish. Its repeat is a Duplicate.
    Confirmed,
};

struct ApplyResult {
    ApplyStatus status = ApplyStatus::Applied;
    std::string reason;  // empty when Applied

    bool applied() const noexcept { return status == ApplyStatus::Applied; }
    static ApplyResult ok() { return {}; }
};

// An amount of one asset (commission paid, fees).
struct AssetAmount {
    Asset asset;
    Money amount;
};

}  // namespace te::oms

// Canonical names, so te::to_string works on ApplyStatus like on the core enums.
template <>
struct te::EnumInfo<te::oms::ApplyStatus> {
    static constexpr std::string_view type_name = "ApplyStatus";
    static constexpr std::array<std::string_view, 5> names = {"APPLIED", "DUPLICATE", "STALE", "REFUSED",
                                                                  "CONFIRMED"};
};
