#pragma once
// The Event that travels through the EventBus. It is trivially copyable: the payload is a
// variant of the core value types (no heap), so a lane is a plain array of events. Events
// published from Python carry an ObjectRef, an opaque pointer whose ownership the bindings
// manage (cpp/bus never includes Python headers).
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <variant>

#include "core/enums.hpp"
#include "core/market.hpp"
#include "core/time.hpp"

namespace te {

// Copies `text` into a fixed char array, truncating, always NUL-terminated.
template <std::size_t N>
void copy_text(char (&dst)[N], std::string_view text) noexcept {
    const std::size_t n = text.size() < N - 1 ? text.size() : N - 1;
    std::memcpy(dst, text.data(), n);
    dst[n] = '\0';
}

// Like copy_text, but keeps the end of a long text (a qualified name's last parts matter).
template <std::size_t N>
void copy_text_tail(char (&dst)[N], std::string_view text) noexcept {
    if (text.size() >= N) text.remove_prefix(text.size() - (N - 1));
    copy_text(dst, text);
}

// Seed 001: a timer firing. trigger_type names the timer ("rebalance", "heartbeat" ...).
struct ScheduledTrigger {
    std::uint64_t timer_id = 0;
    char trigger_type[32] = {};
    UnixNanos scheduled_time = 0;
    UnixNanos actual_time = 0;

    std::string_view type_view() const noexcept { return trigger_type; }
};

// Seed 002 §5.3 / seed 001 SystemError: what a failing handler reported. The full message
// (and a Python traceback) is in the log; this carries a truncated copy.
struct ErrorInfo {
    char handler[40] = {};
    char error_type[24] = {};
    char message[80] = {};
    EventType event_type = EventType::Error;  // the type of the event being handled
    Lane lane = Lane::Order;
};

// An opaque payload owned by whoever published it through the bindings (a Python object).
// The bus hands it back to its DispatchGate::release exactly once.
struct ObjectRef {
    void* ptr = nullptr;
};

using Payload = std::variant<std::monostate, Candle, Trade, Quote, ScheduledTrigger, ErrorInfo, ObjectRef>;

struct Event {
    EventType type = EventType::Custom;
    Lane lane = Lane::Signal;
    UnixNanos ts_event = 0;       // venue time (or creation time)
    UnixNanos ts_recv = 0;        // local receive time
    std::int64_t ts_publish = 0;  // tsc::ticks() at publish, set by the bus (bus/tsc_clock.hpp)
    Payload payload;

    Event() = default;
    Event(EventType t, Payload p) : type(t), lane(default_lane(t)), payload(p) {}
    Event(EventType t, Lane l, Payload p) : type(t), lane(l), payload(p) {}

    static Event candle(const Candle& c) {
        Event e(c.closed ? EventType::CandleClosed : EventType::CandleUpdate, c);
        e.ts_event = c.ts_event;
        e.ts_recv = c.ts_recv;
        return e;
    }
    bool has_object() const noexcept { return std::holds_alternative<ObjectRef>(payload); }
};

static_assert(std::is_trivially_copyable_v<Event>, "events must stay trivially copyable (no heap)");

}  // namespace te
