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
#include "core/orders.hpp"
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

// Something a person should know (seed 001 monitoring hooks): a venue ban, a lost user-data
// stream, rejected credentials. `kind` is a short machine-readable tag ("banned", "auth").
struct AlertInfo {
    char kind[24] = {};
    char message[104] = {};
    UnixNanos ts = 0;
};

// An opaque payload owned by whoever published it through the bindings (a Python object).
// The bus hands it back to its DispatchGate::release exactly once.
struct ObjectRef {
    void* ptr = nullptr;
};

// Order updates and fills are the largest members (~210 bytes): an Event is ~270 bytes, copied
// into and out of a lane without allocation.
using Payload = std::variant<std::monostate, Candle, Trade, Quote, ScheduledTrigger, ErrorInfo, ObjectRef, OrderUpdate,
                             Fill, Balance, AlertInfo>;

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
    static Event trade(const Trade& t) {
        Event e(EventType::Trade, t);
        e.ts_event = t.ts_event;
        e.ts_recv = t.ts_recv;
        return e;
    }
    static Event quote(const Quote& q) {
        Event e(EventType::Quote, q);
        e.ts_event = q.ts_event;
        e.ts_recv = q.ts_recv;
        return e;
    }
    // ORDER_REJECT for a rejection, ORDER_UPDATE for every other state change (order lane).
    static Event order_update(const OrderUpdate& u) {
        Event e(u.status == OrderStatus::Rejected ? EventType::OrderReject : EventType::OrderUpdate, u);
        e.ts_event = u.ts_event;
        e.ts_recv = u.ts_recv;
        return e;
    }
    static Event fill(const Fill& f) {
        Event e(EventType::OrderFill, f);
        e.ts_event = f.ts_event;
        e.ts_recv = f.ts_recv;
        return e;
    }
    bool has_object() const noexcept { return std::holds_alternative<ObjectRef>(payload); }
};

static_assert(std::is_trivially_copyable_v<Event>, "events must stay trivially copyable (no heap)");

}  // namespace te
