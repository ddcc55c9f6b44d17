#include "bindings/pybind.hpp"

#include <memory>

#include "venues/sim/sim_server.hpp"

namespace te::bindings {

// The simulated exchange. Configuration, faults and inspection travel as JSON text; the
// Python facade (tradeengine.sim.SimExchange) converts them to and from dicts.
void bind_sim(py::module_& m) {
    using te::sim::SimServer;
    using release = py::call_guard<py::gil_scoped_release>;
    py::class_<SimServer>(m, "SimServer",
                          "A simulated Binance Spot exchange on loopback (REST, streams, WebSocket API). "
                          "Use tradeengine.sim.SimExchange.")
        .def(py::init([](const std::string& config_json) {
                 return std::make_unique<SimServer>(te::sim::SimConfig::from_json(config_json));
             }),
             py::arg("config_json") = "{}", "Build from a JSON configuration (see docs/sim-exchange.md).")
        // Starting and stopping wait for the IO thread: release the GIL.
        .def("start", &SimServer::start, release(), "Bind (a free port unless one was configured) and start serving.")
        .def("stop", &SimServer::stop, release(), "Send serverShutdown to stream clients, close everything, stop.")
        .def_property_readonly("running", &SimServer::running, "True while serving.")
        .def_property_readonly("port", &SimServer::port, "The TCP port it listens on.")
        .def("now_ms", &SimServer::now_ms, "Server time in ms (wall clock plus the clock-skew fault).")
        .def_property_readonly("market_time_ms", &SimServer::market_time_ms, "Simulated market time in ms.")
        .def(
            "set_faults",
            [](SimServer& s, const std::string& json) { s.set_faults(te::sim::faults_from_json(json, s.faults())); },
            py::arg("faults_json"), "Change faults (JSON object; keys not given are kept).")
        .def(
            "faults", [](const SimServer& s) { return te::sim::faults_to_json(s.faults()); }, "Current faults as JSON.")
        .def("drop_connections", &SimServer::drop_connections, release(), "Drop every WebSocket connection now.")
        .def("drop_stream", &SimServer::drop_stream, release(), py::arg("stream"),
             "Drop the connections subscribed to one stream; returns how many.")
        .def("restart", &SimServer::restart, release(), py::arg("downtime_ms"),
             "Drop every connection, stop listening for downtime_ms, listen again on the same port.")
        .def("announce_shutdown", &SimServer::announce_shutdown, release(),
             "Send Binance's serverShutdown event to every stream client (connections stay open); returns how many.")
        .def("inject", &SimServer::inject, release(), py::arg("stream"), py::arg("payload"),
             "Send a JSON event to a stream's subscribers as if the market had produced it (from the IO thread; "
             "'${now_ns}' becomes the send time in Unix ns); returns how many connections are subscribed.")
        .def("order_accepted_ns", &SimServer::order_accepted_ns, py::arg("client_order_id"),
             "When the order entered the matching engine (wall-clock Unix ns), or None.")
        .def("step", &SimServer::step, release(), py::arg("ticks") = 1, "Advance the market by this many ticks now.")
        .def("book", &SimServer::book_json, release(), py::arg("symbol"), "Order book of a symbol as JSON.")
        .def("open_orders", &SimServer::open_orders_json, release(), py::arg("account") = 0, "Open orders as JSON.")
        .def("balances", &SimServer::balances_json, release(), py::arg("account") = 0, "Balances as JSON.")
        .def("stats", &SimServer::stats_json, release(), "Connection and message counters as JSON.")
        .def(
            "deposit",
            [](SimServer& s, int account, const std::string& asset, const std::string& amount) {
                const auto d = te::Decimal::parse(amount, "amount");
                py::gil_scoped_release unlocked;
                s.deposit(account, asset, d);
            },
            py::arg("account"), py::arg("asset"), py::arg("amount"),
            "Credit (or debit, if negative) an asset: a deposit, with its user-data events.");
}

}  // namespace te::bindings
