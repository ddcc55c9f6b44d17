#pragma once
// Client-side TLS: verification on by default (system trust store plus an optional CA file),
// SNI and host-name checking on every connection.
#include <boost/asio/ssl.hpp>

#include <string>

namespace te::net {

struct TlsOptions {
    bool verify = true;   // turning this off is for experiments only; it is logged as a warning
    std::string ca_file;  // extra trust anchors (PEM), e.g. a private CA or a test certificate
};

boost::asio::ssl::context make_client_tls_context(const TlsOptions& options);

// SNI and host-name verification for one connection; throws te::ConnectionLostError on failure.
void prepare_tls_stream(SSL* ssl, const std::string& host, bool verify);

}  // namespace te::net
