#pragma once
// The base class of strategies written in C++: the same callbacks and actions as the Python
// tradeengine.Strategy, with no GIL anywhere. A C++ strategy is an EngineComponent: hand it to
// TradingEngine::set_components; run() calls on_start, stop() calls on_stop (after cancelling
// its open orders). Its callbacks run on the engine's dispatcher thread, under the strategy's
// own mutex, so a strategy never sees two of its callbacks at once (on_start and on_stop run
// on the thread calling run()/stop(), under the same mutex).
//
//   class Momentum : public te::Strategy {
//   public:
//       Momentum(te::oms::OrderManager& oms) : Strategy("momentum", oms) {}
//   protected:
//       void on_start() override { subscribe_candles(btc_, te::Interval::M1); }
//       void on_candle(const te::Candle& c) override { if (c.close > c.open) buy(btc_, qty_); }
//   };
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/trading_engine.hpp"
#include "oms/order_manager.hpp"

namespace te {

class Strategy : public EngineComponent {
public:
    Strategy(std::string name, oms::OrderManager& oms);
    ~Strategy() override;
    std::string name() const override { return name_; }

    // EngineComponent: wiring around the user's on_start / on_stop.
    void on_start(TradingEngine& engine) final;
    void on_stop(TradingEngine& engine) final;

    std::uint64_t errors() const noexcept { return errors_.load(); }
    bool paused() const noexcept { return paused_.load(); }

protected:
    // ---- callbacks (override) ---------------------------------------------------------------
    virtual void on_start() {}
    virtual void on_stop() {}
    virtual void on_candle(const Candle&) {}  // closed candles of subscribed (instrument, interval)
    virtual void on_trade(const Trade&) {}
    virtual void on_quote(const Quote&) {}
    virtual void on_order_update(const OrderUpdate&) {}  // the order manager's state already updated
    virtual void on_fill(const Fill&) {}
    virtual void on_timer(std::string_view /*name*/) {}

    // ---- subscriptions -----------------------------------------------------------------------
    void subscribe_candles(const InstrumentId& instrument, Interval interval);
    void subscribe_trades(const InstrumentId& instrument);
    void subscribe_quotes(const InstrumentId& instrument);

    // ---- actions: return at once; a refused order comes back REJECTED with the reason --------
    std::string buy(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price = std::nullopt);
    std::string sell(const InstrumentId& instrument, Quantity quantity, std::optional<Price> price = std::nullopt);
    std::string submit(OrderRequest request);
    bool cancel(std::string_view client_order_id);
    std::size_t cancel_all(const std::optional<InstrumentId>& instrument = std::nullopt);
    void set_timer(std::string_view name, UnixNanos interval);

    // ---- reading -----------------------------------------------------------------------------
    oms::Position position(const InstrumentId& instrument) const;
    std::optional<Price> last_price(const InstrumentId& instrument) const;
    std::vector<oms::OrderView> open_orders() const;
    oms::OrderManager& order_manager() noexcept { return oms_; }

private:
    // Runs one callback under the mutex; an exception pauses the strategy (logged, counted,
    // its open orders canceled) and the engine goes on.
    template <class F>
    void guarded(std::string_view callback, F&& f);
    bool owns(std::string_view client_order_id) const;
    // Subscribes `type`: its T payload goes to `call` (guarded) when `wanted` says it is ours.
    template <class T, class Wanted, class Call>
    void route(EventBus& bus, EventType type, std::string_view callback, Wanted wanted, Call call);

    std::string name_;
    oms::OrderManager& oms_;
    TradingEngine* engine_ = nullptr;
    std::recursive_mutex m_;
    std::set<std::pair<InstrumentId, Interval>> candles_;
    std::set<InstrumentId> trades_, quotes_;
    std::map<TimerId, std::string> timers_;
    std::vector<SubscriptionId> subscriptions_;
    // Written under m_ on the dispatcher, read from any thread.
    std::atomic<bool> paused_{false};
    std::atomic<bool> stopped_{false};
    std::atomic<std::uint64_t> errors_{0};
};

}  // namespace te
