// The L2 book and its snapshot + diff synchronisation: gaps, duplicates, out-of-order and
// stale diffs are detected and resynced, never applied wrongly.
#include <gtest/gtest.h>

#include <stdexcept>

#include "book/l2_book.hpp"

using namespace te;
using namespace te::book;
using R = BookSync::Result;

namespace {

Decimal D(const char* s) { return Decimal::parse(s); }
Level L(const char* p, const char* q) { return Level{D(p), D(q)}; }

DepthDiff diff(std::int64_t U, std::int64_t u, std::vector<Level> bids, std::vector<Level> asks = {}) {
    DepthDiff d;
    d.first_update_id = U;
    d.last_update_id = u;
    d.bids = std::move(bids);
    d.asks = std::move(asks);
    return d;
}

DepthSnapshot snapshot(std::int64_t id) {
    return DepthSnapshot{id, {L("100", "1"), L("99", "2")}, {L("101", "1"), L("102", "3")}};
}

}  // namespace

TEST(L2Book, KeepsBothSidesSortedBestFirst) {
    L2Book b;
    b.reset(7, {L("99", "2"), L("100", "1"), L("98", "0")}, {L("102", "3"), L("101", "1")});
    EXPECT_EQ(b.update_id(), 7);
    ASSERT_EQ(b.levels(Side::Buy), (std::vector<Level>{L("100", "1"), L("99", "2")}));
    ASSERT_EQ(b.levels(Side::Sell, 1), (std::vector<Level>{L("101", "1")}));
    b.set(Side::Buy, D("100.5"), D("4"));
    b.set(Side::Sell, D("101"), D("0"));
    b.set(Side::Sell, D("102"), D("5"));
    EXPECT_EQ(b.best_bid()->price, D("100.5"));
    EXPECT_EQ(*b.best_ask(), L("102", "5"));
    EXPECT_TRUE(b.consistent());
    b.set(Side::Buy, D("1"), D("0"));  // removing an absent level is a no-op
    EXPECT_EQ(b.depth(Side::Buy), 3u);
}

TEST(L2Book, BadLevelsAreRefusedWithTheLevelNamed) {
    L2Book b;
    try {
        b.set(Side::Buy, D("100"), D("-1"));
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("bid level 100 quantity -1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(b.set(Side::Sell, D("0"), D("1")), std::invalid_argument);
    EXPECT_THROW(b.reset(1, {L("-5", "1")}, {}), std::invalid_argument);
    EXPECT_TRUE(b.empty());
}

TEST(BookSync, BuffersUntilTheSnapshotThenDropsWhatItCoversAndApplies) {
    BookSync s;
    EXPECT_EQ(s.on_diff(diff(8, 9, {L("100", "5")})), R::NeedSnapshot);
    EXPECT_EQ(s.on_diff(diff(10, 12, {L("99", "0")})), R::Buffered);
    EXPECT_EQ(s.on_diff(diff(13, 13, {}, {L("101", "2")})), R::Buffered);
    EXPECT_TRUE(s.wants_snapshot());
    EXPECT_EQ(s.on_snapshot(snapshot(10)), R::Applied);  // 8-9 dropped, 10-12 bridges 11
    EXPECT_TRUE(s.synced());
    EXPECT_EQ(s.book().update_id(), 13);
    EXPECT_EQ(s.book().levels(Side::Buy), (std::vector<Level>{L("100", "1")}));
    EXPECT_EQ(*s.book().best_ask(), L("101", "2"));
    EXPECT_EQ(s.stats().stale_dropped, 1u);
    EXPECT_EQ(s.stats().applied, 2u);
}

TEST(BookSync, ASnapshotOlderThanTheBufferedDiffsIsFetchedAgain) {
    BookSync s;
    s.on_diff(diff(20, 25, {}));
    EXPECT_EQ(s.on_snapshot(snapshot(10)), R::NeedSnapshot);
    EXPECT_FALSE(s.synced());
    EXPECT_EQ(s.stats().snapshots_too_old, 1u);
    EXPECT_EQ(s.on_snapshot(snapshot(22)), R::Applied);
    EXPECT_EQ(s.book().update_id(), 25);
}

TEST(BookSync, DuplicatesAndOutOfOrderDiffsAreStale) {
    BookSync s;
    s.on_diff(diff(11, 11, {}));
    s.on_snapshot(snapshot(10));
    EXPECT_EQ(s.on_diff(diff(12, 14, {L("100", "7")})), R::Applied);
    EXPECT_EQ(s.on_diff(diff(12, 14, {L("100", "9")})), R::Stale);  // duplicate
    EXPECT_EQ(s.on_diff(diff(13, 13, {L("100", "9")})), R::Stale);  // out of order
    EXPECT_EQ(s.book().best_bid()->qty, D("7"));
    EXPECT_EQ(s.stats().stale_dropped, 2u);
    EXPECT_EQ(s.on_diff(diff(14, 15, {L("100", "8")})), R::Applied);  // overlapping: applied from 15
    EXPECT_EQ(s.book().best_bid()->qty, D("8"));
}

TEST(BookSync, AGapIsCountedAndResyncedNeverApplied) {
    BookSync s;
    s.on_diff(diff(11, 11, {}));
    s.on_snapshot(snapshot(10));
    EXPECT_EQ(s.on_diff(diff(13, 14, {L("100", "99")})), R::NeedSnapshot);  // 12 missing
    EXPECT_FALSE(s.synced());
    EXPECT_EQ(s.stats().gaps, 1u);
    EXPECT_EQ(s.stats().resyncs, 1u);
    EXPECT_EQ(s.on_diff(diff(15, 15, {})), R::Buffered);
    EXPECT_EQ(s.on_snapshot(DepthSnapshot{14, {L("100", "3")}, {L("101", "1")}}), R::Applied);
    EXPECT_EQ(s.book().best_bid()->qty, D("3"));  // the gapped diff was not applied
    EXPECT_EQ(s.book().update_id(), 15);
}

TEST(BookSync, BadDiffsAndOverflowsAreReported) {
    BookSync s(2);
    EXPECT_THROW(s.on_diff(diff(5, 4, {})), std::invalid_argument);
    s.on_diff(diff(1, 1, {}));
    s.on_diff(diff(2, 2, {}));
    s.on_diff(diff(3, 3, {}));
    EXPECT_EQ(s.stats().buffer_overflows, 1u);
    EXPECT_EQ(s.on_snapshot(snapshot(1)), R::Applied);
    EXPECT_EQ(s.book().update_id(), 3);
    s.reset();
    EXPECT_FALSE(s.synced());
    EXPECT_TRUE(s.book().empty());
}
