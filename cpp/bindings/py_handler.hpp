#pragma once
// The one place where the GIL rules of tradeengine live (ARCHITECTURE §3):
// - C++ calls from Python that can block release the GIL (py::call_guard<py::gil_scoped_release>).
// - No IO thread touches a Python object; the dispatcher takes the GIL once per batch
//   (PythonGate), through one persistent thread state, and never while holding a bus lock.
// - A py::object held by C++ is copied and destroyed only with the GIL held: PyRef does that.
// - Python exceptions raised on C++ threads are caught here and never unwind through C++:
//   they become te::HandlerError (type name + traceback) for the bus to isolate and count.
// - Nothing touches Python once the interpreter is finalising (a thread that takes the GIL
//   then is killed or hangs); objects are leaked instead.
#include "bindings/pybind.hpp"

#include <functional>
#include <memory>
#include <string>

#include "bus/event_bus.hpp"

namespace te::bindings {

inline bool python_finalizing() noexcept {
    if (!Py_IsInitialized()) return true;
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing() != 0;
#else
    return _Py_IsFinalizing() != 0;
#endif
}

// Releases the GIL for a blocking native call, like py::gil_scoped_release, but safe in
// daemon threads at interpreter exit: if the interpreter is finalising when the call
// returns, the thread parks for ever instead of taking the GIL (the process is exiting and
// ends it). In the small window where finalisation starts during PyEval_RestoreThread,
// CPython ends the thread with a forced unwind, which the noexcept(false) destructor lets
// through instead of calling std::terminate.
class ReleaseGil {
public:
    ReleaseGil() : state_(PyEval_SaveThread()) {}
    ReleaseGil(const ReleaseGil&) = delete;
    ReleaseGil& operator=(const ReleaseGil&) = delete;
    ~ReleaseGil() noexcept(false);

private:
    PyThreadState* state_;
};

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
        if (python_finalizing()) {
            obj_.release();  // the interpreter is going away: leak rather than touch its state
            return;
        }
        py::gil_scoped_acquire gil;
        obj_ = py::object();
    }

private:
    py::object obj_;
};

// The DispatchGate of every bus reachable from Python. Each dispatcher thread keeps one
// Python thread state for its whole life: enter() restores it (taking the GIL), leave()
// saves it (releasing the GIL). The bus calls enter() lazily, before the first Python
// handler of a batch, and leave() at the end of the batch.
class PythonGate final : public DispatchGate {
public:
    static PythonGate& instance() noexcept;
    bool enter() noexcept override;
    void leave() noexcept override;
    void thread_exit() noexcept override;
    void release(ObjectRef ref) noexcept override;
    static bool held_by_this_thread() noexcept;
};

// Wraps a Python callable as a bus handler (GIL held by the gate when it runs).
HandlerFn make_python_handler(py::object fn);
// "module.qualname" of a callable, for logs and stats.
std::string callable_name(py::handle fn);
// A Python exception as a HandlerError carrying its type name and formatted traceback.
HandlerError to_handler_error(py::error_already_set& err);

// Deletes a native object with the GIL released: destroying an engine or bus joins its
// threads, which may need the GIL to finish a batch.
template <class T>
std::shared_ptr<T> shared_released(T* p) {
    return std::shared_ptr<T>(p, [](T* q) {
        if (!python_finalizing() && PyGILState_Check()) {
            py::gil_scoped_release nogil;
            delete q;
        } else {
            delete q;
        }
    });
}

// Buses and engines created from Python register how to stop them (capturing a weak_ptr);
// the atexit hook runs every stopper, GIL released, before the interpreter finalises.
void register_for_exit(std::function<void()> stopper);
void stop_all_at_exit();

}  // namespace te::bindings
