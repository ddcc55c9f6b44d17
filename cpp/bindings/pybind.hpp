#pragma once
// Included first by every bind_*.cpp: pybind11, the `py` alias and small shared helpers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

namespace py = pybind11;

namespace te::bindings {

inline py::object not_implemented() { return py::reinterpret_borrow<py::object>(Py_NotImplemented); }

inline std::string type_name(py::handle obj) { return py::str(py::type::handle_of(obj).attr("__name__")); }

inline std::string repr_of(py::handle obj) { return py::repr(obj); }

// The decimal.Decimal class, imported once per interpreter.
const py::object& decimal_class();

// Registration functions, one per bind_*.cpp; module.cpp calls them in dependency order.
void bind_errors(py::module_& m);
void bind_logging(py::module_& m);
void bind_enums(py::module_& m);
void bind_decimal(py::module_& m);
void bind_time(py::module_& m);
void bind_market(py::module_& m);
void bind_bus(py::module_& m);
void bind_engine(py::module_& m);
void bind_sim(py::module_& m);
void bind_orders(py::module_& m);
void bind_oms(py::module_& m);
void bind_node(py::module_& m);
void bind_replay(py::module_& m);

}  // namespace te::bindings
