#include "venues/binance/binance_venue.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "engine/trading_engine.hpp"

namespace te::binance {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
}

}  // namespace

std::string stream_name(const StreamKey& stream) {
    const auto symbol = lower(stream.instrument.symbol());
    switch (stream.kind) {
        case StreamKind::Candles: return symbol + "@kline_" + std::string(te::to_string(stream.interval));
        case StreamKind::Trades: return symbol + "@trade";
        case StreamKind::Quotes: return symbol + "@bookTicker";
    }
    return symbol;
}

BinanceVenue::BinanceVenue(BinanceVenueConfig config) : Venue(config.name), config_(std::move(config)) {
    if (config_.name.empty()) throw ConfigError("a venue needs a name, like BINANCE");
    auto& md = config_.market_data;
    md.venue = config_.name;
    md.on_demand = true;
    md.symbols.clear();  // the streams come from subscribe()
    md.intervals.clear();
    md.trades = md.quotes = false;
    validate(md);
    if (config_.execution) {
        config_.execution->venue = config_.name;
        validate(*config_.execution);
    }
}

BinanceVenue::~BinanceVenue() {
    // A derived venue's after_stop() is gone by now: it stops itself in its own destructor.
    if (state() != ComponentState::Stopped && state() != ComponentState::Ready) stop();
}

void BinanceVenue::check_interrupted() const {
    if (interrupted_.load()) throw EngineNotRunningError("venue " + name() + ": start interrupted");
}

void BinanceVenue::start(TradingEngine& engine) {
    lifecycle().transition(ComponentState::Starting);
    try {
        check_interrupted();
        before_start(config_);
        check_interrupted();
        if (config_.execution) {
            execution_sink_ = std::make_unique<EngineExecutionSink>(engine, /*for_order_manager=*/true);
            ex_io_ = std::make_unique<net::IoThread>("te-" + lower(name()) + "-ex");
            {
                std::lock_guard lk(m_);
                ex_ = std::make_unique<ExecutionClient>(ex_io_->context(), *config_.execution, *execution_sink_);
            }
            check_interrupted();
            ex_->start();
            check_interrupted();
            for (const auto& b : ex_->account().balances) {
                Balance bal;
                bal.asset = b.asset;
                bal.free = b.free;
                bal.locked = b.locked;
                balances_.push_back(bal);
            }
            adapter_ = std::make_unique<ExecutionAdapter>(ex_io_->context(), *ex_, name());
        }
        check_interrupted();
        data_sink_ = std::make_unique<EngineDataSink>(engine);
        md_io_ = std::make_unique<net::IoThread>("te-" + lower(name()) + "-md");
        md_ = std::make_unique<MarketDataClient>(md_io_->context(), config_.market_data, *data_sink_);
        std::vector<std::string> initial;
        {
            std::lock_guard lk(m_);
            for (const auto& s : streams_) initial.push_back(stream_name(s));
            md_running_ = true;
        }
        if (!initial.empty()) md_->subscribe(std::move(initial));
        md_->start();
    } catch (const std::exception& e) {
        lifecycle().try_transition(ComponentState::Faulted, e.what());
        throw;
    }
    lifecycle().transition(ComponentState::Running);
}

void BinanceVenue::stop_market_data() {
    if (md_stopped_.exchange(true)) return;
    {
        std::lock_guard lk(m_);
        md_running_ = false;
    }
    if (md_) md_->stop();
    if (md_io_) md_io_->stop();
}

void BinanceVenue::stop() {
    if (state() == ComponentState::Stopped) return;
    lifecycle().try_transition(ComponentState::Stopping);
    stop_market_data();
    if (ex_) ex_->stop();
    if (ex_io_) ex_io_->stop();
    after_stop();
    lifecycle().try_transition(ComponentState::Stopped);
}

void BinanceVenue::interrupt() noexcept {
    interrupted_.store(true);
    std::lock_guard lk(m_);
    if (ex_) ex_->abort_start();  // a start() waiting for the user-data stream ends now
}

void BinanceVenue::subscribe(const StreamKey& stream) {
    std::lock_guard lk(m_);
    if (!streams_.insert(stream).second) return;
    by_name_.emplace(stream_name(stream), stream);
    if (md_running_) md_->subscribe({stream_name(stream)});
}

void BinanceVenue::unsubscribe(const StreamKey& stream) {
    std::lock_guard lk(m_);
    if (streams_.erase(stream) == 0) return;
    by_name_.erase(stream_name(stream));
    if (md_running_) md_->unsubscribe({stream_name(stream)});
}

std::vector<Instrument> BinanceVenue::instruments() const {
    return ex_ ? ex_->instruments() : std::vector<Instrument>{};
}

const Instrument* BinanceVenue::instrument(const InstrumentId& id) const {
    return adapter_ ? adapter_->instrument(id) : nullptr;
}

bool BinanceVenue::lists(const InstrumentId& id) const {
    if (id.venue() != name()) return false;
    if (ex_) return instrument(id) != nullptr;
    const auto& symbols = config_.market_data.symbols;
    return symbols.empty() || std::find(symbols.begin(), symbols.end(), id.symbol()) != symbols.end();
}

std::vector<Balance> BinanceVenue::balances() const { return balances_; }

std::vector<FeedStatus> BinanceVenue::feeds() const {
    if (!md_) return {};
    const auto stats = md_->stats();
    const auto now = monotonic_ns();
    std::vector<FeedStatus> out;
    std::lock_guard lk(m_);
    for (const auto& st : stats.streams) {
        const auto it = by_name_.find(st.stream);
        if (it == by_name_.end()) continue;
        FeedStatus f;
        f.stream = it->second;
        f.messages = st.messages;
        f.staleness_s = st.last_message_ns == 0 ? -1.0 : static_cast<double>(now - st.last_message_ns) / 1e9;
        out.push_back(f);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> BinanceVenue::details() const {
    std::vector<std::pair<std::string, std::string>> d;
    d.emplace_back("trading", ex_ ? (ex_->user_stream_ready() ? "user stream subscribed" : "user stream down") : "off");
    if (ex_) {
        const auto s = ex_->stats();
        d.emplace_back("user_stream_subscriptions", std::to_string(s.user_stream_subscriptions));
        d.emplace_back("orders_sent", std::to_string(s.orders_sent));
        d.emplace_back("rate_limited", std::to_string(s.rate_limited));
    }
    if (md_) {
        const auto s = md_->stats();
        d.emplace_back("connections", std::to_string(md_->connections()));
        d.emplace_back("streams", std::to_string(s.streams.size()));
        d.emplace_back("messages", std::to_string(s.messages));
        d.emplace_back("reconnects", std::to_string(s.reconnects));
        d.emplace_back("parse_errors", std::to_string(s.parse_errors));
    }
    return d;
}

}  // namespace te::binance
