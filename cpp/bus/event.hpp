#pragma once
// The Event that travels through the EventBus. Market data (candles, trades, quotes), timers,
// balances and alerts travel inline, so the hot path never allocates; order updates, fills
// and handler errors are larger (up to 256 bytes) and rare next to market data, so they travel
// in an Indirect (one heap copy, value semantics) and do not make every event pay for their
// size. Events published from Python carry an ObjectRef, an opaque pointer whose ownership the
// bindings manage (cpp/bus never includes Python headers).
#include <cstdint>
#include <cstring>
#include <string_view>
#include <stdexcept>
#include <type_traits>
#include <utility>
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

// A value kept on the heap with value semantics, like C++26's std::indirect: copying an Event
// copies the value, moving it moves the pointer (what the lanes do). A moved-from Indirect is
// empty and may only be destroyed or assigned to.
template <class T>
class Indirect {
public:
    explicit Indirect(const T& value) : p_(new T(value)) {}
    Indirect(const Indirect& other) : p_(other.p_ ? new T(*other.p_) : nullptr) {}
    Indirect(Indirect&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
    Indirect& operator=(const Indirect& other) {
        if (this != &other) *this = Indirect(other);
        return *this;
    }
    Indirect& operator=(Indirect&& other) noexcept {
        if (this != &other) {
            delete p_;
            p_ = std::exchange(other.p_, nullptr);
        }
        return *this;
    }
    ~Indirect() { delete p_; }

    const T& operator*() const noexcept { return *p_; }
    const T* operator->() const noexcept { return p_; }

private:
    T* p_;
};

template <class T>
inline constexpr bool kIsIndirect = false;
template <class T>
inline constexpr bool kIsIndirect<Indirect<T>> = true;

// The payload types that travel in an Indirect.
template <class T>
inline constexpr bool kIndirectPayload =
    std::is_same_v<T, OrderUpdate> || std::is_same_v<T, Fill> || std::is_same_v<T, ErrorInfo>;

template <class T>
using PayloadSlot = std::conditional_t<kIndirectPayload<T>, Indirect<T>, T>;

// The largest inline member is a Candle (184 bytes: six 16-byte Decimals): an Event is 224
// bytes, four cache lines with its ring slot (docs/architecture.md, "Decimal range").
using Payload = std::variant<std::monostate, Candle, Trade, Quote, ScheduledTrigger, ObjectRef, Balance, AlertInfo,
                             Indirect<OrderUpdate>, Indirect<Fill>, Indirect<ErrorInfo>>;

struct Event {
    EventType type = EventType::Custom;
    Lane lane = Lane::Signal;
    UnixNanos ts_event = 0;       // venue time (or creation time)
    UnixNanos ts_recv = 0;        // local receive time
    std::int64_t ts_publish = 0;  // tsc::ticks() at publish, set by the bus (bus/tsc_clock.hpp); 0 when it does not measure latency
    Payload payload;

    Event() = default;
    template <class T>
    Event(EventType t, Lane l, const T& value) : type(t), lane(l), payload(std::in_place_type<PayloadSlot<T>>, value) {}
    template <class T>
    Event(EventType t, const T& value) : Event(t, default_lane(t), value) {}

    // The payload as a T (inline or in its Indirect), or nullptr when it holds something else.
    template <class T>
    const T* get_if() const noexcept {
        const auto* slot = std::get_if<PayloadSlot<T>>(&payload);
        if constexpr (kIndirectPayload<T>) return slot ? &**slot : nullptr;
        else return slot;
    }
    // The payload as a T; std::bad_variant_access when it holds something else.
    template <class T>
    const T& get() const {
        if (const T* v = get_if<T>()) return *v;
        throw std::bad_variant_access();
    }
    template <class T>
    bool holds() const noexcept {
        return std::holds_alternative<PayloadSlot<T>>(payload);
    }
    bool has_object() const noexcept { return holds<ObjectRef>(); }

    // A value with its own ts_event / ts_recv, stamped onto the event.
    template <class T>
    static Event stamped(EventType t, const T& value) {
        Event e(t, value);
        e.ts_event = value.ts_event;
        e.ts_recv = value.ts_recv;
        return e;
    }
    static Event candle(const Candle& c) {
        return stamped(c.closed ? EventType::CandleClosed : EventType::CandleUpdate, c);
    }
    static Event trade(const Trade& t) { return stamped(EventType::Trade, t); }
    static Event quote(const Quote& q) { return stamped(EventType::Quote, q); }
    // ORDER_REJECT for a rejection, ORDER_UPDATE for every other state change (order lane).
    static Event order_update(const OrderUpdate& u) {
        return stamped(u.status == OrderStatus::Rejected ? EventType::OrderReject : EventType::OrderUpdate, u);
    }
    static Event fill(const Fill& f) { return stamped(EventType::OrderFill, f); }
};

static_assert(sizeof(Event) <= 248, "an Event must stay within four cache lines with its ring slot");
static_assert(std::is_nothrow_move_constructible_v<Event> && std::is_nothrow_move_assignable_v<Event>,
              "lanes move events in and out");

}  // namespace te
