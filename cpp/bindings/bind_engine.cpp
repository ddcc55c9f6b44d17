// TradingEngine: lifecycle, candle callback, metrics, health, timers. Python components
// (strategies, risk manager) are wrapped so their on_start()/on_stop() run with the GIL.
#include "bindings/pybind.hpp"

#include <optional>

#include "bindings/bus_convert.hpp"
#include "bindings/py_handler.hpp"
#include "engine/trading_engine.hpp"

namespace te::bindings {
namespace {

// A Python object as an engine component. Its optional on_start()/on_stop() methods are
// called (no arguments) on the thread calling run()/stop(); their exceptions propagate.
class PyComponent final : public EngineComponent {
public:
    PyComponent(py::object obj, std::string name) : obj_(std::move(obj)), name_(std::move(name)) {}
    std::string name() const override { return name_; }
    void on_start(TradingEngine&) override { call("on_start"); }
    void on_stop(TradingEngine&) override { call("on_stop"); }
    const py::object& object() const noexcept { return obj_.get(); }

private:
    void call(const char* method) {
        if (python_finalizing()) return;
        py::gil_scoped_acquire gil;
        try {
            if (py::hasattr(obj_.get(), method)) obj_.get().attr(method)();
        } catch (py::error_already_set& err) {
            throw to_handler_error(err);
        }
    }
    PyRef obj_;
    std::string name_;
};

std::string component_name(py::handle obj) {
    py::object n = py::getattr(obj, "name", py::none());
    if (py::isinstance<py::str>(n)) return n.cast<std::string>();
    return type_name(obj);
}

py::dict metrics_dict(const EngineMetrics& m) {
    py::dict d;
    d["candles_received"] = m.candles_received;
    d["events_published"] = m.events_published;
    d["events_dropped"] = m.events_dropped;
    d["candles_dropped_not_running"] = m.candles_dropped_not_running;
    d["candles_dropped_lane_full"] = m.candles_dropped_lane_full;
    d["trades_received"] = m.trades_received;
    d["quotes_received"] = m.quotes_received;
    d["order_events_received"] = m.order_events_received;
    d["other_dropped_not_running"] = m.other_dropped_not_running;
    d["callback_errors"] = m.callback_errors;
    d["publish_latency_p50"] = m.publish_latency_p50_us / 1e3;  // milliseconds, as seed 000 names them
    d["publish_latency_p99"] = m.publish_latency_p99_us / 1e3;
    d["publish_latency_p50_us"] = m.publish_latency_p50_us;
    d["publish_latency_p99_us"] = m.publish_latency_p99_us;
    d["delivery_latency_p50_us"] = m.delivery_latency_p50_us;
    d["delivery_latency_p99_us"] = m.delivery_latency_p99_us;
    d["delivery_latency_p999_us"] = m.delivery_latency_p999_us;
    d["state"] = m.state;
    d["uptime_seconds"] = m.uptime_seconds;
    py::dict transitions;
    for (const auto& [k, v] : m.state_transitions) transitions[py::str(k)] = v;
    d["state_transitions"] = transitions;
    py::dict depth;
    depth["order"] = m.lane_depth[0];
    depth["signal"] = m.lane_depth[1];
    depth["data"] = m.lane_depth[2];
    d["lane_depth"] = depth;
    d["bus"] = bus_stats_dict(m.bus);
    return d;
}

py::dict health_dict(const HealthReport& h) {
    py::dict d;
    d["status"] = h.status;
    d["healthy"] = h.healthy;
    d["state"] = h.state;
    d["event_loop_running"] = h.event_loop_running;
    d["eventbus_depth"] = h.eventbus_depth;
    d["drop_rate"] = h.drop_rate;
    d["uptime"] = h.uptime_seconds;
    d["uptime_seconds"] = h.uptime_seconds;
    return d;
}

}  // namespace

void bind_engine(py::module_& m) {
    py::class_<TradingEngine, std::shared_ptr<TradingEngine>>(
        m, "TradingEngine",
        "The native engine: owns its EventBus and timers, runs CREATED -> INITIALIZED -> RUNNING -> STOPPING -> "
        "STOPPED. Most code uses tradeengine.Engine, the asyncio-friendly facade around it.")
        .def(py::init([](std::string name, std::shared_ptr<Clock> clock, std::size_t data_capacity, double data_timeout,
                         std::size_t signal_capacity, double signal_timeout, std::size_t order_capacity,
                         std::size_t batch_size, double spin_us, bool scheduler_thread) {
                 EngineConfig cfg;
                 cfg.name = name;
                 cfg.clock = std::move(clock);
                 cfg.scheduler_thread = scheduler_thread;
                 cfg.bus = bus_config(name + ".bus", data_capacity, data_timeout, signal_capacity, signal_timeout,
                                      order_capacity, batch_size, spin_us);
                 auto engine = shared_released(new TradingEngine(std::move(cfg)));
                 engine->bus().set_gate(&PythonGate::instance());
                 std::weak_ptr<TradingEngine> weak = engine;
                 register_for_exit([weak] {
                     auto e = weak.lock();
                     if (!e) return;
                     if (e->state() == EngineState::Running) e->stop(1.0);
                     else if (!e->bus().shut_down()) e->bus().shutdown(0.0);
                 });
                 return engine;
             }),
             py::kw_only(), py::arg("name") = "engine", py::arg("clock") = nullptr, py::arg("data_capacity") = 1000,
             py::arg("data_timeout") = 1.0, py::arg("signal_capacity") = 100, py::arg("signal_timeout") = 5.0,
             py::arg("order_capacity") = 50, py::arg("batch_size") = 64, py::arg("spin_us") = 5.0,
             py::arg("scheduler_thread") = true)
        .def_property_readonly("state", &TradingEngine::state, "The current EngineState.")
        .def_property_readonly("name", &TradingEngine::name, "The engine's name (log component).")
        .def_property_readonly("bus", [](TradingEngine& e) { return e.bus_ptr(); }, "The engine's EventBus.")
        .def(
            "set_components",
            [](TradingEngine& e, py::iterable strategies, py::object risk_manager) {
                std::vector<ComponentPtr> comps;
                for (auto s : strategies) {
                    if (s.is_none()) throw py::value_error("invalid strategies: None in the list");
                    comps.push_back(std::make_shared<PyComponent>(py::reinterpret_borrow<py::object>(s), component_name(s)));
                }
                ComponentPtr risk;
                if (!risk_manager.is_none()) risk = std::make_shared<PyComponent>(risk_manager, component_name(risk_manager));
                ReleaseGil nogil;
                e.set_components(std::move(comps), std::move(risk));
            },
            py::arg("strategies") = py::list(), py::arg("risk_manager") = py::none(),
            "CREATED -> INITIALIZED. Strategies and the risk manager may define on_start() and on_stop().")
        .def("run", &TradingEngine::run, py::call_guard<ReleaseGil>(),
             "INITIALIZED -> RUNNING: starts the dispatcher and timers, then the components. Returns at once.")
        .def(
            "wait_until_ready",
            [](TradingEngine& e, double timeout) {
                to_timeout(timeout, "timeout");
                ReleaseGil nogil;
                e.wait_until_ready(timeout);
            },
            py::arg("timeout") = 5.0, "Blocks until RUNNING; EngineNotRunningError after timeout seconds.")
        .def(
            "stop",
            [](TradingEngine& e, double timeout) {
                to_timeout(timeout, "timeout");
                ShutdownReport r;
                {
                    ReleaseGil nogil;
                    r = e.stop(timeout);
                }
                return report_dict(r);
            },
            py::arg("timeout") = 5.0,
            "RUNNING -> STOPPING -> STOPPED: stop hooks, timers, drain the bus (order lane fully), components. "
            "Returns the bus's shutdown report.")
        .def(
            "add_stop_hook",
            [](TradingEngine& e, std::string name, py::object fn) {
                if (!PyCallable_Check(fn.ptr())) throw py::type_error("invalid stop hook " + repr_of(fn) + ": expected a callable");
                auto ref = std::make_shared<PyRef>(std::move(fn));
                ReleaseGil nogil;
                e.add_stop_hook(std::move(name), [ref] {
                    if (python_finalizing()) return;
                    py::gil_scoped_acquire gil;
                    try {
                        ref->get()();
                    } catch (py::error_already_set& err) {
                        throw to_handler_error(err);
                    }
                });
            },
            py::arg("name"), py::arg("hook"), "Called first by stop(), newest first: stop your data collectors here.")
        .def("on_candle_received", &TradingEngine::on_candle_received, py::arg("candle"),
             py::call_guard<ReleaseGil>(),
             "Thread-safe, never raises. Publishes the candle when RUNNING; otherwise drops and counts it.")
        .def(
            "on_venue_order_update",
            [](TradingEngine& e, const OrderUpdate& u) {
                Event ev = Event::order_update(u);
                ev.type = EventType::VenueOrderUpdate;
                py::gil_scoped_release nogil;
                e.on_order_event(ev);
            },
            py::arg("update"),
            "For broker adapters: what the venue said about an order (VENUE_ORDER_UPDATE, applied by the order "
            "manager). Thread-safe, never raises.")
        .def(
            "on_venue_fill",
            [](TradingEngine& e, const Fill& f) {
                Event ev = Event::fill(f);
                ev.type = EventType::VenueFill;
                py::gil_scoped_release nogil;
                e.on_order_event(ev);
            },
            py::arg("fill"), "For broker adapters: one execution (VENUE_FILL). Thread-safe, never raises.")
        .def("on_trade_received", &TradingEngine::on_trade_received, py::arg("trade"), py::call_guard<ReleaseGil>(),
             "Thread-safe, never raises. Publishes a TRADE event on the data lane when RUNNING; otherwise drops "
             "and counts it.")
        .def("on_quote_received", &TradingEngine::on_quote_received, py::arg("quote"), py::call_guard<ReleaseGil>(),
             "Thread-safe, never raises. Publishes a QUOTE event on the data lane when RUNNING; otherwise drops "
             "and counts it.")
        .def("metrics", [](const TradingEngine& e) { return metrics_dict(e.metrics()); },
             "A consistent snapshot: candles_received, events_published, events_dropped, callback_errors, "
             "publish_latency_p50/p99 (ms), state, uptime_seconds, state_transitions, lane_depth, bus stats.")
        .def("health_check", [](const TradingEngine& e) { return health_dict(e.health_check()); },
             "status 'healthy'/'unhealthy', event_loop_running, eventbus_depth, drop_rate, uptime.")
        .def(
            "schedule_once",
            [](TradingEngine& e, std::string trigger_type, std::int64_t at_ns) {
                return e.scheduler().schedule_once(trigger_type, at_ns);
            },
            py::arg("trigger_type"), py::arg("at_ns"), "A SCHEDULED_TRIGGER event at at_ns (engine clock). Returns a timer id.")
        .def(
            "schedule_periodic",
            [](TradingEngine& e, std::string trigger_type, std::int64_t interval_ns, std::optional<std::int64_t> first_ns) {
                return e.scheduler().schedule_periodic(trigger_type, interval_ns, first_ns);
            },
            py::arg("trigger_type"), py::arg("interval_ns"), py::arg("first_ns") = py::none(),
            "A SCHEDULED_TRIGGER event every interval_ns, first at first_ns (default now + interval).")
        .def("cancel_timer", [](TradingEngine& e, TimerId id) { return e.scheduler().cancel(id); }, py::arg("timer_id"),
             "Cancels a timer; False if unknown.")
        .def(
            "poll_timers",
            [](TradingEngine& e) {
                ReleaseGil nogil;
                return e.scheduler().poll();
            },
            "Fires the timers due on the engine clock (a TestClock engine fires timers only here).")
        .def_property_readonly("pending_timers", [](TradingEngine& e) { return e.scheduler().pending(); },
                               "How many timers are scheduled.");
}

}  // namespace te::bindings
