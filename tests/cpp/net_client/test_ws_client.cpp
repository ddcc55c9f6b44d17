#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

#include "core/errors.hpp"
#include "net/client/io_thread.hpp"
#include "net/client/ws_client.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using te::net::WsClient;
using te::net::WsClientConfig;
using te::testing::eventually;
using te::testing::WsTestServer;

namespace {

struct Recorder {
    std::mutex mutex;
    std::vector<std::string> messages, disconnects;
    std::atomic<int> opens{0};

    te::net::WsHandlers handlers() {
        return {[this] { opens++; },
                [this](std::string_view m) {
                    std::lock_guard lock(mutex);
                    messages.emplace_back(m);
                },
                [this](std::string_view r) {
                    std::lock_guard lock(mutex);
                    disconnects.emplace_back(r);
                }};
    }
    std::size_t message_count() {
        std::lock_guard lock(mutex);
        return messages.size();
    }
    std::vector<std::string> reasons() {
        std::lock_guard lock(mutex);
        return disconnects;
    }
};

WsClientConfig fast_config(const std::string& url) {
    WsClientConfig c;
    c.url = url;
    c.connect_timeout = 2s;
    c.backoff.schedule = {10ms, 20ms};
    c.max_messages_per_second = 1000;
    return c;
}

}  // namespace

TEST(WsClient, ConnectsReceivesAndSends) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    WsClient client(io.context(), fast_config(server.url()), rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected() && server.open_connections() == 1; }));
    EXPECT_TRUE(client.send("hello"));
    ASSERT_TRUE(eventually([&] { return rec.message_count() == 1; }));
    EXPECT_EQ(rec.messages[0], "echo:hello");
    server.broadcast("tick");
    ASSERT_TRUE(eventually([&] { return rec.message_count() == 2; }));
    EXPECT_EQ(client.stats().messages, 2u);
    client.stop();
    EXPECT_FALSE(client.connected());
}

TEST(WsClient, AnswersPingsWithThePingPayload) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    WsClient client(io.context(), fast_config(server.url()), rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected() && server.open_connections() == 1; }));
    server.ping_all("1700000000000");
    ASSERT_TRUE(eventually([&] { return !server.pongs().empty(); }));
    EXPECT_EQ(server.pongs()[0], "1700000000000");
    EXPECT_TRUE(eventually([&] { return client.stats().pings == 1; }));
}

TEST(WsClient, ReconnectsAfterTheServerDropsTheConnection) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    WsClient client(io.context(), fast_config(server.url()), rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected(); }));
    server.drop_all();
    ASSERT_TRUE(eventually([&] { return server.connections_accepted() == 2 && client.connected(); }));
    EXPECT_EQ(rec.opens.load(), 2);
    EXPECT_EQ(client.stats().disconnects, 1u);
    EXPECT_EQ(rec.reasons().size(), 1u);
}

TEST(WsClient, SilentPeerIsDetectedAndReplaced) {
    WsTestServer server;
    server.set_mode(WsTestServer::Mode::Silent);
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url());
    config.silence_timeout = 200ms;
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return server.connections_accepted() >= 2; }));
    ASSERT_FALSE(rec.reasons().empty());
    EXPECT_NE(rec.reasons()[0].find("silent or dead"), std::string::npos) << rec.reasons()[0];
}

TEST(WsClient, ReconnectsBeforeTheMaximumConnectionAge) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url());
    config.age = {300ms, 100ms, 0ms, 1};
    config.backoff.schedule = {10s};  // an age reconnect must not wait for backoff
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return rec.opens.load() >= 2; }, 5s));
    EXPECT_EQ(rec.reasons()[0], "maximum connection age reached");
}

TEST(WsClient, ReconnectNowSkipsBackoff) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url());
    config.backoff.schedule = {30s};
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected(); }));
    client.reconnect_now("serverShutdown");
    ASSERT_TRUE(eventually([&] { return rec.opens.load() == 2; }, 5s));
    EXPECT_EQ(rec.reasons().at(0), "serverShutdown");
}

TEST(WsClient, RefusedConnectionsRetryWithinTheAttemptLimit) {
    unsigned short port;
    {
        WsTestServer gone;  // a port that was just free
        port = gone.port();
    }
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config("ws://127.0.0.1:" + std::to_string(port) + "/ws");
    config.max_attempts_per_window = 3;
    config.attempts_window = 60s;
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.stats().attempts == 3; }));
    std::this_thread::sleep_for(200ms);  // backoff is 10-20 ms: without the limit there would be ~10 more
    EXPECT_EQ(client.stats().attempts, 3u);
    EXPECT_EQ(rec.opens.load(), 0);
    client.stop();
}

TEST(WsClient, OversizedMessageDisconnectsAndIsReported) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url());
    config.max_message_bytes = 1024;
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected() && server.open_connections() == 1; }));
    server.broadcast(std::string(4096, 'x'));
    ASSERT_TRUE(eventually([&] { return !rec.reasons().empty(); }));
    EXPECT_NE(rec.reasons()[0].find("max_message_bytes"), std::string::npos) << rec.reasons()[0];
    EXPECT_EQ(rec.message_count(), 0u);
    EXPECT_TRUE(eventually([&] { return client.connected(); }));
}

TEST(WsClient, SendsArePacedToTheVenueMessageRate) {
    WsTestServer server;
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url());
    config.max_messages_per_second = 5;
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected() && server.open_connections() == 1; }));
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(client.send("m" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return server.received().size() == 12; }, 10s));
    const auto received = server.received();
    for (int i = 0; i < 12; ++i) EXPECT_EQ(received[static_cast<std::size_t>(i)], "m" + std::to_string(i));
    const auto times = server.received_times();
    // Never more than 5 in any one-second window (a lower bound: a slow machine only widens it).
    for (std::size_t i = 5; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 5], 990ms) << i;
}

TEST(WsClient, InvalidConfigurationListsEveryProblem) {
    te::net::IoThread io;
    WsClientConfig config;
    config.url = "http://example.com";
    config.backoff.schedule = {};
    config.backoff.jitter = 2;
    config.max_messages_per_second = 0;
    try {
        WsClient client(io.context(), config, {});
        FAIL();
    } catch (const te::ConfigError& e) {
        const std::string msg = e.what();
        for (const char* part : {"ws:// or wss://", "backoff", "max_messages_per_second"})
            EXPECT_NE(msg.find(part), std::string::npos) << msg;
    }
    config.url = "ws://";
    EXPECT_THROW(WsClient(io.context(), config, {}), te::ConfigError);
}

class WsClientTls : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("te_tls_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        cert_ = te::testing::TestCertificate::create(dir_.string());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
    te::testing::TestCertificate cert_;
};

TEST_F(WsClientTls, ConnectsWithVerificationWhenTheCertificateIsTrusted) {
    WsTestServer server(&cert_);
    te::net::IoThread io;
    Recorder rec;
    auto config = fast_config(server.url("localhost"));
    config.tls.ca_file = cert_.cert_file;
    WsClient client(io.context(), config, rec.handlers());
    client.start();
    ASSERT_TRUE(eventually([&] { return client.connected(); }));
    client.send("over tls");
    ASSERT_TRUE(eventually([&] { return rec.message_count() == 1; }));
    EXPECT_EQ(rec.messages[0], "echo:over tls");
}

TEST_F(WsClientTls, RefusesAnUntrustedCertificateAndANameMismatch) {
    WsTestServer server(&cert_);
    te::net::IoThread io;
    Recorder untrusted_rec, mismatch_rec;
    auto untrusted = fast_config(server.url("localhost"));  // no ca_file: the system store lacks it
    auto mismatch = fast_config(server.url("127.0.0.1"));   // trusted, but issued for "localhost"
    mismatch.tls.ca_file = cert_.cert_file;
    WsClient a(io.context(), untrusted, untrusted_rec.handlers());
    WsClient b(io.context(), mismatch, mismatch_rec.handlers());
    a.start();
    b.start();
    ASSERT_TRUE(eventually([&] { return a.stats().attempts >= 2 && b.stats().attempts >= 2; }));
    EXPECT_EQ(untrusted_rec.opens.load(), 0);
    EXPECT_EQ(mismatch_rec.opens.load(), 0);
    EXPECT_FALSE(a.connected());
    EXPECT_FALSE(b.connected());
}
