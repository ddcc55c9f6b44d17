#include "oms/order_manager.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "core/logging.hpp"

namespace te::oms {
namespace {

std::string base36(std::uint64_t n) {
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out;
    do {
        out.insert(out.begin(), kDigits[n % 36]);
        n /= 36;
    } while (n);
    return out;
}

// Logs the 1st, 2nd, 4th, 8th ... occurrence.
bool sparse(std::uint64_t n) noexcept { return (n & (n - 1)) == 0; }

void count(OmsStats& s, const ApplyResult& r) {
    switch (r.status) {
        case ApplyStatus::Applied: s.applied++; break;
        case ApplyStatus::Duplicate: s.duplicates++; break;
        case ApplyStatus::Stale: s.stale++; break;
        case ApplyStatus::Refused: s.refused++; break;
        case ApplyStatus::Confirmed: s.confirmed++; break;
    }
}

}  // namespace

OrderManager::OrderManager(TradingEngine& engine, ExecutionVenue& venue, OmsConfig config, const PriceSource* prices)
    : OrderManager(engine, std::move(config), prices) {
    add_venue(venue);
}

OrderManager::OrderManager(TradingEngine& engine, OmsConfig config, const PriceSource* prices)
    : engine_(engine), config_(std::move(config)), prices_(prices ? prices : &own_prices_) {
    prefix_ = config_.id_prefix.empty() ? "te" + base36(static_cast<std::uint64_t>(now() / kNanosPerSecond))
                                        : config_.id_prefix;
    if (prefix_.size() > 12) throw std::invalid_argument("invalid id_prefix '" + prefix_ + "': expected at most 12 characters");
    auto& bus = engine_.bus();
    subscriptions_.push_back(bus.subscribe(
        EventType::VenueOrderUpdate, [this](const Event& e) { on_venue_update(e.get<OrderUpdate>()); },
        "oms.venue_order_update"));
    subscriptions_.push_back(bus.subscribe(
        EventType::VenueFill, [this](const Event& e) { on_venue_fill(e.get<Fill>()); }, "oms.venue_fill"));
    if (!prices)
        for (auto type : {EventType::CandleUpdate, EventType::CandleClosed, EventType::Trade, EventType::Quote})
            subscriptions_.push_back(
                bus.subscribe(type, [this](const Event& e) { own_prices_.observe(e); }, "oms.last_price"));
    if (config_.timeout_check_interval.count() <= 0)
        throw std::invalid_argument("invalid timeout_check_interval: expected > 0 ms");
    timeout_timer_ = engine_.scheduler().schedule_periodic(
        "oms.timeouts", std::chrono::duration_cast<std::chrono::nanoseconds>(config_.timeout_check_interval).count());
    subscriptions_.push_back(bus.subscribe(
        EventType::ScheduledTrigger,
        [this](const Event& e) {
            if (std::get<ScheduledTrigger>(e.payload).timer_id != timeout_timer_) return;
            check_timeouts();
            std::lock_guard lock(m_);
            prune_closed();
        },
        "oms.timeouts"));
}

OrderManager::~OrderManager() {
    engine_.scheduler().cancel(timeout_timer_);
    for (auto id : subscriptions_) engine_.bus().unsubscribe(id);
}

void OrderManager::add_venue(ExecutionVenue& venue) {
    std::lock_guard lock(m_);
    const auto name = venue.name();
    if (venues_.contains(name)) throw std::invalid_argument("a venue named '" + name + "' is already added");
    venues_.emplace(name, &venue);
    venue_list_.push_back(&venue);
    accounts_.try_emplace(name);
}

ExecutionVenue* OrderManager::route(const InstrumentId& instrument) const {
    const auto it = venues_.find(instrument.venue());
    if (it != venues_.end()) return it->second;
    // One venue whose name the instrument ids do not use (a broker adapter named "broker"
    // trading BTCUSDT.BINANCE): everything goes to it.
    return venue_list_.size() == 1 ? venue_list_.front() : nullptr;
}

Portfolio& OrderManager::account_of(const InstrumentId& instrument) {
    const auto it = accounts_.find(instrument.venue());
    if (it != accounts_.end()) return it->second;
    if (venue_list_.size() == 1) return accounts_[venue_list_.front()->name()];
    return accounts_[std::string(instrument.venue())];
}

void OrderManager::set_balance(const Balance& balance) {
    std::lock_guard lock(m_);
    if (venue_list_.empty()) throw std::logic_error("set_balance: the order manager has no venue");
    accounts_[venue_list_.front()->name()].set_balance(balance);
}

void OrderManager::set_balance(std::string_view venue, const Balance& balance) {
    std::lock_guard lock(m_);
    const auto it = accounts_.find(venue);
    if (it == accounts_.end()) throw std::invalid_argument("set_balance: no venue named '" + std::string(venue) + "'");
    it->second.set_balance(balance);
}

// ---- submission ------------------------------------------------------------------------------

std::string OrderManager::next_id(std::string_view strategy) {
    auto it = strategy_tags_.find(strategy);
    if (it == strategy_tags_.end())
        it = strategy_tags_.emplace(std::string(strategy), static_cast<int>(strategy_tags_.size()) + 1).first;
    return fmt::format("{}-s{}-{}", prefix_, it->second, ++sequence_);
}

std::optional<std::string> OrderManager::check(const OrderRequest& r) const {
    if (engine_.state() != EngineState::Running)
        return fmt::format("engine is {}, not RUNNING: no new orders", to_string(engine_.state()));
    const ExecutionVenue* venue = route(r.instrument_id);
    if (!venue) return fmt::format("no venue named {} trades here (instrument {})", r.instrument_id.venue(),
                                   r.instrument_id.view());
    const Instrument* inst = venue->instrument(r.instrument_id);
    if (!inst) return fmt::format("unknown instrument {} on {}", r.instrument_id.view(), venue->name());
    const bool market = r.type == OrderType::Market;
    if (!(market && r.quote_quantity)) {
        if (auto why = inst->check_order(market ? std::nullopt : r.price, r.quantity)) return why;
    }
    std::optional<Price> price = market ? std::nullopt : r.price;
    if (!price) price = prices_->last_price(r.instrument_id);
    if (config_.max_order_notional && price) {
        const Money notional = r.quote_quantity ? *r.quote_quantity : *price * r.quantity;
        if (notional > *config_.max_order_notional)
            return fmt::format("order notional {} exceeds max_order_notional {}", notional.to_string(),
                               config_.max_order_notional->to_string());
    }
    const auto limit = config_.max_position.find(r.instrument_id);
    if (limit != config_.max_position.end() && !r.quote_quantity) {
        // The worst case: the position now, plus every open order on the same side, plus this one.
        const auto account = accounts_.find(r.instrument_id.venue());
        Quantity exposure = account == accounts_.end() ? Quantity() : account->second.position(r.instrument_id).quantity;
        for (const auto& id : open_) {
            const auto& o = orders_.at(id).order;
            if (!(o.request().instrument_id == r.instrument_id) || o.request().side != r.side) continue;
            exposure = r.side == Side::Buy ? exposure + o.leaves_quantity() : exposure - o.leaves_quantity();
        }
        exposure = r.side == Side::Buy ? exposure + r.quantity : exposure - r.quantity;
        const Quantity magnitude = exposure.sign() < 0 ? -exposure : exposure;
        if (magnitude > limit->second)
            return fmt::format("position {} {} would exceed max_position {}", r.instrument_id.view(),
                               exposure.to_string(), limit->second.to_string());
    }
    return std::nullopt;
}

std::string OrderManager::submit(std::string_view strategy, OrderRequest request, const SubmitOptions& options) {
    Publish out;
    bool send = false;
    std::string id;
    ExecutionVenue* venue = nullptr;
    {
        std::lock_guard lock(m_);
        if (request.client_order_id.empty()) {
            request.client_order_id.assign(next_id(strategy));
        } else if (orders_.contains(request.client_order_id.view())) {
            throw std::invalid_argument(fmt::format("client_order_id '{}' is already in use",
                                                    request.client_order_id.view()));
        }
        id = request.client_order_id.str();
        const auto ts = now();
        Entry entry{std::string(strategy), Order(request, ts)};
        const auto why = options.refuse ? options.refuse : check(request);
        auto& e = orders_.emplace(id, std::move(entry)).first->second;
        venue = route(request.instrument_id);
        if (options.recorded) options.recorded(id);
        out.push_back(Event(EventType::OrderCreated, view_update(e, ts, ts)));
        if (why) {
            e.order.reject(*why, ts);
            stats_.rejected_locally++;
            log::warn("oms", "order rejected before sending",
                      {{"client_order_id", id}, {"strategy", std::string(strategy)}, {"reason", *why}});
        } else {
            e.order.submit(ts);
            e.submitted_at = ts;
            stats_.submitted++;
            send = true;
        }
        out.push_back(Event::order_update(view_update(e, ts, ts)));
        track(e, id);
    }
    publish(out);  // the intent and its state are out before the venue can answer
    if (send) venue->submit(request);
    return id;
}

bool OrderManager::cancel(std::string_view client_order_id) {
    Publish out;
    OrderRequest request;
    {
        std::lock_guard lock(m_);
        const auto it = orders_.find(client_order_id);
        if (it == orders_.end() || !it->second.order.is_open()) return false;
        auto& e = it->second;
        if (e.order.status() == OrderStatus::Submitted) {
            e.cancel_when_acked = true;  // the venue does not know it yet
            return true;
        }
        if (e.order.status() == OrderStatus::PendingCancel) return true;
        if (!e.order.request_cancel(now()).applied()) return false;
        stats_.cancels_sent++;
        request = e.order.request();
        out.push_back(Event::order_update(view_update(e, now(), now())));
    }
    publish(out);
    route(request.instrument_id)->cancel(request.instrument_id, request.client_order_id.view());
    return true;
}

std::size_t OrderManager::cancel_all(std::string_view strategy, const std::optional<InstrumentId>& instrument) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(m_);
        for (const auto& id : open_) {
            const auto& e = orders_.at(id);
            if (!strategy.empty() && e.strategy != strategy) continue;
            if (instrument && !(e.order.request().instrument_id == *instrument)) continue;
            ids.push_back(id);
        }
    }
    std::size_t n = 0;
    for (const auto& id : ids)
        if (cancel(id)) ++n;
    return n;
}

std::string OrderManager::replace(std::string_view client_order_id, std::optional<Price> price,
                                  std::optional<Quantity> quantity) {
    std::string strategy;
    OrderRequest next;
    {
        std::lock_guard lock(m_);
        const auto it = orders_.find(client_order_id);
        if (it == orders_.end() || !it->second.order.is_open()) return {};
        strategy = it->second.strategy;
        next = it->second.order.request();
    }
    if (!cancel(client_order_id)) return {};
    next.client_order_id.clear();
    if (price) next.price = price;
    if (quantity) next.quantity = *quantity;
    return submit(strategy, next);
}

// ---- venue messages (dispatcher thread) ------------------------------------------------------

void OrderManager::on_venue_update(const OrderUpdate& update) {
    Publish out;
    bool send_cancel = false;
    {
        std::lock_guard lock(m_);
        stats_.venue_updates++;
        const auto it = orders_.find(update.client_order_id.view());
        if (it == orders_.end()) {
            if (sparse(++stats_.unknown_orders))
                log::warn("oms", "venue update for an order this engine did not place",
                          {{"client_order_id", update.client_order_id.str()}, {"status", to_string(update.status)}});
            return;
        }
        auto& e = it->second;
        const auto r = e.order.apply(update);
        count(stats_, r);
        if (!r.applied()) return;
        if (update.status == OrderStatus::Rejected) {
            stats_.venue_rejects++;
            log::warn("oms", "order rejected by the venue",
                      {{"client_order_id", it->first}, {"strategy", e.strategy},
                       {"instrument", update.instrument_id.view()}, {"reason", update.reason.view()}});
        }
        out.push_back(Event::order_update(view_update(e, update.ts_event, update.ts_recv)));
        if (e.cancel_when_acked && e.order.is_open() && e.order.status() != OrderStatus::Submitted) {
            e.cancel_when_acked = false;
            if (e.order.request_cancel(now()).applied()) {
                stats_.cancels_sent++;
                out.push_back(Event::order_update(view_update(e, now(), now())));
                send_cancel = true;
            }
        }
        track(e, it->first);
    }
    publish(out);
    if (send_cancel) route(update.instrument_id)->cancel(update.instrument_id, update.client_order_id.view());
}

void OrderManager::on_venue_fill(const Fill& fill) {
    const ExecutionVenue* venue = route(fill.instrument_id);
    const Instrument* inst = venue ? venue->instrument(fill.instrument_id) : nullptr;
    Publish out;
    {
        std::lock_guard lock(m_);
        stats_.venue_fills++;
        const auto it = orders_.find(fill.client_order_id.view());
        if (it == orders_.end()) {
            if (sparse(++stats_.unknown_orders))
                log::warn("oms", "venue fill for an order this engine did not place",
                          {{"client_order_id", fill.client_order_id.str()}, {"trade_id", fill.trade_id}});
            return;
        }
        auto& e = it->second;
        const auto status_before = e.order.status();
        const auto filled_before = e.order.filled_quantity();
        const auto r = e.order.apply(fill);
        count(stats_, r);
        if (!r.applied()) return;
        if (inst) {
            const auto p = account_of(fill.instrument_id).apply_fill(fill, *inst);
            if (!p.applied() && p.status != ApplyStatus::Duplicate)
                log::warn("oms", "fill not applied to the portfolio", {{"trade_id", fill.trade_id}, {"reason", p.reason}});
            if (p.applied()) (void)books_[e.strategy].apply_fill(fill, *inst);
        } else {
            log::error("oms", "fill for an instrument the venue does not list; portfolio not updated",
                       {{"instrument", fill.instrument_id.to_string()}});
        }
        out.push_back(Event::fill(fill));
        if (e.order.status() != status_before || !(e.order.filled_quantity() == filled_before))
            out.push_back(Event::order_update(view_update(e, fill.ts_event, fill.ts_recv)));
        track(e, it->first);
    }
    publish(out);
}

void OrderManager::track(Entry& e, const std::string& id) {
    if (e.order.is_open()) {
        open_.insert(id);
        return;
    }
    open_.erase(id);
    if (e.order.is_terminal() && !e.closed) {
        e.closed = true;
        closed_.emplace_back(now(), id);
    }
}

void OrderManager::prune_closed() {
    const auto cutoff = now() - std::chrono::nanoseconds(config_.closed_order_retention).count();
    while (!closed_.empty() && (closed_.front().first <= cutoff || closed_.size() > config_.max_closed_orders)) {
        orders_.erase(closed_.front().second);
        closed_.pop_front();
        stats_.closed_pruned++;
    }
}

std::size_t OrderManager::check_timeouts() {
    std::vector<OrderRequest> due;
    {
        std::lock_guard lock(m_);
        const auto t = now();
        const auto timeout = std::chrono::nanoseconds(config_.ack_timeout).count();
        for (const auto& id : open_) {
            auto& e = orders_.at(id);
            if (e.order.status() != OrderStatus::Submitted) continue;
            if (t - e.submitted_at < timeout || t - e.last_query < timeout) continue;
            e.last_query = t;
            stats_.queries_sent++;
            due.push_back(e.order.request());
        }
    }
    for (const auto& r : due) {
        log::warn("oms", "no answer from the venue: querying the order",
                  {{"client_order_id", r.client_order_id.str()}});
        route(r.instrument_id)->query(r.instrument_id, r.client_order_id.view());
    }
    return due.size();
}

void OrderManager::publish(Publish& events) {
    for (auto& e : events) {
        e.lane = Lane::Order;
        try {
            (void)engine_.bus().publish(e);  // the order lane never drops; Closed after shutdown
        } catch (const std::exception& ex) {
            log::error("oms", "could not publish an order event", {{"error", ex.what()}});
        }
    }
}

// ---- views -----------------------------------------------------------------------------------

OrderUpdate OrderManager::view_update(const Entry& e, UnixNanos ts_event, UnixNanos ts_recv) const {
    const auto& o = e.order;
    const auto& r = o.request();
    OrderUpdate u;
    u.instrument_id = r.instrument_id;
    u.client_order_id = r.client_order_id;
    u.venue_order_id = o.venue_order_id();
    u.status = o.status();
    u.side = r.side;
    u.type = r.type;
    u.time_in_force = r.time_in_force;
    u.price = r.price.value_or(o.avg_fill_price());
    u.quantity = o.quantity();
    u.filled_quantity = o.filled_quantity();
    u.filled_quote = o.cumulative_quote();
    u.reason.assign(std::string_view(o.last_reason()).substr(0, ReasonText::kCapacity));
    u.ts_event = ts_event;
    u.ts_recv = ts_recv;
    return u;
}

OrderView OrderManager::view(const Entry& e) {
    const auto& o = e.order;
    return OrderView{e.strategy,           o.request(),          o.status(),       o.filled_quantity(),
                     o.leaves_quantity(),  o.avg_fill_price(),   o.cumulative_quote(), o.last_reason(),
                     o.venue_order_id(),   o.ts_init(),          o.ts_last()};
}

std::optional<OrderView> OrderManager::order(std::string_view client_order_id) const {
    std::lock_guard lock(m_);
    const auto it = orders_.find(client_order_id);
    if (it == orders_.end()) return std::nullopt;
    return view(it->second);
}

std::vector<OrderView> OrderManager::orders(std::string_view strategy, bool open_only,
                                            const std::optional<InstrumentId>& instrument) const {
    std::lock_guard lock(m_);
    std::vector<OrderView> out;
    auto wanted = [&](const Entry& e) {
        return (strategy.empty() || e.strategy == strategy) && (!instrument || e.order.request().instrument_id == *instrument);
    };
    if (open_only) {
        for (const auto& id : open_)
            if (const auto& e = orders_.at(id); wanted(e)) out.push_back(view(e));
        return out;
    }
    for (const auto& [id, e] : orders_)
        if (wanted(e)) out.push_back(view(e));
    std::sort(out.begin(), out.end(), [](const OrderView& a, const OrderView& b) {
        return a.ts_init != b.ts_init ? a.ts_init < b.ts_init
                                      : a.request.client_order_id.view() < b.request.client_order_id.view();
    });
    return out;
}

namespace {

// Sums snapshots: balances and fees by asset, positions by instrument (distinct per venue).
void merge(PortfolioSnapshot& into, const PortfolioSnapshot& s) {
    for (const auto& b : s.balances) {
        auto it = std::find_if(into.balances.begin(), into.balances.end(),
                               [&](const Balance& x) { return x.asset == b.asset; });
        if (it == into.balances.end()) {
            into.balances.push_back(b);
        } else {
            it->free += b.free;
            it->locked += b.locked;
            it->ts_event = std::max(it->ts_event, b.ts_event);
        }
    }
    for (const auto& f : s.fees) {
        auto it = std::find_if(into.fees.begin(), into.fees.end(), [&](const AssetAmount& x) { return x.asset == f.asset; });
        if (it == into.fees.end()) into.fees.push_back(f);
        else it->amount += f.amount;
    }
    into.positions.insert(into.positions.end(), s.positions.begin(), s.positions.end());
}

}  // namespace

PortfolioSnapshot OrderManager::portfolio() const {
    std::lock_guard lock(m_);
    PortfolioSnapshot out;
    for (const auto& [venue, account] : accounts_) merge(out, account.snapshot());
    auto by_asset = [](const auto& a, const auto& b) { return a.asset.view() < b.asset.view(); };
    std::sort(out.balances.begin(), out.balances.end(), by_asset);
    std::sort(out.fees.begin(), out.fees.end(), by_asset);
    std::sort(out.positions.begin(), out.positions.end(),
              [](const Position& a, const Position& b) { return a.instrument_id < b.instrument_id; });
    return out;
}

PortfolioSnapshot OrderManager::account(std::string_view venue) const {
    std::lock_guard lock(m_);
    const auto it = accounts_.find(venue);
    if (it == accounts_.end()) throw std::invalid_argument("no venue named '" + std::string(venue) + "'");
    return it->second.snapshot();
}

std::vector<std::string> OrderManager::venues() const {
    std::lock_guard lock(m_);
    std::vector<std::string> out;
    for (const auto* v : venue_list_) out.push_back(v->name());
    return out;
}

std::vector<StrategyPnl> OrderManager::strategy_pnl() const {
    std::lock_guard lock(m_);
    std::vector<StrategyPnl> out;
    for (const auto& [strategy, book] : books_)
        out.push_back(StrategyPnl{strategy, book.snapshot().positions, book.fill_count()});
    return out;
}

Position OrderManager::position(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    const auto it = accounts_.find(instrument.venue());
    if (it != accounts_.end()) return it->second.position(instrument);
    if (venue_list_.size() == 1) return accounts_.at(venue_list_.front()->name()).position(instrument);
    Position p;
    p.instrument_id = instrument;
    return p;
}

const Instrument* OrderManager::instrument(const InstrumentId& id) const {
    const ExecutionVenue* venue = route(id);
    return venue ? venue->instrument(id) : nullptr;
}

Quantity OrderManager::closable(const InstrumentId& id) const {
    const Instrument* inst = instrument(id);
    if (!inst) return Quantity();
    const Quantity q = position(id).quantity;
    const Quantity size = inst->round_quantity(q.abs(), Rounding::Down);
    if (size < inst->min_quantity() || size.is_zero()) return Quantity();
    return q.sign() < 0 ? -size : size;
}

Money OrderManager::realized_pnl(const InstrumentId& instrument) const { return position(instrument).realized_pnl; }

Money OrderManager::unrealized_pnl(const InstrumentId& instrument) const {
    const auto mark = prices_->last_price(instrument);
    return mark ? position(instrument).unrealized_pnl(*mark) : Money();
}

std::optional<Price> OrderManager::last_price(const InstrumentId& instrument) const {
    return prices_->last_price(instrument);
}

OmsStats OrderManager::stats() const {
    std::lock_guard lock(m_);
    auto s = stats_;
    s.orders_in_memory = orders_.size();
    s.open_orders = open_.size();
    return s;
}

}  // namespace te::oms
