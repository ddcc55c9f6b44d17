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

template <class T, class Wanted, class Call>
void Strategy::route(EventBus& bus, EventType type, std::string_view callback, Wanted wanted, Call call) {
    subscriptions_.push_back(bus.subscribe(
        type,
        [this, callback, wanted, call](const Event& e) {
            const T& value = e.get<T>();
            if (wanted(value)) guarded(callback, [&] { call(value); });
        },
        "strategy." + name_));
}

void Strategy::on_start(TradingEngine& engine) {
    engine_ = &engine;
    auto& bus = engine.bus();
    const std::string tag = "strategy." + name_;
    route<Candle>(
        bus, EventType::CandleClosed, "on_candle",
        [this](const Candle& c) { return candles_.contains({c.instrument_id, c.interval}); },
        [this](const Candle& c) { on_candle(c); });
    route<Trade>(
        bus, EventType::Trade, "on_trade", [this](const Trade& t) { return trades_.contains(t.instrument_id); },
        [this](const Trade& t) { on_trade(t); });
    route<Quote>(
        bus, EventType::Quote, "on_quote", [this](const Quote& q) { return quotes_.contains(q.instrument_id); },
        [this](const Quote& q) { on_quote(q); });
    const auto ours = [this](const auto& v) { return owns(v.client_order_id.view()); };
    for (auto type : {EventType::OrderUpdate, EventType::OrderReject})
        route<OrderUpdate>(bus, type, "on_order_update", ours, [this](const OrderUpdate& u) { on_order_update(u); });
    route<Fill>(bus, EventType::OrderFill, "on_fill", ours, [this](const Fill& f) { on_fill(f); });
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
