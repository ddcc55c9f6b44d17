#pragma once
// Where a venue's market-data client delivers what it receives. The engine implements it
// (candles to on_candle_received, trades and quotes to the data lane); tests record. Called
// on the client's IO thread: implementations must be quick and must not throw.
#include "core/market.hpp"

namespace te {

class DataSink {
public:
    virtual ~DataSink() = default;
    virtual void on_candle(const Candle& candle) noexcept = 0;  // in progress (closed=false) or final
    virtual void on_trade(const Trade& trade) noexcept = 0;
    virtual void on_quote(const Quote& quote) noexcept = 0;
};

}  // namespace te
