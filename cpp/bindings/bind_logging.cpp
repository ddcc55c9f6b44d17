#include "bindings/pybind.hpp"

#include <vector>

#include "core/logging.hpp"

namespace te::bindings {

void bind_logging(py::module_& m) {
    m.def(
        "configure_logging",
        [](const std::string& level, bool json, std::optional<std::string> file) {
            log::configure({log::level_from_string(level), json, file.value_or("")});
        },
        py::arg("level") = "info", py::arg("json") = false, py::arg("file") = py::none(),
        "Set the engine's log level ('trace'..'off'), format (human-readable, or JSON lines with "
        "json=True) and destination (a file path, or standard error when None).");
    m.def(
        "set_log_level", [](const std::string& level) { log::set_level(log::level_from_string(level)); },
        py::arg("level"), "Change the log level: trace, debug, info, warn, error, critical or off.");
    m.def(
        "get_log_level", [] { return std::string(log::to_string(log::level())); }, "The current log level's name.");
    m.def("add_secret", &log::add_secret, py::arg("secret"),
          "Register a secret (API key, signing secret) so that it is replaced by '***' in every log line.");
    m.def("redact", &log::redact, py::arg("text"), "The text with every registered secret replaced by '***'.");
    m.def(
        "log",
        [](const std::string& level, const std::string& component, const std::string& msg, const py::kwargs& fields) {
            const auto lvl = log::level_from_string(level);
            if (!log::enabled(lvl)) return;
            std::vector<std::string> keys;
            std::vector<log::Field> values;
            keys.reserve(fields.size());
            values.reserve(fields.size());
            for (auto item : fields) {
                keys.push_back(py::str(item.first));
                py::handle v = item.second;
                if (py::isinstance<py::bool_>(v))
                    values.emplace_back(keys.back(), v.cast<bool>());
                else if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v))
                    values.emplace_back(keys.back(), std::string(py::str(v))), values.back().quoted = false;
                else
                    values.emplace_back(keys.back(), std::string(py::str(v)));
            }
            log::write_fields(lvl, component, msg, values.data(), values.size());
        },
        py::arg("level"), py::arg("component"), py::arg("msg"),
        "Write one structured log line from Python: log('info', 'strategy', 'entered', qty='0.1').");
    m.def("flush_logs", &log::flush, "Flush buffered log output.");
    m.def("set_status_line", &log::set_status_line, py::arg("shown"),
          "While a terminal status line is shown, log lines on standard error erase it first (they print above it).");
    m.def("suppressed_log_lines", &log::suppressed_lines,
          "Log lines dropped since the start because the same message repeated beyond its budget (20 at once, "
          "then 10 a second).");
}

}  // namespace te::bindings
