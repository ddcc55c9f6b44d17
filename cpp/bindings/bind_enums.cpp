// Enumerations as real Python enum.Enum classes (pybind11 native_enum), with the canonical
// names of cpp/core/enums.hpp as member names (Side.BUY, OrderType.LIMIT_MAKER, ...).
#include "bindings/pybind.hpp"

#include <pybind11/native_enum.h>

#include "core/decimal.hpp"
#include "core/enums.hpp"
#include "core/market.hpp"

namespace te::bindings {
namespace {

template <class E>
void bind_enum(py::module_& m, const char* name, const char* doc) {
    py::native_enum<E> e(m, name, "enum.Enum", doc);
    for (std::size_t i = 0; i < enum_count<E>(); ++i) e.value(EnumInfo<E>::names[i].data(), static_cast<E>(i));
    e.finalize();
}

constexpr const char* kIntervalMembers[] = {"S1", "M1", "M3", "M5", "M15", "M30", "H1", "H2",
                                            "H4", "H6", "H8", "H12", "D1", "D3", "W1", "MO1"};

}  // namespace

void bind_enums(py::module_& m) {
    bind_enum<Side>(m, "Side", "Order side: BUY or SELL.");
    bind_enum<OrderType>(m, "OrderType", "Order types, with Binance's names.");
    bind_enum<TimeInForce>(m, "TimeInForce", "GTC (good till canceled), IOC (immediate or cancel), FOK (fill or kill).");
    bind_enum<OrderStatus>(m, "OrderStatus", "States of the order state machine (docs/architecture/live-trading.md).");
    bind_enum<EngineState>(m, "EngineState", "CREATED -> INITIALIZED -> RUNNING -> STOPPING -> STOPPED.");
    bind_enum<ComponentState>(m, "ComponentState",
                              "A component's lifecycle: READY -> STARTING -> RUNNING -> STOPPING -> STOPPED, "
                              "plus DEGRADED (impaired but working) and FAULTED (failed).");
    bind_enum<Lane>(m, "Lane", "EventBus lanes in priority order: ORDER > SIGNAL > DATA.");
    bind_enum<EventType>(m, "EventType", "Types of the events that travel through the EventBus.");

    py::native_enum<Interval> interval(m, "Interval", "enum.Enum",
                                       "Kline intervals. Interval.M1 is '1m', Interval.MO1 is '1M' (a month); "
                                       "interval_from_string('15m') and interval_to_string() convert.");
    for (std::size_t i = 0; i < enum_count<Interval>(); ++i) interval.value(kIntervalMembers[i], static_cast<Interval>(i));
    interval.finalize();
    m.def(
        "interval_from_string", [](std::string_view s) { return enum_from_string<Interval>(s); }, py::arg("text"),
        "Parse Binance's interval spelling ('1s', '1m', ... '1w', '1M').");
    m.def(
        "interval_to_string", [](Interval i) { return std::string(to_string(i)); }, py::arg("interval"),
        "Binance's spelling of an interval ('1m').");

    py::native_enum<Rounding> rounding(m, "Rounding", "enum.Enum",
                                       "Rounding modes, as in Python's decimal module: DOWN is toward zero, UP away "
                                       "from zero, FLOOR toward -inf, CEILING toward +inf.");
    rounding.value("DOWN", Rounding::Down)
        .value("UP", Rounding::Up)
        .value("FLOOR", Rounding::Floor)
        .value("CEILING", Rounding::Ceiling)
        .value("HALF_EVEN", Rounding::HalfEven)
        .value("HALF_UP", Rounding::HalfUp)
        .finalize();
}

}  // namespace te::bindings
