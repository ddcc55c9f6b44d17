// EventBus, Event, ErrorInfo and ScheduledTrigger, plus the GIL machinery of py_handler.hpp
// (PythonGate, Python handlers, the atexit hook).
#include "bindings/pybind.hpp"

#include <chrono>
#include <atomic>
#include <cmath>
#include <thread>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "bindings/bus_convert.hpp"
#include "bindings/py_handler.hpp"
#include "bus/tsc_clock.hpp"
#include "core/errors.hpp"

namespace te::bindings {

// ---- PythonGate ---------------------------------------------------------------------------

namespace {

struct GateThreadState {
    bool created = false;  // PyGILState_Ensure done once for this thread
    bool held = false;
    PyGILState_STATE gstate{};
    PyThreadState* saved = nullptr;
};
thread_local GateThreadState t_gate;

}  // namespace

PythonGate& PythonGate::instance() noexcept {
    static PythonGate gate;
    return gate;
}

bool PythonGate::held_by_this_thread() noexcept { return t_gate.held; }

bool PythonGate::enter() noexcept {
    if (t_gate.held) return true;
    if (python_finalizing()) return false;
    if (!t_gate.created) {
        t_gate.gstate = PyGILState_Ensure();  // creates this thread's persistent thread state
        t_gate.created = true;
    } else {
        PyEval_RestoreThread(t_gate.saved);
        t_gate.saved = nullptr;
    }
    t_gate.held = true;
    return true;
}

void PythonGate::leave() noexcept {
    if (!t_gate.held) return;
    t_gate.saved = PyEval_SaveThread();
    t_gate.held = false;
}

void PythonGate::thread_exit() noexcept {
    if (!t_gate.created) return;
    if (python_finalizing()) {
        t_gate = {};  // leak the thread state: touching it now could hang or crash
        return;
    }
    if (!t_gate.held) PyEval_RestoreThread(t_gate.saved);
    PyGILState_Release(t_gate.gstate);  // destroys the thread state, releases the GIL
    t_gate = {};
}

void PythonGate::release(ObjectRef ref) noexcept {
    if (!ref.ptr) return;
    auto* obj = static_cast<PyObject*>(ref.ptr);
    if (t_gate.held) {
        Py_DECREF(obj);
        return;
    }
    if (python_finalizing()) return;  // leak
    const PyGILState_STATE s = PyGILState_Ensure();
    Py_DECREF(obj);
    PyGILState_Release(s);
}

ReleaseGil::~ReleaseGil() noexcept(false) {
    if (python_finalizing()) {
        for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    PyEval_RestoreThread(state_);
}

// ---- Python handlers ----------------------------------------------------------------------

std::string callable_name(py::handle fn) {
    py::object q = py::getattr(fn, "__qualname__", py::none());
    if (q.is_none()) return py::str(py::repr(fn));
    py::object mod = py::getattr(fn, "__module__", py::none());
    return mod.is_none() ? std::string(py::str(q)) : std::string(py::str(mod)) + "." + std::string(py::str(q));
}

HandlerError to_handler_error(py::error_already_set& err) {
    std::string type = "Exception";
    std::string message;
    std::string text;
    try {
        type = py::str(err.type().attr("__name__"));
        message = py::str(err.value());
        auto tb = py::module_::import("traceback");
        py::list lines = tb.attr("format_exception")(err.type(), err.value(), err.trace());
        text = py::str("").attr("join")(lines).cast<std::string>();
        while (!text.empty() && text.back() == '\n') text.pop_back();
    } catch (...) {
        message = err.what();
    }
    return HandlerError(type, message, text);
}

HandlerFn make_python_handler(py::object fn) {
    auto ref = std::make_shared<PyRef>(std::move(fn));
    return [ref](const Event& e) {
        // Runs on the dispatcher with the GIL held (PythonGate::enter).
        try {
            ref->get()(to_python(e));
        } catch (py::error_already_set& err) {
            throw to_handler_error(err);
        }
    };
}

// ---- exit ---------------------------------------------------------------------------------

namespace {

std::mutex& exit_m() {
    static std::mutex m;
    return m;
}
std::vector<std::function<void()>>& exit_list() {
    static std::vector<std::function<void()>> v;
    return v;
}

}  // namespace

void register_for_exit(std::function<void()> stopper) {
    std::lock_guard lk(exit_m());
    exit_list().push_back(std::move(stopper));
}

void stop_all_at_exit() {
    std::vector<std::function<void()>> todo;
    {
        std::lock_guard lk(exit_m());
        todo.swap(exit_list());
    }
    for (auto it = todo.rbegin(); it != todo.rend(); ++it) {
        try {
            (*it)();
        } catch (...) {
        }
    }
}

// ---- conversions ----------------------------------------------------------------------------

EventType to_event_type(py::handle v) {
    if (py::isinstance<py::str>(v)) {
        auto s = v.cast<std::string>();
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return enum_from_string<EventType>(s);
    }
    try {
        return v.cast<EventType>();
    } catch (const py::cast_error&) {
        throw py::type_error("invalid event type " + repr_of(v) + ": expected a tradeengine.EventType or its name");
    }
}

Lane to_lane(py::handle v) {
    if (py::isinstance<py::str>(v)) {
        auto s = v.cast<std::string>();
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return enum_from_string<Lane>(s);
    }
    try {
        return v.cast<Lane>();
    } catch (const py::cast_error&) {
        throw py::type_error("invalid lane " + repr_of(v) + ": expected a tradeengine.Lane or 'order', 'signal', 'data'");
    }
}

double to_timeout(double t, const char* what) {
    if (!std::isfinite(t) || t < 0)
        throw py::value_error(fmt::format("invalid {} {}: expected a finite number of seconds >= 0", what, t));
    return t;
}

PyEvent make_event(py::handle type_or_event, py::handle payload, py::handle lane, std::int64_t ts_event,
                   std::int64_t ts_recv) {
    if (py::isinstance<PyEvent>(type_or_event)) {
        if (!payload.is_none() || !lane.is_none())
            throw py::type_error("publish(event): pass either an Event or (event_type, payload, lane), not both");
        return type_or_event.cast<PyEvent>();
    }
    PyEvent pe;
    pe.event.type = to_event_type(type_or_event);
    pe.event.lane = lane.is_none() ? default_lane(pe.event.type) : to_lane(lane);
    pe.event.ts_event = ts_event;
    pe.event.ts_recv = ts_recv;
    if (payload.is_none()) {
        pe.event.payload = std::monostate{};
    } else if (py::isinstance<Candle>(payload)) {
        const auto c = payload.cast<Candle>();
        pe.event.payload = c;
        if (ts_event == 0) pe.event.ts_event = c.ts_event;
        if (ts_recv == 0) pe.event.ts_recv = c.ts_recv;
    } else if (py::isinstance<Trade>(payload)) {
        pe.event.payload = payload.cast<Trade>();
    } else if (py::isinstance<Quote>(payload)) {
        pe.event.payload = payload.cast<Quote>();
    } else {
        pe.object = py::reinterpret_borrow<py::object>(payload);
    }
    if (pe.event.ts_recv == 0) pe.event.ts_recv = LiveClock().now_ns();
    if (pe.event.ts_event == 0) pe.event.ts_event = pe.event.ts_recv;
    return pe;
}

py::object to_python(const Event& e) {
    PyEvent pe;
    pe.event = e;
    if (e.has_object()) {
        auto* p = static_cast<PyObject*>(std::get<ObjectRef>(e.payload).ptr);
        pe.object = p ? py::reinterpret_borrow<py::object>(p) : py::none();
        pe.event.payload = std::monostate{};
    }
    return py::cast(std::move(pe));
}

py::object payload_of(const PyEvent& pe) {
    if (pe.object) return pe.object;
    return std::visit(
        [](const auto& v) -> py::object {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) return py::none();
            else if constexpr (std::is_same_v<T, ObjectRef>) return py::none();
            else if constexpr (kIsIndirect<T>) return py::cast(*v);  // a copy: Python never points into an event
            else return py::cast(v);
        },
        pe.event.payload);
}

bool publish_from_python(EventBus& bus, PyEvent pe, bool block) {
    Event e = pe.event;
    if (pe.object) e.payload = ObjectRef{pe.object.inc_ref().ptr()};  // the bus gives it back to the gate
    const auto mode = block ? PublishMode::Policy : PublishMode::NoWait;
    PublishResult r;
    if (bus.on_dispatcher_thread()) {
        r = bus.publish(e, mode);  // re-entrant: never blocks, keep the GIL
    } else {
        ReleaseGil nogil;  // may wait up to the lane's timeout
        r = bus.publish(e, mode);
    }
    if (r == PublishResult::Closed)
        throw EngineNotRunningError("the EventBus is shut down: " + std::string(to_string(e.type)) + " not published");
    return r == PublishResult::Accepted || r == PublishResult::Overflowed;
}

py::dict lane_stats_dict(const LaneStats& l) {
    py::dict d;
    d["capacity"] = l.capacity;
    d["depth"] = l.depth;
    d["overflow_depth"] = l.overflow_depth;
    d["high_water"] = l.high_water;
    d["published"] = l.published;
    d["delivered"] = l.delivered;
    d["dropped"] = l.dropped;
    d["left_at_shutdown"] = l.left_at_shutdown;
    d["overflowed"] = l.overflowed;
    d["handler_errors"] = l.handler_errors;
    d["blocked_seconds"] = static_cast<double>(l.blocked_ns) / 1e9;
    return d;
}

py::dict latency_dict(const LatencySummary& s) {
    py::dict d;
    d["count"] = s.count;
    d["p50_us"] = static_cast<double>(s.p50_ns) / 1e3;
    d["p99_us"] = static_cast<double>(s.p99_ns) / 1e3;
    d["p999_us"] = static_cast<double>(s.p999_ns) / 1e3;
    d["max_us"] = static_cast<double>(s.max_ns) / 1e3;
    d["mean_us"] = s.mean_ns / 1e3;
    return d;
}

py::dict bus_stats_dict(const BusStats& s) {
    py::dict d;
    for (const auto& l : s.lanes) {
        auto name = std::string(to_string(l.lane));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        d[py::str(name)] = lane_stats_dict(l);
    }
    d["latency"] = latency_dict(s.latency);
    d["handler_errors"] = s.handler_errors;
    d["python_skipped"] = s.python_skipped;
    d["gil_acquisitions"] = s.gate_entries;
    d["missed_wakeups"] = s.missed_wakeups;
    d["depth"] = s.depth();
    d["running"] = s.running;
    d["shut_down"] = s.shut_down;
    return d;
}

py::dict report_dict(const ShutdownReport& r) {
    py::dict left;
    left["order"] = r.left[0];
    left["signal"] = r.left[1];
    left["data"] = r.left[2];
    py::list events;
    for (const auto& e : r.left_events) events.append(to_python(e));
    py::dict d;
    d["left"] = left;
    d["total_left"] = r.total_left();
    d["left_events"] = events;
    d["duration_seconds"] = static_cast<double>(r.duration_ns) / 1e9;
    d["timed_out"] = r.timed_out;
    return d;
}

BusConfig bus_config(std::string name, std::size_t data_capacity, double data_timeout, std::size_t signal_capacity,
                     double signal_timeout, std::size_t order_capacity, std::size_t batch_size, double spin_us) {
    BusConfig c;
    c.name = std::move(name);
    c.data = {data_capacity, static_cast<std::int64_t>(to_timeout(data_timeout, "data_timeout") * 1e9)};
    c.signal = {signal_capacity, static_cast<std::int64_t>(to_timeout(signal_timeout, "signal_timeout") * 1e9)};
    c.order = {order_capacity, -1};
    c.batch_size = batch_size;
    c.spin_ns = static_cast<std::int64_t>(to_timeout(spin_us, "spin_us") * 1e3);
    c.validate();
    return c;
}

SubscriptionId subscribe_python(EventBus& bus, py::handle type, py::object handler, py::object name) {
    const auto t = to_event_type(type);
    if (!PyCallable_Check(handler.ptr()))
        throw py::type_error("invalid handler " + repr_of(handler) + ": expected a callable taking one Event");
    auto inspect = py::module_::import("inspect");
    if (inspect.attr("iscoroutinefunction")(handler).cast<bool>())
        throw py::type_error("coroutine handler " + callable_name(handler) +
                             ": the native EventBus calls plain functions; subscribe it through "
                             "tradeengine.EventBus or tradeengine.Engine, which run coroutines on the asyncio loop");
    std::string n = name.is_none() ? callable_name(handler) : std::string(py::str(name));
    return bus.subscribe(t, make_python_handler(std::move(handler)), std::move(n), HandlerKind::Python);
}

// ---- bind -----------------------------------------------------------------------------------

void bind_bus(py::module_& m) {
    py::class_<ScheduledTrigger>(m, "ScheduledTrigger", "A timer firing: the payload of SCHEDULED_TRIGGER events.")
        .def_readonly("timer_id", &ScheduledTrigger::timer_id, "The id returned by schedule_once/schedule_periodic.")
        .def_property_readonly("trigger_type", [](const ScheduledTrigger& t) { return std::string(t.type_view()); },
                               "The timer's name.")
        .def_readonly("scheduled_time", &ScheduledTrigger::scheduled_time, "When it was due (Unix ns, engine clock).")
        .def_readonly("actual_time", &ScheduledTrigger::actual_time, "When it fired (Unix ns, engine clock).")
        .def("__repr__", [](const ScheduledTrigger& t) {
            return fmt::format("ScheduledTrigger('{}', timer_id={}, scheduled_time={}, actual_time={})", t.type_view(),
                               t.timer_id, t.scheduled_time, t.actual_time);
        });

    py::class_<ErrorInfo>(m, "ErrorInfo", "The payload of ERROR events: which handler failed on what (truncated; the log has the traceback).")
        .def_property_readonly("handler", [](const ErrorInfo& e) { return std::string(e.handler); }, "The failing handler's name (its end if long).")
        .def_property_readonly("error_type", [](const ErrorInfo& e) { return std::string(e.error_type); }, "Exception type name.")
        .def_property_readonly("message", [](const ErrorInfo& e) { return std::string(e.message); }, "Exception message (truncated).")
        .def_readonly("event_type", &ErrorInfo::event_type, "Type of the event being handled.")
        .def_readonly("lane", &ErrorInfo::lane, "Lane of the event being handled.")
        .def("__repr__", [](const ErrorInfo& e) {
            return fmt::format("ErrorInfo(handler='{}', error_type='{}', message='{}')", e.handler, e.error_type, e.message);
        });

    py::class_<PyEvent>(m, "Event", "An event on the EventBus: type, lane, timestamps and a payload.")
        .def(py::init([](py::handle type, py::handle payload, py::handle lane, std::int64_t ts_event,
                         std::int64_t ts_recv) { return make_event(type, payload, lane, ts_event, ts_recv); }),
             py::arg("event_type"), py::arg("payload") = py::none(), py::arg("lane") = py::none(),
             py::arg("ts_event") = 0, py::arg("ts_recv") = 0,
             "Event(event_type, payload=None, lane=None): the lane defaults to the type's lane. A Candle, "
             "Trade or Quote payload travels natively; any other object is carried as is.")
        .def_property_readonly("type", [](const PyEvent& e) { return e.event.type; }, "The EventType.")
        .def_property_readonly("lane", [](const PyEvent& e) { return e.event.lane; }, "The Lane it travels on.")
        .def_property_readonly("ts_event", [](const PyEvent& e) { return e.event.ts_event; }, "Venue time (Unix ns).")
        .def_property_readonly("ts_recv", [](const PyEvent& e) { return e.event.ts_recv; }, "Local receive time (Unix ns).")
        .def_property_readonly(
            "ts_publish",
            [](const PyEvent& e) { return e.event.ts_publish ? tsc::to_monotonic_ns(e.event.ts_publish) : 0; },
            "Monotonic ns at publish (0 before publishing).")
        .def_property_readonly("payload", &payload_of, "Candle, Trade, Quote, ScheduledTrigger, ErrorInfo, OrderUpdate, Fill, Balance, AlertInfo, any object or None.")
        .def_property_readonly("data", &payload_of, "Alias of payload (event.data).")
        .def("__repr__", [](const PyEvent& e) {
            return fmt::format("Event({}, lane={}, ts_event={}, payload={})", to_string(e.event.type),
                               to_string(e.event.lane), e.event.ts_event, repr_of(payload_of(e)));
        });

    py::class_<EventBus, std::shared_ptr<EventBus>>(
        m, "EventBus",
        "Three bounded lanes (order 50 never dropped, signal 100 waits 5 s then QueueFullError, data 1000 waits "
        "1 s then drops) served by one native dispatcher thread in priority order order > signal > data.")
        .def(py::init([](std::string name, std::size_t data_capacity, double data_timeout, std::size_t signal_capacity,
                         double signal_timeout, std::size_t order_capacity, std::size_t batch_size, double spin_us) {
                 auto bus = shared_released(new EventBus(bus_config(std::move(name), data_capacity, data_timeout,
                                                                    signal_capacity, signal_timeout, order_capacity,
                                                                    batch_size, spin_us)));
                 bus->set_gate(&PythonGate::instance());
                 std::weak_ptr<EventBus> weak = bus;
                 register_for_exit([weak] {
                     if (auto b = weak.lock()) b->shutdown(1.0);
                 });
                 return bus;
             }),
             py::kw_only(), py::arg("name") = "bus", py::arg("data_capacity") = 1000, py::arg("data_timeout") = 1.0,
             py::arg("signal_capacity") = 100, py::arg("signal_timeout") = 5.0, py::arg("order_capacity") = 50,
             py::arg("batch_size") = 64, py::arg("spin_us") = 5.0)
        .def("subscribe", &subscribe_python, py::arg("event_type"), py::arg("handler"), py::arg("name") = py::none(),
             "Calls handler(event) for every event of this type, after the handlers subscribed before it. "
             "Returns a subscription id for unsubscribe(). Takes effect from the next event.")
        .def("unsubscribe", &EventBus::unsubscribe, py::arg("subscription_id"),
             py::call_guard<ReleaseGil>(), "Removes a subscription; False if unknown.")
        .def("handler_count", [](const EventBus& b, py::handle t) { return b.handler_count(to_event_type(t)); },
             py::arg("event_type"), "How many handlers an event type has.")
        .def("handlers", [](const EventBus& b) {
                 py::list out;
                 for (const auto& h : b.handlers()) {
                     py::dict d;
                     d["id"] = h.id;
                     d["event_type"] = h.type;
                     d["name"] = h.name;
                     d["python"] = h.kind == HandlerKind::Python;
                     d["calls"] = h.calls;
                     d["errors"] = h.errors;
                     out.append(d);
                 }
                 return out;
             }, "Every subscription with its call and error counts.")
        .def("publish",
             [](EventBus& b, py::handle ev, py::handle payload, py::handle lane, bool block) {
                 return publish_from_python(b, make_event(ev, payload, lane, 0, 0), block);
             },
             py::arg("event"), py::arg("payload") = py::none(), py::arg("lane") = py::none(), py::kw_only(),
             py::arg("block") = true,
             "publish(Event) or publish(event_type, payload=None, lane=None). True if queued, False if dropped "
             "(data lane full for its timeout). Raises QueueFullError (signal lane full for its timeout) and "
             "EngineNotRunningError (bus shut down). block=False never waits. Releases the GIL while waiting.")
        .def("start", &EventBus::start, py::call_guard<ReleaseGil>(), "Starts the dispatcher thread.")
        .def("stop", &EventBus::stop, py::call_guard<ReleaseGil>(),
             "Stops the dispatcher after its current batch; queued events stay queued.")
        .def("shutdown",
             [](EventBus& b, double timeout) {
                 to_timeout(timeout, "timeout");
                 ShutdownReport r;
                 {
                     ReleaseGil nogil;
                     r = b.shutdown(timeout);
                 }
                 return report_dict(r);
             },
             py::arg("timeout") = 5.0,
             "Drains and closes: the order lane always fully; the other lanes until timeout. Returns what was "
             "left: {'left': {...}, 'total_left', 'left_events', 'duration_seconds', 'timed_out'}.")
        .def_property_readonly("running", &EventBus::running, "True while the dispatcher thread runs.")
        .def_property_readonly("is_shut_down", &EventBus::shut_down, "True once shutdown() completed.")
        .def("on_dispatcher_thread", &EventBus::on_dispatcher_thread, "True when called from a handler.")
        .def("stats", [](const EventBus& b) { return bus_stats_dict(b.stats()); },
             "Per-lane depth, high_water, published, delivered, dropped, left_at_shutdown, overflowed, "
             "handler_errors, blocked_seconds; publish->delivery latency p50/p99/p99.9.")
        .def_property_readonly("depth", &EventBus::depth, "Events waiting in all lanes.")
        .def("report_handler_error",
             [](EventBus& b, SubscriptionId id, py::handle type, py::handle lane, std::string error_type,
                std::string message, std::string traceback) {
                 const auto t = to_event_type(type);
                 const auto l = to_lane(lane);
                 ReleaseGil nogil;
                 b.report_handler_error(id, t, l, error_type, message, traceback);
             },
             py::arg("subscription_id"), py::arg("event_type"), py::arg("lane"), py::arg("error_type"),
             py::arg("message"), py::arg("traceback") = "",
             "Reports the failure of a handler that finished elsewhere (a coroutine on an asyncio loop): logged, "
             "counted for the handler and the lane, and published as an ERROR event.")
        .def("reset_latency", &EventBus::reset_latency, "Clears the latency histogram.");

    // Benchmark helpers (bench/bench_bus_python.py): native producer threads, no Python involved.
    m.def(
        "_bench_produce",
        [](EventBus& bus, std::uint64_t count, py::handle type, int threads, double rate) {
            const auto t = to_event_type(type);
            ReleaseGil nogil;
            Candle c;
            c.instrument_id = InstrumentId::parse("BTCUSDT.BINANCE");
            c.closed = t == EventType::CandleClosed;
            Event ev(t, default_lane(t), c);
            const auto gap = rate > 0 ? static_cast<std::int64_t>(1e9 / rate) : 0;
            const auto t0 = monotonic_ns();
            std::vector<std::thread> ts;
            for (int i = 0; i < threads; ++i)
                ts.emplace_back([&, i] {
                    const auto n = count / static_cast<std::uint64_t>(threads) +
                                   (static_cast<std::uint64_t>(i) < count % static_cast<std::uint64_t>(threads) ? 1 : 0);
                    auto next = monotonic_ns();
                    for (std::uint64_t k = 0; k < n; ++k) {
                        if (gap) {
                            while (monotonic_ns() < next) std::this_thread::yield();
                            next += gap;
                        }
                        bus.publish(ev);
                    }
                });
            for (auto& th : ts) th.join();
            return static_cast<double>(monotonic_ns() - t0) / 1e9;
        },
        py::arg("bus"), py::arg("count"), py::arg("event_type") = "CANDLE_CLOSED", py::arg("threads") = 1,
        py::arg("rate") = 0.0, "Benchmark helper: native threads publish `count` candle events (optionally paced).");
    m.def(
        "_bench_cpp_bus",
        [](std::uint64_t count, int producers) {
            ReleaseGil nogil;
            EventBus bus;
            std::atomic<std::uint64_t> n{0};
            bus.subscribe(EventType::CandleClosed, [&](const Event&) { n.fetch_add(1, std::memory_order_relaxed); }, "count");
            bus.start();
            Candle c;
            c.closed = true;
            const Event ev = Event::candle(c);
            const auto t0 = monotonic_ns();
            std::vector<std::thread> ts;
            for (int i = 0; i < producers; ++i)
                ts.emplace_back([&] {
                    for (std::uint64_t k = 0; k < count / static_cast<std::uint64_t>(producers); ++k) bus.publish(ev);
                });
            for (auto& th : ts) th.join();
            const auto target = count / static_cast<std::uint64_t>(producers) * static_cast<std::uint64_t>(producers);
            while (n.load() + bus.stats().lanes[2].dropped < target) std::this_thread::sleep_for(std::chrono::microseconds(100));
            const auto secs = static_cast<double>(monotonic_ns() - t0) / 1e9;
            bus.shutdown(1.0);
            return static_cast<double>(target) / secs;
        },
        py::arg("count"), py::arg("producers") = 1,
        "Benchmark helper: events/s of a native bus with a native counting handler.");

    m.def("_stop_all_at_exit", [] {
        ReleaseGil nogil;
        stop_all_at_exit();
    }, "Stops every bus and engine created from Python (registered with atexit).");
    py::module_::import("atexit").attr("register")(m.attr("_stop_all_at_exit"));
}

}  // namespace te::bindings
