#pragma once
// Settings shared by the venue bindings (bind_binance.cpp, bind_node.cpp): the connection
// settings of the Binance clients, from the dict tradeengine.venues builds, and seconds as
// milliseconds with a clear error.
#include "bindings/pybind.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "net/client/http_client.hpp"
#include "net/client/ws_client.hpp"

namespace te::bindings {

inline std::chrono::milliseconds ms(double seconds, const char* what) {
    if (!(seconds >= 0) || seconds > 86400.0 * 365)
        throw py::value_error(std::string("invalid ") + what + " " + std::to_string(seconds) +
                              ": expected a number of seconds >= 0");
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + 0.5));
}

// The connection settings shared by both Binance clients, from a dict built in Python.
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

}  // namespace te::bindings
