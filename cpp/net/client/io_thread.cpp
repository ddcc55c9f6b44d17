#include "net/client/io_thread.hpp"

#include <pthread.h>

#include "core/logging.hpp"

namespace te::net {

IoThread::IoThread(std::string name) : work_(ctx_.get_executor()), name_(std::move(name)) {
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
        for (;;) {
            try {
                ctx_.run();
                return;
            } catch (const std::exception& e) {
                // A handler threw: log it and keep serving the other connections.
                log::error("net", "unhandled exception on the IO thread", {{"thread", name_}, {"error", e.what()}});
            }
        }
    });
}

IoThread::~IoThread() { stop(); }

void IoThread::stop() {
    work_.reset();
    ctx_.stop();
    if (thread_.joinable() && !on_io_thread()) thread_.join();
}

}  // namespace te::net
