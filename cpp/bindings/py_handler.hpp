#pragma once
// The one place where the GIL rules of tradeengine live (ARCHITECTURE §3):
// - C++ calls from Python that can block release the GIL (py::call_guard<py::gil_scoped_release>).
// - No IO thread touches a Python object; the dispatcher takes the GIL once per batch.
// - A py::object held by C++ is copied and destroyed only with the GIL held: PyRef does that.
// - Python exceptions raised on C++ threads are caught here and never unwind through C++.
#include "bindings/pybind.hpp"

namespace te::bindings {

// Owns a Python object from C++ code that may run without the GIL: the object is released
// with the GIL held, and never after the interpreter is gone.
class PyRef {
public:
    PyRef() = default;
    explicit PyRef(py::object obj) : obj_(std::move(obj)) {}
    PyRef(const PyRef&) = delete;
    PyRef& operator=(const PyRef&) = delete;
    PyRef(PyRef&&) noexcept = default;
    PyRef& operator=(PyRef&&) noexcept = default;
    ~PyRef() { reset(); }

    const py::object& get() const noexcept { return obj_; }
    void reset() {
        if (!obj_) return;
        if (!Py_IsInitialized()) {
            obj_.release();  // the interpreter is gone: leak rather than touch freed state
            return;
        }
        py::gil_scoped_acquire gil;
        obj_ = py::object();
    }

private:
    py::object obj_;
};

}  // namespace te::bindings
