// Strategies written in Python on the one C++ runtime: PyStrategy is the runtime's view of a
// tradeengine.Strategy (its callbacks, called with the GIL the runtime holds for the batch), and
// StrategyContext is the strategy's handle on the runtime (orders, subscriptions, timers).
#include "bindings/pybind.hpp"

#include <fmt/format.h>

#include "bindings/py_handler.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "node/node.hpp"

namespace te::bindings {

namespace {

// The callbacks a Python strategy defines, as callables fetched once (a callback the strategy
// did not override is None and never called). For a strategy with `async def` callbacks the
// callables are the Python side's schedulers: they queue the call on the asyncio loop and
// return, and a failure comes back through StrategyContext.report_error.
class PyStrategy final : public StrategyCallbacks {
public:
    PyStrategy(py::object strategy, const py::dict& callbacks) : strategy_(std::move(strategy)) {
        auto get = [&](const char* name) {
            if (!callbacks.contains(name)) return PyRef();
            py::object fn = callbacks[name];
            return fn.is_none() ? PyRef() : PyRef(std::move(fn));
        };
        start_ = get("on_start");
        stop_ = get("on_stop");
        candle_ = get("on_candle");
        trade_ = get("on_trade");
        quote_ = get("on_quote");
        order_update_ = get("on_order_update");
        fill_ = get("on_fill");
        timer_ = get("on_timer");
        error_ = get("on_error");
    }
    ~PyStrategy() override {
        for (PyRef* r : {&start_, &stop_, &candle_, &trade_, &quote_, &order_update_, &fill_, &timer_, &error_,
                         &strategy_, &last_exception_})
            r->reset();
    }

    bool needs_python() const noexcept override { return true; }
    void on_start() override { invoke(start_); }
    void on_stop() override { invoke(stop_); }
    void on_candle(const Candle& c) override { invoke(candle_, c); }
    void on_trade(const Trade& t) override { invoke(trade_, t); }
    void on_quote(const Quote& q) override { invoke(quote_, q); }
    void on_order_update(const OrderUpdate& u) override { invoke(order_update_, u); }
    void on_fill(const Fill& f) override { invoke(fill_, f); }
    void on_timer(std::string_view name) override { invoke(timer_, std::string(name)); }
    void on_error(std::string_view callback, std::string_view type, std::string_view message) noexcept override {
        if (!error_.get() || python_finalizing()) return;
        try {
            py::gil_scoped_acquire gil;
            py::object exc = last_exception_.get() ? last_exception_.get() : py::object(py::str(message));
            try {
                error_.get()(std::string(callback), exc);
            } catch (py::error_already_set& e) {
                log::error("strategy", "on_error raised", {{"error", e.what()}, {"while_handling", std::string(type)}});
            }
        } catch (...) {
        }
    }

private:
    template <class... Args>
    void invoke(const PyRef& fn, const Args&... args) {
        if (!fn.get() || python_finalizing()) return;
        py::gil_scoped_acquire gil;  // already held by this thread for the batch: a check, not a wait
        try {
            fn.get()(args...);
        } catch (py::error_already_set& e) {
            last_exception_ = PyRef(e.value());
            throw to_handler_error(e);
        }
    }

    PyRef strategy_;
    PyRef start_, stop_, candle_, trade_, quote_, order_update_, fill_, timer_, error_;
    PyRef last_exception_;
};

// A strategy's handle on its node: what tradeengine.Strategy calls. It holds the node weakly:
// the node holds the strategy (through PyStrategy), and a strong reference back would be a
// cycle through C++ that Python's garbage collector cannot see.
struct StrategyContext {
    std::weak_ptr<Node> weak;
    StrategyId id = 0;

    std::shared_ptr<Node> node_or_throw() const {
        auto n = weak.lock();
        if (!n) throw EngineNotRunningError("the strategy's node is gone");
        return n;
    }
    StrategyRuntime& runtime() const { return node_or_throw()->strategies(); }
    oms::OrderManager& orders() const { return node_or_throw()->order_manager(); }
    // An action from the dispatcher (a callback) runs with the GIL kept; from any other thread
    // the GIL is released, since the action may wait for room on the order lane.
    template <class F>
    auto act(F&& f) const {
        const auto node = node_or_throw();
        if (node->engine().bus().on_dispatcher_thread()) return f();
        py::gil_scoped_release nogil;
        return f();
    }
};

StreamKind stream_kind(const std::string& kind) {
    if (kind == "candles") return StreamKind::Candles;
    if (kind == "trades") return StreamKind::Trades;
    if (kind == "quotes") return StreamKind::Quotes;
    throw py::value_error("invalid stream kind '" + kind + "': expected candles, trades or quotes");
}

}  // namespace

StrategyId add_python_strategy(Node& node, py::object strategy, py::dict callbacks, StrategyOptions options) {
    auto adapter = std::make_shared<PyStrategy>(std::move(strategy), callbacks);
    py::gil_scoped_release nogil;
    return node.add_strategy(std::move(adapter), std::move(options));
}

void bind_strategy_context(py::module_& m) {
    py::class_<StrategyContext>(m, "StrategyContext", "A strategy's handle on the node's strategy runtime (internal).")
        .def(py::init([](const std::shared_ptr<Node>& node, StrategyId id) { return StrategyContext{node, id}; }),
             py::arg("node"), py::arg("strategy_id"))
        .def_readonly("id", &StrategyContext::id)
        .def_property_readonly("name", [](const StrategyContext& c) { return c.runtime().name(c.id); })
        .def(
            "subscribe",
            [](const StrategyContext& c, const std::string& kind, const InstrumentId& instrument, Interval interval) {
                const StreamKey key{stream_kind(kind), instrument, interval};
                c.act([&] { c.runtime().subscribe(c.id, key); });
            },
            py::arg("kind"), py::arg("instrument_id"), py::arg("interval"))
        .def(
            "unsubscribe",
            [](const StrategyContext& c, const std::string& kind, const InstrumentId& instrument, Interval interval) {
                const StreamKey key{stream_kind(kind), instrument, interval};
                c.act([&] { c.runtime().unsubscribe(c.id, key); });
            },
            py::arg("kind"), py::arg("instrument_id"), py::arg("interval"))
        .def(
            "submit", [](const StrategyContext& c, const OrderRequest& r) { return c.act([&] { return c.runtime().submit(c.id, r); }); },
            py::arg("request"))
        .def(
            "cancel",
            [](const StrategyContext& c, const std::string& id) { return c.act([&] { return c.runtime().cancel(c.id, id); }); },
            py::arg("client_order_id"))
        .def(
            "cancel_all",
            [](const StrategyContext& c, std::optional<InstrumentId> instrument) {
                return c.act([&] { return c.runtime().cancel_all(c.id, instrument); });
            },
            py::arg("instrument_id") = py::none())
        .def(
            "set_timer",
            [](const StrategyContext& c, std::string name, double seconds, bool once) {
                if (!(seconds > 0) || seconds > 86400.0 * 365)
                    throw py::value_error(fmt::format("invalid timer interval {}: expected seconds > 0", seconds));
                c.runtime().set_timer(c.id, std::move(name), static_cast<UnixNanos>(seconds * 1e9), once);
            },
            py::arg("name"), py::arg("seconds"), py::arg("once") = false)
        .def(
            "cancel_timer", [](const StrategyContext& c, const std::string& name) { return c.runtime().cancel_timer(c.id, name); },
            py::arg("name"))
        .def(
            "report_error",
            [](const StrategyContext& c, const std::string& callback, const std::string& type, const std::string& message,
               const std::string& traceback) { c.runtime().report_error(c.id, callback, type, message, traceback); },
            py::arg("callback"), py::arg("error_type"), py::arg("message"), py::arg("traceback") = "")
        .def("resume", [](const StrategyContext& c) { c.runtime().resume(c.id); })
        .def(
            "status",
            [](const StrategyContext& c) {
                const auto name = c.runtime().name(c.id);
                for (auto& s : c.runtime().status())
                    if (s.name == name) return s;
                throw std::logic_error("strategy vanished");
            })
        .def(
            "position", [](const StrategyContext& c, const InstrumentId& id) { return c.orders().position(id); },
            py::arg("instrument_id"))
        .def(
            "closable", [](const StrategyContext& c, const InstrumentId& id) { return c.orders().closable(id); },
            py::arg("instrument_id"))
        .def(
            "open_orders",
            [](const StrategyContext& c, std::optional<InstrumentId> instrument) {
                return c.orders().orders(c.runtime().name(c.id), true, instrument);
            },
            py::arg("instrument_id") = py::none());
}

}  // namespace te::bindings
