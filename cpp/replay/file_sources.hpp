#pragma once
// Data sources that stream from files (never loading them whole): Binance kline CSVs and
// trades / aggTrades CSVs, through the readers in kline_csv.hpp and trade_csv.hpp.
#include <optional>
#include <string>

#include "replay/data_source.hpp"
#include "replay/kline_csv.hpp"
#include "replay/trade_csv.hpp"

namespace te::replay {

class KlineFileSource final : public DataSource {
public:
    KlineFileSource(std::string path, InstrumentId instrument, std::optional<Interval> interval = std::nullopt)
        : reader_(std::move(path), instrument, interval) {}
    bool next(MarketItem& out) override;
    std::string describe() const override { return reader_.path(); }
    std::vector<DataGap> gaps() const override { return reader_.gaps(); }

private:
    KlineCsvReader reader_;
};

class TradeFileSource final : public DataSource {
public:
    TradeFileSource(std::string path, InstrumentId instrument) : reader_(std::move(path), instrument) {}
    bool next(MarketItem& out) override;
    std::string describe() const override { return reader_.path(); }

private:
    TradeCsvReader reader_;
};

}  // namespace te::replay
