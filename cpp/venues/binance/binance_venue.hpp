#pragma once
// Binance as a Node venue: the market-data client (streams subscribed on demand, as strategies
// ask for them) and, when credentials are given, the execution client with its order-manager
// adapter, each on its own IO thread, feeding the engine through the engine sinks. The same
// class talks to the real exchange, its testnet or the simulated exchange: only URLs differ.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "net/client/io_thread.hpp"
#include "venues/binance/execution_adapter.hpp"
#include "venues/binance/execution_client.hpp"
#include "venues/binance/market_data_client.hpp"
#include "venues/engine_sinks.hpp"
#include "venues/venue.hpp"

namespace te::binance {

struct BinanceVenueConfig {
    std::string name = "BINANCE";  // the venue part of instrument ids (BTCUSDT.BINANCE)
    MarketDataConfig market_data;  // URLs and connection settings; streams come from subscribe()
    // Trading: credentials and order settings. None: a data-only venue, which lists the symbols
    // of market_data.symbols (or any symbol, when that is empty).
    std::optional<ExecutionConfig> execution;
};

// "btcusdt@kline_1m", "btcusdt@trade", "btcusdt@bookTicker".
std::string stream_name(const StreamKey& stream);

class BinanceVenue : public Venue {
public:
    explicit BinanceVenue(BinanceVenueConfig config);
    ~BinanceVenue() override;

    void start(TradingEngine& engine) override;
    void stop_market_data() override;
    void stop() override;
    void interrupt() noexcept override;
    void subscribe(const StreamKey& stream) override;
    void unsubscribe(const StreamKey& stream) override;
    ExecutionVenue* execution() noexcept override { return adapter_.get(); }
    std::vector<Instrument> instruments() const override;
    const Instrument* instrument(const InstrumentId& id) const override;
    bool lists(const InstrumentId& id) const override;
    std::vector<Balance> balances() const override;
    std::vector<FeedStatus> feeds() const override;

    // The clients, for stats (null before start()).
    const MarketDataClient* market_data_client() const noexcept { return md_.get(); }
    const ExecutionClient* execution_client() const noexcept { return ex_.get(); }

protected:
    std::vector<std::pair<std::string, std::string>> details() const override;
    // For a venue that runs its own exchange (the simulated one): called first in start(),
    // where the URLs may still be set, and last in stop().
    virtual void before_start(BinanceVenueConfig& /*config*/) {}
    virtual void after_stop() {}

private:
    void check_interrupted() const;

    BinanceVenueConfig config_;
    std::unique_ptr<EngineDataSink> data_sink_;
    std::unique_ptr<EngineExecutionSink> execution_sink_;
    std::unique_ptr<net::IoThread> md_io_, ex_io_;
    std::unique_ptr<MarketDataClient> md_;
    std::unique_ptr<ExecutionClient> ex_;
    std::unique_ptr<ExecutionAdapter> adapter_;
    std::vector<Balance> balances_;
    std::atomic<bool> interrupted_{false};
    std::atomic<bool> md_stopped_{false};
    mutable std::mutex m_;                 // streams_ and the start/stop hand-over
    std::set<StreamKey> streams_;          // wanted now (subscribed before start() too)
    bool md_running_ = false;              // guarded by m_
    std::map<std::string, StreamKey> by_name_;  // stream name -> key, for feeds(); guarded by m_
};

}  // namespace te::binance
