#include "net/client/url.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace te::net {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
    throw std::invalid_argument(fmt::format(
        "invalid URL '{}': {}; expected scheme://host[:port][/path] with scheme ws, wss, http or https", text, why));
}

std::uint16_t default_port(std::string_view scheme) { return scheme == "wss" || scheme == "https" ? 443 : 80; }

}  // namespace

Url parse_url(std::string_view text) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) bad(text, "no scheme");
    Url url;
    url.scheme = std::string(text.substr(0, sep));
    for (auto& c : url.scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (url.scheme != "ws" && url.scheme != "wss" && url.scheme != "http" && url.scheme != "https")
        bad(text, fmt::format("unknown scheme '{}'", url.scheme));
    for (char c : text)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) bad(text, "contains whitespace or control characters");
    std::string_view rest = text.substr(sep + 3);
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (url.target.front() == '?') url.target.insert(url.target.begin(), '/');
    if (authority.find('@') != std::string_view::npos) bad(text, "credentials in the URL are not supported");
    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) bad(text, "unterminated IPv6 address");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') bad(text, "junk after the IPv6 address");
            port = after.substr(1);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty()) bad(text, "no host");
    url.host = std::string(host);
    if (port.data() != nullptr && (port.empty() || authority.back() == ':')) bad(text, "empty port");
    if (!port.empty()) {
        unsigned value = 0;
        const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535)
            bad(text, fmt::format("port '{}' is not 1..65535", port));
        url.port = static_cast<std::uint16_t>(value);
    } else {
        url.port = default_port(url.scheme);
    }
    return url;
}

std::string Url::host_header() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    const std::string h = ipv6 ? "[" + host + "]" : host;
    return port == default_port(scheme) ? h : fmt::format("{}:{}", h, port);
}

std::string Url::to_string() const { return fmt::format("{}://{}{}", scheme, host_header(), target); }

}  // namespace te::net
