#include "test_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <future>
#include <stdexcept>

namespace te::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

TestCertificate TestCertificate::create(const std::string& dir) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:localhost");
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &v3, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(cert, bc, -1);
    X509_EXTENSION_free(bc);
    X509_sign(cert, key, EVP_sha256());
    TestCertificate out{dir + "/cert.pem", dir + "/key.pem"};
    FILE* f = std::fopen(out.cert_file.c_str(), "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
    f = std::fopen(out.key_file.c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (predicate()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

// One accepted connection; plain and TLS share the code through a type-erased stream.
struct WsTestServer::Session : std::enable_shared_from_this<WsTestServer::Session> {
    WsTestServer& server;
    std::unique_ptr<websocket::stream<beast::tcp_stream>> plain;
    std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> tls;
    beast::flat_buffer buffer;
    std::vector<std::string> outbox;
    bool writing = false;

    explicit Session(WsTestServer& s) : server(s) {}

    template <class F>
    void with_stream(F&& f) {
        if (plain)
            f(*plain);
        else
            f(*tls);
    }

    void start() {
        with_stream([this](auto& ws) {
            // The stream (owned by this session) keeps the callback: capturing a shared_ptr to
            // the session here would be a cycle that outlives every connection.
            ws.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
                if (kind == websocket::frame_type::pong) {
                    std::lock_guard lock(server.mutex_);
                    server.pongs_.emplace_back(payload);
                }
            });
            ws.async_accept([self = shared_from_this()](beast::error_code ec) {
                if (ec) return;
                self->server.open_++;
                self->read();
            });
        });
    }

    void read() {
        if (server.mode_ == Mode::Silent) return;  // a stalled peer: neither reads nor writes
        with_stream([this](auto& ws) {
            ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) {
                    self->server.open_--;
                    return;
                }
                std::string text = beast::buffers_to_string(self->buffer.data());
                self->buffer.consume(self->buffer.size());
                {
                    std::lock_guard lock(self->server.mutex_);
                    self->server.received_.push_back(text);
                    self->server.received_times_.push_back(std::chrono::steady_clock::now());
                }
                self->write("echo:" + text);
                self->read();
            });
        });
    }

    void write(std::string text) {
        outbox.push_back(std::move(text));
        if (!writing) flush();
    }

    void flush() {
        if (outbox.empty()) {
            writing = false;
            return;
        }
        writing = true;
        auto text = std::make_shared<std::string>(std::move(outbox.front()));
        outbox.erase(outbox.begin());
        with_stream([this, text](auto& ws) {
            ws.text(true);
            ws.async_write(asio::buffer(*text), [self = shared_from_this(), text](beast::error_code ec, std::size_t) {
                if (ec) return;
                self->flush();
            });
        });
    }

    void ping(const std::string& payload) {
        with_stream([this, payload](auto& ws) {
            ws.async_ping(websocket::ping_data(payload.c_str()), [self = shared_from_this()](beast::error_code) {});
        });
    }

    void drop() {
        with_stream([](auto& ws) {
            beast::error_code ec;
            beast::get_lowest_layer(ws).socket().close(ec);
        });
    }
};

WsTestServer::WsTestServer(const TestCertificate* tls) : acceptor_(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    if (tls) {
        tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        tls_->use_certificate_chain_file(tls->cert_file);
        tls_->use_private_key_file(tls->key_file, asio::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    accept_loop();
    thread_ = std::thread([this] { ctx_.run(); });
}

WsTestServer::~WsTestServer() {
    std::promise<void> closed;
    asio::post(ctx_, [this, &closed] {
        acceptor_.close();
        drop_all_now();
        closed.set_value();
    });
    closed.get_future().wait();
    ctx_.stop();
    thread_.join();
}

std::string WsTestServer::url(const std::string& host) const {
    return std::string(tls_ ? "wss://" : "ws://") + host + ":" + std::to_string(port_) + "/ws";
}

void WsTestServer::accept_loop() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec) return;
        accepted_++;
        auto session = std::make_shared<Session>(*this);
        if (tls_) {
            session->tls = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), *tls_);
            session->tls->next_layer().async_handshake(asio::ssl::stream_base::server, [session](beast::error_code hec) {
                if (!hec) session->start();
            });
        } else {
            session->plain = std::make_unique<websocket::stream<beast::tcp_stream>>(std::move(socket));
            session->start();
        }
        {
            std::lock_guard lock(mutex_);
            sessions_.push_back(session);
        }
        accept_loop();
    });
}

void WsTestServer::broadcast(const std::string& text) {
    asio::post(ctx_, [this, text] {
        std::lock_guard lock(mutex_);
        for (auto& s : sessions_) s->write(text);
    });
}

void WsTestServer::ping_all(const std::string& payload) {
    asio::post(ctx_, [this, payload] {
        std::lock_guard lock(mutex_);
        for (auto& s : sessions_) s->ping(payload);
    });
}

void WsTestServer::drop_all() {
    asio::post(ctx_, [this] { drop_all_now(); });
}

void WsTestServer::drop_all_now() {
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(mutex_);
        live.swap(sessions_);
    }
    for (auto& s : live) s->drop();
}

std::vector<std::string> WsTestServer::received() {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<std::chrono::steady_clock::time_point> WsTestServer::received_times() {
    std::lock_guard lock(mutex_);
    return received_times_;
}

std::vector<std::string> WsTestServer::pongs() {
    std::lock_guard lock(mutex_);
    return pongs_;
}

}  // namespace te::testing
