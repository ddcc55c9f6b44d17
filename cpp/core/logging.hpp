#pragma once
// Structured logging on spdlog. Lines are human-readable by default
//   2026-11-23T18:12:05.123456Z INFO  [engine] state transition from=CREATED to=INITIALIZED
// or JSON lines on request, one object per line:
//   {"ts":"...","level":"info","component":"engine","msg":"state transition","from":"CREATED",...}
// Every finished line passes through the redactor, so a registered secret never appears in
// any output, whatever the call site formatted into it.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

namespace te::log {

enum class Level : std::uint8_t { Trace, Debug, Info, Warn, Error, Critical, Off };

std::string_view to_string(Level level) noexcept;
Level level_from_string(std::string_view name);  // "trace" .. "off", case-insensitive

// One structured field. Strings are quoted in JSON, numbers and booleans are not.
struct Field {
    std::string_view key;
    std::string value;
    bool quoted = true;

    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(v) {}
    Field(std::string_view k, const std::string& v) : key(k), value(v) {}
    Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
    template <class T, std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Field(std::string_view k, T v) : key(k), value(fmt::to_string(v)), quoted(false) {}
};

struct Options {
    Level level = Level::Info;
    bool json = false;
    std::string file;  // empty: standard error
};

void configure(const Options& options);
void set_level(Level level);
Level level() noexcept;
bool enabled(Level level) noexcept;
void flush();

// While a terminal status line is shown on standard error, log lines there first erase it,
// so they print above it instead of through it.
void set_status_line(bool shown) noexcept;
// Lines dropped by the per-message budget (see logging.cpp), since the start.
std::uint64_t suppressed_lines() noexcept;

// Registers a secret (API key, signing secret): it is replaced by "***" in every line.
// Secrets shorter than 4 characters are refused (they would redact ordinary text).
void add_secret(std::string secret);
std::string redact(std::string_view text);

void write_fields(Level level, std::string_view component, std::string_view msg, const Field* fields,
                  std::size_t n_fields);
inline void write(Level level, std::string_view component, std::string_view msg,
                  std::initializer_list<Field> fields = {}) {
    if (enabled(level)) write_fields(level, component, msg, fields.begin(), fields.size());
}

inline void debug(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Debug, c, m, f); }
inline void info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Info, c, m, f); }
inline void warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Warn, c, m, f); }
inline void error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) { write(Level::Error, c, m, f); }

// Formats one line without writing it (used by write(); exposed for tests).
std::string format_line(bool json, std::int64_t ts_ns, Level level, std::string_view component, std::string_view msg,
                        const Field* fields, std::size_t n_fields);

}  // namespace te::log
