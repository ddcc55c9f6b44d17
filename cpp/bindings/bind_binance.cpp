// The Binance connectors, wired to a TradingEngine: BinanceMarketData (candles, trades and
// quotes into the engine's data entry points) and BinanceExecution (signed REST, user-data
// stream; order updates, fills, balances and alerts onto the order lane). Each owns one IO
// thread. Configuration arrives as keyword arguments from tradeengine.venues.BinanceConfig,
// which validated it; the C++ validate() checks again before any connection opens.
#include "bindings/pybind.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include "core/errors.hpp"
#include "net/client/io_thread.hpp"
#include "venues/binance/execution_adapter.hpp"
#include "venues/binance/execution_client.hpp"
#include "venues/binance/market_data_client.hpp"
#include "venues/engine_sinks.hpp"

namespace te::bindings {
namespace {

using release = py::call_guard<py::gil_scoped_release>;

std::chrono::milliseconds ms(double seconds, const char* what) {
    if (!(seconds >= 0) || seconds > 86400.0 * 365)
        throw py::value_error(std::string("invalid ") + what + " " + std::to_string(seconds) +
                              ": expected a number of seconds >= 0");
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + 0.5));
}

// The connection settings shared by both clients, from a dict built by BinanceConfig.
struct Connection {
    double connect_timeout = 10, silence_timeout = 30, healthy_after = 60, backoff_jitter = 0.2;
    std::vector<double> backoff = {3, 5, 10, 30};
    bool tls_verify = true;
    std::string ca_file;

    static Connection from(const py::dict& d) {
        Connection c;
        for (auto [key, value] : d) {
            const auto k = key.cast<std::string>();
            if (k == "connect_timeout") c.connect_timeout = value.cast<double>();
            else if (k == "silence_timeout") c.silence_timeout = value.cast<double>();
            else if (k == "healthy_after") c.healthy_after = value.cast<double>();
            else if (k == "backoff_jitter") c.backoff_jitter = value.cast<double>();
            else if (k == "backoff") c.backoff = value.cast<std::vector<double>>();
            else if (k == "tls_verify") c.tls_verify = value.cast<bool>();
            else if (k == "ca_file") c.ca_file = value.cast<std::string>();
            else throw py::value_error("unknown connection setting '" + k + "'");
        }
        return c;
    }
    void apply(net::WsClientConfig& ws, net::HttpClientConfig& http) const {
        ws.connect_timeout = ms(connect_timeout, "connect_timeout");
        ws.silence_timeout = ms(silence_timeout, "silence_timeout");
        ws.backoff.schedule.clear();
        for (double s : backoff) ws.backoff.schedule.push_back(ms(s, "backoff delay"));
        ws.backoff.jitter = backoff_jitter;
        ws.backoff.healthy_after = ms(healthy_after, "healthy_after");
        ws.tls = {tls_verify, ca_file};
        http.connect_timeout = ms(connect_timeout, "connect_timeout");
        http.tls = {tls_verify, ca_file};
    }
};

py::dict market_stats_dict(const binance::MarketDataStats& s) {
    py::dict d;
    d["messages"] = s.messages;
    d["candles"] = s.candles;
    d["trades"] = s.trades;
    d["quotes"] = s.quotes;
    d["parse_errors"] = s.parse_errors;
    d["reconnects"] = s.reconnects;
    d["backfill_requests"] = s.backfill_requests;
    d["backfilled"] = s.backfilled;
    d["backfill_failures"] = s.backfill_failures;
    d["duplicates_dropped"] = s.duplicates_dropped;
    const auto now = monotonic_ns();
    py::dict streams;
    for (const auto& st : s.streams) {
        py::dict one;
        one["messages"] = st.messages;
        // Seconds since the stream's last message (None before the first): its staleness.
        one["staleness"] = st.last_message_ns == 0 ? py::object(py::none())
                                                   : py::object(py::float_(static_cast<double>(now - st.last_message_ns) / 1e9));
        streams[py::str(st.stream)] = one;
    }
    d["streams"] = streams;
    return d;
}

py::dict execution_stats_dict(const binance::ExecutionStats& s) {
    py::dict d;
    d["orders_sent"] = s.orders_sent;
    d["orders_accepted"] = s.orders_accepted;
    d["orders_rejected"] = s.orders_rejected;
    d["retries"] = s.retries;
    d["status_unknown"] = s.status_unknown;
    d["duplicates_resolved"] = s.duplicates_resolved;
    d["user_stream_subscriptions"] = s.user_stream_subscriptions;
    d["reconciled_fills"] = s.reconciled_fills;
    d["fills"] = s.fills;
    d["server_time_offset_ms"] = s.server_time_offset_ms;
    d["rate_limited"] = s.rate_limited;
    d["bans"] = s.bans;
    d["throttled"] = s.throttled;
    return d;
}

py::object py_decimal(const Decimal& d) { return decimal_class()(d.to_string()); }

py::dict account_dict(const binance::Account& a) {
    py::dict d;
    py::dict balances;
    for (const auto& b : a.balances) {
        Balance bal;
        bal.asset = b.asset;
        bal.free = b.free;
        bal.locked = b.locked;
        bal.ts_event = a.update_time;
        balances[py::str(b.asset.str())] = bal;
    }
    d["balances"] = balances;
    py::dict rates;
    rates["maker"] = py_decimal(a.commission_rates.maker);
    rates["taker"] = py_decimal(a.commission_rates.taker);
    rates["buyer"] = py_decimal(a.commission_rates.buyer);
    rates["seller"] = py_decimal(a.commission_rates.seller);
    d["commission_rates"] = rates;
    d["can_trade"] = a.can_trade;
    d["can_withdraw"] = a.can_withdraw;
    d["can_deposit"] = a.can_deposit;
    d["account_type"] = a.account_type.str();
    d["update_time"] = a.update_time;
    return d;
}

// Stopping joins the IO thread, which may be waiting for room in a lane whose dispatcher needs
// the GIL for a Python handler: never join while holding it.
template <class Handle>
void stop_releasing_gil(Handle* h) {
    if (Py_IsInitialized() && PyGILState_Check()) {
        py::gil_scoped_release nogil;
        h->stop();
    } else {
        h->stop();
    }
}

// One market-data client, its IO thread and the sink into the engine.
class MarketDataHandle {
public:
    MarketDataHandle(TradingEngine& engine, binance::MarketDataConfig config)
        : sink_(engine), io_("te-binance-md"), client_(io_.context(), std::move(config), sink_) {}
    ~MarketDataHandle() { stop_releasing_gil(this); }
    void start() { client_.start(); }
    void stop() {
        if (stopped_.exchange(true)) return;
        client_.stop();
        io_.stop();
    }
    binance::MarketDataClient& client() { return client_; }

private:
    EngineDataSink sink_;
    net::IoThread io_;
    binance::MarketDataClient client_;
    std::atomic<bool> stopped_{false};
};

class ExecutionHandle {
public:
    ExecutionHandle(TradingEngine& engine, binance::ExecutionConfig config)
        : sink_(engine), io_("te-binance-ex"), client_(io_.context(), std::move(config), sink_) {}
    ~ExecutionHandle() { stop_releasing_gil(this); }
    void stop() {
        if (stopped_.exchange(true)) return;
        client_.stop();
        io_.stop();
    }
    binance::ExecutionClient& client() { return client_; }
    // From now on, venue messages go to an order manager (VENUE_* events) instead of straight
    // to the handlers.
    ExecutionVenue& venue_for_order_manager() {
        sink_.set_for_order_manager(true);
        return venue_;
    }

private:
    EngineExecutionSink sink_;
    net::IoThread io_;
    binance::ExecutionClient client_;
    binance::ExecutionAdapter venue_{io_.context(), client_};
    std::atomic<bool> stopped_{false};
};

InstrumentId instrument_for(binance::ExecutionClient& c, const std::string& symbol) {
    return c.instrument(symbol).id();
}

}  // namespace

ExecutionVenue* binance_venue_of(py::handle obj) {
    if (!py::isinstance<ExecutionHandle>(obj)) return nullptr;
    return &obj.cast<ExecutionHandle&>().venue_for_order_manager();
}

void bind_binance(py::module_& m) {
    py::class_<MarketDataHandle>(m, "BinanceMarketData",
                                 "Binance market data (combined streams, REST backfill) feeding a TradingEngine. "
                                 "Use tradeengine.venues.BinanceMarketData.")
        .def(py::init([](TradingEngine& engine, std::string stream_url, std::string rest_url,
                         std::vector<std::string> symbols, std::vector<std::string> intervals, bool trades, bool quotes,
                         std::string venue, std::size_t max_streams_per_connection, std::size_t max_connections,
                         double backfill_timeout, const py::dict& connection) {
                 binance::MarketDataConfig c;
                 c.stream_url = std::move(stream_url);
                 c.rest_url = std::move(rest_url);
                 c.symbols = std::move(symbols);
                 c.intervals = std::move(intervals);
                 c.trades = trades;
                 c.quotes = quotes;
                 c.venue = std::move(venue);
                 c.max_streams_per_connection = max_streams_per_connection;
                 c.max_connections = max_connections;
                 c.backfill_timeout = ms(backfill_timeout, "backfill_timeout");
                 Connection::from(connection).apply(c.ws, c.http);
                 py::gil_scoped_release nogil;
                 return std::make_unique<MarketDataHandle>(engine, std::move(c));
             }),
             py::arg("engine"), py::arg("stream_url"), py::arg("rest_url"), py::arg("symbols"), py::arg("intervals"),
             py::arg("trades") = false, py::arg("quotes") = false, py::arg("venue") = "BINANCE",
             py::arg("max_streams_per_connection") = 1024, py::arg("max_connections") = 16,
             py::arg("backfill_timeout") = 10.0, py::arg("connection") = py::dict(), py::keep_alive<1, 2>(),
             "Validates everything (ConfigError listing every problem) before any connection opens.")
        .def("start", &MarketDataHandle::start, release(), "Open the connections (returns at once; they reconnect on their own).")
        .def("stop", &MarketDataHandle::stop, release(), "Close the connections and stop the IO thread.")
        .def_property_readonly("connections", [](MarketDataHandle& h) { return h.client().connections(); },
                               "How many WebSocket connections the streams are spread over.")
        .def("stats", [](MarketDataHandle& h) { return market_stats_dict(h.client().stats()); },
             "Counters, and per stream its message count and staleness (seconds since its last message).");

    py::class_<ExecutionHandle>(m, "BinanceExecution",
                                "Binance execution (signed REST, user-data stream over the WebSocket API) "
                                "publishing order updates and fills on a TradingEngine's order lane. "
                                "Use tradeengine.venues.BinanceExecution.")
        .def(py::init([](TradingEngine& engine, std::string rest_url, std::string ws_api_url, std::string api_key,
                         std::string api_secret, std::vector<std::string> symbols, std::string venue,
                         double recv_window, double order_timeout, double query_timeout, int max_attempts,
                         std::int64_t weight_limit, double throttle_at, const py::dict& connection) {
                 binance::ExecutionConfig c;
                 c.rest_url = std::move(rest_url);
                 c.ws_api_url = std::move(ws_api_url);
                 c.credentials = {std::move(api_key), std::move(api_secret)};
                 c.symbols = std::move(symbols);
                 c.venue = std::move(venue);
                 c.recv_window = ms(recv_window, "recv_window");
                 c.order_timeout = ms(order_timeout, "order_timeout");
                 c.query_timeout = ms(query_timeout, "query_timeout");
                 c.max_attempts = max_attempts;
                 c.weight.limit = weight_limit;
                 c.weight.throttle_at = throttle_at;
                 Connection::from(connection).apply(c.ws, c.http);
                 py::gil_scoped_release nogil;
                 return std::make_unique<ExecutionHandle>(engine, std::move(c));
             }),
             py::arg("engine"), py::arg("rest_url"), py::arg("ws_api_url"), py::arg("api_key"), py::arg("api_secret"),
             py::arg("symbols"), py::arg("venue") = "BINANCE", py::arg("recv_window") = 5.0,
             py::arg("order_timeout") = 30.0, py::arg("query_timeout") = 10.0, py::arg("max_attempts") = 4,
             py::arg("weight_limit") = 6000, py::arg("throttle_at") = 0.9, py::arg("connection") = py::dict(),
             py::keep_alive<1, 2>(), "Validates everything (ConfigError, never showing a secret) before connecting.")
        .def("start", [](ExecutionHandle& h) { h.client().start(); }, release(),
             "Sync the clock, load exchangeInfo, subscribe the user-data stream; blocks until subscribed.")
        .def("stop", &ExecutionHandle::stop, release(), "Close the user-data stream and stop the IO thread.")
        .def("place", [](ExecutionHandle& h, const OrderRequest& r) { return h.client().place(r); }, release(),
             py::arg("request"),
             "Send one order (rounded and checked against the filters first); the venue's view of it. Raises "
             "OrderRejectedError, RateLimitedError, AuthenticationError or ConnectionLostError.")
        .def(
            "cancel",
            [](ExecutionHandle& h, const std::string& symbol, const std::string& client_order_id) {
                return h.client().cancel(instrument_for(h.client(), symbol), client_order_id);
            },
            release(), py::arg("symbol"), py::arg("client_order_id"), "Cancel one order by its client order id.")
        .def(
            "cancel_all",
            [](ExecutionHandle& h, const std::string& symbol) {
                return h.client().cancel_all(instrument_for(h.client(), symbol));
            },
            release(), py::arg("symbol"), "Cancel every open order on a symbol; the canceled orders.")
        .def(
            "query",
            [](ExecutionHandle& h, const std::string& symbol, const std::string& client_order_id) {
                return h.client().query(instrument_for(h.client(), symbol), client_order_id);
            },
            release(), py::arg("symbol"), py::arg("client_order_id"), "The venue's view of one order.")
        .def(
            "open_orders",
            [](ExecutionHandle& h, std::optional<std::string> symbol) {
                std::optional<InstrumentId> id;
                if (symbol) id = instrument_for(h.client(), *symbol);
                return h.client().open_orders(id);
            },
            release(), py::arg("symbol") = py::none(), "Open orders, of one symbol or all.")
        .def(
            "account",
            [](ExecutionHandle& h) {
                binance::Account a;
                {
                    py::gil_scoped_release nogil;
                    a = h.client().account();
                }
                return account_dict(a);
            },
            "Balances (asset -> Balance), commission rates (decimal.Decimal) and permissions.")
        .def("prepare", [](ExecutionHandle& h, const OrderRequest& r) { return h.client().prepare(r); },
             py::arg("request"),
             "The order as it would be sent: quantity rounded down to the step, price to the tick (passively), "
             "checked against every filter. Raises OrderRejectedError with the reason.")
        .def("instrument", [](ExecutionHandle& h, const std::string& symbol) { return h.client().instrument(symbol); },
             py::arg("symbol"), "The instrument (filters from exchangeInfo); ConfigError for an unknown symbol.")
        .def_property_readonly("user_stream_ready", [](ExecutionHandle& h) { return h.client().user_stream_ready(); },
                               "True while the user-data stream is subscribed.")
        .def("stats", [](ExecutionHandle& h) { return execution_stats_dict(h.client().stats()); }, "Counters.");
}

}  // namespace te::bindings
