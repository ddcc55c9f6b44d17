// OrderRequest (what to send), and what venues report back: OrderUpdate, Fill, Balance, and
// AlertInfo. Reports are immutable from Python: they are what a venue said.
#include "bindings/pybind.hpp"

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "bus/event.hpp"
#include "core/orders.hpp"

namespace te::bindings {
namespace {

template <std::size_t N>
FixedString<N> fixed(const std::string& text, const char* what, std::size_t max) {
    FixedString<N> out;
    if (text.size() > max || !out.assign(text))
        throw py::value_error(fmt::format("invalid {} '{}': expected at most {} characters", what, text, max));
    return out;
}

// Binance's newClientOrderId rule: ^[.A-Z:/a-z0-9_-]{1,36}$ (empty: the venue layer makes one).
void check_client_order_id(const std::string& id) {
    if (id.size() > 36)
        throw py::value_error(fmt::format("invalid client_order_id '{}': expected at most 36 characters", id));
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == ':' || c == '/' || c == '_' || c == '-';
        if (!ok)
            throw py::value_error(fmt::format(
                "invalid client_order_id '{}': expected letters, digits and . : / _ - only", id));
    }
}

OrderRequest make_request(const InstrumentId& id, Side side, Quantity quantity, OrderType type,
                          std::optional<Price> price, TimeInForce tif, const std::string& client_order_id,
                          std::optional<Money> quote_quantity) {
    std::vector<std::string> problems;
    const bool market = type == OrderType::Market;
    if (market && price) problems.push_back("a MARKET order takes no price");
    if (!market && !price) problems.push_back(fmt::format("a {} order needs a price", to_string(type)));
    if (price && price->sign() <= 0) problems.push_back(fmt::format("price {} must be > 0", price->to_string()));
    if (quote_quantity) {
        if (!market) problems.push_back("quote_quantity is for MARKET orders only");
        if (quantity.sign() != 0) problems.push_back("give quantity or quote_quantity, not both");
        if (quote_quantity->sign() <= 0)
            problems.push_back(fmt::format("quote_quantity {} must be > 0", quote_quantity->to_string()));
    } else if (quantity.sign() <= 0) {
        problems.push_back(fmt::format("quantity {} must be > 0", quantity.to_string()));
    }
    if (!problems.empty())
        throw py::value_error(fmt::format("invalid OrderRequest for {}: {}", id.view(), fmt::join(problems, "; ")));
    check_client_order_id(client_order_id);
    OrderRequest r;
    r.instrument_id = id;
    r.client_order_id = fixed<48>(client_order_id, "client_order_id", 36);
    r.side = side;
    r.type = type;
    r.time_in_force = tif;
    r.quantity = quantity;
    r.price = price;
    r.quote_quantity = quote_quantity;
    return r;
}

std::string request_repr(const OrderRequest& r) {
    return fmt::format("OrderRequest('{}', {}, {}, quantity={}{}{}, client_order_id='{}')", r.instrument_id.view(),
                       to_string(r.side), to_string(r.type), r.quantity.to_string(),
                       r.price ? ", price=" + r.price->to_string() : std::string(),
                       r.quote_quantity ? ", quote_quantity=" + r.quote_quantity->to_string() : std::string(),
                       r.client_order_id.view());
}

std::string update_repr(const OrderUpdate& u) {
    return fmt::format("OrderUpdate('{}', '{}', {}, {} {} {} @ {}, filled={}{})", u.instrument_id.view(),
                       u.client_order_id.view(), to_string(u.status), to_string(u.side), to_string(u.type),
                       u.quantity.to_string(), u.price.to_string(), u.filled_quantity.to_string(),
                       u.reason.empty() ? std::string() : fmt::format(", reason='{}'", u.reason.view()));
}

std::string fill_repr(const Fill& f) {
    return fmt::format("Fill('{}', '{}', {} {} @ {}, trade_id={}, commission={} {}{})", f.instrument_id.view(),
                       f.client_order_id.view(), to_string(f.side), f.quantity.to_string(), f.price.to_string(),
                       f.trade_id, f.commission.to_string(), f.commission_asset.view(), f.maker ? ", maker" : "");
}

}  // namespace

void bind_orders(py::module_& m) {
    py::class_<OrderRequest>(m, "OrderRequest",
                             "One new order, as it will be sent. Limit-type orders need a price; a MARKET order "
                             "is sized by quantity or by quote_quantity. An empty client_order_id lets the venue "
                             "layer assign one.")
        .def(py::init(&make_request), py::arg("instrument_id"), py::arg("side"), py::arg("quantity") = Quantity(),
             py::arg_v("type", OrderType::Limit, "OrderType.LIMIT"), py::arg("price") = py::none(),
             py::arg_v("time_in_force", TimeInForce::Gtc, "TimeInForce.GTC"), py::arg("client_order_id") = "",
             py::arg("quote_quantity") = py::none())
        .def_readonly("instrument_id", &OrderRequest::instrument_id)
        .def_property_readonly("client_order_id", [](const OrderRequest& r) { return r.client_order_id.str(); })
        .def_readonly("side", &OrderRequest::side)
        .def_readonly("type", &OrderRequest::type)
        .def_readonly("time_in_force", &OrderRequest::time_in_force)
        .def_readonly("quantity", &OrderRequest::quantity)
        .def_readonly("price", &OrderRequest::price, "None for market orders.")
        .def_readonly("quote_quantity", &OrderRequest::quote_quantity, "None unless sized in the quote asset.")
        .def("__repr__", &request_repr);

    py::class_<OrderUpdate>(m, "OrderUpdate", "What a venue says about one order, in the engine's order vocabulary.")
        .def(py::init([](const InstrumentId& id, const std::string& client_order_id, OrderStatus status, Side side,
                         Quantity quantity, Quantity filled_quantity, Money filled_quote, std::optional<Price> price,
                         OrderType type, TimeInForce tif, std::int64_t venue_order_id, const std::string& reason,
                         UnixNanos ts_event, UnixNanos ts_recv) {
                 if (client_order_id.empty()) throw py::value_error("invalid OrderUpdate: client_order_id is empty");
                 if (filled_quantity.sign() < 0 || quantity.sign() < 0)
                     throw py::value_error("invalid OrderUpdate: quantities must be >= 0");
                 OrderUpdate u;
                 u.instrument_id = id;
                 u.client_order_id = fixed<48>(client_order_id, "client_order_id", 48);
                 u.status = status;
                 u.side = side;
                 u.quantity = quantity;
                 u.filled_quantity = filled_quantity;
                 u.filled_quote = filled_quote;
                 u.price = price.value_or(Price());
                 u.type = type;
                 u.time_in_force = tif;
                 u.venue_order_id = venue_order_id;
                 u.reason.assign(std::string_view(reason).substr(0, ReasonText::kCapacity));
                 u.ts_event = ts_event;
                 u.ts_recv = ts_recv;
                 return u;
             }),
             py::arg("instrument_id"), py::arg("client_order_id"), py::arg("status"), py::arg("side"),
             py::arg("quantity"), py::arg("filled_quantity") = Quantity(), py::arg("filled_quote") = Money(),
             py::arg("price") = py::none(), py::arg_v("type", OrderType::Limit, "OrderType.LIMIT"),
             py::arg_v("time_in_force", TimeInForce::Gtc, "TimeInForce.GTC"), py::arg("venue_order_id") = 0,
             py::arg("reason") = "", py::arg("ts_event") = 0, py::arg("ts_recv") = 0,
             "For broker adapters written in Python: what the venue said (cumulative filled quantity).")
        .def_readonly("instrument_id", &OrderUpdate::instrument_id)
        .def_property_readonly("client_order_id", [](const OrderUpdate& u) { return u.client_order_id.str(); })
        .def_readonly("venue_order_id", &OrderUpdate::venue_order_id)
        .def_readonly("status", &OrderUpdate::status)
        .def_readonly("side", &OrderUpdate::side)
        .def_readonly("type", &OrderUpdate::type)
        .def_readonly("time_in_force", &OrderUpdate::time_in_force)
        .def_readonly("price", &OrderUpdate::price)
        .def_readonly("quantity", &OrderUpdate::quantity)
        .def_readonly("filled_quantity", &OrderUpdate::filled_quantity)
        .def_readonly("filled_quote", &OrderUpdate::filled_quote, "Cumulative quote quantity of the fills.")
        .def_property_readonly("reason", [](const OrderUpdate& u) { return u.reason.str(); },
                               "Why it was rejected or expired ('' otherwise).")
        .def_readonly("ts_event", &OrderUpdate::ts_event, "Venue time, Unix ns.")
        .def_readonly("ts_recv", &OrderUpdate::ts_recv, "Local receive time, Unix ns.")
        .def("__repr__", &update_repr);

    py::class_<Fill>(m, "Fill", "One execution of (part of) an order.")
        .def(py::init([](const InstrumentId& id, const std::string& client_order_id, std::int64_t trade_id, Side side,
                         Price price, Quantity quantity, Money commission, const std::string& commission_asset,
                         bool maker, std::int64_t venue_order_id, UnixNanos ts_event, UnixNanos ts_recv) {
                 if (client_order_id.empty()) throw py::value_error("invalid Fill: client_order_id is empty");
                 if (price.sign() <= 0 || quantity.sign() <= 0)
                     throw py::value_error(fmt::format("invalid Fill: price {} and quantity {} must be > 0",
                                                       price.to_string(), quantity.to_string()));
                 if (commission.sign() < 0) throw py::value_error("invalid Fill: commission must be >= 0");
                 Fill f;
                 f.instrument_id = id;
                 f.client_order_id = fixed<48>(client_order_id, "client_order_id", 48);
                 f.trade_id = trade_id;
                 f.side = side;
                 f.price = price;
                 f.quantity = quantity;
                 f.commission = commission;
                 f.commission_asset = fixed<16>(commission_asset, "commission_asset", 16);
                 f.maker = maker;
                 f.venue_order_id = venue_order_id;
                 f.ts_event = ts_event;
                 f.ts_recv = ts_recv;
                 return f;
             }),
             py::arg("instrument_id"), py::arg("client_order_id"), py::arg("trade_id"), py::arg("side"),
             py::arg("price"), py::arg("quantity"), py::arg("commission") = Money(), py::arg("commission_asset") = "",
             py::arg("maker") = false, py::arg("venue_order_id") = 0, py::arg("ts_event") = 0, py::arg("ts_recv") = 0,
             "For broker adapters written in Python: one execution (trade_id unique per instrument).")
        .def_readonly("instrument_id", &Fill::instrument_id)
        .def_property_readonly("client_order_id", [](const Fill& f) { return f.client_order_id.str(); })
        .def_readonly("venue_order_id", &Fill::venue_order_id)
        .def_readonly("trade_id", &Fill::trade_id, "Unique per instrument at the venue.")
        .def_readonly("side", &Fill::side)
        .def_readonly("price", &Fill::price)
        .def_readonly("quantity", &Fill::quantity)
        .def_readonly("commission", &Fill::commission)
        .def_property_readonly("commission_asset", [](const Fill& f) { return f.commission_asset.str(); })
        .def_readonly("maker", &Fill::maker)
        .def_readonly("ts_event", &Fill::ts_event)
        .def_readonly("ts_recv", &Fill::ts_recv)
        .def("__repr__", &fill_repr);

    py::class_<Balance>(m, "Balance", "One asset's balance: free and locked.")
        .def_property_readonly("asset", [](const Balance& b) { return b.asset.str(); })
        .def_readonly("free", &Balance::free)
        .def_readonly("locked", &Balance::locked)
        .def_readonly("ts_event", &Balance::ts_event)
        .def("__repr__", [](const Balance& b) {
            return fmt::format("Balance('{}', free={}, locked={})", b.asset.view(), b.free.to_string(),
                               b.locked.to_string());
        });

    py::class_<AlertInfo>(m, "AlertInfo", "Something a person should know: a ban, a lost stream, rejected keys.")
        .def_property_readonly("kind", [](const AlertInfo& a) { return std::string(a.kind); },
                               "A short tag: 'banned', 'auth', 'user_stream', ...")
        .def_property_readonly("message", [](const AlertInfo& a) { return std::string(a.message); })
        .def_readonly("ts", &AlertInfo::ts, "Unix ns.")
        .def("__repr__", [](const AlertInfo& a) { return fmt::format("AlertInfo('{}', '{}')", a.kind, a.message); });
}

}  // namespace te::bindings
