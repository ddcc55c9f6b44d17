#include "bindings/pybind.hpp"

#include <memory>

#include "core/time.hpp"

namespace te::bindings {

void bind_time(py::module_& m) {
    py::class_<Clock, std::shared_ptr<Clock>>(m, "Clock", "Source of the current time in Unix nanoseconds.")
        .def("now_ns", &Clock::now_ns, "Now, in nanoseconds since the Unix epoch.");
    py::class_<LiveClock, Clock, std::shared_ptr<LiveClock>>(m, "LiveClock", "The system's wall clock.")
        .def(py::init<>());
    py::class_<TestClock, Clock, std::shared_ptr<TestClock>>(
        m, "TestClock", "A clock set by hand, for deterministic tests and replay. Time never goes backwards.")
        .def(py::init<UnixNanos>(), py::arg("start_ns") = 0)
        .def("set_time", &TestClock::set_time, py::arg("t_ns"), "Move to t_ns (>= now).")
        .def("advance", &TestClock::advance, py::arg("delta_ns"), "Move forward by delta_ns (>= 0).");
    m.def(
        "now_ns", [] { return LiveClock().now_ns(); }, "The wall-clock time in Unix nanoseconds.");
    m.def("format_iso8601", &format_iso8601, py::arg("t_ns"),
          "Unix nanoseconds as UTC ISO-8601 text: '2026-11-23T18:12:05.123456789Z'.");
}

}  // namespace te::bindings
