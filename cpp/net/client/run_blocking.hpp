#pragma once
// Runs an awaitable on an executor and waits for its result on the calling thread (which must
// not be the executor's own). The hand-off is a mutex and a condition variable rather than a
// std::future: the result (or the exception) is moved across under the mutex, so no reference
// is left on the IO thread to be released concurrently, and ThreadSanitizer can see the
// synchronisation (libstdc++'s future internals are not instrumented).
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

namespace te::net {

template <class Executor, class T>
T run_blocking(const Executor& executor, boost::asio::awaitable<T> op) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::exception_ptr error;
    if constexpr (std::is_void_v<T>) {
        boost::asio::co_spawn(executor, std::move(op), [&](std::exception_ptr e) {
            std::lock_guard lock(m);
            error = std::move(e);
            done = true;
            cv.notify_one();
        });
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return done; });
        if (error) std::rethrow_exception(std::move(error));
    } else {
        std::optional<T> value;
        boost::asio::co_spawn(executor, std::move(op), [&](std::exception_ptr e, T v) {
            std::lock_guard lock(m);
            if (e) error = std::move(e);
            else value.emplace(std::move(v));
            done = true;
            cv.notify_one();
        });
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return done; });
        if (error) std::rethrow_exception(std::move(error));
        return std::move(*value);
    }
}

}  // namespace te::net
