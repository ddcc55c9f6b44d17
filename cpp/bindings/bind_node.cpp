// The Node: assembly of venues and strategies, lifecycle, status and the order manager's
// views. tradeengine.Node (python/tradeengine/node.py) is the public face; this module holds
// the GIL rules: everything that waits releases the GIL, and the node is destroyed with the
// GIL released (destroying it joins its threads).
#include "bindings/pybind.hpp"

#include <fmt/format.h>

#include <limits>

#include "bindings/py_handler.hpp"
#include "bindings/venue_settings.hpp"
#include "bindings/bus_convert.hpp"
#include "core/errors.hpp"
#include "node/node.hpp"
#include "replay/backtest_venue.hpp"
#include "venues/sim/simulated_venue.hpp"

namespace te::bindings {

void bind_strategy_context(py::module_& m);  // bind_strategy.cpp
py::dict oms_stats_dict(const oms::OmsStats& s);  // bind_oms.cpp
StrategyId add_python_strategy(Node& node, py::object strategy, py::dict callbacks, StrategyOptions options);

namespace {

using release = py::call_guard<py::gil_scoped_release>;

py::dict details_dict(const std::vector<std::pair<std::string, std::string>>& details) {
    py::dict d;
    for (const auto& [k, v] : details) d[py::str(k)] = v;
    return d;
}

std::optional<InstrumentId> optional_id(const py::object& v) {
    if (v.is_none()) return std::nullopt;
    if (py::isinstance<py::str>(v)) return InstrumentId::parse(v.cast<std::string>());
    return v.cast<InstrumentId>();
}

NodeConfig node_config(const py::dict& d) {
    NodeConfig c;
    std::string name = "node";
    std::size_t data_capacity = 1000, signal_capacity = 100, order_capacity = 50, batch_size = 64;
    double data_timeout = 1.0, signal_timeout = 5.0, spin_us = 5.0;
    bool backtest = false;
    for (auto [key, value] : d) {
        const auto k = key.cast<std::string>();
        if (k == "name") name = value.cast<std::string>();
        else if (k == "data_capacity") data_capacity = value.cast<std::size_t>();
        else if (k == "signal_capacity") signal_capacity = value.cast<std::size_t>();
        else if (k == "order_capacity") order_capacity = value.cast<std::size_t>();
        else if (k == "batch_size") batch_size = value.cast<std::size_t>();
        else if (k == "data_timeout") data_timeout = value.cast<double>();
        else if (k == "signal_timeout") signal_timeout = value.cast<double>();
        else if (k == "spin_us") spin_us = value.cast<double>();
        else if (k == "id_prefix") c.oms.id_prefix = value.cast<std::string>();
        else if (k == "max_order_notional") {
            if (!value.is_none()) c.oms.max_order_notional = value.cast<Money>();
        } else if (k == "max_position") {
            for (auto [inst, qty] : value.cast<py::dict>())
                c.oms.max_position.emplace(InstrumentId::parse(inst.cast<std::string>()), qty.cast<Quantity>());
        } else if (k == "ack_timeout") c.oms.ack_timeout = ms(value.cast<double>(), "ack_timeout");
        else if (k == "closed_order_retention") c.oms.closed_order_retention = ms(value.cast<double>(), "closed_order_retention");
        else if (k == "max_closed_orders") c.oms.max_closed_orders = value.cast<std::size_t>();
        else if (k == "cancel_on_stop") c.cancel_on_stop = value.cast<bool>();
        else if (k == "cancel_timeout") c.cancel_timeout = ms(value.cast<double>(), "cancel_timeout");
        else if (k == "drain_timeout") c.drain_timeout_s = value.cast<double>();
        else if (k == "lifecycle_timeout") c.strategies.lifecycle_timeout = ms(value.cast<double>(), "lifecycle_timeout");
        else if (k == "backtest") backtest = value.cast<bool>();
        else throw py::value_error("unknown node setting '" + k + "'");
    }
    c.name = name;
    c.engine.name = name;
    c.engine.bus = bus_config(name + ".bus", data_capacity, data_timeout, signal_capacity, signal_timeout, order_capacity,
                              batch_size, spin_us);
    if (backtest) {  // the data drives the clock and the bus (cpp/replay)
        const auto retention = c.oms.closed_order_retention;
        const auto max_closed = c.oms.max_closed_orders;
        c = replay::backtest_node_config(std::move(c));
        if (d.contains("closed_order_retention")) c.oms.closed_order_retention = retention;
        if (d.contains("max_closed_orders")) c.oms.max_closed_orders = max_closed;
    }
    return c;
}

binance::ExecutionConfig execution_config(const py::dict& d) {
    binance::ExecutionConfig c;
    for (auto [key, value] : d) {
        const auto k = key.cast<std::string>();
        if (k == "api_key") c.credentials.api_key = value.cast<std::string>();
        else if (k == "api_secret") c.credentials.api_secret = value.cast<std::string>();
        else if (k == "ws_api_url") c.ws_api_url = value.cast<std::string>();
        else if (k == "rest_url") c.rest_url = value.cast<std::string>();
        else if (k == "symbols") c.symbols = value.cast<std::vector<std::string>>();
        else if (k == "recv_window") c.recv_window = ms(value.cast<double>(), "recv_window");
        else if (k == "order_timeout") c.order_timeout = ms(value.cast<double>(), "order_timeout");
        else if (k == "query_timeout") c.query_timeout = ms(value.cast<double>(), "query_timeout");
        else if (k == "max_attempts") c.max_attempts = value.cast<int>();
        else if (k == "weight_limit") c.weight.limit = value.cast<std::int64_t>();
        else throw py::value_error("unknown execution setting '" + k + "'");
    }
    return c;
}

binance::MarketDataConfig market_data_config(const py::dict& d) {
    binance::MarketDataConfig c;
    for (auto [key, value] : d) {
        const auto k = key.cast<std::string>();
        if (k == "stream_url") c.stream_url = value.cast<std::string>();
        else if (k == "rest_url") c.rest_url = value.cast<std::string>();
        else if (k == "symbols") c.symbols = value.cast<std::vector<std::string>>();
        else if (k == "max_streams_per_connection") c.max_streams_per_connection = value.cast<std::size_t>();
        else if (k == "max_connections") c.max_connections = value.cast<std::size_t>();
        else if (k == "backfill_timeout") c.backfill_timeout = ms(value.cast<double>(), "backfill_timeout");
        else throw py::value_error("unknown market-data setting '" + k + "'");
    }
    return c;
}

sim::SimulatedVenue* simulated(Node& node, const std::string& name) {
    auto* v = dynamic_cast<sim::SimulatedVenue*>(node.venue(name));
    if (!v) throw ConfigError(fmt::format("no simulated venue named '{}' in node {}", name, node.name()));
    return v;
}

}  // namespace

void bind_node(py::module_& m) {
    py::class_<StreamKey>(m, "StreamKey", "One market-data stream: candles (at an interval), trades or quotes of an instrument.")
        .def_property_readonly("kind", [](const StreamKey& k) { return std::string(to_string(k.kind)); },
                               "'CANDLES', 'TRADES' or 'QUOTES'.")
        .def_readonly("instrument_id", &StreamKey::instrument)
        .def_readonly("interval", &StreamKey::interval, "The candles' interval (meaningless for trades and quotes).")
        .def("__str__", &StreamKey::to_string)
        .def("__repr__", [](const StreamKey& k) { return "StreamKey('" + k.to_string() + "')"; });

    py::class_<FeedStatus>(m, "FeedStatus", "How fresh one subscribed stream is.")
        .def_readonly("stream", &FeedStatus::stream)
        .def_readonly("messages", &FeedStatus::messages)
        .def_property_readonly(
            "staleness", [](const FeedStatus& f) { return f.staleness_s < 0 ? std::optional<double>() : f.staleness_s; },
            "Seconds since the stream's last message; None before the first.")
        .def("__repr__", [](const FeedStatus& f) {
            return fmt::format("FeedStatus('{}', messages={}, staleness={:.3f})", f.stream.to_string(), f.messages,
                               f.staleness_s);
        });

    py::class_<ComponentStatus>(m, "ComponentStatus", "One component's lifecycle state and details.")
        .def_readonly("name", &ComponentStatus::name)
        .def_readonly("kind", &ComponentStatus::kind, "'engine', 'venue', 'order_manager', ...")
        .def_readonly("state", &ComponentStatus::state)
        .def_readonly("reason", &ComponentStatus::reason, "Why it is in its state ('' when there is nothing to say).")
        .def_readonly("since", &ComponentStatus::since_s, "Seconds in this state.")
        .def_readonly("transitions", &ComponentStatus::transitions)
        .def_property_readonly("details", [](const ComponentStatus& s) { return details_dict(s.details); },
                               "What a person wants to know, as text (connections, counters).")
        .def("__repr__", [](const ComponentStatus& s) {
            return fmt::format("ComponentStatus('{}', {}, {}{})", s.name, s.kind, to_string(s.state),
                               s.reason.empty() ? "" : ", reason='" + s.reason + "'");
        });

    py::class_<StrategyStatus>(m, "StrategyStatus", "One strategy's state, errors, budget and subscriptions.")
        .def_readonly("name", &StrategyStatus::name)
        .def_readonly("state", &StrategyStatus::state,
                      "RUNNING, DEGRADED (paused by an error), STOPPED, or FAULTED (stopped by an error).")
        .def_readonly("paused", &StrategyStatus::paused)
        .def_readonly("errors", &StrategyStatus::errors)
        .def_readonly("last_error", &StrategyStatus::last_error)
        .def_readonly("last_traceback", &StrategyStatus::last_traceback,
                      "The traceback of the last error ('' when the callback gave none).")
        .def_readonly("callbacks", &StrategyStatus::callbacks)
        .def_readonly("slow_callbacks", &StrategyStatus::slow_callbacks, "Callbacks that took longer than the budget.")
        .def_readonly("slowest_callback_ms", &StrategyStatus::slowest_callback_ms)
        .def_readonly("orders_submitted", &StrategyStatus::orders_submitted)
        .def_readonly("orders_refused_budget", &StrategyStatus::orders_refused_budget,
                      "Orders refused by the strategy's order-rate budget.")
        .def_readonly("subscriptions", &StrategyStatus::subscriptions)
        .def_readonly("timers", &StrategyStatus::timers)
        .def("__repr__", [](const StrategyStatus& s) {
            return fmt::format("StrategyStatus('{}', {}, errors={})", s.name, to_string(s.state), s.errors);
        });

    py::class_<LaneStats>(m, "LaneStats", "One EventBus lane's counters.")
        .def_readonly("lane", &LaneStats::lane)
        .def_readonly("capacity", &LaneStats::capacity)
        .def_readonly("depth", &LaneStats::depth)
        .def_readonly("high_water", &LaneStats::high_water)
        .def_readonly("published", &LaneStats::published)
        .def_readonly("delivered", &LaneStats::delivered)
        .def_readonly("dropped", &LaneStats::dropped)
        .def_readonly("handler_errors", &LaneStats::handler_errors);

    py::class_<NodeStatus>(m, "NodeStatus", "Every component of a node: its state, venues' feeds, lanes and strategies.")
        .def_readonly("name", &NodeStatus::name)
        .def_readonly("state", &NodeStatus::state)
        .def_readonly("uptime", &NodeStatus::uptime_s, "Seconds since start().")
        .def_readonly("components", &NodeStatus::components)
        .def_readonly("strategies", &NodeStatus::strategies)
        .def_property_readonly(
            "feeds",
            [](const NodeStatus& s) {
                py::dict d;
                for (const auto& v : s.feeds) d[py::str(v.venue)] = v.feeds;
                return d;
            },
            "venue -> [FeedStatus] of its subscribed streams.")
        .def_property_readonly("lanes", [](const NodeStatus& s) { return std::vector<LaneStats>(s.lanes.begin(), s.lanes.end()); })
        .def("component", [](const NodeStatus& s, const std::string& name) -> std::optional<ComponentStatus> {
            for (const auto& c : s.components)
                if (c.name == name) return c;
            return std::nullopt;
        }, py::arg("name"), "The component of that name, or None.")
        .def("__repr__", [](const NodeStatus& s) {
            return fmt::format("NodeStatus('{}', {}, {} components, {} strategies)", s.name, to_string(s.state),
                               s.components.size(), s.strategies.size());
        });

    py::class_<Node, std::shared_ptr<Node>>(m, "Node", "The assembled engine. Use tradeengine.Node.")
        .def(py::init([](const py::dict& settings) {
                 auto node = shared_released(new Node(node_config(settings)));
                 node->engine().bus().set_gate(&PythonGate::instance());
                 std::weak_ptr<Node> weak = node;
                 register_for_exit([weak] {
                     auto n = weak.lock();
                     if (!n) return;
                     n->interrupt();
                     if (n->state() != ComponentState::Ready) n->stop();
                 });
                 return node;
             }),
             py::arg("settings") = py::dict())
        .def_property_readonly("name", &Node::name)
        .def_property_readonly("state", &Node::state)
        .def_property_readonly("engine", &Node::engine_ptr, "The node's TradingEngine (bus, timers, metrics).")
        .def(
            "add_simulated_venue",
            [](Node& n, const std::string& name, const std::string& exchange_json, std::size_t account,
               const py::dict& connection) {
                sim::SimulatedVenueConfig c;
                c.name = name;
                c.exchange = sim::SimConfig::from_json(exchange_json);
                c.account = account;
                Connection::from(connection).apply(c.market_data.ws, c.market_data.http);
                Connection::from(connection).apply(c.execution.ws, c.execution.http);
                py::gil_scoped_release nogil;
                n.add_venue(std::make_shared<sim::SimulatedVenue>(std::move(c)));
            },
            py::arg("name"), py::arg("exchange_json"), py::arg("account") = 0, py::arg("connection") = py::dict())
        .def(
            "add_binance_venue",
            [](Node& n, const std::string& name, const py::dict& market_data, std::optional<py::dict> execution,
               const py::dict& connection) {
                binance::BinanceVenueConfig c;
                c.name = name;
                c.market_data = market_data_config(market_data);
                Connection::from(connection).apply(c.market_data.ws, c.market_data.http);
                if (execution) {
                    c.execution = execution_config(*execution);
                    Connection::from(connection).apply(c.execution->ws, c.execution->http);
                }
                py::gil_scoped_release nogil;
                n.add_venue(std::make_shared<binance::BinanceVenue>(std::move(c)));
            },
            py::arg("name"), py::arg("market_data"), py::arg("execution") = py::none(), py::arg("connection") = py::dict())
        .def(
            "add_strategy",
            [](Node& n, py::object strategy, py::dict callbacks, const std::string& name, const std::string& on_error,
               double order_rate, double order_burst, double callback_budget) {
                StrategyOptions o;
                o.name = name;
                o.on_error = enum_from_string<ErrorPolicy>(on_error);
                o.order_rate = order_rate;
                o.order_burst = order_burst;
                o.callback_budget = std::chrono::nanoseconds(static_cast<std::int64_t>(callback_budget * 1e9));
                return add_python_strategy(n, std::move(strategy), std::move(callbacks), std::move(o));
            },
            py::arg("strategy"), py::arg("callbacks"), py::arg("name"), py::arg("on_error") = "pause",
            py::arg("order_rate") = 5.0, py::arg("order_burst") = 20.0, py::arg("callback_budget") = 0.1)
        .def("start", &Node::start, release(), "Start every component in order; on failure stop what started and raise.")
        .def("stop", &Node::stop, release(), "Stop every component in order (see docs/architecture/node.md).")
        .def("request_stop", &Node::request_stop, "Ask for a stop without waiting (any thread, a callback included).")
        .def_property_readonly("stop_requested", &Node::stop_requested)
        .def(
            "wait_for_stop", [](Node& n, double seconds) { return n.wait_for_stop(ms(seconds, "timeout")); }, release(),
            py::arg("timeout"), "Block until a stop is requested or the timeout; True if one was.")
        .def("interrupt", &Node::interrupt, release(), "Abort a start() in progress (Ctrl-C).")
        .def("resolve", &Node::resolve, py::arg("instrument"),
             "'BTCUSDT' -> the InstrumentId of the one venue listing it; 'BTCUSDT.SIM' is checked.")
        .def("status", &Node::status, release())
        .def_property_readonly("venue_names", &Node::venue_names)
        .def(
            "sim_server", [](Node& n, const std::string& name) { return &simulated(n, name)->server(); },
            py::return_value_policy::reference_internal, py::arg("venue"),
            "The SimServer of a simulated venue (faults, inspection).")
        .def(
            "venue_instruments",
            [](Node& n, const std::string& name) {
                Venue* v = n.venue(name);
                if (!v) throw ConfigError("no venue named '" + name + "'");
                return v->instruments();
            },
            py::arg("venue"))
        .def(
            "venue_stats",
            [](Node& n, const std::string& name) {
                auto* v = dynamic_cast<binance::BinanceVenue*>(n.venue(name));
                py::dict d;
                if (!v) return d;
                if (const auto* md = v->market_data_client()) {
                    const auto s = md->stats();
                    d["messages"] = s.messages;
                    d["candles"] = s.candles;
                    d["trades"] = s.trades;
                    d["quotes"] = s.quotes;
                    d["parse_errors"] = s.parse_errors;
                    d["reconnects"] = s.reconnects;
                    d["backfilled"] = s.backfilled;
                }
                if (const auto* ex = v->execution_client()) {
                    const auto s = ex->stats();
                    d["orders_sent"] = s.orders_sent;
                    d["orders_rejected"] = s.orders_rejected;
                    d["updates_reported"] = s.updates_reported;
                    d["repeats_suppressed"] = s.repeats_suppressed;
                    d["fills"] = s.fills;
                }
                return d;
            },
            py::arg("venue"), "The venue clients' counters.")
        // ---- the order manager's views ----------------------------------------------------------
        .def(
            "orders",
            [](Node& n, const std::string& strategy, bool open_only, py::object instrument) {
                return n.order_manager().orders(strategy, open_only, optional_id(instrument));
            },
            py::arg("strategy") = "", py::arg("open_only") = false, py::arg("instrument_id") = py::none())
        .def("order", [](Node& n, const std::string& id) { return n.order_manager().order(id); }, py::arg("client_order_id"))
        .def("portfolio", [](Node& n) { return n.order_manager().portfolio(); })
        .def("account", [](Node& n, const std::string& venue) { return n.order_manager().account(venue); }, py::arg("venue"))
        .def("strategy_pnl", [](Node& n) { return n.order_manager().strategy_pnl(); })
        .def("position", [](Node& n, const InstrumentId& id) { return n.order_manager().position(id); }, py::arg("instrument_id"))
        .def("last_price", [](Node& n, const InstrumentId& id) { return n.cache().last_price(id); }, py::arg("instrument_id"))
        .def("quote", [](Node& n, const InstrumentId& id) { return n.cache().quote(id); }, py::arg("instrument_id"))
        .def("instrument", [](Node& n, const InstrumentId& id) { return n.cache().instrument(id); }, py::arg("instrument_id"))
        .def("instruments", [](Node& n, const std::string& venue) { return n.cache().instruments(venue); },
             py::arg("venue") = "")
        .def("oms_stats", [](Node& n) { return oms_stats_dict(n.order_manager().stats()); },
             "The order manager's counters.")
        .def("strategy_status", [](Node& n) { return n.strategies().status(); })
        .def("failed_strategies", [](Node& n) { return n.strategies().failed(); });

    bind_strategy_context(m);
}

}  // namespace te::bindings
