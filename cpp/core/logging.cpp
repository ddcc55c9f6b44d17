#include "core/logging.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <stdexcept>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/time.hpp"

namespace te::log {
namespace {

constexpr std::string_view kLevelNames[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};

// Lines with the same component and message beyond a budget (a burst of 20, then 10 a
// second) are dropped and counted; the next one that passes says how many were dropped, so a
// failing callback or a flood of rejects cannot fill a disk (1,105 error lines were 640 KB in
// 10 s before this).
constexpr double kLineBurst = 20;
constexpr double kLinesPerSecond = 10;
constexpr std::size_t kLimitedKeys = 4096;  // past this many distinct lines, the budgets start over

struct Budget {
    double tokens = kLineBurst;
    std::int64_t at = 0;
    std::uint64_t suppressed = 0;
};

struct State {
    std::shared_mutex mutex;  // guards logger, json, to_terminal and secrets
    std::shared_ptr<spdlog::logger> logger;
    bool json = false;
    bool to_terminal = true;  // the sink is standard error (not a file)
    std::vector<std::string> secrets;
    // What redact() looks for: each secret as written, JSON-escaped once (a field value, a
    // message in a JSON line) and twice (a JSON body logged inside a JSON line), longest first.
    std::vector<std::string> patterns;
    std::atomic<Level> level{Level::Info};
    std::atomic<bool> status_line{false};
    std::mutex budget_mutex;
    std::unordered_map<std::string, Budget> budgets;  // guarded by budget_mutex
    std::atomic<std::uint64_t> suppressed_total{0};
};

State& state() {
    static State* s = [] {
        auto* st = new State();  // never destroyed: logging must work during static destruction
        st->logger = std::make_shared<spdlog::logger>("tradeengine",
                                                      std::make_shared<spdlog::sinks::stderr_sink_mt>());
        st->logger->set_pattern("%v");
        st->logger->set_level(spdlog::level::trace);
        return st;
    }();
    return *s;
}

bool needs_json_escape(char c) noexcept { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run = 0;  // start of the run of characters copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (!needs_json_escape(c)) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

// `s` as it appears between the quotes of a JSON string written by append_json_string.
std::string json_escaped(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out.substr(1, out.size() - 2);
}

std::string iso_micros(std::int64_t ts_ns) {
    std::string s = format_iso8601(ts_ns);  // ...ss.nnnnnnnnnZ
    s.erase(s.size() - 4, 3);               // keep microseconds
    return s;
}

}  // namespace

std::string_view to_string(Level level) noexcept { return kLevelNames[static_cast<int>(level)]; }

Level level_from_string(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "warning") lower = "warn";
    for (int i = 0; i < 7; ++i)
        if (kLevelNames[i] == lower) return static_cast<Level>(i);
    throw std::invalid_argument(
        fmt::format("invalid log level '{}': expected one of trace, debug, info, warn, error, critical, off", name));
}

void configure(const Options& options) {
    std::shared_ptr<spdlog::sinks::sink> sink;
    if (options.file.empty()) {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
        try {
            sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
        } catch (const spdlog::spdlog_ex& e) {
            throw std::invalid_argument(fmt::format("cannot open log file '{}': {}", options.file, e.what()));
        }
    }
    auto logger = std::make_shared<spdlog::logger>("tradeengine", std::move(sink));
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::trace);
    // Every line reaches the file as it is written, in one piece: `tail -f` follows a run, and
    // a SIGKILL loses no line and tears none. Lines are not on the hot path (a few per order).
    logger->flush_on(spdlog::level::trace);
    auto& s = state();
    std::unique_lock lock(s.mutex);
    if (s.logger) s.logger->flush();
    s.logger = std::move(logger);
    s.json = options.json;
    s.to_terminal = options.file.empty();
    s.level.store(options.level);
    // A new destination starts with full line budgets: what the old one suppressed says
    // nothing about the new one (and a test's log file must not depend on the tests before it).
    std::lock_guard budget_lock(s.budget_mutex);
    s.budgets.clear();
}

void set_status_line(bool shown) noexcept { state().status_line.store(shown); }

std::uint64_t suppressed_lines() noexcept { return state().suppressed_total.load(); }

void set_level(Level level) { state().level.store(level); }
Level level() noexcept { return state().level.load(std::memory_order_relaxed); }
bool enabled(Level level) noexcept { return level != Level::Off && level >= log::level(); }

void flush() {
    auto& s = state();
    std::shared_lock lock(s.mutex);
    s.logger->flush();
}

void add_secret(std::string secret) {
    if (secret.size() < 4)
        throw std::invalid_argument("invalid secret: shorter than 4 characters, redacting it would mangle ordinary text");
    auto& s = state();
    std::unique_lock lock(s.mutex);
    if (std::find(s.secrets.begin(), s.secrets.end(), secret) != s.secrets.end()) return;
    const std::string once = json_escaped(secret);
    for (auto form : {secret, once, json_escaped(once)})
        if (std::find(s.patterns.begin(), s.patterns.end(), form) == s.patterns.end()) s.patterns.push_back(std::move(form));
    std::stable_sort(s.patterns.begin(), s.patterns.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    s.secrets.push_back(std::move(secret));
}

std::string redact(std::string_view text) {
    auto& s = state();
    std::shared_lock lock(s.mutex);
    std::string out(text);
    for (const auto& secret : s.patterns) {
        for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
            out.replace(pos, secret.size(), "***");
    }
    return out;
}

std::string format_line(bool json, std::int64_t ts_ns, Level level, std::string_view component, std::string_view msg,
                        const Field* fields, std::size_t n_fields) {
    std::string out;
    out.reserve(96 + msg.size());
    if (json) {
        out += "{\"ts\":\"" + iso_micros(ts_ns) + "\",\"level\":\"";
        out += to_string(level);
        out += "\",\"component\":";
        append_json_string(out, component);
        out += ",\"msg\":";
        append_json_string(out, msg);
        for (std::size_t i = 0; i < n_fields; ++i) {
            out.push_back(',');
            append_json_string(out, fields[i].key);
            out.push_back(':');
            if (fields[i].quoted)
                append_json_string(out, fields[i].value);
            else
                out += fields[i].value;
        }
        out.push_back('}');
    } else {
        out += fmt::format("{} {:<5} [{}] {}", iso_micros(ts_ns), to_string(level), component, msg);
        for (std::size_t i = 0; i < n_fields; ++i) {
            out += fmt::format(" {}=", fields[i].key);
            const bool needs_quotes = fields[i].quoted && (fields[i].value.empty() ||
                                                           fields[i].value.find_first_of(" \"=") != std::string::npos);
            if (needs_quotes)
                append_json_string(out, fields[i].value);
            else
                out += fields[i].value;
        }
    }
    return out;
}

namespace {

// How many lines like this one were dropped since the last one written, or nullopt when this
// one is over its budget too (dropped and counted).
std::optional<std::uint64_t> admit(State& s, std::string_view component, std::string_view msg) {
    const auto now = monotonic_ns();
    std::string key;
    key.reserve(component.size() + msg.size() + 1);
    key.append(component).push_back('\0');
    key.append(msg);
    std::lock_guard lock(s.budget_mutex);
    if (s.budgets.size() >= kLimitedKeys && !s.budgets.contains(key)) s.budgets.clear();
    auto& b = s.budgets[key];
    if (b.at == 0) b.at = now;
    b.tokens = std::min(kLineBurst, b.tokens + static_cast<double>(now - b.at) / 1e9 * kLinesPerSecond);
    b.at = now;
    if (b.tokens < 1) {
        b.suppressed++;
        s.suppressed_total.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    b.tokens -= 1;
    return std::exchange(b.suppressed, 0);
}

}  // namespace

void write_fields(Level level, std::string_view component, std::string_view msg, const Field* fields,
                  std::size_t n_fields) {
    if (!enabled(level)) return;
    auto& s = state();
    const auto dropped = admit(s, component, msg);
    if (!dropped) return;
    const LiveClock clock;
    std::string line;
    std::shared_ptr<spdlog::logger> logger;
    bool clear_status = false;
    {
        std::shared_lock lock(s.mutex);
        if (*dropped > 0) {
            std::vector<Field> with(fields, fields + n_fields);
            with.emplace_back("similar_lines_dropped", *dropped);
            line = format_line(s.json, clock.now_ns(), level, component, msg, with.data(), with.size());
        } else {
            line = format_line(s.json, clock.now_ns(), level, component, msg, fields, n_fields);
        }
        logger = s.logger;
        clear_status = s.to_terminal && s.status_line.load(std::memory_order_relaxed);
    }
    line = redact(line);
    // A status line is on the terminal: erase it first, so the log line prints above it (the
    // status line is drawn again at its next update).
    if (clear_status) line.insert(0, "\r\x1b[K");
    logger->log(static_cast<spdlog::level::level_enum>(static_cast<int>(level)), line);
}

}  // namespace te::log
