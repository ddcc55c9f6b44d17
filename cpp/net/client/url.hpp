#pragma once
// Endpoint URLs of venues: ws://, wss://, http://, https://. Parsed once, at configuration time,
// with errors that name the URL and what was expected.
#include <cstdint>
#include <string>
#include <string_view>

namespace te::net {

struct Url {
    std::string scheme;  // "ws", "wss", "http" or "https"
    std::string host;    // name or IPv4 address; IPv6 literals are written without brackets
    std::uint16_t port = 0;
    std::string target;  // path and query, at least "/"

    bool tls() const noexcept { return scheme == "wss" || scheme == "https"; }
    bool websocket() const noexcept { return scheme == "ws" || scheme == "wss"; }
    std::string host_header() const;  // "host" or "host:port" when not the default port
    std::string to_string() const;
};

// Throws std::invalid_argument naming the text: unknown scheme, no host, bad port, spaces...
Url parse_url(std::string_view text);

}  // namespace te::net
