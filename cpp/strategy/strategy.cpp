#include "strategy/strategy.hpp"

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te {

Strategy::Strategy(std::string name, oms::OrderManager& oms) : name_(std::move(name)), oms_(oms) {}

Strategy::~Strategy() {
    if (engine_)
        for (auto id : subscriptions_) engine_->bus().unsubscribe(id);
}

template <class F>
void Strategy::guarded(std::string_view callback, F&& f) {
    std::lock_guard lock(m_);
    if (paused_ || stopped_) return;
    try {
        f();
    } catch (const std::exception& e) {
        ++errors_;
        paused_ = true;
        log::error("strategy", "callback failed; strategy paused and its orders canceled",
                   {{"strategy", name_}, {"callback", std::string(callback)}, {"error", e.what()}});
        oms_.cancel_all(name_);
    }
}

bool Strategy::owns(std::string_view client_order_id) const {
    const auto view = oms_.order(client_order_id);
    return view && view->strategy == name_;
}

void Strategy::on_start(TradingEngine& engine) {
    engine_ = &engine;
    auto& bus = engine.bus();
    const std::string tag = "strategy." + name_;
    subscriptions_.push_back(bus.subscribe(
        EventType::CandleClosed,
        [this](const Event& e) {
            const auto& c = std::get<Candle>(e.payload);
            if (candles_.contains({c.instrument_id, c.interval})) guarded("on_candle", [&] { on_candle(c); });
        },
        tag));
    subscriptions_.push_back(bus.subscribe(
        EventType::Trade,
        [this](const Event& e) {
            const auto& t = std::get<Trade>(e.payload);
            if (trades_.contains(t.instrument_id)) guarded("on_trade", [&] { on_trade(t); });
        },
        tag));
    subscriptions_.push_back(bus.subscribe(
        EventType::Quote,
        [this](const Event& e) {
            const auto& q = std::get<Quote>(e.payload);
            if (quotes_.contains(q.instrument_id)) guarded("on_quote", [&] { on_quote(q); });
        },
        tag));
    for (auto type : {EventType::OrderUpdate, EventType::OrderReject})
        subscriptions_.push_back(bus.subscribe(
            type,
            [this](const Event& e) {
                const auto& u = e.get<OrderUpdate>();
                if (owns(u.client_order_id.view())) guarded("on_order_update", [&] { on_order_update(u); });
            },
            tag));
    subscriptions_.push_back(bus.subscribe(
        EventType::OrderFill,
        [this](const Event& e) {
            const auto& f = e.get<Fill>();
            if (owns(f.client_order_id.view())) guarded("on_fill", [&] { on_fill(f); });
        },
        tag));
    subscriptions_.push_back(bus.subscribe(
        EventType::ScheduledTrigger,
        [this](const Event& e) {
            const auto& t = std::get<ScheduledTrigger>(e.payload);
            std::string name;
            {
                std::lock_guard lock(m_);
                const auto it = timers_.find(t.timer_id);
                if (it == timers_.end()) return;
                name = it->second;
            }
            guarded("on_timer", [&] { on_timer(name); });
        },
        tag));
    guarded("on_start", [&] { on_start(); });
}

void Strategy::on_stop(TradingEngine& engine) {
    {
        std::lock_guard lock(m_);
        for (const auto& [id, name] : timers_) engine.scheduler().cancel(id);
        timers_.clear();
    }
    oms_.cancel_all(name_);
    {
        std::lock_guard lock(m_);
        try {
            on_stop();
        } catch (const std::exception& e) {
            log::error("strategy", "on_stop failed", {{"strategy", name_}, {"error", e.what()}});
        }
        stopped_ = true;
    }
}

void Strategy::subscribe_candles(const InstrumentId& instrument, Interval interval) {
    std::lock_guard lock(m_);
    candles_.insert({instrument, interval});
}

void Strategy::subscribe_trades(const InstrumentId& instrument) {
    std::lock_guard lock(m_);
    trades_.insert(instrument);
}

void Strategy::subscribe_quotes(const InstrumentId& instrument) {
    std::lock_guard lock(m_);
    quotes_.insert(instrument);
}

std::string Strategy::submit(OrderRequest request) {
    if (stopped_) throw EngineNotRunningError("strategy " + name_ + " is stopped: no new orders");
    return oms_.submit(name_, request);
}

std::string Strategy::buy(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price) {
    OrderRequest r;
    r.instrument_id = instrument;
    r.side = Side::Buy;
    r.type = price ? OrderType::Limit : OrderType::Market;
    r.quantity = quantity;
    r.price = price;
    return submit(r);
}

std::string Strategy::sell(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price) {
    OrderRequest r;
    r.instrument_id = instrument;
    r.side = Side::Sell;
    r.type = price ? OrderType::Limit : OrderType::Market;
    r.quantity = quantity;
    r.price = price;
    return submit(r);
}

bool Strategy::cancel(std::string_view client_order_id) {
    return owns(client_order_id) && oms_.cancel(client_order_id);
}

std::size_t Strategy::cancel_all(const std::optional<InstrumentId>& instrument) {
    return oms_.cancel_all(name_, instrument);
}

void Strategy::set_timer(std::string_view name, UnixNanos interval) {
    if (!engine_) throw std::logic_error("set_timer before on_start: the strategy has no engine yet");
    const auto id = engine_->scheduler().schedule_periodic(name_ + "." + std::string(name), interval);
    std::lock_guard lock(m_);
    timers_.emplace(id, std::string(name));
}

oms::Position Strategy::position(const InstrumentId& instrument) const { return oms_.position(instrument); }

std::optional<Price> Strategy::last_price(const InstrumentId& instrument) const { return oms_.last_price(instrument); }

std::vector<oms::OrderView> Strategy::open_orders() const { return oms_.orders(name_, true); }

}  // namespace te
