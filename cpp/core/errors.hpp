#pragma once
// The one error hierarchy of tradeengine. Each class is mapped to a Python exception of the
// same name under `tradeengine`, all deriving from `tradeengine.TradeEngineError`
// (cpp/bindings/bind_errors.cpp). Invalid arguments use std::invalid_argument (ValueError),
// arithmetic range errors std::overflow_error (OverflowError) and DivisionByZero
// (ZeroDivisionError), so Python users get the built-in exception they expect.
#include <stdexcept>
#include <string>

namespace te {

class TradeEngineError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class StateTransitionError : public TradeEngineError {
public:
    using TradeEngineError::TradeEngineError;
};

class EngineNotRunningError : public TradeEngineError {
public:
    using TradeEngineError::TradeEngineError;
};

class QueueFullError : public TradeEngineError {
public:
    using TradeEngineError::TradeEngineError;
};

class ConfigError : public TradeEngineError {
public:
    using TradeEngineError::TradeEngineError;
};

// Bad input data (a backtest's CSV or DataFrame): the message names the file and line, or the
// bar. A ConfigError, so code that guards a run's inputs catches both.
class DataError : public ConfigError {
public:
    using ConfigError::ConfigError;
};

// What a venue answered, as data: code and message are the venue's own (Binance: -2010,
// "Account has insufficient balance for requested action."), never parsed back from what().
struct VenueAnswer {
    int http_status = 0;  // 0: no HTTP answer (a timeout, a lost connection)
    int code = 0;         // the venue's error code; 0 when it gave none
    std::string message;  // the venue's own words ("" when it gave none)
};

class VenueError : public TradeEngineError {
public:
    explicit VenueError(const std::string& what, VenueAnswer answer = {})
        : TradeEngineError(what), answer_(std::move(answer)) {}
    const VenueAnswer& answer() const noexcept { return answer_; }
    int code() const noexcept { return answer_.code; }
    int http_status() const noexcept { return answer_.http_status; }
    const std::string& venue_message() const noexcept { return answer_.message; }

private:
    VenueAnswer answer_;
};

class OrderRejectedError : public VenueError {
public:
    using VenueError::VenueError;
};

class RateLimitedError : public VenueError {
public:
    using VenueError::VenueError;
};

class AuthenticationError : public VenueError {
public:
    using VenueError::VenueError;
};

class ConnectionLostError : public VenueError {
public:
    using VenueError::VenueError;
};

// Division of a Decimal by zero (ZeroDivisionError in Python).
class DivisionByZero : public std::domain_error {
public:
    using std::domain_error::domain_error;
};

}  // namespace te
