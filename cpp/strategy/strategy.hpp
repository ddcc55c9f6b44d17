#pragma once
// The base class of strategies written in C++: the same callbacks and actions as the Python
// tradeengine.Strategy, with no GIL anywhere, run by the same StrategyRuntime. Add it to a
// Node (Node::add_strategy); its callbacks run on the engine's dispatcher thread, one at a time.
//
//   class Momentum : public te::Strategy {
//   public:
//       Momentum() : Strategy("momentum") {}
//   protected:
//       void on_start() override { subscribe_candles(btc_, te::Interval::M1); }
//       void on_candle(const te::Candle& c) override { if (c.close > c.open) buy(btc_, qty_); }
//   };
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "strategy/runtime.hpp"

namespace te {

class Strategy : public StrategyCallbacks {
public:
    explicit Strategy(std::string name, StrategyOptions options = {});
    const std::string& name() const noexcept { return options_.name; }
    const StrategyOptions& options() const noexcept { return options_; }

    // Called by the runtime's owner (the Node) when the strategy is added.
    void attach(StrategyRuntime& runtime, StrategyId id);
    bool attached() const noexcept { return runtime_ != nullptr; }

protected:
    // ---- subscriptions (the venue subscribes the stream if it is not flowing yet) -----------
    void subscribe_candles(const InstrumentId& instrument, Interval interval);
    void subscribe_trades(const InstrumentId& instrument);
    void subscribe_quotes(const InstrumentId& instrument);
    void unsubscribe(const StreamKey& stream);

    // ---- actions: return at once; a refused order comes back REJECTED with the reason --------
    std::string buy(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price = std::nullopt);
    std::string sell(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price = std::nullopt);
    std::string submit(OrderRequest request);
    bool cancel(std::string_view client_order_id);
    std::size_t cancel_all(const std::optional<InstrumentId>& instrument = std::nullopt);
    void set_timer(std::string name, UnixNanos interval, bool once = false);
    bool cancel_timer(std::string_view name);

    // ---- reading -----------------------------------------------------------------------------
    oms::Position position(const InstrumentId& instrument) const;
    // Nothing sellable (or buyable back) is left: dust below the step or minimum quantity
    // counts as flat. See OrderManager::closable.
    bool is_flat(const InstrumentId& instrument) const;
    // A market order closing what can be closed of the position; nullopt when flat.
    std::optional<std::string> close_position(const InstrumentId& instrument);
    std::optional<Price> last_price(const InstrumentId& instrument) const;
    std::vector<oms::OrderView> open_orders() const;

private:
    StrategyRuntime& runtime() const;

    StrategyOptions options_;
    StrategyRuntime* runtime_ = nullptr;
    StrategyId id_ = 0;
};

}  // namespace te
