#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "net/client/http_client.hpp"
#include "net/client/io_thread.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using te::net::HttpClient;
using te::net::HttpClientConfig;
using te::net::HttpError;
using te::net::HttpRequest;
using te::testing::HttpTestServer;
namespace http = boost::beast::http;

namespace {

HttpClientConfig config_for(const std::string& url) {
    HttpClientConfig c;
    c.base_url = url;
    c.default_timeout = 2s;
    return c;
}

HttpRequest get(std::string target) {
    HttpRequest r;
    r.target = std::move(target);
    return r;
}

}  // namespace

TEST(HttpClient, GetAndPostWithHeadersOverOneKeptAliveConnection) {
    HttpTestServer server;
    te::net::IoThread io;
    HttpClient client(io.context(), config_for(server.url()));
    auto req = get("/echo?a=1");
    req.headers.emplace_back("X-Test", "yes");
    auto res = client.request(req);
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.body, "GET /echo?a=1 ");
    EXPECT_EQ(res.header("x-test").value_or(""), "yes");
    EXPECT_GT(res.latency_ns, 0);
    HttpRequest post;
    post.method = http::verb::post;
    post.target = "/echo";
    post.body = "symbol=BTCUSDT";
    post.content_type = "application/x-www-form-urlencoded";
    for (int i = 0; i < 10; ++i) EXPECT_EQ(client.request(post).body, "POST /echo symbol=BTCUSDT");
    EXPECT_EQ(server.connections_accepted(), 1);
    EXPECT_EQ(client.stats().connections_opened, 1u);
    EXPECT_EQ(client.stats().connections_reused, 10u);
}

TEST(HttpClient, ServerClosedIdleConnectionsAreNotUsed) {
    HttpTestServer server;
    te::net::IoThread io;
    HttpClient client(io.context(), config_for(server.url()));
    EXPECT_EQ(client.request(get("/echo")).status, 200u);
    ASSERT_TRUE(te::testing::eventually([&] { return server.close_idle_connections() == 1; }));
    HttpRequest post;
    post.method = http::verb::post;  // not retried on failure, so it must not meet a dead connection
    post.target = "/echo";
    EXPECT_EQ(client.request(post).status, 200u);
    EXPECT_EQ(server.connections_accepted(), 2);
}

TEST(HttpClient, TimeoutSaysTheRequestMayHaveBeenSent) {
    HttpTestServer server;
    te::net::IoThread io;
    HttpClient client(io.context(), config_for(server.url()));
    auto req = get("/slow?ms=2000");
    req.timeout = 100ms;
    try {
        client.request(req);
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_EQ(e.kind(), HttpError::Kind::Timeout);
        EXPECT_TRUE(e.maybe_sent());
        EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos);
    }
    EXPECT_EQ(client.request(get("/echo")).status, 200u);  // the client recovers
}

TEST(HttpClient, ConnectFailureSaysNothingWasSent) {
    unsigned short port;
    {
        HttpTestServer gone;
        port = gone.port();
    }
    te::net::IoThread io;
    HttpClient client(io.context(), config_for("http://127.0.0.1:" + std::to_string(port)));
    try {
        client.request(get("/echo"));
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_EQ(e.kind(), HttpError::Kind::Connect);
        EXPECT_FALSE(e.maybe_sent());
    }
    EXPECT_THROW(client.request(get("/echo")), te::ConnectionLostError);
}

TEST(HttpClient, HostileResponsesAreReportedNotFollowed) {
    HttpTestServer server;
    te::net::IoThread io;
    auto config = config_for(server.url());
    config.max_body_bytes = 1024;
    HttpClient client(io.context(), config);
    EXPECT_EQ(client.request(get("/redirect")).status, 302u);  // returned, not followed
    try {
        client.request(get("/big?bytes=100000"));
        FAIL();
    } catch (const HttpError& e) {
        EXPECT_EQ(e.kind(), HttpError::Kind::TooLarge);
    }
    EXPECT_THROW(client.request(get("/drop")), HttpError);
    EXPECT_THROW(client.request(get("/garbage")), HttpError);
    EXPECT_EQ(client.request(get("/close")).body, "bye");
    EXPECT_EQ(client.request(get("/echo")).status, 200u);
    EXPECT_EQ(client.request(get("/missing")).status, 404u);
}

TEST(HttpClient, BadInputIsRefusedBeforeAnyConnection) {
    te::net::IoThread io;
    EXPECT_THROW(HttpClient(io.context(), config_for("ws://127.0.0.1:1")), te::ConfigError);
    EXPECT_THROW(HttpClient(io.context(), config_for("not a url")), te::ConfigError);
    HttpClient client(io.context(), config_for("http://127.0.0.1:1"));
    EXPECT_THROW(client.request(get("no-slash")), std::invalid_argument);
    EXPECT_EQ(client.stats().connections_opened, 0u);
}

TEST(HttpClient, TlsWithVerification) {
    const auto dir = std::filesystem::temp_directory_path() / ("te_https_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto cert = te::testing::TestCertificate::create(dir.string());
    {
        HttpTestServer server(&cert);
        te::net::IoThread io;
        auto trusted = config_for(server.url("localhost"));
        trusted.tls.ca_file = cert.cert_file;
        HttpClient ok(io.context(), trusted);
        EXPECT_EQ(ok.request(get("/echo")).body, "GET /echo ");
        HttpClient untrusted(io.context(), config_for(server.url("localhost")));
        EXPECT_THROW(untrusted.request(get("/echo")), HttpError);
        auto mismatch = config_for(server.url("127.0.0.1"));
        mismatch.tls.ca_file = cert.cert_file;
        HttpClient wrong_name(io.context(), mismatch);
        EXPECT_THROW(wrong_name.request(get("/echo")), HttpError);
    }
    std::filesystem::remove_all(dir);
}
