#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/logging.hpp"

using namespace te;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string(name) + std::to_string(::getpid()) + ".log")).string();
}

}  // namespace

TEST(Logging, HumanLine) {
    const log::Field fields[] = {{"from", "CREATED"}, {"n", 3}, {"note", "two words"}};
    const auto line = log::format_line(false, 0, log::Level::Info, "engine", "state transition", fields, 3);
    EXPECT_EQ(line, "1970-01-01T00:00:00.000000Z info  [engine] state transition from=CREATED n=3 note=\"two words\"");
}

TEST(Logging, JsonEscapesEveryControlCharacterAndKeepsTheRest) {
    const log::Field fields[] = {{"path", "C:\\tmp\x01" "end"}, {"tab", "a\tb\rc"}};
    const auto line = log::format_line(true, 0, log::Level::Info, "x", "é \"q\"", fields, 2);
    EXPECT_EQ(line, R"({"ts":"1970-01-01T00:00:00.000000Z","level":"info","component":"x","msg":"é \"q\"",)"
                    R"("path":"C:\\tmp\u0001end","tab":"a\tb\rc"})");
}

TEST(Logging, JsonLine) {
    const log::Field fields[] = {{"from", "CRE\"ATED"}, {"n", 3}, {"ok", true}};
    const auto line = log::format_line(true, 0, log::Level::Warn, "bus", "line\nbreak", fields, 3);
    EXPECT_EQ(line,
              R"({"ts":"1970-01-01T00:00:00.000000Z","level":"warn","component":"bus","msg":"line\nbreak",)"
              R"("from":"CRE\"ATED","n":3,"ok":true})");
}

TEST(Logging, LevelsParse) {
    EXPECT_EQ(log::level_from_string("WARNING"), log::Level::Warn);
    EXPECT_EQ(log::level_from_string("debug"), log::Level::Debug);
    EXPECT_THROW(log::level_from_string("loud"), std::invalid_argument);
}

TEST(Logging, FileOutputJsonAndSecretsRedacted) {
    const auto path = temp_path("te_log_");
    log::configure({log::Level::Debug, true, path});
    log::add_secret("s3cr3t-api-key");
    log::info("venue", "signing with s3cr3t-api-key", {{"key", "s3cr3t-api-key"}, {"n", 1}});
    log::debug("venue", "visible");
    log::set_level(log::Level::Warn);
    log::info("venue", "filtered out");
    log::flush();
    const auto text = read_file(path);
    EXPECT_EQ(text.find("s3cr3t-api-key"), std::string::npos) << text;
    EXPECT_NE(text.find("signing with ***"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("key":"***")"), std::string::npos) << text;
    EXPECT_NE(text.find("visible"), std::string::npos);
    EXPECT_EQ(text.find("filtered out"), std::string::npos);
    log::configure({});  // back to stderr for the other tests
    std::remove(path.c_str());
}

// A secret with a quote or a backslash is written escaped (\" and \\) in JSON lines and in
// quoted text fields, and escaped twice inside a JSON body logged as a field: every form is
// redacted, in both formats.
TEST(Logging, SecretsWithQuotesAndBackslashesAreRedactedOnceEscaped) {
    const std::string secret = R"(k"ey\wi"th\\marks)";
    log::add_secret(secret);
    const std::string body = R"({"apiKey":")" + std::string(R"(k\"ey\\wi\"th\\\\marks)") + R"("})";  // JSON-escaped once
    for (const bool json : {true, false}) {
        const auto path = temp_path("te_log_escaped_");
        log::configure({log::Level::Info, json, path});
        log::info("venue", "key " + secret + " in the message", {{"key", secret}, {"body", body}, {"n", 1}});
        log::flush();
        const auto text = read_file(path);
        for (const auto& form : {secret, std::string(R"(k\"ey\\wi\"th\\\\marks)"),
                                 std::string(R"(k\\\"ey\\\\wi\\\"th\\\\\\\\marks)")})
            EXPECT_EQ(text.find(form), std::string::npos) << "json=" << json << ": " << form << " in " << text;
        EXPECT_EQ(text.find("marks"), std::string::npos) << "json=" << json << ": " << text;
        EXPECT_NE(text.find("***"), std::string::npos) << text;
        std::remove(path.c_str());
    }
    log::configure({});
}

TEST(Logging, ShortSecretsRefusedAndBadFileReported) {
    EXPECT_THROW(log::add_secret("abc"), std::invalid_argument);
    // A directory that cannot exist: its parent is a regular file.
    const auto file = temp_path("te_log_parent_");
    std::ofstream(file) << "x";
    EXPECT_THROW(log::configure({log::Level::Info, false, file + "/y.log"}), std::invalid_argument);
    std::remove(file.c_str());
}
