#pragma once
// The engine side of a venue: what a market-data client receives goes to the engine's data
// entry points (candles to on_candle_received, trades and quotes to the data lane), and what an
// execution client learns about orders goes onto the order lane as ORDER_UPDATE, ORDER_FILL,
// ORDER_REJECT, BALANCE_UPDATE and ALERT events. C++ and Python connectors feed the engine
// through the same TradingEngine calls, so the engine treats them alike.
//
// Called on a venue's IO thread; never throws (the engine's entry points never do).
#include <atomic>
#include <string_view>

#include "engine/trading_engine.hpp"
#include "venues/data_sink.hpp"
#include "venues/execution_sink.hpp"

namespace te {

class EngineDataSink final : public DataSink {
public:
    explicit EngineDataSink(TradingEngine& engine) noexcept : engine_(engine) {}
    void on_candle(const Candle& candle) noexcept override { engine_.on_candle_received(candle); }
    void on_trade(const Trade& trade) noexcept override { engine_.on_trade_received(trade); }
    void on_quote(const Quote& quote) noexcept override { engine_.on_quote_received(quote); }

private:
    TradingEngine& engine_;
};

// `for_order_manager`: publish VENUE_ORDER_UPDATE and VENUE_FILL instead, for an order
// manager to apply before it publishes ORDER_UPDATE / ORDER_FILL / ORDER_REJECT itself (so
// handlers always find the order manager's state already updated, and never see a stale or
// duplicate venue message).
class EngineExecutionSink final : public ExecutionSink {
public:
    explicit EngineExecutionSink(TradingEngine& engine, bool for_order_manager = false) noexcept
        : engine_(engine), for_order_manager_(for_order_manager) {}
    void set_for_order_manager(bool on) noexcept { for_order_manager_.store(on); }
    void on_order_update(const OrderUpdate& update) noexcept override;
    void on_fill(const Fill& fill) noexcept override;
    void on_balance(const Balance& balance) noexcept override;
    void on_alert(std::string_view kind, std::string_view message) noexcept override;

private:
    TradingEngine& engine_;
    std::atomic<bool> for_order_manager_;
};

}  // namespace te
