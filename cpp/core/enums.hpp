#pragma once
// The engine's enumerations, each with a canonical upper-case name (Binance's spelling where
// one exists) and a strict parser that names the accepted values when it fails.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace te {

enum class Side : std::uint8_t { Buy, Sell };
enum class OrderType : std::uint8_t { Market, Limit, LimitMaker, StopLossLimit, TakeProfitLimit };
enum class TimeInForce : std::uint8_t { Gtc, Ioc, Fok };
// ARCHITECTURE §7.
enum class OrderStatus : std::uint8_t {
    Initialized, Submitted, Accepted, PartiallyFilled, Filled, PendingCancel, Canceled, Rejected, Expired
};
// Seed 000 Appendix A.
enum class EngineState : std::uint8_t { Created, Initialized, Running, Stopping, Stopped };
// The lifecycle every Node component reports (ARCHITECTURE §4a): READY -> STARTING -> RUNNING
// -> STOPPING -> STOPPED, plus DEGRADED (running, something impaired) and FAULTED (failed).
enum class ComponentState : std::uint8_t { Ready, Starting, Running, Stopping, Stopped, Degraded, Faulted };
// In priority order: the dispatcher serves Order before Signal before Data.
enum class Lane : std::uint8_t { Order, Signal, Data };
enum class EventType : std::uint8_t {
    CandleUpdate,      // an in-progress candle
    CandleClosed,      // a final candle
    Trade,
    Quote,
    Signal,            // strategy signal (seed 002 SIGNAL_GENERATED)
    OrderCreated,      // an order intent, before it is sent
    OrderUpdate,       // any order state change
    OrderFill,         // seed 001 OrderFill
    OrderReject,       // seed 001 OrderReject
    ScheduledTrigger,  // seed 001 timers
    Error,             // seed 001 SystemError: handler failures and other faults
    Alert,             // something a person should know: a ban, a lost stream, an auth failure
    BalanceUpdate,     // one asset's balance as the venue reports it
    VenueOrderUpdate,  // what a venue said about an order, before the order manager applied it
    VenueFill,         // a venue's fill, before the order manager applied it
    Command,           // engine-internal work run on the dispatcher (strategies starting, stopping)
    Custom,            // user-defined payloads published from Python
};

template <class E>
struct EnumInfo;

template <> struct EnumInfo<Side> {
    static constexpr std::string_view type_name = "Side";
    static constexpr std::array<std::string_view, 2> names = {"BUY", "SELL"};
};
template <> struct EnumInfo<OrderType> {
    static constexpr std::string_view type_name = "OrderType";
    static constexpr std::array<std::string_view, 5> names = {"MARKET", "LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT",
                                                              "TAKE_PROFIT_LIMIT"};
};
template <> struct EnumInfo<TimeInForce> {
    static constexpr std::string_view type_name = "TimeInForce";
    static constexpr std::array<std::string_view, 3> names = {"GTC", "IOC", "FOK"};
};
template <> struct EnumInfo<OrderStatus> {
    static constexpr std::string_view type_name = "OrderStatus";
    static constexpr std::array<std::string_view, 9> names = {
        "INITIALIZED", "SUBMITTED", "ACCEPTED", "PARTIALLY_FILLED", "FILLED",
        "PENDING_CANCEL", "CANCELED", "REJECTED", "EXPIRED"};
};
template <> struct EnumInfo<EngineState> {
    static constexpr std::string_view type_name = "EngineState";
    static constexpr std::array<std::string_view, 5> names = {"CREATED", "INITIALIZED", "RUNNING", "STOPPING",
                                                              "STOPPED"};
};
template <> struct EnumInfo<ComponentState> {
    static constexpr std::string_view type_name = "ComponentState";
    static constexpr std::array<std::string_view, 7> names = {"READY",   "STARTING", "RUNNING", "STOPPING",
                                                              "STOPPED", "DEGRADED", "FAULTED"};
};
template <> struct EnumInfo<Lane> {
    static constexpr std::string_view type_name = "Lane";
    static constexpr std::array<std::string_view, 3> names = {"ORDER", "SIGNAL", "DATA"};
};
template <> struct EnumInfo<EventType> {
    static constexpr std::string_view type_name = "EventType";
    static constexpr std::array<std::string_view, 17> names = {
        "CANDLE_UPDATE",  "CANDLE_CLOSED",      "TRADE",      "QUOTE",        "SIGNAL",       "ORDER_CREATED",
        "ORDER_UPDATE",   "ORDER_FILL",         "ORDER_REJECT", "SCHEDULED_TRIGGER", "ERROR", "ALERT",
        "BALANCE_UPDATE", "VENUE_ORDER_UPDATE", "VENUE_FILL", "COMMAND", "CUSTOM"};
};

template <class E>
constexpr std::string_view to_string(E value) noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < EnumInfo<E>::names.size() ? EnumInfo<E>::names[i] : std::string_view("?");
}

template <class E>
constexpr std::size_t enum_count() noexcept {
    return EnumInfo<E>::names.size();
}

// Strict, case-sensitive parse of the canonical name; std::invalid_argument otherwise.
template <class E>
E enum_from_string(std::string_view name) {
    const auto& names = EnumInfo<E>::names;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<E>(i);
    std::string expected;
    for (auto n : names) {
        if (!expected.empty()) expected += ", ";
        expected += n;
    }
    throw std::invalid_argument("invalid " + std::string(EnumInfo<E>::type_name) + " '" + std::string(name) +
                                "': expected one of " + expected);
}

// The lane an event type travels on unless the publisher says otherwise (ARCHITECTURE §3).
constexpr Lane default_lane(EventType type) noexcept {
    switch (type) {
        case EventType::CandleUpdate:
        case EventType::CandleClosed:
        case EventType::Trade:
        case EventType::Quote: return Lane::Data;
        case EventType::Signal:
        case EventType::ScheduledTrigger:
        case EventType::Custom: return Lane::Signal;
        default: return Lane::Order;
    }
}

// An order in one of these states will not change any more.
constexpr bool is_terminal(OrderStatus s) noexcept {
    return s == OrderStatus::Filled || s == OrderStatus::Canceled || s == OrderStatus::Rejected ||
           s == OrderStatus::Expired;
}

}  // namespace te
