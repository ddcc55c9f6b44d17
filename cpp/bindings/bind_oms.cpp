// The order manager, its order views and positions, and the adapter that lets a broker written
// in Python (seed 001 BrokerAdapter) stand where a C++ venue stands.
#include "bindings/pybind.hpp"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "bindings/py_handler.hpp"
#include "core/logging.hpp"
#include "oms/order_manager.hpp"

namespace te::bindings {

py::dict oms_stats_dict(const oms::OmsStats& s) {
    py::dict d;
    d["submitted"] = s.submitted;
    d["rejected_locally"] = s.rejected_locally;
    d["venue_rejects"] = s.venue_rejects;
    d["venue_updates"] = s.venue_updates;
    d["venue_fills"] = s.venue_fills;
    d["applied"] = s.applied;
    d["stale"] = s.stale;
    d["duplicates"] = s.duplicates;
    d["refused"] = s.refused;
    d["confirmed"] = s.confirmed;
    d["unknown_orders"] = s.unknown_orders;
    d["cancels_sent"] = s.cancels_sent;
    d["queries_sent"] = s.queries_sent;
    d["closed_pruned"] = s.closed_pruned;
    d["orders_in_memory"] = s.orders_in_memory;
    d["open_orders"] = s.open_orders;
    return d;
}

namespace {

using release = py::call_guard<py::gil_scoped_release>;

// A Python broker adapter as an ExecutionVenue. Its instruments are read once, when the order
// manager is created, because instrument() is asked under the order manager's lock (it must
// not take the GIL there). The other calls take the GIL; an exception from the adapter rejects
// the order with the exception's text, reported as the venue would.
class PyExecutionVenue final : public ExecutionVenue {
public:
    PyExecutionVenue(py::object adapter, TradingEngine& engine) : adapter_(std::move(adapter)), engine_(engine) {
        name_ = py::str(py::getattr(adapter_.get(), "name", py::str(type_name(adapter_.get()))));
        for (auto item : adapter_.get().attr("instruments")()) {
            const auto inst = item.cast<Instrument>();
            instruments_.insert_or_assign(inst.id(), inst);
        }
    }
    std::string name() const override { return name_; }
    void submit(const OrderRequest& request) override {
        call("submit_order", [&](const std::string& why) { reject(request, why); }, request);
    }
    void cancel(const InstrumentId& instrument, std::string_view id) override {
        call("cancel_order", {}, instrument, std::string(id));
    }
    void query(const InstrumentId& instrument, std::string_view id) override {
        call("query_order", {}, instrument, std::string(id));
    }
    const Instrument* instrument(const InstrumentId& id) const override {
        const auto it = instruments_.find(id);
        return it == instruments_.end() ? nullptr : &it->second;
    }

private:
    // Calls adapter.method(args...) with the GIL; a missing optional method is skipped.
    template <class... Args>
    void call(const char* method, const std::function<void(const std::string&)>& on_error, const Args&... args) {
        if (python_finalizing()) return;
        py::gil_scoped_acquire gil;
        try {
            if (!py::hasattr(adapter_.get(), method)) return;
            adapter_.get().attr(method)(args...);
        } catch (py::error_already_set& e) {
            const std::string why = e.what();  // "ValueError: ..." first: reasons are kept to 48 characters
            log::error("oms", "broker adapter call failed", {{"method", method}, {"error", e.what()}});
            if (on_error) on_error(why);
        }
    }
    void reject(const OrderRequest& r, const std::string& why) {
        Event e = Event::order_update(rejected_update(r, why, engine_.clock().now_ns()));
        e.type = EventType::VenueOrderUpdate;
        engine_.on_order_event(e);
    }

    PyRef adapter_;
    TradingEngine& engine_;
    std::string name_;
    std::map<InstrumentId, Instrument> instruments_;
};

// A stand-alone order manager with the Python broker adapter it sends through.
struct OmsHandle {
    std::unique_ptr<PyExecutionVenue> owned_venue;
    std::unique_ptr<oms::OrderManager> oms;
};

std::optional<InstrumentId> optional_id(const py::object& v) {
    if (v.is_none()) return std::nullopt;
    if (py::isinstance<py::str>(v)) return InstrumentId::parse(v.cast<std::string>());
    return v.cast<InstrumentId>();
}


}  // namespace

void bind_oms(py::module_& m) {
    py::class_<oms::Position>(m, "Position", "A position in one instrument (signed quantity: long > 0, short < 0).")
        .def_readonly("instrument_id", &oms::Position::instrument_id)
        .def_readonly("quantity", &oms::Position::quantity)
        .def_readonly("avg_entry_price", &oms::Position::avg_entry_price)
        .def_readonly("realized_pnl", &oms::Position::realized_pnl, "In the quote asset; fees not included.")
        .def_readonly("fees", &oms::Position::fees,
                      "What the fills cost in the quote asset (commissions in the base asset valued at the fill price).")
        .def_property_readonly(
            "other_fees",
            [](const oms::Position& p) {
                py::dict d;
                for (const auto& f : p.other_fees) d[py::str(f.asset.str())] = f.amount;
                return d;
            },
            "Commissions in any other asset (BNB): asset -> Money.")
        .def_property_readonly("net_pnl", &oms::Position::net_pnl, "realized_pnl - fees (quote asset).")
        .def_readonly("fill_count", &oms::Position::fill_count)
        .def_property_readonly("is_flat", &oms::Position::is_flat)
        .def("unrealized_pnl", &oms::Position::unrealized_pnl, py::arg("mark"), "(mark - entry) * quantity.")
        .def("__repr__", [](const oms::Position& p) {
            return fmt::format("Position('{}', quantity={}, avg_entry_price={}, realized_pnl={})",
                               p.instrument_id.view(), p.quantity.to_string(), p.avg_entry_price.to_string(),
                               p.realized_pnl.to_string());
        });

    py::class_<oms::OrderView>(m, "OrderView", "A snapshot of one order as the order manager holds it.")
        .def_readonly("strategy", &oms::OrderView::strategy)
        .def_readonly("request", &oms::OrderView::request)
        .def_property_readonly("client_order_id", [](const oms::OrderView& v) { return v.request.client_order_id.str(); })
        .def_property_readonly("instrument_id", [](const oms::OrderView& v) { return v.request.instrument_id; })
        .def_property_readonly("side", [](const oms::OrderView& v) { return v.request.side; })
        .def_readonly("status", &oms::OrderView::status)
        .def_readonly("filled_quantity", &oms::OrderView::filled)
        .def_readonly("leaves_quantity", &oms::OrderView::leaves)
        .def_readonly("avg_fill_price", &oms::OrderView::avg_fill_price)
        .def_readonly("cumulative_quote", &oms::OrderView::cumulative_quote)
        .def_readonly("reason", &oms::OrderView::reason)
        .def_readonly("venue_order_id", &oms::OrderView::venue_order_id)
        .def_readonly("ts_init", &oms::OrderView::ts_init)
        .def_readonly("ts_last", &oms::OrderView::ts_last)
        .def_property_readonly("is_open", [](const oms::OrderView& v) { return oms::is_open(v.status); })
        .def("__repr__", [](const oms::OrderView& v) {
            return fmt::format("OrderView('{}', {}, {} {}, filled={}{})", v.request.client_order_id.view(),
                               to_string(v.status), to_string(v.request.side), v.request.quantity.to_string(),
                               v.filled.to_string(), v.reason.empty() ? "" : ", reason='" + v.reason + "'");
        });

    py::class_<oms::StrategyPnl>(m, "StrategyPnl", "What one strategy's own fills made and cost, per instrument.")
        .def_readonly("strategy", &oms::StrategyPnl::strategy)
        .def_readonly("positions", &oms::StrategyPnl::positions)
        .def_readonly("fills", &oms::StrategyPnl::fills);

    py::class_<oms::PortfolioSnapshot>(m, "PortfolioSnapshot", "Balances, positions and fees at one moment.")
        .def_property_readonly("balances", [](const oms::PortfolioSnapshot& p) {
            py::dict d;
            for (const auto& b : p.balances) d[py::str(b.asset.str())] = b;
            return d;
        }, "asset -> Balance")
        .def_property_readonly("positions", [](const oms::PortfolioSnapshot& p) {
            py::dict d;
            for (const auto& pos : p.positions) d[py::str(pos.instrument_id.to_string())] = pos;
            return d;
        }, "instrument id -> Position")
        .def_property_readonly("fees", [](const oms::PortfolioSnapshot& p) {
            py::dict d;
            for (const auto& f : p.fees) d[py::str(f.asset.str())] = f.amount;
            return d;
        }, "asset -> Money: commissions paid, in the asset they were charged in");

    py::class_<OmsHandle>(m, "OrderManager",
                          "Orders checked, sent and tracked in C++: state machines and portfolio updated from "
                          "the venue before ORDER_UPDATE / ORDER_FILL / ORDER_REJECT are published. Use "
                          "tradeengine.oms.OrderManager.")
        .def(py::init([](TradingEngine& engine, py::object venue, std::string id_prefix,
                         std::optional<Money> max_order_notional, std::map<std::string, Quantity> max_position,
                         double ack_timeout) {
                 oms::OmsConfig c;
                 c.id_prefix = std::move(id_prefix);
                 c.max_order_notional = max_order_notional;
                 for (const auto& [k, v] : max_position) c.max_position.emplace(InstrumentId::parse(k), v);
                 if (!(ack_timeout > 0)) throw py::value_error("invalid ack_timeout: expected seconds > 0");
                 c.ack_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(ack_timeout * 1000));
                 auto h = std::make_unique<OmsHandle>();
                 for (const char* method : {"instruments", "submit_order", "cancel_order"})
                     if (!py::hasattr(venue, method))
                         throw py::type_error(fmt::format(
                             "invalid venue {}: expected a broker adapter with instruments(), submit_order() and "
                             "cancel_order() (missing {})",
                             repr_of(venue), method));
                 h->owned_venue = std::make_unique<PyExecutionVenue>(venue, engine);
                 h->oms = std::make_unique<oms::OrderManager>(engine, *h->owned_venue, std::move(c));
                 return h;
             }),
             py::arg("engine"), py::arg("venue"), py::arg("id_prefix") = "", py::arg("max_order_notional") = py::none(),
             py::arg("max_position") = std::map<std::string, Quantity>{}, py::arg("ack_timeout") = 30.0,
             py::keep_alive<1, 2>(), py::keep_alive<1, 3>())
        .def(
            "submit",
            [](OmsHandle& h, const std::string& strategy, const OrderRequest& r) { return h.oms->submit(strategy, r); },
            release(), py::arg("strategy"), py::arg("request"),
            "Check, record, publish ORDER_CREATED and send; the client order id. A failed check gives a "
            "REJECTED order (ORDER_REJECT with the reason), not an exception.")
        .def("cancel", [](OmsHandle& h, const std::string& id) { return h.oms->cancel(id); }, release(),
             py::arg("client_order_id"), "Cancel one open order; False if unknown or finished.")
        .def(
            "cancel_all",
            [](OmsHandle& h, const std::string& strategy, py::object instrument) {
                const auto id = optional_id(instrument);
                py::gil_scoped_release nogil;
                return h.oms->cancel_all(strategy, id);
            },
            py::arg("strategy") = "", py::arg("instrument_id") = py::none(),
            "Cancel the open orders of a strategy ('' = all) on an instrument (None = all); how many.")
        .def(
            "replace",
            [](OmsHandle& h, const std::string& id, std::optional<Price> price, std::optional<Quantity> qty) {
                return h.oms->replace(id, price, qty);
            },
            release(), py::arg("client_order_id"), py::arg("price") = py::none(), py::arg("quantity") = py::none(),
            "Cancel and send a new order with the same side and type; the new id ('' if not open).")
        .def("order", [](OmsHandle& h, const std::string& id) { return h.oms->order(id); }, py::arg("client_order_id"),
             "The order's OrderView, or None.")
        .def(
            "orders",
            [](OmsHandle& h, const std::string& strategy, bool open_only, py::object instrument) {
                return h.oms->orders(strategy, open_only, optional_id(instrument));
            },
            py::arg("strategy") = "", py::arg("open_only") = false, py::arg("instrument_id") = py::none(),
            "OrderViews, filtered by strategy, openness and instrument.")
        .def("portfolio", [](OmsHandle& h) { return h.oms->portfolio(); },
             "Balances, positions and fees (a PortfolioSnapshot).")
        .def("position", [](OmsHandle& h, const InstrumentId& id) { return h.oms->position(id); }, py::arg("instrument_id"))
        .def("realized_pnl", [](OmsHandle& h, const InstrumentId& id) { return h.oms->realized_pnl(id); },
             py::arg("instrument_id"))
        .def("unrealized_pnl", [](OmsHandle& h, const InstrumentId& id) { return h.oms->unrealized_pnl(id); },
             py::arg("instrument_id"), "At the last price seen; zero without one.")
        .def("last_price", [](OmsHandle& h, const InstrumentId& id) { return h.oms->last_price(id); },
             py::arg("instrument_id"), "The last candle close, trade or mid quote seen, or None.")
        .def(
            "set_balance",
            [](OmsHandle& h, const std::string& asset, Quantity free, Quantity locked) {
                Balance b;
                if (!b.asset.assign(asset) || asset.empty())
                    throw py::value_error("invalid asset '" + asset + "': expected 1-16 characters");
                b.free = free;
                b.locked = locked;
                h.oms->set_balance(b);
            },
            py::arg("asset"), py::arg("free"), py::arg("locked") = Quantity(),
            "The venue's balance of an asset (at start); fills move it from there.")
        .def("check_timeouts", [](OmsHandle& h) { return h.oms->check_timeouts(); }, release(),
             "Query orders with no answer after ack_timeout (a 1 s engine timer does this); how many.")
        .def_property_readonly("id_prefix", [](OmsHandle& h) { return h.oms->id_prefix(); })
        .def("stats", [](OmsHandle& h) { return oms_stats_dict(h.oms->stats()); }, "Counters.");
}

}  // namespace te::bindings
