// InstrumentId, Instrument, Candle, Trade and Quote. Market data values are immutable from
// Python: they are snapshots of what a venue sent.
#include "bindings/pybind.hpp"

#include <vector>

#include <fmt/format.h>

#include "core/market.hpp"

namespace te::bindings {
namespace {

InstrumentId to_instrument_id(py::handle v) {
    if (py::isinstance<InstrumentId>(v)) return v.cast<InstrumentId>();
    if (py::isinstance<py::str>(v)) return InstrumentId::parse(v.cast<std::string>());
    throw py::type_error("invalid instrument_id " + repr_of(v) + ": expected an InstrumentId or a str like 'BTCUSDT.BINANCE'");
}

Interval to_interval(py::handle v) {
    if (py::isinstance<py::str>(v)) return enum_from_string<Interval>(v.cast<std::string>());
    return v.cast<Interval>();
}

std::string candle_repr(const Candle& c) {
    return fmt::format("Candle('{}', '{}', open_time={}, o={}, h={}, l={}, c={}, v={}, closed={})", c.instrument_id.view(),
                       to_string(c.interval), c.open_time, c.open.to_string(), c.high.to_string(), c.low.to_string(),
                       c.close.to_string(), c.volume.to_string(), c.closed ? "True" : "False");
}

void validate_candle(const Candle& c) {
    std::vector<std::string> problems;
    if (c.high < c.low) problems.push_back(fmt::format("high {} < low {}", c.high.to_string(), c.low.to_string()));
    if (c.open > c.high || c.open < c.low) problems.push_back(fmt::format("open {} outside [low, high]", c.open.to_string()));
    if (c.close > c.high || c.close < c.low)
        problems.push_back(fmt::format("close {} outside [low, high]", c.close.to_string()));
    if (c.low.sign() < 0) problems.push_back(fmt::format("low {} < 0", c.low.to_string()));
    if (c.volume.sign() < 0) problems.push_back(fmt::format("volume {} < 0", c.volume.to_string()));
    if (c.quote_volume.sign() < 0) problems.push_back(fmt::format("quote_volume {} < 0", c.quote_volume.to_string()));
    if (c.trade_count < 0) problems.push_back(fmt::format("trade_count {} < 0", c.trade_count));
    if (c.close_time < c.open_time)
        problems.push_back(fmt::format("close_time {} < open_time {}", c.close_time, c.open_time));
    if (!problems.empty()) throw py::value_error(fmt::format("invalid Candle: {}", fmt::join(problems, "; ")));
}

}  // namespace

void bind_market(py::module_& m) {
    py::class_<InstrumentId>(m, "InstrumentId", "SYMBOL.VENUE, e.g. InstrumentId('BTCUSDT.BINANCE').")
        .def(py::init(&InstrumentId::parse), py::arg("text"))
        .def_static("of", &InstrumentId::of, py::arg("symbol"), py::arg("venue"))
        .def_property_readonly("symbol", [](const InstrumentId& i) { return std::string(i.symbol()); })
        .def_property_readonly("venue", [](const InstrumentId& i) { return std::string(i.venue()); })
        .def("__str__", &InstrumentId::to_string)
        .def("__repr__", [](const InstrumentId& i) { return "InstrumentId('" + i.to_string() + "')"; })
        .def("__eq__", [](const InstrumentId& a, py::handle b) -> py::object {
            return py::isinstance<InstrumentId>(b) ? py::bool_(a == b.cast<InstrumentId>()) : not_implemented();
        })
        .def("__lt__", [](const InstrumentId& a, const InstrumentId& b) { return a < b; })
        .def("__hash__", [](const InstrumentId& i) { return py::hash(py::str(i.to_string())); })
        .def(py::pickle([](const InstrumentId& i) { return py::make_tuple(i.to_string()); },
                        [](const py::tuple& t) { return InstrumentId::parse(t[0].cast<std::string>()); }));
    py::implicitly_convertible<py::str, InstrumentId>();

    py::class_<Instrument>(m, "Instrument", "An instrument's trading rules and the rounding helpers orders need.")
        .def(py::init([](py::object id, std::string base, std::string quote, Price tick, Quantity step, Quantity min_q,
                         Quantity max_q, Money min_notional, std::optional<int> pp, std::optional<int> qp) {
                 return Instrument(InstrumentSpec{to_instrument_id(id), std::move(base), std::move(quote), tick, step,
                                                  min_q, max_q, min_notional, pp, qp});
             }),
             py::arg("id"), py::arg("base_asset"), py::arg("quote_asset"), py::arg("tick_size"), py::arg("step_size"),
             py::arg("min_quantity"), py::arg("max_quantity"), py::arg("min_notional"),
             py::arg("price_precision") = py::none(), py::arg("quantity_precision") = py::none())
        .def_property_readonly("id", &Instrument::id)
        .def_property_readonly("base_asset", &Instrument::base_asset)
        .def_property_readonly("quote_asset", &Instrument::quote_asset)
        .def_property_readonly("tick_size", &Instrument::tick_size)
        .def_property_readonly("step_size", &Instrument::step_size)
        .def_property_readonly("min_quantity", &Instrument::min_quantity)
        .def_property_readonly("max_quantity", &Instrument::max_quantity)
        .def_property_readonly("min_notional", &Instrument::min_notional)
        .def_property_readonly("price_precision", &Instrument::price_precision)
        .def_property_readonly("quantity_precision", &Instrument::quantity_precision)
        .def("round_price", &Instrument::round_price, py::arg("price"), py::arg_v("rounding", Rounding::HalfEven, "Rounding.HALF_EVEN"),
             "Round to the tick size (half-even by default).")
        .def("round_quantity", &Instrument::round_quantity, py::arg("quantity"), py::arg_v("rounding", Rounding::Down, "Rounding.DOWN"),
             "Round to the step size (down by default: never more than asked).")
        .def("check_order", &Instrument::check_order, py::arg("price"), py::arg("quantity"),
             "Why an order would break the instrument's filters, or None if it passes (price None: market order).")
        .def("__repr__", [](const Instrument& i) {
            return fmt::format("Instrument('{}', tick_size={}, step_size={}, min_notional={})", i.id().view(),
                               i.tick_size().to_string(), i.step_size().to_string(), i.min_notional().to_string());
        });

    py::class_<Candle>(m, "Candle", "An OHLCV bar (kline). closed=False for an in-progress update.")
        .def(py::init([](py::object id, py::object interval, UnixNanos open_time, UnixNanos close_time, Price open,
                         Price high, Price low, Price close, Quantity volume, Money quote_volume,
                         std::int64_t trade_count, bool closed, UnixNanos ts_event, UnixNanos ts_recv) {
                 Candle c{to_instrument_id(id), to_interval(interval), open_time, close_time, open, high, low, close,
                          volume, quote_volume, trade_count, closed, ts_event, ts_recv};
                 validate_candle(c);
                 return c;
             }),
             py::arg("instrument_id"), py::arg("interval"), py::arg("open_time"), py::arg("close_time"),
             py::arg("open"), py::arg("high"), py::arg("low"), py::arg("close"), py::arg("volume"),
             py::arg("quote_volume") = Money(), py::arg("trade_count") = 0, py::arg("closed") = true,
             py::arg("ts_event") = 0, py::arg("ts_recv") = 0)
        .def_readonly("instrument_id", &Candle::instrument_id)
        .def_readonly("interval", &Candle::interval)
        .def_readonly("open_time", &Candle::open_time, "Unix nanoseconds.")
        .def_readonly("close_time", &Candle::close_time, "Unix nanoseconds.")
        .def_readonly("open", &Candle::open)
        .def_readonly("high", &Candle::high)
        .def_readonly("low", &Candle::low)
        .def_readonly("close", &Candle::close)
        .def_readonly("volume", &Candle::volume)
        .def_readonly("quote_volume", &Candle::quote_volume)
        .def_readonly("trade_count", &Candle::trade_count)
        .def_readonly("closed", &Candle::closed)
        .def_readonly("ts_event", &Candle::ts_event)
        .def_readonly("ts_recv", &Candle::ts_recv)
        .def("__repr__", &candle_repr);

    py::class_<Trade>(m, "Trade", "A trade printed by the venue.")
        .def(py::init([](py::object id, Price price, Quantity qty, std::int64_t trade_id, Side side, UnixNanos ts_event,
                         UnixNanos ts_recv) {
                 if (price.sign() <= 0) throw py::value_error("invalid Trade: price " + price.to_string() + " must be > 0");
                 if (qty.sign() <= 0) throw py::value_error("invalid Trade: quantity " + qty.to_string() + " must be > 0");
                 return Trade{to_instrument_id(id), price, qty, trade_id, side, ts_event, ts_recv};
             }),
             py::arg("instrument_id"), py::arg("price"), py::arg("quantity"), py::arg("trade_id") = 0,
             py::arg_v("aggressor_side", Side::Buy, "Side.BUY"), py::arg("ts_event") = 0, py::arg("ts_recv") = 0)
        .def_readonly("instrument_id", &Trade::instrument_id)
        .def_readonly("price", &Trade::price)
        .def_readonly("quantity", &Trade::quantity)
        .def_readonly("trade_id", &Trade::trade_id)
        .def_readonly("aggressor_side", &Trade::aggressor_side)
        .def_readonly("ts_event", &Trade::ts_event)
        .def_readonly("ts_recv", &Trade::ts_recv)
        .def("__repr__", [](const Trade& t) {
            return fmt::format("Trade('{}', price={}, quantity={}, trade_id={}, aggressor_side={})",
                               t.instrument_id.view(), t.price.to_string(), t.quantity.to_string(), t.trade_id,
                               to_string(t.aggressor_side));
        });

    py::class_<Quote>(m, "Quote", "Best bid and ask (Binance bookTicker).")
        .def(py::init([](py::object id, Price bid, Quantity bid_size, Price ask, Quantity ask_size, UnixNanos ts_event,
                         UnixNanos ts_recv) {
                 if (bid.sign() > 0 && ask.sign() > 0 && bid > ask)
                     throw py::value_error("invalid Quote: bid " + bid.to_string() + " above ask " + ask.to_string());
                 if (bid_size.sign() < 0 || ask_size.sign() < 0)
                     throw py::value_error("invalid Quote: sizes must be >= 0");
                 return Quote{to_instrument_id(id), bid, bid_size, ask, ask_size, ts_event, ts_recv};
             }),
             py::arg("instrument_id"), py::arg("bid_price"), py::arg("bid_size"), py::arg("ask_price"),
             py::arg("ask_size"), py::arg("ts_event") = 0, py::arg("ts_recv") = 0)
        .def_readonly("instrument_id", &Quote::instrument_id)
        .def_readonly("bid_price", &Quote::bid_price)
        .def_readonly("bid_size", &Quote::bid_size)
        .def_readonly("ask_price", &Quote::ask_price)
        .def_readonly("ask_size", &Quote::ask_size)
        .def_readonly("ts_event", &Quote::ts_event)
        .def_readonly("ts_recv", &Quote::ts_recv)
        .def("__repr__", [](const Quote& q) {
            return fmt::format("Quote('{}', bid={} x {}, ask={} x {})", q.instrument_id.view(), q.bid_price.to_string(),
                               q.bid_size.to_string(), q.ask_price.to_string(), q.ask_size.to_string());
        });

    m.def("next_open_time_ms", &next_open_time_ms, py::arg("interval"), py::arg("open_ms"),
          "Open time (ms) of the interval after the one opening at open_ms; calendar months for 1M.");
}

}  // namespace te::bindings
