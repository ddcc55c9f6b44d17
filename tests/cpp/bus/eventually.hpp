#pragma once
// Polls a predicate until it holds or a deadline passes: tests never sleep-and-hope.
#include <chrono>
#include <thread>

namespace te::testing {

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return pred();
}

}  // namespace te::testing
