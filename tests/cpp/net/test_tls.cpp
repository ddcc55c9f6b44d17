// TLS is optional in the server: with a certificate and key configured, HTTP and WebSocket
// are served over TLS. The test makes a throwaway self-signed certificate with OpenSSL.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <string>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "net/server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

struct SelfSigned {
    std::string cert = ::testing::TempDir() + "te_test_cert.pem";
    std::string key = ::testing::TempDir() + "te_test_key.pem";
    SelfSigned() {
        EVP_PKEY* pkey = EVP_EC_gen("prime256v1");
        X509* x = X509_new();
        ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
        X509_gmtime_adj(X509_getm_notBefore(x), 0);
        X509_gmtime_adj(X509_getm_notAfter(x), 3600);
        X509_set_pubkey(x, pkey);
        X509_NAME* name = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
        X509_set_issuer_name(x, name);
        X509_sign(x, pkey, EVP_sha256());
        FILE* f = std::fopen(cert.c_str(), "w");
        PEM_write_X509(f, x);
        std::fclose(f);
        f = std::fopen(key.c_str(), "w");
        PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
        std::fclose(f);
        X509_free(x);
        EVP_PKEY_free(pkey);
    }
    ~SelfSigned() {
        std::remove(cert.c_str());
        std::remove(key.c_str());
    }
};

class Echo : public te::net::WsHandler {
    void on_message(te::net::WsConnection& c, std::string_view text) override { c.send(std::string(text)); }
};

}  // namespace

TEST(NetServerTls, HttpsAndWssRoundTrips) {
    SelfSigned files;
    te::net::ServerConfig cfg;
    cfg.tls_certificate_file = files.cert;
    cfg.tls_private_key_file = files.key;
    te::net::Server server(
        cfg, [](const te::net::IncomingRequest&) { return te::net::ServerResponse::json(200, R"({"tls":true})"); },
        [](const te::net::IncomingRequest&, const std::shared_ptr<te::net::WsConnection>&) { return std::make_shared<Echo>(); });
    server.start();
    const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server.port());

    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_verify_mode(asio::ssl::verify_none);  // self-signed, for the test only
    {
        beast::ssl_stream<beast::tcp_stream> s(io, ctx);
        beast::get_lowest_layer(s).connect(ep);
        s.handshake(asio::ssl::stream_base::client);
        http::request<http::string_body> req{http::verb::get, "/x", 11};
        req.set(http::field::host, "127.0.0.1");
        http::write(s, req);
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(s, buf, res);
        EXPECT_EQ(res.body(), R"({"tls":true})");
    }
    {
        websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, ctx);
        beast::get_lowest_layer(ws).connect(ep);
        ws.next_layer().handshake(asio::ssl::stream_base::client);
        ws.handshake("127.0.0.1", "/ws");
        ws.write(asio::buffer(std::string("secure")));
        beast::flat_buffer buf;
        ws.read(buf);
        EXPECT_EQ(beast::buffers_to_string(buf.data()), "secure");
        ws.close(websocket::close_code::normal);
    }
    {  // a plain-text client gets nowhere
        asio::ip::tcp::socket sock(io);
        sock.connect(ep);
        const std::string plain = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        asio::write(sock, asio::buffer(plain));
        char b[256];
        beast::error_code ec;
        const auto n = sock.read_some(asio::buffer(b), ec);
        EXPECT_EQ(std::string(b, ec ? 0 : n).find("200 OK"), std::string::npos);
    }
    server.stop();
}
