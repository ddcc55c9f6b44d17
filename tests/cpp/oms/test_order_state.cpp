#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include <unistd.h>

#include "core/logging.hpp"
#include "oms/order_state.hpp"
#include "oms_fixtures.hpp"

using namespace te;
using namespace te::oms;
using namespace te::oms::testing;
using S = OrderStatus;

namespace {

constexpr std::size_t kStatuses = enum_count<OrderStatus>();

S status_at(std::size_t i) { return static_cast<S>(i); }

// The table of docs/oms.md, written out independently of the implementation.
const std::set<std::pair<S, S>>& expected_table() {
    static const std::set<std::pair<S, S>> table = {
        {S::Initialized, S::Submitted},       {S::Initialized, S::Rejected},
        {S::Submitted, S::Accepted},          {S::Submitted, S::Rejected},
        {S::Submitted, S::PartiallyFilled},   {S::Submitted, S::Filled},
        {S::Submitted, S::Canceled},          {S::Submitted, S::Expired},
        {S::Accepted, S::PartiallyFilled},    {S::Accepted, S::Filled},
        {S::Accepted, S::PendingCancel},      {S::Accepted, S::Canceled},
        {S::Accepted, S::Expired},            {S::PartiallyFilled, S::PartiallyFilled},
        {S::PartiallyFilled, S::Filled},      {S::PartiallyFilled, S::PendingCancel},
        {S::PartiallyFilled, S::Canceled},    {S::PartiallyFilled, S::Expired},
        {S::PendingCancel, S::PendingCancel}, {S::PendingCancel, S::Accepted},
        {S::PendingCancel, S::PartiallyFilled}, {S::PendingCancel, S::Filled},
        {S::PendingCancel, S::Canceled},      {S::PendingCancel, S::Expired},
    };
    return table;
}

bool expected_valid(S from, S to) { return expected_table().contains({from, to}); }

void must(const ApplyResult& r) { ASSERT_TRUE(r.applied()) << to_string(r.status) << ": " << r.reason; }

// An order of 10 in `from`. A PENDING_CANCEL order carries a partial fill of 3 when the
// transition under test needs one (back to PARTIALLY_FILLED, or a fill that stays pending).
Order prepare(S from, S to) {
    Order o(limit_request("10"), 1);
    if (from == S::Initialized) return o;
    must(o.submit(2));
    if (from == S::Submitted) return o;
    if (from == S::Rejected) {
        must(o.apply(update(S::Rejected)));
        return o;
    }
    must(o.apply(update(S::Accepted)));
    switch (from) {
        case S::Accepted: break;
        case S::PartiallyFilled: must(o.apply(fill(1, "3"))); break;
        case S::Filled: must(o.apply(fill(1, "10"))); break;
        case S::PendingCancel:
            if (to == S::PartiallyFilled || to == S::PendingCancel) must(o.apply(fill(1, "3")));
            must(o.request_cancel(3));
            break;
        case S::Canceled: must(o.apply(update(S::Canceled))); break;
        case S::Expired: must(o.apply(update(S::Expired))); break;
        default: break;
    }
    return o;
}

// The input that would move an order from `from` to `to`.
ApplyResult drive(Order& o, S from, S to) {
    const std::string filled = o.filled_quantity().to_string();
    const std::string quote = o.cumulative_quote().to_string();
    switch (to) {
        case S::Submitted: return o.submit(10);
        case S::Accepted:
            return from == S::PendingCancel ? o.cancel_rejected("unknown order", 10)
                                            : o.apply(update(S::Accepted, filled, quote));
        case S::PartiallyFilled:
            return from == S::PendingCancel ? o.cancel_rejected("unknown order", 10) : o.apply(fill(50, "2"));
        case S::PendingCancel:
            return from == S::PendingCancel ? o.apply(fill(50, "2")) : o.request_cancel(10);
        case S::Filled: {
            const Quantity rest = o.quantity() - o.filled_quantity();
            return o.apply(fill(50, rest.is_zero() ? "1" : rest.to_string()));
        }
        case S::Rejected: return from == S::Initialized ? o.reject("risk", 10) : o.apply(update(S::Rejected, filled));
        default: return o.apply(update(to, filled, quote));  // CANCELED, EXPIRED
    }
}

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

// ---- the transition table -----------------------------------------------------------

TEST(OrderStateTable, MatchesTheDocumentedTableForEveryPair) {
    for (std::size_t f = 0; f < kStatuses; ++f)
        for (std::size_t t = 0; t < kStatuses; ++t)
            EXPECT_EQ(is_valid_transition(status_at(f), status_at(t)), expected_valid(status_at(f), status_at(t)))
                << to_string(status_at(f)) << " -> " << to_string(status_at(t));
    EXPECT_EQ(expected_table().size(), 24u);
}

TEST(OrderStateTable, TerminalStatesAcceptNothing) {
    for (std::size_t f = 0; f < kStatuses; ++f) {
        if (!is_terminal(status_at(f))) continue;
        for (std::size_t t = 0; t < kStatuses; ++t) EXPECT_FALSE(is_valid_transition(status_at(f), status_at(t)));
    }
}

// Every pair through a real Order: valid ones are applied and recorded, invalid ones are
// not applied and leave the order exactly as it was.
TEST(OrderStateTable, EveryPairDrivenThroughAnOrder) {
    int applied = 0;
    for (std::size_t f = 0; f < kStatuses; ++f)
        for (std::size_t t = 0; t < kStatuses; ++t) {
            const S from = status_at(f);
            const S to = status_at(t);
            if (to == S::Initialized) continue;  // no input leads there
            Order o = prepare(from, to);
            ASSERT_EQ(o.status(), from);
            const auto filled = o.filled_quantity();
            const auto history = o.history().size();
            const auto trades = o.trade_ids().size();
            const ApplyResult r = drive(o, from, to);
            const std::string where = std::string(to_string(from)) + " -> " + std::string(to_string(to)) + ": " +
                                      std::string(to_string(r.status)) + " " + r.reason;
            EXPECT_EQ(r.applied(), expected_valid(from, to)) << where;
            if (r.applied()) {
                ++applied;
                EXPECT_EQ(o.status(), to) << where;
                ASSERT_EQ(o.history().size(), history + 1) << where;
                EXPECT_EQ(o.history().back().from, from) << where;
                EXPECT_EQ(o.history().back().to, to) << where;
                EXPECT_TRUE(r.reason.empty());
            } else {
                EXPECT_FALSE(r.reason.empty()) << where;
                EXPECT_EQ(o.status(), from) << where;
                EXPECT_EQ(o.filled_quantity(), filled) << where;
                EXPECT_EQ(o.history().size(), history) << where;
                EXPECT_EQ(o.trade_ids().size(), trades) << where;
            }
        }
    EXPECT_EQ(applied, 24);
}

TEST(OrderStateTable, OpenAndTerminal) {
    for (std::size_t i = 0; i < kStatuses; ++i) {
        const S s = status_at(i);
        const bool open = s == S::Submitted || s == S::Accepted || s == S::PartiallyFilled || s == S::PendingCancel;
        EXPECT_EQ(is_open(s), open) << to_string(s);
        if (s != S::Initialized) {
            EXPECT_NE(is_open(s), is_terminal(s)) << to_string(s);
        }
    }
    EXPECT_FALSE(is_open(S::Initialized));
    EXPECT_FALSE(is_terminal(S::Initialized));
}

TEST(OrderStateTable, ApplyStatusNames) {
    EXPECT_EQ(to_string(ApplyStatus::Applied), "APPLIED");
    EXPECT_EQ(to_string(ApplyStatus::Refused), "REFUSED");
    EXPECT_EQ(to_string(ApplyStatus::Confirmed), "CONFIRMED");
    EXPECT_EQ(enum_from_string<ApplyStatus>("STALE"), ApplyStatus::Stale);
}

// ---- construction and local commands --------------------------------------------------

TEST(Order, ConstructionValidatesTheRequest) {
    EXPECT_THROW(Order(limit_request("-1")), std::invalid_argument);
    EXPECT_THROW(Order(limit_request("0")), std::invalid_argument);
    auto r = limit_request();
    r.client_order_id.clear();
    EXPECT_THROW((Order(r)), std::invalid_argument);
    r = limit_request();
    r.instrument_id = InstrumentId();
    EXPECT_THROW((Order(r)), std::invalid_argument);

    Order o(limit_request("10"), 42);
    EXPECT_EQ(o.status(), S::Initialized);
    EXPECT_EQ(o.quantity(), qty("10"));
    EXPECT_EQ(o.leaves_quantity(), qty("10"));
    EXPECT_TRUE(o.filled_quantity().is_zero());
    EXPECT_TRUE(o.avg_fill_price().is_zero());
    EXPECT_EQ(o.ts_init(), 42);
    EXPECT_FALSE(o.is_open());
    EXPECT_FALSE(o.is_terminal());
}

TEST(Order, LocalCommands) {
    Order o(limit_request());
    EXPECT_EQ(o.request_cancel(1).status, ApplyStatus::Refused);  // nothing to cancel yet
    must(o.submit(1));
    EXPECT_EQ(o.submit(2).status, ApplyStatus::Duplicate);
    EXPECT_EQ(o.request_cancel(2).status, ApplyStatus::Refused);  // wait for the ack
    EXPECT_EQ(o.cancel_rejected("x", 2).status, ApplyStatus::Stale);
    must(o.apply(update(S::Accepted)));
    must(o.request_cancel(3));
    EXPECT_EQ(o.request_cancel(4).status, ApplyStatus::Duplicate);
    must(o.cancel_rejected("Unknown order sent.", 5));
    EXPECT_EQ(o.status(), S::Accepted);
    EXPECT_EQ(o.last_reason(), "Unknown order sent.");
    EXPECT_EQ(o.ts_last(), 5);

    Order r(limit_request());
    must(r.reject("order notional above limit", 7));
    EXPECT_EQ(r.status(), S::Rejected);
    EXPECT_EQ(r.last_reason(), "order notional above limit");
    EXPECT_EQ(r.reject("again", 8).status, ApplyStatus::Duplicate);
    EXPECT_EQ(r.submit(8).status, ApplyStatus::Refused);
    EXPECT_EQ(r.request_cancel(8).status, ApplyStatus::Stale);  // a finished order: a normal race
    EXPECT_TRUE(r.leaves_quantity().is_zero());
}

TEST(Order, HistoryRecordsEveryChange) {
    Order o(limit_request());
    must(o.submit(10));
    must(o.apply(update(S::Accepted)));
    must(o.apply(fill(1, "4")));
    must(o.apply(fill(2, "6")));
    ASSERT_EQ(o.history().size(), 4u);
    EXPECT_EQ(o.history()[0].cause, "submit");
    EXPECT_EQ(o.history()[0].ts_event, 10);
    EXPECT_EQ(o.history()[1].cause, "update");
    EXPECT_EQ(o.history()[1].ts_recv, 1'001);
    EXPECT_EQ(o.history()[2].to, S::PartiallyFilled);
    EXPECT_EQ(o.history()[2].filled, qty("4"));
    EXPECT_EQ(o.history()[3].to, S::Filled);
    EXPECT_EQ(o.history()[3].ts_event, 2'002);
    EXPECT_EQ(o.venue_order_id(), 777);
    EXPECT_TRUE(o.is_terminal());
    EXPECT_TRUE(o.leaves_quantity().is_zero());
}

// ---- out-of-order venue messages --------------------------------------------------------

TEST(OrderOutOfOrder, FillBeforeAck) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(fill(1, "4")));
    EXPECT_EQ(o.status(), S::PartiallyFilled);
    EXPECT_EQ(o.leaves_quantity(), qty("6"));
    // The ack was sent before the fill but arrives after it: it reports less filled.
    const auto late_ack = o.apply(update(S::Accepted));
    EXPECT_EQ(late_ack.status, ApplyStatus::Stale);
    EXPECT_EQ(o.status(), S::PartiallyFilled);
    // The venue's own report of the same fill changes nothing: it confirms; a repeat is a duplicate.
    EXPECT_EQ(o.apply(update(S::PartiallyFilled, "4", "400")).status, ApplyStatus::Confirmed);
    EXPECT_EQ(o.apply(update(S::PartiallyFilled, "4", "400")).status, ApplyStatus::Duplicate);
    must(o.apply(fill(2, "6")));
    EXPECT_EQ(o.status(), S::Filled);
    ASSERT_EQ(o.history().size(), 3u);
    EXPECT_EQ(o.history()[1].from, S::Submitted);
    EXPECT_EQ(o.history()[1].to, S::PartiallyFilled);
}

TEST(OrderOutOfOrder, FullFillBeforeAck) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(fill(1, "10")));
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.apply(update(S::Accepted)).status, ApplyStatus::Stale);
    EXPECT_EQ(o.apply(update(S::Filled, "10", "1000")).status, ApplyStatus::Confirmed);
    EXPECT_EQ(o.apply(update(S::Filled, "10", "1000")).status, ApplyStatus::Duplicate);
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.history().size(), 2u) << "a confirmation is not a transition";
}

// The race behind a flaky end-to-end test: the REST answer's fills settle a market order before
// the venue's FILLED report arrives. That report is the venue's first word on FILLED, not a
// repeat, so it must not count as a duplicate; the stream's copy of it does.
TEST(OrderOutOfOrder, TheVenuesFirstFilledReportAfterItsFillsIsAConfirmation) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(fill(1, "3")));
    must(o.apply(fill(2, "7")));
    ASSERT_EQ(o.status(), S::Filled);
    const auto first = o.apply(update(S::Filled, "10", "1000"));
    EXPECT_EQ(first.status, ApplyStatus::Confirmed) << first.reason;
    EXPECT_FALSE(first.applied()) << "nothing changed, so nothing is published";
    EXPECT_EQ(o.apply(update(S::Filled, "10", "1000")).status, ApplyStatus::Duplicate);
    // Confirming a live state works the same way; an older report stays stale.
    Order p(limit_request());
    must(p.submit(1));
    must(p.apply(update(S::Accepted)));
    EXPECT_EQ(p.apply(update(S::Accepted)).status, ApplyStatus::Duplicate) << "the same NEW twice";
    must(p.apply(fill(1, "4")));
    EXPECT_EQ(p.apply(update(S::PartiallyFilled, "4", "400")).status, ApplyStatus::Confirmed);
    EXPECT_EQ(p.apply(update(S::PartiallyFilled, "2", "200")).status, ApplyStatus::Stale);
}

TEST(OrderOutOfOrder, CancelRacingFillFilledWins) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::Accepted)));
    must(o.request_cancel(2));
    must(o.apply(fill(1, "10")));
    EXPECT_EQ(o.status(), S::Filled);
    // The cancel's answers all come too late.
    const auto canceled = o.apply(update(S::Canceled, "0"));
    EXPECT_EQ(canceled.status, ApplyStatus::Stale) << canceled.reason;
    EXPECT_EQ(o.apply(update(S::Canceled, "10", "1000")).status, ApplyStatus::Stale);
    EXPECT_EQ(o.cancel_rejected("Unknown order sent.", 3).status, ApplyStatus::Stale);
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.history().back().from, S::PendingCancel);
}

TEST(OrderOutOfOrder, PartialFillWhileCancelPendingThenCanceled) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::Accepted)));
    must(o.request_cancel(2));
    must(o.apply(fill(1, "4")));
    EXPECT_EQ(o.status(), S::PendingCancel);  // the cancel is still outstanding
    EXPECT_EQ(o.filled_quantity(), qty("4"));
    EXPECT_EQ(o.apply(update(S::PartiallyFilled, "4", "400")).status, ApplyStatus::Confirmed);
    must(o.apply(update(S::Canceled, "4", "400")));
    EXPECT_EQ(o.status(), S::Canceled);
    EXPECT_TRUE(o.leaves_quantity().is_zero());
    // Nothing can fill beyond what the venue reported as final.
    EXPECT_EQ(o.apply(fill(2, "1")).status, ApplyStatus::Refused);
    EXPECT_EQ(o.filled_quantity(), qty("4"));
}

TEST(OrderOutOfOrder, CancelRejectedReturnsToPartiallyFilled) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::Accepted)));
    must(o.apply(fill(1, "4")));
    must(o.request_cancel(2));
    must(o.cancel_rejected("Order was not canceled", 3));
    EXPECT_EQ(o.status(), S::PartiallyFilled);
    EXPECT_TRUE(o.is_open());
}

TEST(OrderOutOfOrder, StaleUpdateNeverMovesBackwards) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::PartiallyFilled, "5", "500")));
    const auto r = o.apply(update(S::PartiallyFilled, "3", "300"));
    EXPECT_EQ(r.status, ApplyStatus::Stale);
    EXPECT_NE(r.reason.find("3"), std::string::npos) << r.reason;
    EXPECT_EQ(o.filled_quantity(), qty("5"));
    EXPECT_EQ(o.apply(update(S::Accepted)).status, ApplyStatus::Stale);
    EXPECT_EQ(o.status(), S::PartiallyFilled);
    // A CANCELED that knows less than we do is older than what we know.
    EXPECT_EQ(o.apply(update(S::Canceled, "4", "400")).status, ApplyStatus::Stale);
    must(o.apply(update(S::Canceled, "5", "500")));
    EXPECT_EQ(o.status(), S::Canceled);
}

TEST(OrderOutOfOrder, DuplicateFillIgnored) {
    Order o(limit_request());
    must(o.submit(1));
    auto f = fill(9, "2");
    f.commission = money("0.002");
    f.commission_asset.assign("BTC");
    must(o.apply(f));
    const auto r = o.apply(f);
    EXPECT_EQ(r.status, ApplyStatus::Duplicate);
    EXPECT_EQ(o.filled_quantity(), qty("2"));
    EXPECT_EQ(o.commission("BTC"), money("0.002"));
    EXPECT_EQ(o.trade_ids().size(), 1u);
    EXPECT_TRUE(o.has_trade(9));
}

TEST(OrderOutOfOrder, OverFillRefusedAndNothingChanges) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(fill(1, "6")));
    const auto history = o.history().size();
    const auto r = o.apply(fill(2, "5"));
    EXPECT_EQ(r.status, ApplyStatus::Refused);
    EXPECT_NE(r.reason.find("over-fill"), std::string::npos) << r.reason;
    EXPECT_EQ(o.filled_quantity(), qty("6"));
    EXPECT_EQ(o.fills_quantity(), qty("6"));
    EXPECT_FALSE(o.has_trade(2));
    EXPECT_EQ(o.history().size(), history);
    EXPECT_EQ(o.apply(update(S::PartiallyFilled, "11", "1100")).status, ApplyStatus::Refused);
    EXPECT_EQ(o.apply(update(S::Filled, "9", "900")).status, ApplyStatus::Refused);  // FILLED short of 10
    EXPECT_EQ(o.status(), S::PartiallyFilled);
    must(o.apply(fill(3, "4")));
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.apply(fill(4, "0.00000001")).status, ApplyStatus::Refused);
}

TEST(OrderOutOfOrder, ForeignMessagesRefused) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::Accepted)));
    EXPECT_EQ(o.apply(update(S::Filled, "10", "1000", "other")).status, ApplyStatus::Refused);
    auto u = update(S::Canceled);
    u.venue_order_id = 778;  // the client id reused on another venue order
    EXPECT_EQ(o.apply(u).status, ApplyStatus::Refused);
    auto f = fill(1, "1");
    f.instrument_id = InstrumentId::parse("ETHUSDT.BINANCE");
    EXPECT_EQ(o.apply(f).status, ApplyStatus::Refused);
    EXPECT_EQ(o.apply(fill(1, "1", "100", Side::Sell)).status, ApplyStatus::Refused);
    EXPECT_EQ(o.apply(fill(1, "0")).status, ApplyStatus::Refused);
    EXPECT_EQ(o.status(), S::Accepted);
    EXPECT_TRUE(o.filled_quantity().is_zero());
}

TEST(OrderOutOfOrder, VenueMessageBeforeSubmitRefused) {
    Order o(limit_request());
    EXPECT_EQ(o.apply(update(S::Accepted)).status, ApplyStatus::Refused);
    EXPECT_EQ(o.apply(fill(1, "1")).status, ApplyStatus::Refused);
    EXPECT_EQ(o.status(), S::Initialized);
    EXPECT_EQ(o.venue_order_id(), 0);
}

TEST(OrderOutOfOrder, ALateAcknowledgementAfterTheEndIsStale) {
    // The REST answer (CANCELED, EXPIRED) can overtake the stream's NEW: old news, not an error.
    for (const auto final_status : {S::Canceled, S::Expired}) {
        Order o(limit_request());
        must(o.submit(1));
        must(o.apply(update(final_status)));
        EXPECT_EQ(o.apply(update(S::Accepted)).status, ApplyStatus::Stale);
        EXPECT_EQ(o.status(), final_status);
        // Progress after the end is still a contradiction.
        EXPECT_EQ(o.apply(update(S::PartiallyFilled, "1", "100")).status, ApplyStatus::Refused);
    }
}

TEST(OrderOutOfOrder, RefusalIsLogged) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("te_oms_log_" + std::to_string(::getpid()) + ".log")).string();
    log::configure({log::Level::Info, false, path});
    Order o(limit_request());
    EXPECT_EQ(o.apply(fill(1, "1")).status, ApplyStatus::Refused);
    log::flush();
    log::configure({});
    const auto text = read_all(path);
    std::remove(path.c_str());
    EXPECT_NE(text.find("[oms] order input refused"), std::string::npos) << text;
    EXPECT_NE(text.find("INITIALIZED -> PARTIALLY_FILLED"), std::string::npos) << text;
    EXPECT_NE(text.find("c-1"), std::string::npos) << text;
}

// ---- venue reports and fills together ---------------------------------------------------

TEST(OrderProgress, FillsCatchUpWithTheVenueReport) {
    Order o(limit_request());
    must(o.submit(1));
    must(o.apply(update(S::PartiallyFilled, "4", "400")));
    EXPECT_EQ(o.avg_fill_price(), px("100"));
    const auto history = o.history().size();
    auto f = fill(1, "4", "100");
    f.commission = money("0.004");
    f.commission_asset.assign("BTC");
    must(o.apply(f));  // the same execution, now with its trade id and commission
    EXPECT_EQ(o.history().size(), history);
    EXPECT_EQ(o.filled_quantity(), qty("4"));
    EXPECT_EQ(o.commission("BTC"), money("0.004"));

    must(o.apply(update(S::Filled, "10", "1060")));
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.avg_fill_price(), px("106"));
    EXPECT_EQ(o.fills_quantity(), qty("4"));
    must(o.apply(fill(2, "6", "110")));  // catches up after FILLED
    EXPECT_EQ(o.fills_quantity(), qty("10"));
    EXPECT_EQ(o.cumulative_quote(), money("1060"));
    EXPECT_EQ(o.apply(fill(3, "1", "110")).status, ApplyStatus::Refused);
}

TEST(OrderProgress, AveragePriceIsExact) {
    Order o(limit_request("3"));
    must(o.submit(1));
    must(o.apply(fill(1, "1", "100")));
    must(o.apply(fill(2, "1", "100")));
    must(o.apply(fill(3, "1", "101")));
    EXPECT_EQ(o.cumulative_quote(), money("301"));
    EXPECT_EQ(o.avg_fill_price(), px("100.333333333"));  // 301 / 3, half-even

    Order p(limit_request("3"));
    must(p.submit(1));
    must(p.apply(fill(1, "1", "0.5")));
    must(p.apply(fill(2, "2", "0.75")));
    EXPECT_EQ(p.avg_fill_price(), px("0.666666667"));  // 2 / 3 rounds up

    // One small fill: the average is its price, although its quote needs 13 places.
    Order q(limit_request("0.00001"));
    must(q.submit(1));
    must(q.apply(fill(1, "0.00001", "50000.12345678")));
    EXPECT_EQ(q.avg_fill_price(), px("50000.12345678"));
    EXPECT_EQ(q.cumulative_quote(), money("0.500001235"));  // 0.5000012345678, half-even
}

TEST(OrderProgress, QuoteSizedMarketOrderLearnsItsQuantity) {
    OrderRequest r = limit_request("0");
    r.type = OrderType::Market;
    r.price.reset();
    r.quote_quantity = money("100");
    Order o(r);
    must(o.submit(1));
    EXPECT_TRUE(o.leaves_quantity().is_zero());
    must(o.apply(fill(1, "0.001", "50000")));
    EXPECT_EQ(o.status(), S::PartiallyFilled);  // the base quantity is not known yet
    auto u = update(S::Filled, "0.002", "100");
    u.quantity = Quantity();
    must(o.apply(u));
    EXPECT_EQ(o.status(), S::Filled);
    EXPECT_EQ(o.quantity(), qty("0.002"));
    must(o.apply(fill(2, "0.001", "50000")));
    EXPECT_EQ(o.avg_fill_price(), px("50000"));
}
