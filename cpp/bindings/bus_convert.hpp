#pragma once
// Conversions between te::Event and Python, shared by bind_bus.cpp and bind_engine.cpp.
#include "bindings/pybind.hpp"

#include <cstdint>

#include "bus/event_bus.hpp"

namespace te::bindings {

// The Python-visible Event: the native event plus, for Python payloads, the object itself
// (owned here, so an Event kept by a handler outlives the bus's reference).
struct PyEvent {
    Event event;
    py::object object;
};

EventType to_event_type(py::handle v);  // EventType or its name (case-insensitive)
Lane to_lane(py::handle v);             // Lane or 'order' / 'signal' / 'data'
double to_timeout(double t, const char* what);  // finite and >= 0, else ValueError
PyEvent make_event(py::handle type_or_event, py::handle payload, py::handle lane, std::int64_t ts_event,
                   std::int64_t ts_recv);
py::object to_python(const Event& e);  // GIL held
py::object payload_of(const PyEvent& pe);
bool publish_from_python(EventBus& bus, PyEvent pe, bool block);
SubscriptionId subscribe_python(EventBus& bus, py::handle type, py::object handler, py::object name);
py::dict bus_stats_dict(const BusStats& s);
py::dict latency_dict(const LatencySummary& s);
py::dict report_dict(const ShutdownReport& r);
BusConfig bus_config(std::string name, std::size_t data_capacity, double data_timeout, std::size_t signal_capacity,
                     double signal_timeout, std::size_t order_capacity, std::size_t batch_size, double spin_us);

}  // namespace te::bindings
