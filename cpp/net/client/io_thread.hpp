#pragma once
// One Asio io_context run by one dedicated thread: the home of network clients. Handlers never
// run on any other thread, so a client's state needs no locks beyond its strand.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <string>
#include <thread>

namespace te::net {

class IoThread {
public:
    explicit IoThread(std::string name = "te-io");
    ~IoThread();
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    boost::asio::io_context& context() noexcept { return ctx_; }
    bool on_io_thread() const noexcept { return std::this_thread::get_id() == thread_.get_id(); }
    void stop();  // idempotent; joins the thread

private:
    boost::asio::io_context ctx_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::string name_;
    std::thread thread_;
};

}  // namespace te::net
