#include "net/client/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/logging.hpp"

namespace te::net {

namespace ssl = boost::asio::ssl;

ssl::context make_client_tls_context(const TlsOptions& options) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (options.verify) {
        ctx.set_verify_mode(ssl::verify_peer);
        ctx.set_default_verify_paths();
        if (!options.ca_file.empty()) {
            boost::system::error_code ec;
            ctx.load_verify_file(options.ca_file, ec);
            if (ec)
                throw std::invalid_argument(
                    fmt::format("invalid ca_file '{}': {}; expected a PEM certificate file", options.ca_file, ec.message()));
        }
    } else {
        ctx.set_verify_mode(ssl::verify_none);
        log::warn("net", "TLS certificate verification is OFF: use only for experiments");
    }
    return ctx;
}

void prepare_tls_stream(SSL* ssl_handle, const std::string& host, bool verify) {
    if (!SSL_set_tlsext_host_name(ssl_handle, host.c_str()))
        throw ConnectionLostError(fmt::format("TLS: cannot set SNI host name '{}'", host));
    if (verify) {
        // OpenSSL checks the certificate's names against `host` during the handshake.
        SSL_set_hostflags(ssl_handle, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (!SSL_set1_host(ssl_handle, host.c_str()))
            throw ConnectionLostError(fmt::format("TLS: cannot set the expected host name '{}'", host));
    }
}

}  // namespace te::net
