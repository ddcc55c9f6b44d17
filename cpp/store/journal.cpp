#include "store/journal.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/logging.hpp"

namespace te::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNothingChanged = "the file was not changed";

// Schema versions, each one's migration from the one before (index = version - 1).
// v1: meta + events; v2: events.data (strategy state saves).
constexpr std::array<std::string_view, 2> kMigrations = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE events("
    " seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL,"
    " client_order_id TEXT, strategy TEXT, instrument TEXT,"
    " status TEXT, side TEXT, type TEXT, time_in_force TEXT,"
    " price TEXT, quantity TEXT, filled TEXT, quote TEXT,"
    " venue_order_id INTEGER, trade_id INTEGER, commission TEXT, commission_asset TEXT, maker INTEGER,"
    " reason TEXT);",
    "ALTER TABLE events ADD COLUMN data TEXT;",
};
static_assert(kMigrations.size() == Journal::kSchemaVersion);

constexpr const char* kColumns =
    "seq, ts, kind, client_order_id, strategy, instrument, status, side, type, time_in_force, price, quantity, "
    "filled, quote, venue_order_id, trade_id, commission, commission_asset, maker, reason, data";

struct Db {
    sqlite3* p = nullptr;
    Db() = default;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db() {
        if (p) sqlite3_close_v2(p);
    }
    sqlite3* release() noexcept { return std::exchange(p, nullptr); }
};

struct Stmt {
    sqlite3_stmt* p = nullptr;
    Stmt(sqlite3* db, std::string_view sql, const std::string& path) {
        if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &p, nullptr) != SQLITE_OK)
            throw JournalError(fmt::format("journal {}: {} (while preparing '{}')", path, sqlite3_errmsg(db), sql));
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() { sqlite3_finalize(p); }
};

void exec(sqlite3* db, std::string_view sql, const std::string& path) {
    char* err = nullptr;
    if (sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string why = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw JournalError(fmt::format("journal {}: {} (while running '{}')", path, why, sql));
    }
}

std::int64_t pragma_int(sqlite3* db, std::string_view name, const std::string& path) {
    Stmt s(db, fmt::format("PRAGMA {}", name), path);
    const int rc = sqlite3_step(s.p);
    if (rc == SQLITE_ROW) return sqlite3_column_int64(s.p, 0);
    throw JournalError(fmt::format("journal {}: cannot read PRAGMA {}: {}", path, name, sqlite3_errmsg(db)));
}

std::string text_column(sqlite3_stmt* s, int i) {
    const auto* t = sqlite3_column_text(s, i);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string();
}

std::string_view text_view(sqlite3_stmt* s, int i) {
    const auto* t = sqlite3_column_text(s, i);
    return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string_view();
}

std::map<std::string, std::string> read_meta(sqlite3* db, const std::string& path) {
    std::map<std::string, std::string> out;
    Stmt s(db, "SELECT key, value FROM meta", path);
    while (sqlite3_step(s.p) == SQLITE_ROW) out[text_column(s.p, 0)] = text_column(s.p, 1);
    return out;
}

// The checks every open makes before anything is written. Returns the schema version found
// (0 for a new, empty database).
int validate(sqlite3* db, const std::string& path, const std::string& account) {
    // A header that is not SQLite's shows as "file is not a database" on the first read.
    std::int64_t app = 0;
    try {
        app = pragma_int(db, "application_id", path);
    } catch (const JournalError&) {
        throw JournalError(fmt::format("journal {}: not a SQLite database (a foreign or corrupt file): {}; expected a "
                                       "tradeengine journal; {}",
                                       path, sqlite3_errmsg(db), kNothingChanged));
    }
    const auto version = pragma_int(db, "user_version", path);
    const auto tables = [&] {
        Stmt s(db, "SELECT count(*) FROM sqlite_master", path);
        sqlite3_step(s.p);
        return sqlite3_column_int64(s.p, 0);
    }();
    if (app == 0 && version == 0 && tables == 0) return 0;  // empty: a new journal
    if (static_cast<std::uint32_t>(app) != Journal::kApplicationId)
        throw JournalError(fmt::format("journal {}: a SQLite database of another application (application_id {:#x}, "
                                       "expected {:#x}): not a tradeengine journal; {}",
                                       path, static_cast<std::uint32_t>(app), Journal::kApplicationId, kNothingChanged));
    if (version > Journal::kSchemaVersion)
        throw JournalError(fmt::format("journal {}: schema version {} is newer than this build reads (up to {}); "
                                       "upgrade tradeengine to use it; {}",
                                       path, version, Journal::kSchemaVersion, kNothingChanged));
    if (version < 1)
        throw JournalError(fmt::format("journal {}: schema version {} is invalid (expected 1..{}); {}", path, version,
                                       Journal::kSchemaVersion, kNothingChanged));
    {
        Stmt s(db, "PRAGMA quick_check(1)", path);
        const auto ok = sqlite3_step(s.p) == SQLITE_ROW ? text_column(s.p, 0) : std::string(sqlite3_errmsg(db));
        if (ok != "ok")
            throw JournalError(fmt::format("journal {}: the database is corrupt ({}); {}", path, ok, kNothingChanged));
    }
    const auto meta = read_meta(db, path);
    const auto it = meta.find("account");
    const std::string theirs = it == meta.end() ? std::string() : it->second;
    if (!account.empty() && !theirs.empty() && theirs != account)
        throw JournalError(fmt::format("journal {}: written for account '{}', this node trades account '{}': use that "
                                       "account's journal or a new path; {}",
                                       path, theirs, account, kNothingChanged));
    return static_cast<int>(version);
}

sqlite3* open_db(const std::string& path, bool read_only) {
    Db db;
    const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &db.p, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
        throw JournalError(fmt::format("journal {}: cannot open: {}", path,
                                       db.p ? sqlite3_errmsg(db.p) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(db.p, 1);
    sqlite3_busy_timeout(db.p, 2000);
    return db.release();
}

void check_writable(const std::string& path) {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec))
        throw JournalError(fmt::format("journal {}: is a directory; expected a file path", path));
    if (fs::exists(p, ec)) {
        if (::access(path.c_str(), R_OK | W_OK) != 0)
            throw JournalError(fmt::format("journal {}: cannot be written (read-only file): {}; {}", path,
                                           std::strerror(errno), kNothingChanged));
    }
    auto dir = p.parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, ec))
        throw JournalError(fmt::format("journal {}: the directory {} does not exist", path, dir.string()));
    // WAL mode keeps -wal and -shm files next to the journal: the directory must be writable.
    if (::access(dir.c_str(), W_OK) != 0)
        throw JournalError(fmt::format("journal {}: the directory {} cannot be written ({}); the journal needs it "
                                       "for its write-ahead log",
                                       path, dir.string(), std::strerror(errno)));
}

std::string iso_now() {
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

template <class T>
std::optional<T> parse_optional(std::string_view text) {
    if (text.empty()) return std::nullopt;
    return T::parse(text);
}

}  // namespace

std::string_view to_string(SyncMode mode) noexcept {
    switch (mode) {
        case SyncMode::Off: return "off";
        case SyncMode::Normal: return "normal";
        case SyncMode::Full: return "full";
    }
    return "normal";
}

SyncMode sync_mode_from_string(std::string_view text) {
    if (text == "off") return SyncMode::Off;
    if (text == "normal") return SyncMode::Normal;
    if (text == "full") return SyncMode::Full;
    throw JournalError(fmt::format("invalid journal sync '{}': expected one of off, normal, full", text));
}

std::string_view to_string(RecordKind kind) noexcept {
    switch (kind) {
        case RecordKind::Intent: return "intent";
        case RecordKind::Order: return "order";
        case RecordKind::Fill: return "fill";
        case RecordKind::Balance: return "balance";
        case RecordKind::StrategyState: return "state";
    }
    return "order";
}

bool JournalState::OrderRecord::open() const noexcept {
    return !last || !is_terminal(last->status);
}

// ---- opening -------------------------------------------------------------------------------------

Journal::Journal(JournalConfig config) : Component("journal", "journal"), config_(std::move(config)) {
    if (config_.path.empty()) throw JournalError("journal: no path given; expected the journal file's path");
    check_writable(config_.path);
    Db db;
    db.p = open_db(config_.path, false);
    const int version = validate(db.p, config_.path, config_.account);
    // From here on the file is ours to write.
    exec(db.p, "PRAGMA journal_mode=WAL", config_.path);
    exec(db.p, fmt::format("PRAGMA synchronous={}", config_.sync == SyncMode::Off    ? "OFF"
                                                    : config_.sync == SyncMode::Full ? "FULL"
                                                                                     : "NORMAL"),
         config_.path);
    if (config_.max_pages > 0) exec(db.p, fmt::format("PRAGMA max_page_count={}", config_.max_pages), config_.path);
    if (version < kSchemaVersion) {
        exec(db.p, "BEGIN IMMEDIATE", config_.path);
        try {
            for (int v = version; v < kSchemaVersion; ++v) exec(db.p, kMigrations[static_cast<std::size_t>(v)], config_.path);
            if (version == 0) {
                exec(db.p, fmt::format("PRAGMA application_id={}", kApplicationId), config_.path);
                Stmt meta(db.p, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", config_.path);
                for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
                         {"application", "tradeengine journal"}, {"account", config_.account}, {"created", iso_now()}}) {
                    sqlite3_bind_text(meta.p, 1, k.c_str(), -1, SQLITE_TRANSIENT);
                    sqlite3_bind_text(meta.p, 2, v.c_str(), -1, SQLITE_TRANSIENT);
                    if (sqlite3_step(meta.p) != SQLITE_DONE)
                        throw JournalError(fmt::format("journal {}: {}", config_.path, sqlite3_errmsg(db.p)));
                    sqlite3_reset(meta.p);
                }
            } else {
                log::info("journal", "journal migrated",
                          {{"path", config_.path}, {"from", version}, {"to", kSchemaVersion}});
            }
            exec(db.p, fmt::format("PRAGMA user_version={}", kSchemaVersion), config_.path);
            exec(db.p, "COMMIT", config_.path);
        } catch (...) {
            sqlite3_exec(db.p, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
    std::string placeholders;
    for (int i = 0; i < 20; ++i) placeholders += ", ?";
    const auto insert_sql = fmt::format("INSERT INTO events({}) VALUES (NULL{})", kColumns, placeholders);
    if (sqlite3_prepare_v2(db.p, insert_sql.c_str(), -1, &insert_, nullptr) != SQLITE_OK)
        throw JournalError(fmt::format("journal {}: {}", config_.path, sqlite3_errmsg(db.p)));
    db_ = db.release();
}

Journal::~Journal() {
    try {
        stop();
    } catch (...) {
    }
    sqlite3_finalize(insert_);
    if (db_) sqlite3_close_v2(db_);
}

void Journal::start() {
    std::lock_guard lk(m_);
    if (writer_.joinable()) return;
    lifecycle().try_transition(ComponentState::Starting);
    stopping_ = false;
    writer_ = std::thread([this] { writer_loop(); });
    lifecycle().try_transition(ComponentState::Running);
}

void Journal::stop() {
    {
        std::lock_guard lk(m_);
        if (!writer_.joinable()) return;
        stopping_ = true;
        lifecycle().try_transition(ComponentState::Stopping);
    }
    cv_.notify_all();
    writer_.join();
    lifecycle().try_transition(ComponentState::Stopped);
}

// ---- appending ----------------------------------------------------------------------------------

bool Journal::push(Item item) noexcept {
    if (failed_.load(std::memory_order_acquire)) return false;
    try {
        item.appended_mono = monotonic_ns();
        {
            std::lock_guard lk(m_);
            queue_.push_back(std::move(item));
            appended_++;
        }
        cv_.notify_one();
        return true;
    } catch (...) {
        fail("out of memory while appending");
        return false;
    }
}

bool Journal::intent(std::string_view strategy, const OrderRequest& request, UnixNanos ts) noexcept {
    try {
        Item it{RecordKind::Intent, ts, 0, std::string(strategy), {}, request};
        return push(std::move(it));
    } catch (...) {
        return false;
    }
}

bool Journal::order(const OrderUpdate& update) noexcept {
    return push(Item{RecordKind::Order, update.ts_recv, 0, {}, {}, update});
}

bool Journal::fill(const Fill& fill) noexcept {
    return push(Item{RecordKind::Fill, fill.ts_recv, 0, {}, {}, fill});
}

bool Journal::balance(const Balance& balance) noexcept {
    return push(Item{RecordKind::Balance, balance.ts_event, 0, {}, {}, balance});
}

bool Journal::strategy_state(std::string_view strategy, std::string_view state, UnixNanos ts) noexcept {
    try {
        return push(Item{RecordKind::StrategyState, ts, 0, std::string(strategy), std::string(state), std::monostate{}});
    } catch (...) {
        return false;
    }
}

bool Journal::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lk(m_);
    const auto target = appended_;
    if (!writer_.joinable()) return committed_ >= target && !failed();
    cv_.notify_one();
    const bool ok = done_cv_.wait_for(lk, timeout, [&] { return committed_ >= target || failed(); });
    return ok && !failed();
}

void Journal::fail(std::string why) noexcept {
    try {
        {
            std::lock_guard lk(m_);
            if (error_.empty()) error_ = why;
            stats_.error = error_;
        }
        failed_.store(true, std::memory_order_release);
        log::error("journal", "journal write failed: no more records are accepted", {{"path", config_.path}, {"error", why}});
        lifecycle().try_transition(ComponentState::Faulted, why);
    } catch (...) {
        failed_.store(true, std::memory_order_release);
    }
    done_cv_.notify_all();
}

std::string Journal::error() const {
    std::lock_guard lk(m_);
    return error_;
}

// ---- the writer ---------------------------------------------------------------------------------

void Journal::writer_loop() {
    std::vector<Item> batch;
    for (;;) {
        {
            std::unique_lock lk(m_);
            cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            if (config_.commit_delay.count() > 0 && !stopping_ && queue_.size() < config_.max_batch)
                cv_.wait_for(lk, config_.commit_delay, [&] { return stopping_ || queue_.size() >= config_.max_batch; });
            if (queue_.size() <= config_.max_batch) {
                batch.swap(queue_);
            } else {
                batch.assign(std::make_move_iterator(queue_.begin()),
                             std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(config_.max_batch)));
                queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(config_.max_batch));
            }
        }
        if (failed()) {
            std::lock_guard lk(m_);
            queue_.clear();
            if (stopping_) return;
            batch.clear();
            continue;
        }
        const auto t0 = monotonic_ns();
        try {
            write_batch(batch);
        } catch (const std::exception& e) {
            fail(e.what());
            batch.clear();
            continue;
        }
        const auto t1 = monotonic_ns();
        double worst = 0;
        for (const auto& it : batch) worst = std::max(worst, static_cast<double>(t1 - it.appended_mono) / 1e3);
        {
            std::lock_guard lk(m_);
            committed_ += batch.size();
            stats_.commits++;
            stats_.max_batch = std::max<std::uint64_t>(stats_.max_batch, batch.size());
            stats_.last_commit_us = static_cast<double>(t1 - t0) / 1e3;
            stats_.max_commit_us = std::max(stats_.max_commit_us, stats_.last_commit_us);
            stats_.max_latency_us = std::max(stats_.max_latency_us, worst);
        }
        done_cv_.notify_all();
        batch.clear();
    }
}

void Journal::write_batch(std::vector<Item>& batch) {
    auto step_ok = [&](int rc) {
        if (rc != SQLITE_DONE && rc != SQLITE_OK) {
            const std::string why = sqlite3_errmsg(db_);
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            const bool full = (rc & 0xff) == SQLITE_FULL;
            throw JournalError(fmt::format("journal {}: {}{}", config_.path, why,
                                           full ? " (the disk is full)" : ""));
        }
    };
    step_ok(sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr));
    sqlite3_stmt* s = insert_;
    for (auto& it : batch) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        sqlite3_bind_int64(s, 1, it.ts);
        const auto kind = to_string(it.kind);
        sqlite3_bind_text(s, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
        auto text = [&](int i, std::string_view v) {
            sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        };
        auto dec = [&](int i, const auto& d) {
            const auto t = d.to_string();
            sqlite3_bind_text(s, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
        };
        // 3 client_order_id, 4 strategy, 5 instrument, 6 status, 7 side, 8 type, 9 tif, 10 price,
        // 11 quantity, 12 filled, 13 quote, 14 venue_order_id, 15 trade_id, 16 commission,
        // 17 commission_asset, 18 maker, 19 reason, 20 data
        switch (it.kind) {
            case RecordKind::Intent: {
                const auto& r = std::get<OrderRequest>(it.value);
                text(3, r.client_order_id.view());
                text(4, it.text_a);
                text(5, r.instrument_id.view());
                text(7, te::to_string(r.side));
                text(8, te::to_string(r.type));
                text(9, te::to_string(r.time_in_force));
                if (r.price) dec(10, *r.price);
                dec(11, r.quantity);
                if (r.quote_quantity) dec(13, *r.quote_quantity);
                break;
            }
            case RecordKind::Order: {
                const auto& u = std::get<OrderUpdate>(it.value);
                text(3, u.client_order_id.view());
                text(5, u.instrument_id.view());
                text(6, te::to_string(u.status));
                text(7, te::to_string(u.side));
                text(8, te::to_string(u.type));
                text(9, te::to_string(u.time_in_force));
                dec(10, u.price);
                dec(11, u.quantity);
                dec(12, u.filled_quantity);
                dec(13, u.filled_quote);
                sqlite3_bind_int64(s, 14, u.venue_order_id);
                if (!u.reason.empty()) text(19, u.reason.view());
                break;
            }
            case RecordKind::Fill: {
                const auto& f = std::get<Fill>(it.value);
                text(3, f.client_order_id.view());
                text(5, f.instrument_id.view());
                text(7, te::to_string(f.side));
                dec(10, f.price);
                dec(11, f.quantity);
                sqlite3_bind_int64(s, 14, f.venue_order_id);
                sqlite3_bind_int64(s, 15, f.trade_id);
                dec(16, f.commission);
                text(17, f.commission_asset.view());
                sqlite3_bind_int(s, 18, f.maker ? 1 : 0);
                break;
            }
            case RecordKind::Balance: {
                const auto& b = std::get<Balance>(it.value);
                text(17, b.asset.view());
                dec(11, b.free);
                dec(12, b.locked);
                break;
            }
            case RecordKind::StrategyState:
                text(4, it.text_a);
                text(20, it.text_b);
                break;
        }
        step_ok(sqlite3_step(s));
    }
    sqlite3_reset(s);
    step_ok(sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr));
}

// ---- reading ------------------------------------------------------------------------------------

JournalState Journal::load() const {
    JournalState st;
    Db db;
    db.p = open_db(config_.path, true);
    Stmt s(db.p, fmt::format("SELECT {} FROM events ORDER BY seq", kColumns), config_.path);
    int rc;
    while ((rc = sqlite3_step(s.p)) == SQLITE_ROW) {
        st.records++;
        st.last_seq = sqlite3_column_int64(s.p, 0);
        const auto ts = sqlite3_column_int64(s.p, 1);
        const auto kind = text_view(s.p, 2);
        try {
            if (kind == "intent" || kind == "order") {
                const auto id = text_view(s.p, 3);
                InstrumentId instrument = InstrumentId::parse(text_view(s.p, 5));
                const auto side = enum_from_string<Side>(text_view(s.p, 7));
                const auto type = enum_from_string<OrderType>(text_view(s.p, 8));
                const auto tif = enum_from_string<TimeInForce>(text_view(s.p, 9));
                if (kind == "intent") {
                    JournalState::OrderRecord rec;
                    rec.strategy = text_column(s.p, 4);
                    rec.ts_intent = ts;
                    auto& r = rec.request;
                    r.instrument_id = instrument;
                    r.client_order_id.assign(id);
                    r.side = side;
                    r.type = type;
                    r.time_in_force = tif;
                    r.price = parse_optional<Price>(text_view(s.p, 10));
                    r.quantity = Quantity::parse(text_view(s.p, 11));
                    r.quote_quantity = parse_optional<Money>(text_view(s.p, 13));
                    st.orders.insert_or_assign(std::string(id), std::move(rec));
                } else {
                    OrderUpdate u;
                    u.instrument_id = instrument;
                    u.client_order_id.assign(id);
                    u.status = enum_from_string<OrderStatus>(text_view(s.p, 6));
                    u.side = side;
                    u.type = type;
                    u.time_in_force = tif;
                    u.price = Price::parse(text_view(s.p, 10));
                    u.quantity = Quantity::parse(text_view(s.p, 11));
                    u.filled_quantity = Quantity::parse(text_view(s.p, 12));
                    u.filled_quote = Money::parse(text_view(s.p, 13));
                    u.venue_order_id = sqlite3_column_int64(s.p, 14);
                    u.reason.assign(text_view(s.p, 19));
                    u.ts_event = u.ts_recv = ts;
                    auto found = st.orders.find(id);
                    if (found == st.orders.end()) {
                        // An order event without its intent (the intent's commit was lost):
                        // the request is rebuilt from the event.
                        JournalState::OrderRecord rec;
                        rec.request.instrument_id = instrument;
                        rec.request.client_order_id.assign(id);
                        rec.request.side = side;
                        rec.request.type = type;
                        rec.request.time_in_force = tif;
                        rec.request.quantity = u.quantity;
                        if (type != OrderType::Market) rec.request.price = u.price;
                        rec.ts_intent = ts;
                        found = st.orders.emplace(std::string(id), std::move(rec)).first;
                    }
                    found->second.last = u;
                }
            } else if (kind == "fill") {
                Fill f;
                f.client_order_id.assign(text_view(s.p, 3));
                f.instrument_id = InstrumentId::parse(text_view(s.p, 5));
                f.side = enum_from_string<Side>(text_view(s.p, 7));
                f.price = Price::parse(text_view(s.p, 10));
                f.quantity = Quantity::parse(text_view(s.p, 11));
                f.venue_order_id = sqlite3_column_int64(s.p, 14);
                f.trade_id = sqlite3_column_int64(s.p, 15);
                f.commission = Money::parse(text_view(s.p, 16));
                f.commission_asset.assign(text_view(s.p, 17));
                f.maker = sqlite3_column_int(s.p, 18) != 0;
                f.ts_event = f.ts_recv = ts;
                st.fills.push_back(f);
            } else if (kind == "balance") {
                Balance b;
                b.asset.assign(text_view(s.p, 17));
                b.free = Quantity::parse(text_view(s.p, 11));
                b.locked = Quantity::parse(text_view(s.p, 12));
                b.ts_event = ts;
                st.balances.insert_or_assign(b.asset.str(), b);
            } else if (kind == "state") {
                st.strategy_state.insert_or_assign(text_column(s.p, 4), text_column(s.p, 20));
            } else {
                throw std::invalid_argument(fmt::format("unknown record kind '{}'", kind));
            }
        } catch (const std::exception& e) {
            throw JournalError(fmt::format("journal {}: record {} ({}) cannot be read: {}", config_.path, st.last_seq,
                                           kind, e.what()));
        }
    }
    if (rc != SQLITE_DONE)
        throw JournalError(fmt::format("journal {}: reading stopped at record {}: {}", config_.path, st.last_seq,
                                       sqlite3_errmsg(db.p)));
    return st;
}

JournalStats Journal::stats() const {
    std::lock_guard lk(m_);
    auto s = stats_;
    s.appended = appended_;
    s.committed = committed_;
    s.queued = static_cast<std::size_t>(appended_ - committed_);
    s.error = error_;
    return s;
}

std::vector<std::pair<std::string, std::string>> Journal::details() const {
    const auto s = stats();
    std::vector<std::pair<std::string, std::string>> out = {
        {"path", config_.path},
        {"sync", std::string(to_string(config_.sync))},
        {"records", std::to_string(s.committed)},
        {"queued", std::to_string(s.queued)},
        {"commits", std::to_string(s.commits)},
        {"max_commit_us", fmt::format("{:.0f}", s.max_commit_us)},
    };
    if (!s.error.empty()) out.emplace_back("error", s.error);
    return out;
}

// ---- files without a Node ---------------------------------------------------------------------------

namespace {

sqlite3* open_existing(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw JournalError(fmt::format("journal {}: no such file", path));
    if (fs::is_directory(path, ec)) throw JournalError(fmt::format("journal {}: is a directory; expected a journal file", path));
    Db db;
    db.p = open_db(path, true);
    const int version = validate(db.p, path, {});
    if (version == 0) throw JournalError(fmt::format("journal {}: an empty database, not a tradeengine journal", path));
    return db.release();
}

}  // namespace

JournalInfo Journal::inspect(const std::string& path) {
    Db db;
    db.p = open_existing(path);
    JournalInfo info;
    info.path = path;
    info.schema_version = static_cast<int>(pragma_int(db.p, "user_version", path));
    const auto meta = read_meta(db.p, path);
    if (auto it = meta.find("account"); it != meta.end()) info.account = it->second;
    if (auto it = meta.find("created"); it != meta.end()) info.created = it->second;
    {
        Stmt s(db.p, "SELECT kind, count(*), min(ts), max(ts) FROM events GROUP BY kind", path);
        bool first = true;
        while (sqlite3_step(s.p) == SQLITE_ROW) {
            const auto n = static_cast<std::uint64_t>(sqlite3_column_int64(s.p, 1));
            info.by_kind[text_column(s.p, 0)] = n;
            info.records += n;
            const UnixNanos lo = sqlite3_column_int64(s.p, 2), hi = sqlite3_column_int64(s.p, 3);
            info.first_ts = first ? lo : std::min(info.first_ts, lo);
            info.last_ts = first ? hi : std::max(info.last_ts, hi);
            first = false;
        }
    }
    {
        // The last order event of each order tells whether it is still open.
        Stmt s(db.p,
               "SELECT count(DISTINCT client_order_id) FROM events WHERE kind IN ('intent','order')", path);
        if (sqlite3_step(s.p) == SQLITE_ROW) info.orders = static_cast<std::size_t>(sqlite3_column_int64(s.p, 0));
    }
    {
        Stmt s(db.p,
               "SELECT count(*) FROM (SELECT client_order_id, max(seq) AS m FROM events WHERE kind IN ('intent','order') "
               "GROUP BY client_order_id) AS last JOIN events e ON e.seq = last.m "
               "WHERE e.kind = 'intent' OR e.status NOT IN ('FILLED','CANCELED','REJECTED','EXPIRED')",
               path);
        if (sqlite3_step(s.p) == SQLITE_ROW) info.open_orders = static_cast<std::size_t>(sqlite3_column_int64(s.p, 0));
    }
    info.fills = static_cast<std::size_t>(info.by_kind.count("fill") ? info.by_kind["fill"] : 0);
    {
        Stmt s(db.p, "SELECT count(DISTINCT strategy) FROM events WHERE kind = 'state'", path);
        if (sqlite3_step(s.p) == SQLITE_ROW) info.strategies = static_cast<std::size_t>(sqlite3_column_int64(s.p, 0));
    }
    return info;
}

std::vector<JournalRow> Journal::rows(const std::string& path, std::int64_t after, std::size_t limit) {
    Db db;
    db.p = open_existing(path);
    Stmt s(db.p, fmt::format("SELECT {} FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2", kColumns), path);
    sqlite3_bind_int64(s.p, 1, after);
    sqlite3_bind_int64(s.p, 2, static_cast<sqlite3_int64>(limit));
    std::vector<JournalRow> out;
    while (sqlite3_step(s.p) == SQLITE_ROW) {
        JournalRow r;
        r.seq = sqlite3_column_int64(s.p, 0);
        r.ts = sqlite3_column_int64(s.p, 1);
        std::string* fields[] = {&r.kind,    &r.client_order_id, &r.strategy,       &r.instrument, &r.status,
                                 &r.side,    &r.type,            &r.time_in_force,  &r.price,      &r.quantity,
                                 &r.filled,  &r.quote,           &r.venue_order_id, &r.trade_id,   &r.commission,
                                 &r.commission_asset, &r.maker,  &r.reason,         &r.data};
        for (int i = 0; i < 19; ++i) *fields[i] = text_column(s.p, i + 2);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace te::store
