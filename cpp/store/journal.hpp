#pragma once
// The write-ahead journal: one SQLite file in WAL mode that
// holds what a restarted Node needs to know what it did — every order intent (written before
// the order is sent), every order event, fill and balance change, and each strategy's saved
// state. docs/store.md describes the schema, the sync modes and what each can lose.
//
// Appending is cheap and never touches the disk on the caller's thread: a record (a copy of
// the trivially copyable order types) goes into a queue under a mutex, and one writer thread
// commits whatever has accumulated in one transaction (group commit). flush() waits until
// everything appended so far is committed. The fsync policy (SyncMode) says what a crash can
// lose:
//   off     no fsync at all: a process crash loses nothing committed (the OS has the pages),
//           an OS crash or power loss can lose recent commits or corrupt the file;
//   normal  (default) WAL with synchronous=NORMAL: a process crash loses nothing committed;
//           power loss can lose the last commits, never the file's consistency;
//   full    fsync at every commit: nothing committed is lost, even on power loss.
// In every mode a record still in the queue (not yet committed: at most one group-commit
// window, ~1 ms) is lost when the process dies; recovery reconciles with the venue for that.
//
// Opening refuses, with a JournalError naming the file and what was expected, and changes
// nothing: a file that is not SQLite (foreign or corrupt), a SQLite file that is not a
// tradeengine journal, a journal of a newer schema than this build reads, a journal of
// another account, a directory that cannot be written. A journal of an older schema is
// migrated in one transaction.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "core/errors.hpp"
#include "core/orders.hpp"
#include "engine/component.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace te::store {

// Raised for a journal that cannot be used; start is refused. A ConfigError: in Python te.ConfigError.
class JournalError : public ConfigError {
public:
    using ConfigError::ConfigError;
};

enum class SyncMode : std::uint8_t { Off, Normal, Full };
std::string_view to_string(SyncMode mode) noexcept;
SyncMode sync_mode_from_string(std::string_view text);  // "off" | "normal" | "full"; JournalError otherwise

struct JournalConfig {
    std::string path{};                 // the SQLite file (created when missing)
    SyncMode sync = SyncMode::Normal;
    // The account the journal belongs to ("SIM", "BINANCE:<key id>", ...): a journal written for
    // another one is refused. Empty: not checked (and not recorded when creating).
    std::string account{};  // {}: GCC 12 warns on designated initializers that skip members without one
    // How long the writer may wait for more records before committing (0: commit as soon as
    // the previous commit is done; records arriving meanwhile form the next group).
    std::chrono::microseconds commit_delay{0};
    std::size_t max_batch = 16384;  // records per transaction at most
    // A size limit in database pages (0: none). A full limit fails writes like a full disk.
    std::uint64_t max_pages = 0;
};

enum class RecordKind : std::uint8_t { Intent, Order, Fill, Balance, StrategyState };
std::string_view to_string(RecordKind kind) noexcept;

struct JournalStats {
    std::uint64_t appended = 0;    // records handed to the journal
    std::uint64_t committed = 0;   // records in committed transactions
    std::uint64_t commits = 0;     // transactions
    std::uint64_t max_batch = 0;   // largest group commit
    double last_commit_us = 0;     // the last transaction, BEGIN to COMMIT
    double max_commit_us = 0;
    double max_latency_us = 0;     // append -> committed, the worst record
    std::size_t queued = 0;        // appended, not yet committed
    std::string error;             // the write error that stopped the journal ("" if none)
};

// What a journal holds, replayed in order: the state a restarted Node starts from.
struct JournalState {
    struct OrderRecord {
        std::string strategy;
        OrderRequest request;
        UnixNanos ts_intent = 0;
        std::optional<OrderUpdate> last;  // the newest order event; none: never acknowledged
        bool open() const noexcept;       // not finished as far as the journal knows
    };
    std::map<std::string, OrderRecord, std::less<>> orders;  // by client order id
    std::vector<Fill> fills;                                   // every fill, in journal order
    std::map<std::string, Balance, std::less<>> balances;      // the last of each asset
    std::map<std::string, std::string, std::less<>> strategy_state;  // the last save of each strategy
    std::uint64_t records = 0;
    std::int64_t last_seq = 0;
};

// A summary of a journal file, for `tradeengine journal inspect`.
struct JournalInfo {
    std::string path;
    int schema_version = 0;
    std::string account;
    std::string created;   // ISO-8601 UTC
    std::uint64_t records = 0;
    std::map<std::string, std::uint64_t> by_kind;
    UnixNanos first_ts = 0, last_ts = 0;
    std::size_t orders = 0, open_orders = 0, fills = 0, strategies = 0;
};

// One journal row as text (export).
struct JournalRow {
    std::int64_t seq = 0;
    UnixNanos ts = 0;
    std::string kind, client_order_id, strategy, instrument, status, side, type, time_in_force, price, quantity,
        filled, quote, venue_order_id, trade_id, commission, commission_asset, maker, reason, data;
};

class Journal : public Component {
public:
    static constexpr int kSchemaVersion = 2;
    static constexpr std::uint32_t kApplicationId = 0x54454A4E;  // "TEJN"

    // Opens (or creates) and validates the file; JournalError when it cannot be used.
    explicit Journal(JournalConfig config);
    ~Journal() override;  // stops the writer after committing what is queued

    // The writer thread. stop() commits everything queued first.
    void start();
    void stop();

    // Append (any thread, never blocks on the disk). False once the journal has failed
    // (error() says why): the caller must not act as if it were recorded.
    bool intent(std::string_view strategy, const OrderRequest& request, UnixNanos ts) noexcept;
    bool order(const OrderUpdate& update) noexcept;
    bool fill(const Fill& fill) noexcept;
    bool balance(const Balance& balance) noexcept;
    bool strategy_state(std::string_view strategy, std::string_view state, UnixNanos ts) noexcept;

    // Waits until every record appended before the call is committed (or the journal failed);
    // false on failure or timeout.
    bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
    std::string error() const;

    // Replays the file (what is committed). Any thread.
    JournalState load() const;
    JournalStats stats() const;
    const JournalConfig& config() const noexcept { return config_; }

    // Reading a file without a Node (the CLI). Validates like the constructor, read-only.
    static JournalInfo inspect(const std::string& path);
    // Rows with seq > after, at most limit of them, oldest first.
    static std::vector<JournalRow> rows(const std::string& path, std::int64_t after, std::size_t limit);

protected:
    std::vector<std::pair<std::string, std::string>> details() const override;

private:
    struct Item {
        RecordKind kind = RecordKind::Order;
        UnixNanos ts = 0;
        std::int64_t appended_mono = 0;
        std::string text_a;  // strategy
        std::string text_b;  // strategy state
        std::variant<std::monostate, OrderRequest, OrderUpdate, Fill, Balance> value;
    };
    bool push(Item item) noexcept;
    void writer_loop();
    void write_batch(std::vector<Item>& batch);  // throws on a write error
    void fail(std::string why) noexcept;

    JournalConfig config_;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;

    mutable std::mutex m_;
    std::condition_variable cv_;       // the writer waits for work
    std::condition_variable done_cv_;  // flush() waits for commits
    std::vector<Item> queue_;
    std::uint64_t appended_ = 0;       // guarded by m_
    std::uint64_t committed_ = 0;      // guarded by m_
    bool stopping_ = false;
    std::thread writer_;
    std::atomic<bool> failed_{false};
    std::string error_;                // guarded by m_
    JournalStats stats_;               // guarded by m_ (counts the writer owns are copied in)
};

}  // namespace te::store
