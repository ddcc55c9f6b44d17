#include "oms/order_manager.hpp"

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
    }
}

}  // namespace

OrderManager::OrderManager(TradingEngine& engine, ExecutionVenue& venue, OmsConfig config)
    : engine_(engine), venue_(venue), config_(std::move(config)) {
    prefix_ = config_.id_prefix.empty() ? "te" + base36(static_cast<std::uint64_t>(now() / kNanosPerSecond))
                                        : config_.id_prefix;
    if (prefix_.size() > 12) throw std::invalid_argument("invalid id_prefix '" + prefix_ + "': expected at most 12 characters");
    auto& bus = engine_.bus();
    subscriptions_.push_back(bus.subscribe(
        EventType::VenueOrderUpdate, [this](const Event& e) { on_venue_update(e.get<OrderUpdate>()); },
        "oms.venue_order_update"));
    subscriptions_.push_back(bus.subscribe(
        EventType::VenueFill, [this](const Event& e) { on_venue_fill(e.get<Fill>()); }, "oms.venue_fill"));
    for (auto type : {EventType::CandleUpdate, EventType::CandleClosed, EventType::Trade, EventType::Quote})
        subscriptions_.push_back(bus.subscribe(type, [this](const Event& e) { on_market(e); }, "oms.last_price"));
    timeout_timer_ = engine_.scheduler().schedule_periodic("oms.timeouts", kNanosPerSecond);
    subscriptions_.push_back(bus.subscribe(
        EventType::ScheduledTrigger,
        [this](const Event& e) {
            if (std::get<ScheduledTrigger>(e.payload).timer_id == timeout_timer_) check_timeouts();
        },
        "oms.timeouts"));
}

OrderManager::~OrderManager() {
    engine_.scheduler().cancel(timeout_timer_);
    for (auto id : subscriptions_) engine_.bus().unsubscribe(id);
}

void OrderManager::set_balance(const Balance& balance) {
    std::lock_guard lock(m_);
    portfolio_.set_balance(balance);
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
    const Instrument* inst = venue_.instrument(r.instrument_id);
    if (!inst) return fmt::format("unknown instrument {} on {}", r.instrument_id.view(), venue_.name());
    const bool market = r.type == OrderType::Market;
    if (!(market && r.quote_quantity)) {
        if (auto why = inst->check_order(market ? std::nullopt : r.price, r.quantity)) return why;
    }
    std::optional<Price> price = market ? std::nullopt : r.price;
    if (!price) {
        const auto lp = last_prices_.find(r.instrument_id);
        if (lp != last_prices_.end()) price = lp->second;
    }
    if (config_.max_order_notional && price) {
        const Money notional = r.quote_quantity ? *r.quote_quantity : *price * r.quantity;
        if (notional > *config_.max_order_notional)
            return fmt::format("order notional {} exceeds max_order_notional {}", notional.to_string(),
                               config_.max_order_notional->to_string());
    }
    const auto limit = config_.max_position.find(r.instrument_id);
    if (limit != config_.max_position.end() && !r.quote_quantity) {
        // The worst case: the position now, plus every open order on the same side, plus this one.
        Quantity exposure = portfolio_.position(r.instrument_id).quantity;
        for (const auto& [id, e] : orders_) {
            const auto& o = e.order;
            if (!o.is_open() || !(o.request().instrument_id == r.instrument_id) || o.request().side != r.side) continue;
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

std::string OrderManager::submit(std::string_view strategy, OrderRequest request) {
    Publish out;
    bool send = false;
    std::string id;
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
        const auto why = check(request);
        auto& e = orders_.emplace(id, std::move(entry)).first->second;
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
    }
    publish(out);  // the intent and its state are out before the venue can answer
    if (send) {
        auto sent = request;
        venue_.submit(sent);
    }
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
    venue_.cancel(request.instrument_id, request.client_order_id.view());
    return true;
}

std::size_t OrderManager::cancel_all(std::string_view strategy, const std::optional<InstrumentId>& instrument) {
    std::vector<std::string> ids;
    {
        std::lock_guard lock(m_);
        for (const auto& [id, e] : orders_) {
            if (!e.order.is_open()) continue;
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
        out.push_back(Event::order_update(view_update(e, update.ts_event, update.ts_recv)));
        if (e.cancel_when_acked && e.order.is_open() && e.order.status() != OrderStatus::Submitted) {
            e.cancel_when_acked = false;
            if (e.order.request_cancel(now()).applied()) {
                stats_.cancels_sent++;
                out.push_back(Event::order_update(view_update(e, now(), now())));
                send_cancel = true;
            }
        }
    }
    publish(out);
    if (send_cancel) venue_.cancel(update.instrument_id, update.client_order_id.view());
}

void OrderManager::on_venue_fill(const Fill& fill) {
    const Instrument* inst = venue_.instrument(fill.instrument_id);
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
            const auto p = portfolio_.apply_fill(fill, *inst);
            if (!p.applied() && p.status != ApplyStatus::Duplicate)
                log::warn("oms", "fill not applied to the portfolio", {{"trade_id", fill.trade_id}, {"reason", p.reason}});
        } else {
            log::error("oms", "fill for an instrument the venue does not list; portfolio not updated",
                       {{"instrument", fill.instrument_id.to_string()}});
        }
        out.push_back(Event::fill(fill));
        if (e.order.status() != status_before || !(e.order.filled_quantity() == filled_before))
            out.push_back(Event::order_update(view_update(e, fill.ts_event, fill.ts_recv)));
    }
    publish(out);
}

void OrderManager::on_market(const Event& event) {
    std::optional<std::pair<InstrumentId, Price>> seen;
    if (const auto* c = std::get_if<Candle>(&event.payload)) seen.emplace(c->instrument_id, c->close);
    else if (const auto* t = std::get_if<Trade>(&event.payload)) seen.emplace(t->instrument_id, t->price);
    else if (const auto* q = std::get_if<Quote>(&event.payload)) {
        if (q->bid_price.sign() > 0 && q->ask_price.sign() > 0)
            seen.emplace(q->instrument_id, (q->bid_price + q->ask_price) / Decimal::from_int(2));
    }
    if (!seen) return;
    std::lock_guard lock(m_);
    last_prices_.insert_or_assign(seen->first, seen->second);
}

std::size_t OrderManager::check_timeouts() {
    std::vector<OrderRequest> due;
    {
        std::lock_guard lock(m_);
        const auto t = now();
        const auto timeout = std::chrono::nanoseconds(config_.ack_timeout).count();
        for (auto& [id, e] : orders_) {
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
        venue_.query(r.instrument_id, r.client_order_id.view());
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
    for (const auto& [id, e] : orders_) {
        if (open_only && !e.order.is_open()) continue;
        if (!strategy.empty() && e.strategy != strategy) continue;
        if (instrument && !(e.order.request().instrument_id == *instrument)) continue;
        out.push_back(view(e));
    }
    return out;
}

PortfolioSnapshot OrderManager::portfolio() const {
    std::lock_guard lock(m_);
    return portfolio_.snapshot();
}

Position OrderManager::position(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    return portfolio_.position(instrument);
}

Money OrderManager::realized_pnl(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    return portfolio_.realized_pnl(instrument);
}

Money OrderManager::unrealized_pnl(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    const auto it = last_prices_.find(instrument);
    return it == last_prices_.end() ? Money() : portfolio_.unrealized_pnl(instrument, it->second);
}

std::optional<Price> OrderManager::last_price(const InstrumentId& instrument) const {
    std::lock_guard lock(m_);
    const auto it = last_prices_.find(instrument);
    return it == last_prices_.end() ? std::nullopt : std::optional<Price>(it->second);
}

OmsStats OrderManager::stats() const {
    std::lock_guard lock(m_);
    return stats_;
}

}  // namespace te::oms
