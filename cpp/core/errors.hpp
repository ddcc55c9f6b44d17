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

class VenueError : public TradeEngineError {
public:
    using TradeEngineError::TradeEngineError;
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
