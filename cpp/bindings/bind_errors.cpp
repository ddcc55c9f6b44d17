// The error hierarchy (cpp/core/errors.hpp) as Python exceptions of the same names, all
// deriving from tradeengine.TradeEngineError. Translators are tried newest first, so each
// child is registered after its parent and wins for its own type.
#include "bindings/pybind.hpp"

#include "core/errors.hpp"

namespace te::bindings {

void bind_errors(py::module_& m) {
    auto base = py::register_exception<TradeEngineError>(m, "TradeEngineError", PyExc_Exception);
    base.doc() = "Base class of every tradeengine error.";
    py::register_exception<StateTransitionError>(m, "StateTransitionError", base).doc() =
        "An engine or order state change that the state machine does not allow.";
    py::register_exception<EngineNotRunningError>(m, "EngineNotRunningError", base).doc() =
        "The engine is not RUNNING (e.g. wait_until_ready timed out).";
    py::register_exception<QueueFullError>(m, "QueueFullError", base).doc() =
        "A bounded lane stayed full for longer than its publish timeout.";
    static auto* config = &py::register_exception<ConfigError>(m, "ConfigError", base);
    config->doc() = "Invalid or missing configuration, reported before anything starts.";
    py::register_exception<DataError>(m, "DataError", *config).doc() =
        "Bad input data (a backtest's CSV, Parquet or DataFrame): the message names the file and line, or the bar.";
    static auto* venue = &py::register_exception<VenueError>(m, "VenueError", base);
    venue->doc() = "An error reported by, or while talking to, a venue: .code (the venue's error code, 0 if none), "
                  ".http_status (0 without an HTTP answer) and .venue_message (the venue's own words).";
    static auto* rejected = &py::register_exception<OrderRejectedError>(m, "OrderRejectedError", *venue);
    rejected->doc() = "The venue or a pre-trade check rejected an order.";
    static auto* limited = &py::register_exception<RateLimitedError>(m, "RateLimitedError", *venue);
    limited->doc() = "The venue's rate limit was hit (HTTP 429/418).";
    static auto* auth = &py::register_exception<AuthenticationError>(m, "AuthenticationError", *venue);
    auth->doc() = "The venue refused the API key or signature.";
    static auto* lost = &py::register_exception<ConnectionLostError>(m, "ConnectionLostError", *venue);
    lost->doc() = "The connection to the venue was lost.";
    // Venue errors carry the venue's answer as attributes, so callers never parse the text.
    py::register_exception_translator([](std::exception_ptr p) {
        auto raise = [](const py::object& cls, const VenueError& e) {
            py::object exc = cls(e.what());
            exc.attr("code") = e.code();
            exc.attr("http_status") = e.http_status();
            exc.attr("venue_message") = e.venue_message();
            PyErr_SetObject(cls.ptr(), exc.ptr());
        };
        try {
            if (p) std::rethrow_exception(p);
        } catch (const DivisionByZero& e) {
            PyErr_SetString(PyExc_ZeroDivisionError, e.what());
        } catch (const OrderRejectedError& e) {
            raise(*rejected, e);
        } catch (const RateLimitedError& e) {
            raise(*limited, e);
        } catch (const AuthenticationError& e) {
            raise(*auth, e);
        } catch (const ConnectionLostError& e) {
            raise(*lost, e);
        } catch (const VenueError& e) {
            raise(*venue, e);
        }
    });
}

}  // namespace te::bindings
