#pragma once
// Builders for the OMS tests: requests, venue updates and fills with readable defaults.
#include <cstdint>
#include <string_view>

#include "core/instrument.hpp"
#include "core/orders.hpp"

namespace te::oms::testing {

inline Price px(std::string_view s) { return Price::parse(s); }
inline Quantity qty(std::string_view s) { return Quantity::parse(s); }
inline Money money(std::string_view s) { return Money::parse(s); }

inline const InstrumentId& btcusdt_id() {
    static const InstrumentId id = InstrumentId::parse("BTCUSDT.BINANCE");
    return id;
}

inline Instrument make_instrument(std::string_view symbol, std::string_view base, std::string_view quote) {
    return Instrument(InstrumentSpec{InstrumentId::of(symbol, "BINANCE"), std::string(base), std::string(quote),
                                     Price::parse("0.00000001"), Quantity::parse("0.00000001"),
                                     Quantity::parse("0.00000001"), Quantity::parse("9000"), Money::parse("0"),
                                     std::nullopt, std::nullopt});
}

inline OrderRequest limit_request(std::string_view quantity = "10", Side side = Side::Buy,
                                  std::string_view client_id = "c-1") {
    OrderRequest r;
    r.instrument_id = btcusdt_id();
    r.client_order_id.assign(client_id);
    r.side = side;
    r.type = OrderType::Limit;
    r.quantity = qty(quantity);
    r.price = px("100");
    return r;
}

inline OrderUpdate update(OrderStatus status, std::string_view filled = "0", std::string_view quote = "0",
                          std::string_view client_id = "c-1") {
    OrderUpdate u;
    u.instrument_id = btcusdt_id();
    u.client_order_id.assign(client_id);
    u.venue_order_id = 777;
    u.status = status;
    u.price = px("100");
    u.quantity = qty("10");
    u.filled_quantity = qty(filled);
    u.filled_quote = money(quote);
    u.ts_event = 1'000;
    u.ts_recv = 1'001;
    return u;
}

inline Fill fill(std::int64_t trade_id, std::string_view quantity, std::string_view price = "100",
                 Side side = Side::Buy, std::string_view client_id = "c-1") {
    Fill f;
    f.instrument_id = btcusdt_id();
    f.client_order_id.assign(client_id);
    f.venue_order_id = 777;
    f.trade_id = trade_id;
    f.side = side;
    f.price = px(price);
    f.quantity = qty(quantity);
    f.ts_event = 2'000 + trade_id;
    f.ts_recv = 2'001 + trade_id;
    return f;
}

}  // namespace te::oms::testing
