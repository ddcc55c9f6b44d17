#include "venues/sim/exchange.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <stdexcept>

namespace te::sim {

namespace {

constexpr int kAssetDecimals = 8;

Decimal round8(Decimal d, Rounding mode = Rounding::HalfEven) { return d.round_to_places(kAssetDecimals, mode); }

Decimal from_double(double x, Decimal tick) {
    const double raw = std::round(x * static_cast<double>(Decimal::kOne));
    // 1e38 raw units is 1e29, the edge of the range; beyond it (or NaN) there is no Decimal.
    if (!std::isfinite(raw) || std::fabs(raw) >= 1e38)
        throw std::overflow_error("simulated value " + std::to_string(x) + " is outside the Decimal range");
    auto d = Decimal::from_raw(static_cast<Int128>(raw));
    d = d.round_to_increment(tick, Rounding::HalfEven);
    return d < tick ? tick : d;
}

ApiError err(int code, std::string msg, unsigned http = 400) { return ApiError{code, std::move(msg), http}; }

ApiError mandatory(std::string_view name) {
    return err(-1102, "Mandatory parameter '" + std::string(name) + "' was not sent, was empty/null, or malformed.");
}

}  // namespace

std::string_view to_string(Status s) noexcept {
    switch (s) {
        case Status::New: return "NEW";
        case Status::PartiallyFilled: return "PARTIALLY_FILLED";
        case Status::Filled: return "FILLED";
        case Status::Canceled: return "CANCELED";
        case Status::Rejected: return "REJECTED";
        case Status::Expired: return "EXPIRED";
    }
    return "NEW";
}

std::int64_t interval_open_time(Interval interval, std::int64_t t) {
    constexpr std::int64_t day = 86'400'000;
    auto floor_mod = [](std::int64_t a, std::int64_t b) { return ((a % b) + b) % b; };
    if (interval == Interval::W1) return t - floor_mod(t - 4 * day, 7 * day);  // epoch + 4 d = Monday
    if (interval == Interval::Mo1) {
        using namespace std::chrono;
        const sys_days d = floor<days>(sys_time<milliseconds>{milliseconds(t)});
        const year_month_day ymd{d};
        return duration_cast<milliseconds>(sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch()).count();
    }
    return t - floor_mod(t, interval_ms(interval));
}

Exchange::Exchange(SimConfig config, std::int64_t start_ms) : config_(std::move(config)) {
    int i = 0;
    bool any_gbm = false;
    for (const auto& sc : config_.symbols) {
        SymbolState s;
        s.cfg = sc;
        const std::uint64_t seed = config_.seed ^ fnv1a(sc.symbol);
        s.rng = Rng(seed * 31 + 7);
        if (!sc.kline_csv.empty()) {
            s.replay = std::make_unique<ReplayPath>(load_kline_csv(sc.kline_csv));
            s.last = s.replay->price_at(0, 0);
        } else {
            s.gbm = std::make_unique<GbmPath>(sc.start_price.to_double(), sc.drift, sc.volatility, seed);
            s.last = sc.start_price;
            any_gbm = true;
        }
        symbol_by_name_[sc.symbol] = i++;
        symbols_.push_back(std::move(s));
    }
    open_by_symbol_.resize(symbols_.size());
    for (std::size_t a = 0; a < config_.accounts.size(); ++a) {
        Account acc;
        for (const auto& [asset, amount] : config_.accounts[a].balances) acc.balances[asset].free = amount;
        acc.update_time = start_ms;
        accounts_.push_back(std::move(acc));
        account_by_key_[config_.accounts[a].api_key] = static_cast<int>(a);
    }
    for (auto& s : symbols_) s.replay_origin = interval_open_time(Interval::M1, start_ms);
    // History before the start (REST backfill), one trade a second.
    const std::int64_t history_ms = any_gbm ? std::int64_t{config_.history_minutes} * 60'000 : 0;
    market_ms_ = start_ms - history_ms;
    for (auto& s : symbols_) {
        for (std::size_t k = 0; k < kIntervals; ++k) {
            auto& cur = s.current[k];
            cur.open_time = interval_open_time(static_cast<Interval>(k), market_ms_);
            cur.close_time = close_time_ms(static_cast<Interval>(k), cur.open_time);
            cur.open = cur.high = cur.low = cur.close = s.last;
        }
        rebuild_book(s);
    }
    if (history_ms > 0) {
        const int saved = config_.trades_per_tick;
        config_.trades_per_tick = 1;
        for (std::int64_t t = market_ms_ + 1000; t <= start_ms; t += 1000) advance(t, start_ms, nullptr);
        config_.trades_per_tick = saved;
    }
    market_ms_ = start_ms;
}

int Exchange::symbol_index(std::string_view symbol) const {
    auto it = symbol_by_name_.find(std::string(symbol));
    return it == symbol_by_name_.end() ? -1 : it->second;
}

int Exchange::account_by_key(std::string_view key) const {
    auto it = account_by_key_.find(std::string(key));
    return it == account_by_key_.end() ? -1 : it->second;
}

// ---- market ----------------------------------------------------------------------------

void Exchange::rebuild_book(const SymbolState& s) const {
    const Decimal tick = s.cfg.tick_size;
    const Decimal spread = tick * Decimal::from_int(s.cfg.spread_ticks);
    // Halved by a shift, not a 128-bit division (this runs for every trade); exact for an even
    // raw value, and the floor below hides the last unit otherwise.
    const Decimal half = Decimal::from_raw(spread.raw() / 2);
    Decimal bid = (s.last - half).round_to_increment(tick, Rounding::Floor);
    if (bid < tick) bid = tick;
    s.top.bid = bid;
    s.top.ask = bid + spread;
    s.top.bid_qty = s.top.ask_qty = s.cfg.level_qty;
    ++s.top.update_id;
    s.book_stale = false;
}

std::vector<std::pair<Decimal, Decimal>> Exchange::levels(int symbol, Side side) const {
    const auto& s = symbols_[static_cast<std::size_t>(symbol)];
    if (s.deep) return side == Side::Buy ? s.bids : s.asks;
    if (s.book_stale) rebuild_book(s);
    std::vector<std::pair<Decimal, Decimal>> out;
    for (int i = 0; i < s.cfg.depth_levels; ++i) {
        const Decimal off = s.cfg.tick_size * Decimal::from_int(i);
        if (side == Side::Buy) {
            if (s.top.bid - off < s.cfg.tick_size) break;
            out.emplace_back(s.top.bid - off, s.cfg.level_qty);
        } else {
            out.emplace_back(s.top.ask + off, s.cfg.level_qty);
        }
    }
    return out;
}

// A replayed file maps row i to the i-th minute of simulated time and walks each row's
// prices by quarter-minute, so the simulated 1m klines reproduce the file's OHLC.
Decimal Exchange::next_price(SymbolState& s, double dt_ms, std::int64_t t) {
    if (s.replay) {
        const auto row = static_cast<std::size_t>((interval_open_time(Interval::M1, t) - s.replay_origin) / 60'000);
        const int quarter = static_cast<int>((t - interval_open_time(Interval::M1, t)) / 15'000);
        return s.replay->price_at(row, quarter);
    }
    return from_double(s.gbm->next(dt_ms), s.cfg.tick_size);
}

void Exchange::advance(std::int64_t to_ms, std::int64_t now_ms, MarketSink* sink) {
    const std::int64_t span = to_ms - market_ms_;
    if (span <= 0) return;
    const int n = config_.trades_per_tick;
    std::vector<std::int64_t> times;
    for (int si = 0; si < static_cast<int>(symbols_.size()); ++si) {
        auto& s = sym(si);
        times.clear();
        if (s.replay) {
            // A replayed row trades at its four path points inside its minute, the last one at
            // the minute's final millisecond, whatever the tick: its 1m kline is the file's row.
            for (auto m = interval_open_time(Interval::M1, market_ms_); m <= to_ms; m += 60'000)
                for (const std::int64_t offset : {0, 15'000, 30'000, 59'999})
                    if (const auto t = m + offset; t >= market_ms_ && t > s.replay_last && t <= to_ms) times.push_back(t);
            if (!times.empty()) s.replay_last = times.back();
        } else {
            for (int k = 1; k <= n; ++k) times.push_back(market_ms_ + span * k / n);
        }
        for (const std::int64_t t : times) {
            roll_klines(si, t, sink);
            const Decimal price = next_price(s, static_cast<double>(span) / n, t);
            PublicTrade trade;
            trade.id = s.next_trade_id++;
            trade.price = price;
            trade.time = t;
            if (s.replay) {
                const auto idx = static_cast<std::size_t>((interval_open_time(Interval::M1, t) - s.replay_origin) / 60'000);
                const auto& row = s.replay->rows()[idx % s.replay->rows().size()];
                trade.qty = row.volume.div(Decimal::from_int(4), Rounding::Down).round_to_increment(s.cfg.step_size, Rounding::Down);
            } else {
                const double frac = 0.005 + 0.2 * s.rng.uniform();
                trade.qty = (s.cfg.level_qty * from_double(frac, Decimal::from_raw(1))).round_to_increment(s.cfg.step_size, Rounding::Down);
            }
            if (trade.qty < s.cfg.step_size) trade.qty = s.cfg.step_size;
            const bool taker_buy = price > s.last || (price == s.last && (s.rng.next() & 1) != 0);
            trade.buyer_is_maker = !taker_buy;
            s.last = price;
            update_klines(s, trade, taker_buy);
            rebuild_book(s);
            if (sink) sink->on_trade(si, trade, t);
            on_market_trade(si, trade, now_ms, sink);
        }
        roll_klines(si, to_ms, sink);
        if (sink) {
            sink->on_book(si, s.top);
            for (std::size_t k = 0; k < kIntervals; ++k) sink->on_kline(si, k, s.current[k], false, to_ms);
        }
    }
    market_ms_ = to_ms;
}

void Exchange::update_klines(SymbolState& s, const PublicTrade& t, bool taker_buy) {
    const Decimal quote = round8(t.price * t.qty);
    for (auto& k : s.current) {
        if (k.trades == 0) {
            k.open = k.high = k.low = t.price;
            k.first_trade_id = t.id;
        } else {
            k.high = std::max(k.high, t.price);
            k.low = std::min(k.low, t.price);
        }
        k.close = t.price;
        k.volume += t.qty;
        k.quote_volume += quote;
        if (taker_buy) {
            k.taker_base += t.qty;
            k.taker_quote += quote;
        }
        ++k.trades;
        k.last_trade_id = t.id;
    }
}

void Exchange::roll_klines(int symbol, std::int64_t to_ms, MarketSink* sink) {
    auto& s = sym(symbol);
    for (std::size_t i = 0; i < kIntervals; ++i) {
        const auto interval = static_cast<Interval>(i);
        auto& cur = s.current[i];
        auto& hist = s.history[i];
        while (cur.close_time < to_ms) {
            if (sink) sink->on_kline(symbol, i, cur, true, cur.close_time + 1);
            hist.push_back(cur);
            if (hist.size() > config_.max_kline_history) hist.pop_front();
            Kline next;
            next.open_time = cur.close_time + 1;
            // A long gap (a big time jump): skip ahead rather than emit thousands of empty klines.
            const std::int64_t gap_limit = static_cast<std::int64_t>(config_.max_kline_history) * interval_ms(interval);
            if (to_ms - next.open_time > gap_limit) next.open_time = interval_open_time(interval, to_ms - gap_limit);
            next.close_time = close_time_ms(interval, next.open_time);
            next.open = next.high = next.low = next.close = cur.close;
            cur = next;
        }
    }
}

std::vector<Kline> Exchange::klines(int symbol, Interval interval, std::optional<std::int64_t> start,
                                    std::optional<std::int64_t> end, std::size_t limit) const {
    const auto& s = symbols_[static_cast<std::size_t>(symbol)];
    const auto i = static_cast<std::size_t>(interval);
    std::vector<Kline> all(s.history[i].begin(), s.history[i].end());
    all.push_back(s.current[i]);
    std::vector<Kline> sel;
    for (const auto& k : all) {
        if (start && k.open_time < *start) continue;
        if (end && k.open_time > *end) continue;
        sel.push_back(k);
    }
    if (sel.size() > limit) {
        if (start) sel.resize(limit);
        else sel.erase(sel.begin(), sel.end() - static_cast<std::ptrdiff_t>(limit));
    }
    return sel;
}

const Kline& Exchange::current_kline(int symbol, Interval interval) const {
    return symbols_[static_cast<std::size_t>(symbol)].current[static_cast<std::size_t>(interval)];
}

// Resting orders fill (as makers, at their own price) when the path trades through them.
void Exchange::on_market_trade(int symbol, const PublicTrade& t, std::int64_t now_ms, MarketSink*) {
    auto& open = open_by_symbol_[static_cast<std::size_t>(symbol)];
    if (open.empty()) return;
    std::vector<std::int64_t> ids;
    for (const auto& [id, _] : open) ids.push_back(id);
    std::set<int> touched;
    for (auto id : ids) {
        auto& o = orders_.at(id);
        const bool crosses = o.side == Side::Buy ? t.price <= o.price : t.price >= o.price;
        if (!crosses) continue;
        apply_fill(o, o.price, o.orig_qty - o.executed_qty, true, now_ms);
        touched.insert(o.account);
        if (o.status == Status::Filled) finish(o, Status::Filled, now_ms);
    }
    for (int a : touched) {
        const auto& sc = sym(symbol).cfg;
        emit_balances(a, now_ms, {sc.base_asset, sc.quote_asset});
    }
}

// ---- replayed data ---------------------------------------------------------------------

void Exchange::replay_trade(int symbol, Decimal price, Decimal qty, std::int64_t time_ms, bool limit_to_qty) {
    auto& s = sym(symbol);
    market_ms_ = time_ms;
    s.last = price;
    if (!s.quoted) s.book_stale = true;
    if (open_by_symbol_[static_cast<std::size_t>(symbol)].empty()) return;
    const std::optional<Decimal> budget = limit_to_qty ? std::optional<Decimal>(qty) : std::nullopt;
    match_resting(symbol, price, price, budget, budget, time_ms);
}

void Exchange::replay_quote(int symbol, const BookTop& top, std::int64_t time_ms, bool limit_to_qty) {
    auto& s = sym(symbol);
    market_ms_ = time_ms;
    s.quoted = true;
    s.deep = false;
    s.book_stale = false;
    const auto update_id = s.top.update_id + 1;
    s.top = top;
    s.top.update_id = update_id;
    if (open_by_symbol_[static_cast<std::size_t>(symbol)].empty()) return;
    // A resting buy meets the sellers at the ask (up to the ask's size), a sell the bid.
    match_resting(symbol, top.ask, top.bid, limit_to_qty ? std::optional<Decimal>(top.ask_qty) : std::nullopt,
                  limit_to_qty ? std::optional<Decimal>(top.bid_qty) : std::nullopt, time_ms);
}

void Exchange::replay_book(int symbol, std::vector<std::pair<Decimal, Decimal>> bids,
                           std::vector<std::pair<Decimal, Decimal>> asks, std::int64_t time_ms, bool limit_to_qty) {
    if (bids.empty() || asks.empty())
        throw std::invalid_argument("replay_book: a book needs at least one level on each side");
    BookTop top;
    top.bid = bids.front().first;
    top.bid_qty = bids.front().second;
    top.ask = asks.front().first;
    top.ask_qty = asks.front().second;
    auto& s = sym(symbol);
    s.bids = std::move(bids);
    s.asks = std::move(asks);
    replay_quote(symbol, top, time_ms, limit_to_qty);
    s.deep = true;
}

void Exchange::match_resting(int symbol, Decimal sells_at, Decimal buys_at, std::optional<Decimal> buy_budget,
                             std::optional<Decimal> sell_budget, std::int64_t now_ms) {
    auto& open = open_by_symbol_[static_cast<std::size_t>(symbol)];
    std::vector<std::int64_t> ids;
    ids.reserve(open.size());
    for (const auto& [id, _] : open) ids.push_back(id);  // oldest first: time priority
    std::set<int> touched;
    for (auto id : ids) {
        auto& o = orders_.at(id);
        const bool buy = o.side == Side::Buy;
        if (buy ? sells_at > o.price : buys_at < o.price) continue;
        auto& budget = buy ? buy_budget : sell_budget;
        Decimal qty = o.orig_qty - o.executed_qty;
        if (budget) {
            qty = std::min(qty, *budget).round_to_increment(sym(symbol).cfg.step_size, Rounding::Down);
            if (qty.sign() <= 0) continue;
            *budget -= qty;
        }
        apply_fill(o, o.price, qty, true, now_ms);  // emits the TRADE
        touched.insert(o.account);
        if (o.status == Status::Filled) finish(o, Status::Filled, now_ms);
    }
    for (int a : touched) {
        const auto& sc = sym(symbol).cfg;
        emit_balances(a, now_ms, {sc.base_asset, sc.quote_asset});
    }
}

// ---- orders ----------------------------------------------------------------------------

std::optional<ApiError> Exchange::check_filters(const SymbolState& s, const OrderRequest& req) const {
    const auto& c = s.cfg;
    if (req.price) {
        const Decimal p = *req.price;
        if (p.sign() <= 0 || (c.min_price.sign() > 0 && p < c.min_price) || (c.max_price.sign() > 0 && p > c.max_price) ||
            !p.is_multiple_of(c.tick_size))
            return err(-1013, "Filter failure: PRICE_FILTER");
    }
    if (req.quantity) {
        const Decimal q = *req.quantity;
        if (q.sign() <= 0 || q < c.min_qty || (c.max_qty.sign() > 0 && q > c.max_qty) || !q.is_multiple_of(c.step_size))
            return err(-1013, "Filter failure: LOT_SIZE");
    }
    Decimal notional;
    const bool market = req.type == OrderType::Market;
    if (market) notional = req.quote_order_qty ? *req.quote_order_qty : s.last * *req.quantity;
    else notional = *req.price * *req.quantity;
    if (notional < c.min_notional) return err(-1013, "Filter failure: NOTIONAL");
    if (!market && c.max_notional.sign() > 0 && notional > c.max_notional) return err(-1013, "Filter failure: NOTIONAL");
    return std::nullopt;
}

std::variant<ApiError, PlaceResult> Exchange::place(int account, const OrderRequest& req, std::int64_t now_ms,
                                                    bool test_only) {
    const int si = symbol_index(req.symbol);
    if (si < 0) return err(-1121, "Invalid symbol.");
    auto& s = sym(si);
    switch (req.type) {
        case OrderType::Limit:
            if (!req.tif) return mandatory("timeInForce");
            [[fallthrough]];
        case OrderType::LimitMaker:
            if (!req.quantity) return mandatory("quantity");
            if (!req.price) return mandatory("price");
            if (req.quote_order_qty) return err(-1106, "Parameter 'quoteOrderQty' sent when not required.");
            break;
        case OrderType::Market:
            if (!req.quantity && !req.quote_order_qty) return mandatory("quantity");
            if (req.quantity && req.quote_order_qty) return err(-1106, "Parameter 'quoteOrderQty' sent when not required.");
            if (req.price) return err(-1106, "Parameter 'price' sent when not required.");
            if (req.tif) return err(-1106, "Parameter 'timeInForce' sent when not required.");
            if (req.quote_order_qty && req.quote_order_qty->sign() <= 0) return mandatory("quoteOrderQty");
            break;
        default: return err(-1014, "Unsupported order combination.");
    }
    if (auto e = check_filters(s, req)) return *e;
    auto& acc = acct(account);
    if (!req.client_order_id.empty()) {
        for (const auto& [id, _] : open_by_symbol_[static_cast<std::size_t>(si)]) {
            const auto& o = orders_.at(id);
            if (o.account == account && o.client_order_id == req.client_order_id) return err(-2010, "Duplicate order sent.");
        }
    }
    // Plan the taker fills against the synthetic book.
    const Side side = req.side;
    const auto book = levels(si, side == Side::Buy ? Side::Sell : Side::Buy);
    std::vector<std::pair<Decimal, Decimal>> plan;
    Decimal planned_qty, planned_quote;
    const bool by_quote = req.type == OrderType::Market && req.quote_order_qty.has_value();
    for (const auto& [price, level_qty] : book) {
        if (req.price && (side == Side::Buy ? price > *req.price : price < *req.price)) break;
        Decimal q;
        if (by_quote) {
            const Decimal left = *req.quote_order_qty - planned_quote;
            q = std::min(level_qty, left.div(price, Rounding::Down).round_to_increment(s.cfg.step_size, Rounding::Down));
        } else {
            q = std::min(level_qty, *req.quantity - planned_qty);
        }
        if (q.sign() <= 0) break;
        plan.emplace_back(price, q);
        planned_qty += q;
        planned_quote += round8(price * q);
    }
    if (req.type == OrderType::LimitMaker && !plan.empty()) return err(-2010, "Order would immediately match and take.");
    const bool fok_fails = req.tif == TimeInForce::Fok && planned_qty < *req.quantity;
    if (fok_fails) plan.clear();
    if (by_quote && plan.empty()) return err(-2010, "Order book liquidity is less than LOT_SIZE filter minimum quantity.");

    // What the order locks: a limit buy its full notional, a market buy its planned cost,
    // a sell its whole quantity (as Binance checks it: a market sell of more than the free
    // balance is refused even when the book could fill only part of it).
    const auto& base = s.cfg.base_asset;
    const auto& quote = s.cfg.quote_asset;
    Decimal lock;
    const bool is_market = req.type == OrderType::Market;
    if (side == Side::Buy) lock = is_market ? planned_quote : round8(*req.price * *req.quantity, Rounding::Up);
    else lock = is_market && by_quote ? planned_qty : *req.quantity;
    if (fok_fails) lock = Decimal{};
    const auto& lock_asset = side == Side::Buy ? quote : base;
    auto bal_it = acc.balances.find(lock_asset);
    const Decimal free = bal_it == acc.balances.end() ? Decimal{} : bal_it->second.free;
    if (lock > free) return err(-2010, "Account has insufficient balance for requested action.");
    if (test_only) return PlaceResult{};

    Order o;
    o.order_id = next_order_id_++;
    o.symbol = si;
    o.account = account;
    o.client_order_id = req.client_order_id.empty() ? "sim" + std::to_string(config_.seed) + "x" + std::to_string(++client_id_counter_)
                                                    : req.client_order_id;
    o.side = side;
    o.type = req.type;
    o.tif = req.tif.value_or(TimeInForce::Gtc);
    o.price = req.price.value_or(Decimal{});
    o.orig_qty = by_quote ? planned_qty : *req.quantity;
    o.orig_quote_qty = req.quote_order_qty.value_or(Decimal{});
    o.time = o.update_time = o.working_time = now_ms;
    o.locked = lock;
    if (lock.sign() > 0) {
        auto& b = acc.balances[lock_asset];
        b.free -= lock;
        b.locked += lock;
    }
    auto [it, inserted] = orders_.emplace(o.order_id, o);
    Order& live = it->second;
    open_by_symbol_[static_cast<std::size_t>(si)][live.order_id] = true;
    emit(live, "NEW", now_ms);
    PlaceResult result;
    for (const auto& [price, q] : plan) result.fills.push_back(apply_fill(live, price, q, false, now_ms));
    if (live.status == Status::Filled) {
        finish(live, Status::Filled, now_ms);
    } else if (is_market || live.tif != TimeInForce::Gtc) {
        finish(live, Status::Expired, now_ms);
        emit(live, "EXPIRED", now_ms, nullptr, "NONE", {},
             live.tif == TimeInForce::Fok ? "UNFILLED_FOK_QUANTITY_EXPIRED"
             : is_market                  ? "INSUFFICIENT_LIQUIDITY"
                                          : "UNFILLED_IOC_QUANTITY_EXPIRED");
    }
    if (lock.sign() > 0 || !result.fills.empty()) emit_balances(account, now_ms, {base, quote});
    result.order = live;
    return result;
}

Fill Exchange::apply_fill(Order& o, Decimal price, Decimal qty, bool maker, std::int64_t now_ms) {
    auto& s = sym(o.symbol);
    auto& acc = acct(o.account);
    const auto& base = s.cfg.base_asset;
    const auto& quote = s.cfg.quote_asset;
    const Decimal fee = maker ? config_.maker_fee : config_.taker_fee;
    Fill f;
    f.price = price;
    f.qty = qty;
    f.quote_qty = round8(price * qty);
    f.maker = maker;
    f.trade_id = s.next_trade_id++;
    const bool last = o.executed_qty + qty >= o.orig_qty;
    if (o.side == Side::Buy) {
        f.commission = round8(qty * fee, Rounding::Up);
        f.commission_asset = base;
        Decimal release = o.type == OrderType::Market ? f.quote_qty : round8(o.price * qty, Rounding::Up);
        if (last || release > o.locked) release = o.locked;
        auto& qb = acc.balances[quote];
        qb.locked -= release;
        qb.free += release - f.quote_qty;
        o.locked -= release;
        acc.balances[base].free += qty - f.commission;
    } else {
        f.commission = round8(f.quote_qty * fee, Rounding::Up);
        f.commission_asset = quote;
        const Decimal release = std::min(qty, o.locked);
        auto& bb = acc.balances[base];
        bb.locked -= release;
        bb.free -= qty - release;
        o.locked -= release;
        acc.balances[quote].free += f.quote_qty - f.commission;
    }
    o.executed_qty += qty;
    o.cum_quote += f.quote_qty;
    o.update_time = now_ms;
    o.status = o.executed_qty >= o.orig_qty ? Status::Filled : Status::PartiallyFilled;
    acc.update_time = now_ms;
    AccountTrade t;
    t.symbol = o.symbol;
    t.id = f.trade_id;
    t.order_id = o.order_id;
    t.time = now_ms;
    t.price = price;
    t.qty = qty;
    t.quote_qty = f.quote_qty;
    t.commission = f.commission;
    t.commission_asset = f.commission_asset;
    t.is_buyer = o.side == Side::Buy;
    t.is_maker = maker;
    acc.trades.push_back(std::move(t));
    if (acc.trades.size() > config_.max_trades) acc.trades.pop_front();
    emit(o, "TRADE", now_ms, &f);
    return f;
}

void Exchange::finish(Order& o, Status status, std::int64_t now_ms) {
    auto& acc = acct(o.account);
    if (o.locked.sign() > 0) {
        const auto& s = sym(o.symbol).cfg;
        auto& b = acc.balances[o.side == Side::Buy ? s.quote_asset : s.base_asset];
        b.locked -= o.locked;
        b.free += o.locked;
        o.locked = Decimal{};
    }
    o.status = status;
    o.update_time = now_ms;
    acc.update_time = now_ms;
    open_by_symbol_[static_cast<std::size_t>(o.symbol)].erase(o.order_id);
    remember_closed(o);
}

void Exchange::remember_closed(Order& o) {
    auto& acc = acct(o.account);
    acc.closed.push_back(o.order_id);
    while (acc.closed.size() > config_.max_closed_orders) {
        orders_.erase(acc.closed.front());
        acc.closed.pop_front();
    }
}

Order* Exchange::find_order(int account, int symbol, std::optional<std::int64_t> order_id, std::string_view client_id) {
    return const_cast<Order*>(std::as_const(*this).find_order(account, symbol, order_id, client_id));
}

const Order* Exchange::find_order(int account, int symbol, std::optional<std::int64_t> order_id,
                                  std::string_view client_id) const {
    if (order_id) {
        auto it = orders_.find(*order_id);
        if (it == orders_.end() || it->second.account != account || it->second.symbol != symbol) return nullptr;
        if (!client_id.empty() && it->second.client_order_id != client_id) return nullptr;
        return &it->second;
    }
    // Open orders first (client ids are unique among them), then the most recent closed one.
    for (const auto& [id, _] : open_by_symbol_[static_cast<std::size_t>(symbol)]) {
        const auto& o = orders_.at(id);
        if (o.account == account && o.client_order_id == client_id) return &o;
    }
    const auto& closed = accounts_[static_cast<std::size_t>(account)].closed;
    for (auto it = closed.rbegin(); it != closed.rend(); ++it) {
        auto f = orders_.find(*it);
        if (f != orders_.end() && f->second.symbol == symbol && f->second.client_order_id == client_id) return &f->second;
    }
    return nullptr;
}

std::variant<ApiError, Order> Exchange::cancel(int account, std::string_view symbol, std::optional<std::int64_t> order_id,
                                               std::string_view orig_client_id, std::string_view new_client_id,
                                               std::int64_t now_ms) {
    const int si = symbol_index(symbol);
    if (si < 0) return err(-1121, "Invalid symbol.");
    if (!order_id && orig_client_id.empty()) return mandatory("orderId");
    Order* o = find_order(account, si, order_id, orig_client_id);
    if (!o || !is_open(o->status)) return err(-2011, "Unknown order sent.");
    finish(*o, Status::Canceled, now_ms);
    Order snapshot = *o;
    const std::string orig = snapshot.client_order_id;
    snapshot.orig_client_order_id = orig;
    snapshot.client_order_id = new_client_id.empty() ? "sim" + std::to_string(config_.seed) + "c" + std::to_string(++client_id_counter_)
                                                     : std::string(new_client_id);
    emit(snapshot, "CANCELED", now_ms, nullptr, "NONE", orig);
    const auto& sc = sym(si).cfg;
    emit_balances(account, now_ms, {sc.base_asset, sc.quote_asset});
    // The returned snapshot carries the cancel's client id; the stored order keeps its own.
    return snapshot;
}

std::variant<ApiError, std::vector<Order>> Exchange::cancel_all(int account, std::string_view symbol, std::int64_t now_ms) {
    const int si = symbol_index(symbol);
    if (si < 0) return err(-1121, "Invalid symbol.");
    std::vector<std::int64_t> ids;
    for (const auto& [id, _] : open_by_symbol_[static_cast<std::size_t>(si)])
        if (orders_.at(id).account == account) ids.push_back(id);
    if (ids.empty()) return err(-2011, "Unknown order sent.");
    std::vector<Order> out;
    for (auto id : ids) {
        auto r = cancel(account, symbol, id, {}, {}, now_ms);
        if (auto* o = std::get_if<Order>(&r)) out.push_back(*o);
    }
    return out;
}

std::variant<ApiError, Order> Exchange::query(int account, std::string_view symbol, std::optional<std::int64_t> order_id,
                                              std::string_view orig_client_id) const {
    const int si = symbol_index(symbol);
    if (si < 0) return err(-1121, "Invalid symbol.");
    if (!order_id && orig_client_id.empty()) return mandatory("orderId");
    const Order* o = find_order(account, si, order_id, orig_client_id);
    if (!o) return err(-2013, "Order does not exist.");
    return *o;
}

std::vector<Order> Exchange::open_orders(int account, int symbol) const {
    std::vector<Order> out;
    for (std::size_t si = 0; si < open_by_symbol_.size(); ++si) {
        if (symbol >= 0 && static_cast<int>(si) != symbol) continue;
        for (const auto& [id, _] : open_by_symbol_[si]) {
            const auto& o = orders_.at(id);
            if (o.account == account) out.push_back(o);
        }
    }
    return out;
}

std::vector<AccountTrade> Exchange::trades(int account, int symbol, std::optional<std::int64_t> order_id,
                                           std::optional<std::int64_t> from_id, std::int64_t start, std::int64_t end,
                                           std::size_t limit) const {
    std::vector<AccountTrade> out;
    for (const auto& t : accounts_[static_cast<std::size_t>(account)].trades) {
        if (t.symbol != symbol) continue;
        if (order_id && t.order_id != *order_id) continue;
        if (from_id && t.id < *from_id) continue;
        if (t.time < start || t.time > end) continue;
        out.push_back(t);
    }
    if (out.size() > limit) {
        if (from_id) out.resize(limit);
        else out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
    }
    return out;
}

void Exchange::deposit(int account, const std::string& asset, Decimal amount, std::int64_t now_ms) {
    auto& acc = acct(account);
    acc.balances[asset].free += amount;
    acc.update_time = now_ms;
    if (user_sink_) user_sink_->on_balance_update(account, asset, amount, now_ms);
    emit_balances(account, now_ms, {asset});
}

// ---- events ----------------------------------------------------------------------------

void Exchange::emit(const Order& o, std::string_view exec_type, std::int64_t now_ms, const Fill* fill,
                    std::string_view reject, std::string orig_client, std::string_view expiry) {
    if (!user_sink_) {
        ++execution_id_;
        return;
    }
    ExecutionEvent ev;
    ev.order = o;
    ev.exec_type = exec_type;
    ev.reject_reason = reject;
    if (fill) ev.fill = *fill;
    ev.orig_client_order_id = std::move(orig_client);
    ev.event_time = now_ms;
    ev.execution_id = ++execution_id_;
    ev.expiry_reason = expiry;
    user_sink_->on_execution(o.account, ev);
}

void Exchange::emit_balances(int account, std::int64_t now_ms, std::vector<std::string> assets) {
    if (!user_sink_) return;
    std::vector<std::pair<std::string, Balance>> changed;
    const auto& bal = acct(account).balances;
    for (auto& a : assets) {
        auto it = bal.find(a);
        changed.emplace_back(a, it == bal.end() ? Balance{} : it->second);
    }
    user_sink_->on_account_position(account, now_ms, changed);
}

}  // namespace te::sim
