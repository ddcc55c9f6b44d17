// Backtests: the backtest venue, its data sources and its run. tradeengine.backtest
// (python/tradeengine/research/backtest.py) is the public face. The run releases the GIL; the
// strategies' callbacks take it through the bus's gate, per batch, on this same thread.
#include "bindings/pybind.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "bindings/py_handler.hpp"
#include "core/errors.hpp"
#include "node/node.hpp"
#include "replay/backtest_venue.hpp"
#include "replay/file_sources.hpp"
#include "venues/sim/config.hpp"

namespace te::bindings {

namespace {

using replay::BacktestVenue;

std::chrono::nanoseconds seconds_ns(const py::handle& v, const char* what) {
    const double s = v.cast<double>();
    if (!(s >= 0) || s > 86400.0 * 365)
        throw py::value_error(fmt::format("invalid {} {}: expected seconds >= 0", what, s));
    return std::chrono::nanoseconds(static_cast<std::int64_t>(s * 1e9));
}

replay::BarPath bar_path(const std::string& s) {
    if (s == "adaptive") return replay::BarPath::Adaptive;
    if (s == "ohlc") return replay::BarPath::OpenHighLowClose;
    if (s == "olhc") return replay::BarPath::OpenLowHighClose;
    throw py::value_error("invalid bar_path '" + s + "': expected 'adaptive', 'ohlc' or 'olhc'");
}

replay::BacktestVenueConfig venue_config(const std::string& name, const std::string& exchange_json, const py::dict& d) {
    replay::BacktestVenueConfig c;
    c.name = name;
    c.exchange = sim::SimConfig::from_json(exchange_json);
    for (auto [key, value] : d) {
        const auto k = key.cast<std::string>();
        if (k == "bar_path") c.bar_path = bar_path(value.cast<std::string>());
        else if (k == "order_latency") c.order_latency = seconds_ns(value, "order_latency");
        else if (k == "data_latency") c.data_latency = seconds_ns(value, "data_latency");
        else if (k == "limit_fills_to_volume") c.limit_fills_to_volume = value.cast<bool>();
        else if (k == "start") {
            if (!value.is_none()) c.start = value.cast<UnixNanos>();
        } else if (k == "end") {
            if (!value.is_none()) c.end = value.cast<UnixNanos>();
        } else if (k == "equity_interval") c.equity_interval = seconds_ns(value, "equity_interval");
        else if (k == "valuation_asset") c.valuation_asset = value.cast<std::string>();
        else throw py::value_error("unknown backtest setting '" + k + "'");
    }
    return c;
}

// One column of a DataFrame as exact decimals: strings and decimal.Decimal are parsed; floats
// (what pandas reads from Parquet or CSV) by their shortest round-trip text, so 0.1 is 0.1.
Decimal to_decimal(const py::handle& v, const std::string& where) {
    if (py::isinstance<py::float_>(v)) {
        const double d = v.cast<double>();
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, d);
        return Decimal::parse(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), where);
    }
    if (py::isinstance<py::int_>(v)) return Decimal::parse(py::str(v).cast<std::string>(), where);
    return Decimal::parse(py::str(v).cast<std::string>(), where);
}

std::vector<replay::MarketItem> candles_from_columns(const std::string& description, const InstrumentId& id,
                                                     Interval interval, const py::sequence& open_time,
                                                     const py::sequence& close_time, const py::sequence& o,
                                                     const py::sequence& h, const py::sequence& l,
                                                     const py::sequence& c, const py::sequence& v) {
    const auto n = py::len(open_time);
    for (const auto* col : {&close_time, &o, &h, &l, &c, &v})
        if (py::len(*col) != n)
            throw DataError(fmt::format("{}: columns of different lengths ({} open times, {} values)", description, n,
                                        py::len(*col)));
    std::vector<replay::MarketItem> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = fmt::format("{}: row {}", description, i);
        Candle k;
        k.instrument_id = id;
        k.interval = interval;
        k.open_time = open_time[i].cast<UnixNanos>();
        k.close_time = close_time[i].cast<UnixNanos>();
        try {
            k.open = Price(to_decimal(o[i], where + ": open"));
            k.high = Price(to_decimal(h[i], where + ": high"));
            k.low = Price(to_decimal(l[i], where + ": low"));
            k.close = Price(to_decimal(c[i], where + ": close"));
            k.volume = Quantity(to_decimal(v[i], where + ": volume"));
        } catch (const std::invalid_argument& e) {
            throw DataError(e.what());
        }
        if (k.open.sign() <= 0 || k.high.sign() <= 0 || k.low.sign() <= 0 || k.close.sign() <= 0)
            throw DataError(fmt::format("{}: prices must be > 0 (open {}, high {}, low {}, close {})", where,
                                        k.open.to_string(), k.high.to_string(), k.low.to_string(), k.close.to_string()));
        if (k.high < std::max({k.open, k.close, k.low}) || k.low > std::min(k.open, k.close))
            throw DataError(fmt::format("{}: high {} and low {} do not hold open {} and close {} (expected low <= open, "
                                        "close <= high)",
                                        where, k.high.to_string(), k.low.to_string(), k.open.to_string(),
                                        k.close.to_string()));
        if (k.volume.sign() < 0) throw DataError(fmt::format("{}: volume {} is negative", where, k.volume.to_string()));
        if (k.close_time < k.open_time)
            throw DataError(fmt::format("{}: close time is before the open time", where));
        k.closed = true;
        k.ts_event = k.ts_recv = k.close_time;
        items.emplace_back(k);
    }
    return items;
}

std::vector<replay::MarketItem> quotes_from_columns(const std::string& description, const InstrumentId& id,
                                                    const py::sequence& time, const py::sequence& bid,
                                                    const py::sequence& bid_size, const py::sequence& ask,
                                                    const py::sequence& ask_size) {
    const auto n = py::len(time);
    for (const auto* col : {&bid, &bid_size, &ask, &ask_size})
        if (py::len(*col) != n)
            throw DataError(fmt::format("{}: columns of different lengths ({} times, {} values)", description, n,
                                        py::len(*col)));
    std::vector<replay::MarketItem> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = fmt::format("{}: row {}", description, i);
        Quote q;
        q.instrument_id = id;
        q.ts_event = q.ts_recv = time[i].cast<UnixNanos>();
        try {
            q.bid_price = Price(to_decimal(bid[i], where + ": bid"));
            q.bid_size = Quantity(to_decimal(bid_size[i], where + ": bid_size"));
            q.ask_price = Price(to_decimal(ask[i], where + ": ask"));
            q.ask_size = Quantity(to_decimal(ask_size[i], where + ": ask_size"));
        } catch (const std::invalid_argument& e) {
            throw DataError(e.what());
        }
        if (q.bid_price.sign() <= 0 || q.ask_price < q.bid_price)
            throw DataError(fmt::format("{}: bid {} and ask {}: expected 0 < bid <= ask", where, q.bid_price.to_string(),
                                        q.ask_price.to_string()));
        if (q.bid_size.sign() < 0 || q.ask_size.sign() < 0)
            throw DataError(fmt::format("{}: sizes must be >= 0", where));
        items.emplace_back(q);
    }
    return items;
}

// A level is absent in a row when its price is None or NaN (a book with fewer levels there);
// the levels after it must be absent too.
bool absent(const py::handle& v) {
    return v.is_none() || (py::isinstance<py::float_>(v) && std::isnan(v.cast<double>()));
}

std::vector<std::pair<Price, Quantity>> book_side(const std::string& where, const char* side, std::size_t row,
                                                  const py::sequence& prices, const py::sequence& sizes) {
    std::vector<std::pair<Price, Quantity>> out;
    bool ended = false;
    for (std::size_t k = 0; k < py::len(prices); ++k) {
        const py::sequence pc = prices[k], sc = sizes[k];
        const py::object p = pc[row], q = sc[row];
        const std::string col = fmt::format("{}: {}_price_{}", where, side, k);
        if (absent(p)) {
            ended = true;
            continue;
        }
        if (ended)
            throw DataError(fmt::format("{} is given but a better level is not (levels are filled from 0 up)", col));
        Price price;
        Quantity size;
        try {
            price = Price(to_decimal(p, col));
            size = Quantity(to_decimal(q, fmt::format("{}: {}_size_{}", where, side, k)));
        } catch (const std::invalid_argument& e) {
            throw DataError(e.what());
        }
        if (price.sign() <= 0 || size.sign() <= 0)
            throw DataError(fmt::format("{} {} with size {}: expected price and size > 0", col, price.to_string(),
                                        size.to_string()));
        const bool bid = side[0] == 'b';
        if (!out.empty() && (bid ? !(price < out.back().first) : !(out.back().first < price)))
            throw DataError(fmt::format("{} {} after {}: expected {} prices, best first", col, price.to_string(),
                                        out.back().first.to_string(), bid ? "falling bid" : "rising ask"));
        out.emplace_back(price, size);
    }
    if (out.empty()) throw DataError(fmt::format("{}: no {} level (expected at least {}_price_0)", where, side, side));
    return out;
}

std::vector<replay::MarketItem> books_from_columns(const std::string& description, const InstrumentId& id,
                                                   const py::sequence& time, const py::sequence& bid_prices,
                                                   const py::sequence& bid_sizes, const py::sequence& ask_prices,
                                                   const py::sequence& ask_sizes) {
    const auto n = py::len(time);
    if (py::len(bid_prices) == 0 || py::len(ask_prices) == 0 || py::len(bid_prices) != py::len(bid_sizes) ||
        py::len(ask_prices) != py::len(ask_sizes))
        throw DataError(fmt::format("{}: expected bid_price_K, bid_size_K, ask_price_K and ask_size_K columns from K = 0",
                                    description));
    for (const auto* side : {&bid_prices, &bid_sizes, &ask_prices, &ask_sizes})
        for (const auto& col : *side)
            if (py::len(col) != n)
                throw DataError(fmt::format("{}: columns of different lengths ({} times, {} values)", description, n,
                                            py::len(col)));
    std::vector<replay::MarketItem> items;
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = fmt::format("{}: row {}", description, i);
        replay::BookDepth b;
        b.instrument_id = id;
        b.ts_event = time[i].cast<UnixNanos>();
        b.bids = book_side(where, "bid", i, bid_prices, bid_sizes);
        b.asks = book_side(where, "ask", i, ask_prices, ask_sizes);
        if (b.asks.front().first < b.bids.front().first)
            throw DataError(fmt::format("{}: best bid {} above best ask {}: expected bid <= ask", where,
                                        b.bids.front().first.to_string(), b.asks.front().first.to_string()));
        items.emplace_back(std::move(b));
    }
    return items;
}

}  // namespace

void bind_replay(py::module_& m) {
    py::class_<replay::DataGap>(m, "DataGap", "Bars missing between two consecutive rows of a source.")
        .def_readonly("source", &replay::DataGap::file)
        .def_readonly("line", &replay::DataGap::line, "The row after the gap (1-based).")
        .def_readonly("after_open", &replay::DataGap::after_open, "Open time (ns) of the bar before the gap.")
        .def_readonly("next_open", &replay::DataGap::next_open, "Open time (ns) of the bar after it.")
        .def_readonly("missing_bars", &replay::DataGap::missing_bars)
        .def("__repr__", [](const replay::DataGap& g) {
            return fmt::format("DataGap('{}', line={}, {} -> {}, missing_bars={})", g.file, g.line,
                               format_iso8601(g.after_open), format_iso8601(g.next_open), g.missing_bars);
        });

    py::class_<replay::BacktestReport>(m, "BacktestReport", "What one backtest run replayed, and how it ended.")
        .def_readonly("candles", &replay::BacktestReport::candles)
        .def_readonly("trades", &replay::BacktestReport::trades)
        .def_readonly("quotes", &replay::BacktestReport::quotes)
        .def_readonly("books", &replay::BacktestReport::books)
        .def_readonly("skipped_before_start", &replay::BacktestReport::skipped_before_start)
        .def_readonly("skipped_after_end", &replay::BacktestReport::skipped_after_end)
        .def_readonly("timers_fired", &replay::BacktestReport::timers_fired)
        .def_readonly("events_dispatched", &replay::BacktestReport::events_dispatched)
        .def_readonly("gaps", &replay::BacktestReport::gaps)
        .def_readonly("first_time", &replay::BacktestReport::first_time, "Data time (ns) of the first item.")
        .def_readonly("last_time", &replay::BacktestReport::last_time, "Data time (ns) when the run ended.")
        .def_readonly("wall_seconds", &replay::BacktestReport::wall_seconds)
        .def_readonly("stopped_early", &replay::BacktestReport::stopped_early)
        .def_readonly("stop_reason", &replay::BacktestReport::stop_reason)
        .def("__repr__", [](const replay::BacktestReport& r) {
            return fmt::format("BacktestReport(candles={}, trades={}, quotes={}, books={}, wall_seconds={:.3f}{})",
                               r.candles, r.trades, r.quotes, r.books, r.wall_seconds,
                               r.stopped_early ? ", stopped_early=True" : "");
        });

    py::class_<BacktestVenue, std::shared_ptr<BacktestVenue>>(
        m, "BacktestVenue", "The in-process matching engine fed by replayed data (internal: use tradeengine.backtest).")
        .def(py::init([](const std::string& name, const std::string& exchange_json, const py::dict& settings) {
                 return std::make_shared<BacktestVenue>(venue_config(name, exchange_json, settings));
             }),
             py::arg("name"), py::arg("exchange_json"), py::arg("settings") = py::dict())
        .def_property_readonly("name", [](const BacktestVenue& v) { return v.Component::name(); })
        .def_property_readonly("valuation_asset", &BacktestVenue::valuation_asset)
        .def(
            "add_candles",
            [](BacktestVenue& v, const std::string& description, const InstrumentId& id, Interval interval,
               const py::sequence& open_time, const py::sequence& close_time, const py::sequence& o,
               const py::sequence& h, const py::sequence& l, const py::sequence& c, const py::sequence& vol) {
                auto items = candles_from_columns(description, id, interval, open_time, close_time, o, h, l, c, vol);
                v.add_source(std::make_unique<replay::VectorSource>(description, std::move(items)));
            },
            py::arg("description"), py::arg("instrument_id"), py::arg("interval"), py::arg("open_time"),
            py::arg("close_time"), py::arg("open"), py::arg("high"), py::arg("low"), py::arg("close"),
            py::arg("volume"), "Candles from columns (times in ns; prices as str, Decimal or float).")
        .def(
            "add_quotes",
            [](BacktestVenue& v, const std::string& description, const InstrumentId& id, const py::sequence& time,
               const py::sequence& bid, const py::sequence& bid_size, const py::sequence& ask,
               const py::sequence& ask_size) {
                auto items = quotes_from_columns(description, id, time, bid, bid_size, ask, ask_size);
                v.add_source(std::make_unique<replay::VectorSource>(description, std::move(items)));
            },
            py::arg("description"), py::arg("instrument_id"), py::arg("time"), py::arg("bid"), py::arg("bid_size"),
            py::arg("ask"), py::arg("ask_size"), "Best bid/ask quotes from columns (times in ns).")
        .def(
            "add_books",
            [](BacktestVenue& v, const std::string& description, const InstrumentId& id, const py::sequence& time,
               const py::sequence& bid_prices, const py::sequence& bid_sizes, const py::sequence& ask_prices,
               const py::sequence& ask_sizes) {
                auto items = books_from_columns(description, id, time, bid_prices, bid_sizes, ask_prices, ask_sizes);
                v.add_source(std::make_unique<replay::VectorSource>(description, std::move(items)));
            },
            py::arg("description"), py::arg("instrument_id"), py::arg("time"), py::arg("bid_prices"),
            py::arg("bid_sizes"), py::arg("ask_prices"), py::arg("ask_sizes"),
            "Books from columns: times in ns, then per side one column per level (best first; None or NaN: "
            "no level there).")
        .def(
            "add_kline_csv",
            [](BacktestVenue& v, const std::string& path, const InstrumentId& id, std::optional<Interval> interval) {
                v.add_source(std::make_unique<replay::KlineFileSource>(path, id, interval));
            },
            py::arg("path"), py::arg("instrument_id"), py::arg("interval") = py::none(),
            "A Binance kline CSV, streamed while the backtest runs (interval None: from the rows).")
        .def(
            "add_trade_csv",
            [](BacktestVenue& v, const std::string& path, const InstrumentId& id) {
                v.add_source(std::make_unique<replay::TradeFileSource>(path, id));
            },
            py::arg("path"), py::arg("instrument_id"), "A Binance trades or aggTrades CSV, streamed.")
        .def(
            "run",
            [](BacktestVenue& v, Node& node, py::object progress, std::uint64_t every) {
                // Every `every` actions: Ctrl-C (a KeyboardInterrupt stops the run: the node is
                // stopped, what ran is kept), then the caller's progress callback.
                replay::ProgressFn fn = [&progress](std::uint64_t items, UnixNanos t) {
                    py::gil_scoped_acquire gil;
                    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
                    if (!progress.is_none()) progress(items, t);
                };
                py::gil_scoped_release nogil;
                return v.run(node, fn, every == 0 ? 65536 : every);
            },
            py::arg("node"), py::arg("progress") = py::none(), py::arg("every") = 65536,
            "Runs the whole backtest on this thread (the GIL released; callbacks take it; Ctrl-C stops it).")
        .def("fills", &BacktestVenue::fills, "Every fill of the run, in order.")
        .def("instruments", &BacktestVenue::instruments, "The listed instruments, in the order of the equity marks.")
        .def(
            "equity",
            [](const BacktestVenue& v) {
                const auto& e = v.equity();
                std::vector<UnixNanos> times;
                std::vector<std::string> cash, positions;
                times.reserve(e.size());
                cash.reserve(e.size());
                positions.reserve(e.size());
                const auto symbols = v.instruments().size();
                std::vector<std::vector<std::string>> marks(symbols);
                for (std::size_t i = 0; i < e.size(); ++i) {
                    const auto& s = e[i];
                    times.push_back(s.time);
                    cash.push_back(s.cash.to_string());
                    positions.push_back(s.positions.to_string());
                    for (std::size_t k = 0; k < symbols; ++k) marks[k].push_back(v.mark(i, k).to_string());
                }
                return py::make_tuple(times, cash, positions, marks);
            },
            "(times ns, cash, positions value, [last prices per symbol]) of the equity samples, amounts as exact "
            "decimal strings.");

    // On the Node class (bind_node.cpp), here so its signature names the BacktestVenue bound above.
    auto node = py::reinterpret_borrow<py::class_<Node, std::shared_ptr<Node>>>(m.attr("Node"));
    node.def(
        "add_backtest_venue",
        [](Node& n, std::shared_ptr<BacktestVenue> venue) {
            py::gil_scoped_release nogil;
            n.add_venue(std::move(venue));
        },
        py::arg("venue"), "Adds a backtest venue (before start).");
}

}  // namespace te::bindings
