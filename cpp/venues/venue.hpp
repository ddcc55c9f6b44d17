#pragma once
// A venue as the Node sees it (ARCHITECTURE §4a, §6): a name ("SIM", "BINANCE"), a market-data
// side driven by subscriptions, an execution side the order manager sends through, the
// instruments it lists and the account it holds. The simulated exchange and Binance implement
// it today; a new venue implements it without any change to the Node.
//
// Threads: start() and stop() are called by the Node's owner thread; subscribe() and
// unsubscribe() from any thread (the dispatcher, when a strategy subscribes in a callback) and
// must return at once; interrupt() from any thread, to abort a start() in progress.
#include <compare>
#include <string>
#include <vector>

#include "core/instrument.hpp"
#include "core/market.hpp"
#include "core/orders.hpp"
#include "engine/component.hpp"
#include "venues/execution_venue.hpp"

namespace te {

class TradingEngine;

enum class StreamKind : std::uint8_t { Candles, Trades, Quotes };

template <> struct EnumInfo<StreamKind> {
    static constexpr std::string_view type_name = "StreamKind";
    static constexpr std::array<std::string_view, 3> names = {"CANDLES", "TRADES", "QUOTES"};
};

// One market-data stream: closed candles of an instrument at an interval, its trades, or its
// best bid/ask. `interval` only matters for candles.
struct StreamKey {
    StreamKind kind = StreamKind::Candles;
    InstrumentId instrument;
    Interval interval = Interval::M1;

    friend bool operator==(const StreamKey& a, const StreamKey& b) noexcept {
        return a.kind == b.kind && a.instrument == b.instrument && (a.kind != StreamKind::Candles || a.interval == b.interval);
    }
    friend std::strong_ordering operator<=>(const StreamKey& a, const StreamKey& b) noexcept {
        if (auto c = a.kind <=> b.kind; c != 0) return c;
        if (auto c = a.instrument <=> b.instrument; c != 0) return c;
        if (a.kind != StreamKind::Candles) return std::strong_ordering::equal;
        return a.interval <=> b.interval;
    }
    // "BTCUSDT.SIM candles 1m", for messages.
    std::string to_string() const;
};

// How fresh one stream is, for /status.
struct FeedStatus {
    StreamKey stream;
    std::uint64_t messages = 0;
    double staleness_s = -1;  // seconds since its last message; -1 before the first
};

class Venue : public Component {
public:
    explicit Venue(std::string name) : Component(std::move(name), "venue") {}

    // Connects what trading needs and learns what the venue lists and holds (clock sync,
    // instruments, the account, the user-data stream). Blocks; throws ConfigError,
    // AuthenticationError or ConnectionLostError, and EngineNotRunningError once interrupted.
    // `engine` is RUNNING: what the venue receives goes to its entry points.
    virtual void start(TradingEngine& engine) = 0;
    // Stops feeding market data (the first step of a shutdown). Idempotent.
    virtual void stop_market_data() = 0;
    // Stops everything and joins the venue's threads. Idempotent; safe after a failed start().
    virtual void stop() = 0;
    // Aborts a start() in progress from another thread; start() then throws.
    virtual void interrupt() noexcept = 0;

    // Reference-counted by the Node: called once per stream when its first subscriber arrives,
    // unsubscribe() when its last leaves. Returns at once; the stream starts flowing once the
    // venue has subscribed it.
    virtual void subscribe(const StreamKey& stream) = 0;
    virtual void unsubscribe(const StreamKey& stream) = 0;

    // The execution side, or nullptr for a data-only venue. Valid after start().
    virtual ExecutionVenue* execution() noexcept = 0;
    // What the venue lists (after start()). instrument() answers from memory, any thread.
    virtual std::vector<Instrument> instruments() const = 0;
    virtual const Instrument* instrument(const InstrumentId& id) const = 0;
    // Whether the venue has market data for the instrument (a data-only venue may list
    // symbols it has no trading rules for).
    virtual bool lists(const InstrumentId& id) const { return instrument(id) != nullptr; }
    // The account's balances as the venue reported them at start (empty for a data-only venue).
    virtual std::vector<Balance> balances() const = 0;
    virtual std::vector<FeedStatus> feeds() const { return {}; }
};

}  // namespace te
