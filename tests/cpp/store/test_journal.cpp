// The write-ahead journal on real SQLite files (issue 14): records replay in order, group
// commit, reopen, migration, and every bad file refused without being changed.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "store/journal.hpp"

namespace te::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("te-journal-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, ec);
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void sql(const std::string& path, const std::string& text) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
    const std::string why = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << why;
}

OrderRequest request(std::string_view id, std::string_view qty = "0.5") {
    OrderRequest r;
    r.instrument_id = InstrumentId::parse("BTCUSDT.SIM");
    r.client_order_id.assign(id);
    r.side = Side::Buy;
    r.type = OrderType::Limit;
    r.quantity = Quantity::parse(qty);
    r.price = Price::parse("50000.5");
    return r;
}

OrderUpdate update(std::string_view id, OrderStatus status, std::string_view filled = "0") {
    OrderUpdate u;
    u.instrument_id = InstrumentId::parse("BTCUSDT.SIM");
    u.client_order_id.assign(id);
    u.venue_order_id = 77;
    u.status = status;
    u.price = Price::parse("50000.5");
    u.quantity = Quantity::parse("0.5");
    u.filled_quantity = Quantity::parse(filled);
    u.ts_event = u.ts_recv = 1000;
    return u;
}

Fill fill(std::string_view id, std::int64_t trade_id, std::string_view qty) {
    Fill f;
    f.instrument_id = InstrumentId::parse("BTCUSDT.SIM");
    f.client_order_id.assign(id);
    f.venue_order_id = 77;
    f.trade_id = trade_id;
    f.price = Price::parse("50000.5");
    f.quantity = Quantity::parse(qty);
    f.commission = Money::parse("0.0001");
    f.commission_asset.assign("BNB");
    f.ts_event = f.ts_recv = 2000;
    return f;
}

TEST(Journal, RecordsReplayInOrderAfterReopen) {
    TempDir dir;
    const auto path = dir.file("j.db");
    {
        Journal j({.path = path, .account = "SIM"});
        j.start();
        EXPECT_TRUE(j.intent("maker", request("o-1"), 10));
        EXPECT_TRUE(j.intent("maker", request("o-2"), 11));
        EXPECT_TRUE(j.order(update("o-1", OrderStatus::Accepted)));
        EXPECT_TRUE(j.fill(fill("o-1", 5, "0.2")));
        EXPECT_TRUE(j.order(update("o-1", OrderStatus::PartiallyFilled, "0.2")));
        EXPECT_TRUE(j.order(update("o-2", OrderStatus::Canceled)));
        Balance b;
        b.asset.assign("USDT");
        b.free = Quantity::parse("990.25");
        b.locked = Quantity::parse("10");
        b.ts_event = 3000;
        EXPECT_TRUE(j.balance(b));
        EXPECT_TRUE(j.strategy_state("maker", R"({"n": 3})", 4000));
        EXPECT_TRUE(j.strategy_state("maker", R"({"n": 4})", 4001));
        ASSERT_TRUE(j.flush());
        j.stop();
    }
    Journal j({.path = path, .account = "SIM"});
    const auto st = j.load();
    EXPECT_EQ(st.records, 9u);
    ASSERT_EQ(st.orders.size(), 2u);
    const auto& o1 = st.orders.at("o-1");
    EXPECT_EQ(o1.strategy, "maker");
    EXPECT_EQ(o1.request.price->to_string(), "50000.5");
    ASSERT_TRUE(o1.last);
    EXPECT_EQ(o1.last->status, OrderStatus::PartiallyFilled);
    EXPECT_EQ(o1.last->filled_quantity.to_string(), "0.2");
    EXPECT_TRUE(o1.open());
    EXPECT_FALSE(st.orders.at("o-2").open());
    ASSERT_EQ(st.fills.size(), 1u);
    EXPECT_EQ(st.fills[0].trade_id, 5);
    EXPECT_EQ(st.fills[0].commission.to_string(), "0.0001");
    EXPECT_EQ(st.fills[0].commission_asset.view(), "BNB");
    EXPECT_EQ(st.balances.at("USDT").free.to_string(), "990.25");
    EXPECT_EQ(st.strategy_state.at("maker"), R"({"n": 4})");
}

TEST(Journal, AnIntentWithoutAnEventIsAnOpenOrderNeverAcknowledged) {
    TempDir dir;
    Journal j({.path = dir.file("j.db")});
    j.start();
    j.intent("s", request("o-9"), 5);
    ASSERT_TRUE(j.flush());
    const auto st = j.load();
    ASSERT_TRUE(st.orders.contains("o-9"));
    EXPECT_FALSE(st.orders.at("o-9").last.has_value());
    EXPECT_TRUE(st.orders.at("o-9").open());
}

TEST(Journal, GroupCommitPutsManyRecordsInOneTransaction) {
    TempDir dir;
    Journal j({.path = dir.file("j.db"), .commit_delay = std::chrono::microseconds(20000)});
    j.start();
    for (int i = 0; i < 5000; ++i) j.order(update("o-" + std::to_string(i), OrderStatus::Accepted));
    ASSERT_TRUE(j.flush());
    const auto s = j.stats();
    EXPECT_EQ(s.appended, 5000u);
    EXPECT_EQ(s.committed, 5000u);
    EXPECT_LT(s.commits, 5000u);
    EXPECT_GT(s.max_batch, 1u);
    EXPECT_EQ(s.queued, 0u);
    EXPECT_EQ(j.load().records, 5000u);
}

TEST(Journal, StopCommitsWhatIsQueued) {
    TempDir dir;
    const auto path = dir.file("j.db");
    {
        Journal j({.path = path, .sync = SyncMode::Full});
        j.start();
        for (int i = 0; i < 100; ++i) j.intent("s", request("o-" + std::to_string(i)), i);
    }  // destructor: stop
    Journal j({.path = path});
    EXPECT_EQ(j.load().orders.size(), 100u);
}

TEST(Journal, SyncModesParseAndBadOnesAreNamed) {
    EXPECT_EQ(sync_mode_from_string("off"), SyncMode::Off);
    EXPECT_EQ(sync_mode_from_string("full"), SyncMode::Full);
    try {
        (void)sync_mode_from_string("sometimes");
        FAIL();
    } catch (const JournalError& e) {
        EXPECT_NE(std::string(e.what()).find("expected one of off, normal, full"), std::string::npos);
    }
}

// ---- bad files: refused, named, unchanged -------------------------------------------------------

void expect_refused(const std::string& path, const std::string& account, const std::string& words) {
    const auto before = fs::exists(path) ? read_all(path) : std::string();
    try {
        Journal j({.path = path, .account = account});
        FAIL() << "opened " << path;
    } catch (const JournalError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(path), std::string::npos) << what;
        EXPECT_NE(what.find(words), std::string::npos) << what;
    }
    if (!before.empty()) {
        EXPECT_EQ(read_all(path), before) << "the refused file was changed";
    }
    EXPECT_FALSE(fs::exists(path + "-wal"));
}

TEST(Journal, ACorruptFileIsRefusedAndLeftAlone) {
    TempDir dir;
    const auto path = dir.file("j.db");
    std::ofstream(path, std::ios::binary) << std::string(4096, '\x5a');
    expect_refused(path, "", "not a SQLite database");
}

TEST(Journal, ATextFileIsRefused) {
    TempDir dir;
    const auto path = dir.file("notes.txt");
    std::ofstream(path) << "my trading notes\n";
    expect_refused(path, "", "not a SQLite database");
}

TEST(Journal, AnotherApplicationsDatabaseIsRefused) {
    TempDir dir;
    const auto path = dir.file("app.db");
    sql(path, "CREATE TABLE users(id INTEGER); INSERT INTO users VALUES (1);");
    expect_refused(path, "", "another application");
}

TEST(Journal, ANewerSchemaIsRefused) {
    TempDir dir;
    const auto path = dir.file("j.db");
    { Journal j({.path = path}); }
    sql(path, "PRAGMA user_version=99;");
    expect_refused(path, "", "schema version 99 is newer");
}

TEST(Journal, AnotherAccountsJournalIsRefused) {
    TempDir dir;
    const auto path = dir.file("j.db");
    { Journal j({.path = path, .account = "BINANCE:key-1"}); }
    expect_refused(path, "SIM", "written for account 'BINANCE:key-1'");
    Journal same({.path = path, .account = "BINANCE:key-1"});  // its own account opens
}

TEST(Journal, ACorruptPageIsRefused) {
    TempDir dir;
    const auto path = dir.file("j.db");
    {
        Journal j({.path = path});
        j.start();
        for (int i = 0; i < 2000; ++i) j.intent("s", request("o-" + std::to_string(i)), i);
        ASSERT_TRUE(j.flush());
    }
    sql(path, "PRAGMA wal_checkpoint(TRUNCATE);");
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);
        const std::string junk(8192, '\x7f');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    expect_refused(path, "", "corrupt");
}

TEST(Journal, AnUnwritablePathIsRefused) {
    TempDir dir;
    std::string path;
    if (::geteuid() == 0) {
        path = "/sys/tradeengine-journal.db";  // sysfs refuses new files even to root
    } else {
        fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
        path = dir.file("j.db");
    }
    try {
        Journal j({.path = path});
        FAIL();
    } catch (const JournalError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
}

TEST(Journal, AMissingDirectoryIsNamed) {
    try {
        Journal j({.path = "/nonexistent-dir-te/j.db"});
        FAIL();
    } catch (const JournalError& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
}

TEST(Journal, AFullDiskStopsTheJournalAndRefusesFurtherRecords) {
    TempDir dir;
    Journal j({.path = dir.file("j.db"), .max_pages = 8});
    j.start();
    for (int i = 0; i < 5000; ++i) j.intent("s", request("o-" + std::to_string(i)), i);
    EXPECT_FALSE(j.flush());
    EXPECT_TRUE(j.failed());
    EXPECT_NE(j.error().find("full"), std::string::npos) << j.error();
    EXPECT_FALSE(j.intent("s", request("late"), 1));
    EXPECT_EQ(j.state(), ComponentState::Faulted);
}

// ---- schema --------------------------------------------------------------------------------------

TEST(Journal, AVersion1JournalIsMigrated) {
    TempDir dir;
    const auto path = dir.file("v1.db");
    sql(path,
        "PRAGMA application_id=1413827150; PRAGMA user_version=1;"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('account','SIM');"
        "CREATE TABLE events(seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL,"
        " client_order_id TEXT, strategy TEXT, instrument TEXT, status TEXT, side TEXT, type TEXT, time_in_force TEXT,"
        " price TEXT, quantity TEXT, filled TEXT, quote TEXT, venue_order_id INTEGER, trade_id INTEGER,"
        " commission TEXT, commission_asset TEXT, maker INTEGER, reason TEXT);"
        "INSERT INTO events(ts, kind, client_order_id, strategy, instrument, side, type, time_in_force, price, quantity)"
        " VALUES (1, 'intent', 'old-1', 's', 'BTCUSDT.SIM', 'BUY', 'LIMIT', 'GTC', '100', '1');");
    Journal j({.path = path, .account = "SIM"});
    EXPECT_EQ(Journal::inspect(path).schema_version, Journal::kSchemaVersion);
    j.start();
    j.strategy_state("s", "kept", 2);
    ASSERT_TRUE(j.flush());
    const auto st = j.load();
    EXPECT_TRUE(st.orders.contains("old-1"));
    EXPECT_EQ(st.strategy_state.at("s"), "kept");
}

TEST(Journal, InspectSummarisesAndRowsPage) {
    TempDir dir;
    const auto path = dir.file("j.db");
    {
        Journal j({.path = path, .account = "SIM"});
        j.start();
        j.intent("s", request("o-1"), 10);
        j.intent("s", request("o-2"), 11);
        j.order(update("o-1", OrderStatus::Accepted));
        j.order(update("o-2", OrderStatus::Filled, "0.5"));
        j.fill(fill("o-2", 1, "0.5"));
        ASSERT_TRUE(j.flush());
    }
    const auto info = Journal::inspect(path);
    EXPECT_EQ(info.account, "SIM");
    EXPECT_EQ(info.records, 5u);
    EXPECT_EQ(info.orders, 2u);
    EXPECT_EQ(info.open_orders, 1u);
    EXPECT_EQ(info.fills, 1u);
    EXPECT_EQ(info.by_kind.at("intent"), 2u);
    const auto first = Journal::rows(path, 0, 3);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].kind, "intent");
    EXPECT_EQ(first[0].price, "50000.5");
    const auto rest = Journal::rows(path, first.back().seq, 100);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[1].trade_id, "1");
    EXPECT_THROW((void)Journal::inspect(dir.file("missing.db")), JournalError);
}

}  // namespace
}  // namespace te::store
