#include "strategy/strategy.hpp"

#include "core/errors.hpp"

namespace te {

Strategy::Strategy(std::string name, StrategyOptions options) : options_(std::move(options)) {
    options_.name = std::move(name);
}

void Strategy::attach(StrategyRuntime& runtime, StrategyId id) {
    if (runtime_) throw std::invalid_argument("strategy " + name() + " is already added to a node");
    runtime_ = &runtime;
    id_ = id;
}

StrategyRuntime& Strategy::runtime() const {
    if (!runtime_) throw EngineNotRunningError("strategy " + name() + " is not added to a node yet");
    return *runtime_;
}

void Strategy::subscribe_candles(const InstrumentId& instrument, Interval interval) {
    runtime().subscribe(id_, StreamKey{StreamKind::Candles, instrument, interval});
}

void Strategy::subscribe_trades(const InstrumentId& instrument) {
    runtime().subscribe(id_, StreamKey{StreamKind::Trades, instrument, Interval::M1});
}

void Strategy::subscribe_quotes(const InstrumentId& instrument) {
    runtime().subscribe(id_, StreamKey{StreamKind::Quotes, instrument, Interval::M1});
}

void Strategy::unsubscribe(const StreamKey& stream) { runtime().unsubscribe(id_, stream); }

std::string Strategy::submit(OrderRequest request) { return runtime().submit(id_, request); }

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

bool Strategy::cancel(std::string_view client_order_id) { return runtime().cancel(id_, client_order_id); }

std::size_t Strategy::cancel_all(const std::optional<InstrumentId>& instrument) {
    return runtime().cancel_all(id_, instrument);
}

void Strategy::set_timer(std::string name, UnixNanos interval, bool once) {
    runtime().set_timer(id_, std::move(name), interval, once);
}

bool Strategy::cancel_timer(std::string_view name) { return runtime().cancel_timer(id_, name); }

oms::Position Strategy::position(const InstrumentId& instrument) const {
    return runtime().order_manager().position(instrument);
}

bool Strategy::is_flat(const InstrumentId& instrument) const {
    return runtime().order_manager().closable(instrument).is_zero();
}

std::optional<std::string> Strategy::close_position(const InstrumentId& instrument) {
    const Quantity q = runtime().order_manager().closable(instrument);
    if (q.is_zero()) return std::nullopt;
    return q.sign() > 0 ? sell(instrument, q) : buy(instrument, -q);
}

std::optional<Price> Strategy::last_price(const InstrumentId& instrument) const {
    return runtime().order_manager().last_price(instrument);
}

std::vector<oms::OrderView> Strategy::open_orders() const {
    return runtime().order_manager().orders(name(), true);
}

}  // namespace te
