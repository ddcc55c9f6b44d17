#include <gtest/gtest.h>

#include "venues/binance/signer.hpp"

using namespace te::binance;

namespace {
constexpr const char* kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
}

TEST(Signer, OfficialRestVector) {
    const std::string payload =
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    EXPECT_EQ(hmac_sha256_hex(kSecret, payload), "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST(Signer, OfficialWsApiVectorOverSortedParams) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
        {"quantity", "0.01000000"}, {"price", "52000.00"}, {"recvWindow", "100"}, {"timestamp", "1645423376532"},
        {"apiKey", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"}, {"signature", "ignored"}};
    const auto payload = sorted_payload(params);
    EXPECT_EQ(payload,
              "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0."
              "01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
    EXPECT_EQ(Signer(kSecret).sign(payload), "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST(Signer, VerifyIsCaseInsensitiveAndRejectsOthers) {
    Signer s(kSecret);
    EXPECT_TRUE(s.verify("a=1", s.sign("a=1")));
    std::string upper = s.sign("a=1");
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(s.verify("a=1", upper));
    EXPECT_FALSE(s.verify("a=2", s.sign("a=1")));
    EXPECT_FALSE(s.verify("a=1", ""));
    EXPECT_FALSE(s.verify("a=1", s.sign("a=1").substr(1)));
}
