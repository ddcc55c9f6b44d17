#include <future>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include "test_server.hpp"

namespace te::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct HttpTestServer::Impl {
    HttpTestServer& owner;
    asio::io_context ctx;
    std::unique_ptr<asio::ssl::context> tls;
    tcp::acceptor acceptor{ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::set<std::shared_ptr<tcp::socket>> idle;  // sockets waiting for their next request
    std::thread thread;

    explicit Impl(HttpTestServer& o) : owner(o) {}

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, std::shared_ptr<tcp::socket> raw) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            idle.insert(raw);
            boost::system::error_code ec;
            co_await http::async_read(stream, buffer, req, asio::redirect_error(use_awaitable, ec));
            idle.erase(raw);
            if (ec) co_return;
            const std::string target(req.target());
            const auto path = target.substr(0, target.find('?'));
            const auto param = [&](const std::string& key) -> long {
                const auto at = target.find(key + "=");
                return at == std::string::npos ? 0 : std::stol(target.substr(at + key.size() + 1));
            };
            http::response<http::string_body> res{http::status::ok, 11};
            res.keep_alive(req.keep_alive());
            if (path == "/echo") {
                res.body() = std::string(req.method_string()) + " " + target + " " + req.body();
                if (req.count("X-Test")) res.set("X-Test", req["X-Test"]);
            } else if (path == "/slow") {
                asio::steady_timer timer(ctx, std::chrono::milliseconds(param("ms")));
                co_await timer.async_wait(use_awaitable);
                res.body() = "slow";
            } else if (path == "/big") {
                res.body() = std::string(static_cast<std::size_t>(param("bytes")), 'x');
            } else if (path == "/close") {
                res.keep_alive(false);
                res.body() = "bye";
            } else if (path == "/redirect") {
                res.result(http::status::found);
                res.set(http::field::location, "/echo");
            } else if (path == "/drop") {
                raw->close();
                co_return;
            } else if (path == "/garbage") {
                co_await asio::async_write(stream, asio::buffer(std::string("HTTP/9.9 banana\r\n\r\n")), use_awaitable);
                raw->close();
                co_return;
            } else {
                res.result(http::status::not_found);
            }
            res.prepare_payload();
            co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
            if (ec || !res.keep_alive()) {
                raw->close();
                co_return;
            }
        }
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
            if (ec) co_return;
            owner.accepted_++;
            if (tls) {
                asio::co_spawn(ctx, serve_tls(std::move(socket)), asio::detached);
            } else {
                auto raw = std::make_shared<tcp::socket>(std::move(socket));
                asio::co_spawn(ctx, [this, raw]() -> asio::awaitable<void> { co_await serve(*raw, raw); },
                               asio::detached);
            }
        }
    }

    asio::awaitable<void> serve_tls(tcp::socket socket) {
        auto stream = std::make_shared<asio::ssl::stream<tcp::socket>>(std::move(socket), *tls);
        boost::system::error_code ec;
        co_await stream->async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
        if (ec) co_return;
        // The raw socket handle is owned by the ssl stream; close_idle closes via a non-owning alias.
        auto raw = std::shared_ptr<tcp::socket>(stream, &stream->next_layer());
        co_await serve(*stream, raw);
    }
};

HttpTestServer::HttpTestServer(const TestCertificate* tls) : impl_(std::make_unique<Impl>(*this)), tls_(tls != nullptr) {
    if (tls) {
        impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        impl_->tls->use_certificate_chain_file(tls->cert_file);
        impl_->tls->use_private_key_file(tls->key_file, asio::ssl::context::pem);
    }
    port_ = impl_->acceptor.local_endpoint().port();
    asio::co_spawn(impl_->ctx, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([this] { impl_->ctx.run(); });
}

HttpTestServer::~HttpTestServer() {
    std::promise<void> done;
    asio::post(impl_->ctx, [this, &done] {
        impl_->acceptor.close();
        for (auto& s : impl_->idle) s->close();
        done.set_value();
    });
    done.get_future().wait();
    impl_->ctx.stop();
    impl_->thread.join();
}

std::string HttpTestServer::url(const std::string& host) const {
    return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_);
}

std::size_t HttpTestServer::close_idle_connections() {
    std::promise<std::size_t> done;
    asio::post(impl_->ctx, [this, &done] {
        for (auto& s : impl_->idle) {
            boost::system::error_code ec;
            s->close(ec);
        }
        done.set_value(impl_->idle.size());
    });
    return done.get_future().get();
}

}  // namespace te::testing
