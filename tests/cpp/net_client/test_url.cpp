#include <gtest/gtest.h>

#include "net/client/url.hpp"

using te::net::parse_url;

TEST(Url, ParsesVenueEndpoints) {
    auto u = parse_url("wss://stream.binance.com:9443/stream?streams=btcusdt@kline_1m");
    EXPECT_EQ(u.scheme, "wss");
    EXPECT_EQ(u.host, "stream.binance.com");
    EXPECT_EQ(u.port, 9443);
    EXPECT_EQ(u.target, "/stream?streams=btcusdt@kline_1m");
    EXPECT_TRUE(u.tls());
    EXPECT_TRUE(u.websocket());
    EXPECT_EQ(u.host_header(), "stream.binance.com:9443");

    u = parse_url("https://api.binance.com");
    EXPECT_EQ(u.port, 443);
    EXPECT_EQ(u.target, "/");
    EXPECT_EQ(u.host_header(), "api.binance.com");
    EXPECT_EQ(u.to_string(), "https://api.binance.com/");

    u = parse_url("http://127.0.0.1:8080?x=1");
    EXPECT_EQ(u.target, "/?x=1");
    EXPECT_FALSE(u.tls());

    u = parse_url("ws://[::1]:9000/ws");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.host_header(), "[::1]:9000");
    EXPECT_EQ(parse_url("HTTPS://x.com").scheme, "https");
}

TEST(Url, RejectsMalformedWithTheUrlNamed) {
    for (const char* bad : {"", "api.binance.com", "ftp://x.com", "https://", "https://:443", "http://x.com:0",
                            "http://x.com:65536", "http://x.com:12ab", "http://x.com:", "http://a b.com",
                            "http://user:pw@x.com", "ws://[::1", "ws://[::1]x"}) {
        try {
            parse_url(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
        }
    }
}
