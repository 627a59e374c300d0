#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include "client/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <variant>

#include "common/sha256.h"

namespace gleaner {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

Result<ServerUrl> ServerUrl::Parse(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("server URL '" + url + "' " + why + "; write it as https://HOST:PORT");
  };
  auto sep = url.find("://");
  if (sep == std::string::npos) return bad("has no scheme");
  ServerUrl u;
  u.scheme = url.substr(0, sep);
  if (u.scheme != "http" && u.scheme != "https") return bad("uses scheme '" + u.scheme + "', which is not http(s)");
  std::string rest = url.substr(sep + 3);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) return bad("has a path");
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    u.host = rest;
    u.port = u.scheme == "https" ? "443" : "80";
  } else {
    u.host = rest.substr(0, colon);
    u.port = rest.substr(colon + 1);
  }
  if (u.host.empty()) return bad("has no host");
  if (u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos) return bad("has a bad port");
  return u;
}

namespace {

// What the pinned verification needs, and what it found.
struct Pin {
  std::string ca_sha256;
  std::string host;
  std::string failure;  // why the last handshake's certificate was refused
};

// Trusts exactly the CA in the presented chain whose fingerprint is pinned:
// verifies the leaf against it alone (dates, signatures, key usage) and that
// the leaf names the host we connected to.
int VerifyPinned(X509_STORE_CTX* ctx, void* arg) {
  auto* pin = static_cast<Pin*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  STACK_OF(X509)* presented = X509_STORE_CTX_get0_untrusted(ctx);
  X509* anchor = nullptr;
  std::string seen;
  for (int i = 0; presented != nullptr && i < sk_X509_num(presented); ++i) {
    X509* cert = sk_X509_value(presented, i);
    if (!(X509_get_extension_flags(cert) & EXFLAG_CA)) continue;
    std::string fingerprint = CertificateSha256(cert);
    if (fingerprint == pin->ca_sha256) anchor = cert;
    seen = fingerprint;
  }
  if (anchor == nullptr) {
    pin->failure = seen.empty() ? "the server sent no CA certificate"
                                : "its certificate comes from a CA with fingerprint " + seen.substr(0, 16) +
                                      "…, but the token pins " + pin->ca_sha256.substr(0, 16) +
                                      "…: the token is for another server (or something is in between)";
    return 0;
  }
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, anchor);
  X509_STORE_CTX* check = X509_STORE_CTX_new();
  X509_STORE_CTX_init(check, store, leaf, presented);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(check);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (X509_VERIFY_PARAM_set1_ip_asc(param, pin->host.c_str()) != 1) {
    X509_VERIFY_PARAM_set1_host(param, pin->host.c_str(), 0);
  }
  int ok = X509_verify_cert(check);
  if (ok != 1) {
    int error = X509_STORE_CTX_get_error(check);
    pin->failure = std::string("its certificate does not verify: ") + X509_verify_cert_error_string(error);
    if (error == X509_V_ERR_HOSTNAME_MISMATCH || error == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      pin->failure += " (restart the server with --advertise " + pin->host + " to include it)";
    }
  }
  X509_STORE_CTX_free(check);
  X509_STORE_free(store);
  return ok == 1 ? 1 : 0;
}

}  // namespace

struct HttpClient::Impl {
  ServerUrl url;
  std::string token;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<ssl::context> tls;
  Pin pin;
  std::variant<std::monostate, beast::tcp_stream, TlsStream> stream;
  beast::flat_buffer buffer;

  bool connected() const { return stream.index() != 0; }
  void Disconnect() { stream.emplace<std::monostate>(); }

  beast::tcp_stream& Lowest() {
    if (auto* tls_stream = std::get_if<TlsStream>(&stream)) return beast::get_lowest_layer(*tls_stream);
    return std::get<beast::tcp_stream>(stream);
  }

  // Calls `start(stream)` with the connection's stream (plain or TLS), then
  // runs the io_context until the operation it started completes.
  template <typename F>
  void Run(F&& start) {
    if (auto* tls_stream = std::get_if<TlsStream>(&stream)) {
      start(*tls_stream);
    } else {
      start(std::get<beast::tcp_stream>(stream));
    }
    ioc.restart();
    ioc.run();
  }

  void PrepareTls() {
    if (url.scheme != "https" || tls) return;
    tls.emplace(ssl::context::tls_client);
    tls->set_options(ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    pin.host = url.host;
    if (!pin.host.empty() && pin.host.front() == '[') pin.host = pin.host.substr(1, pin.host.size() - 2);
    if (!pin.ca_sha256.empty()) {
      SSL_CTX_set_cert_verify_callback(tls->native_handle(), VerifyPinned, &pin);
    } else {
      tls->set_default_verify_paths();
    }
    tls->set_verify_mode(ssl::verify_peer);
  }

  Status Connect() {
    Disconnect();
    buffer.clear();
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return Unavailable("cannot resolve " + url.host + ": " + ec.message());
    beast::tcp_stream tcp_stream(ioc);
    tcp_stream.expires_after(timeout);
    beast::error_code cec;
    tcp_stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { cec = e; });
    ioc.restart();
    ioc.run();
    if (cec) return Unavailable("cannot reach the server at " + url.ToString() + ": " + cec.message());
    tcp_stream.socket().set_option(tcp::no_delay(true));
    if (url.scheme != "https") {
      stream.emplace<beast::tcp_stream>(std::move(tcp_stream));
      return OkStatus();
    }
    PrepareTls();
    auto& tls_stream = stream.emplace<TlsStream>(std::move(tcp_stream), *tls);
    if (pin.ca_sha256.empty()) {
      tls_stream.set_verify_callback(ssl::host_name_verification(pin.host));
    }
    SSL_set_tlsext_host_name(tls_stream.native_handle(), pin.host.c_str());
    pin.failure.clear();
    beast::get_lowest_layer(tls_stream).expires_after(timeout);
    tls_stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    ioc.restart();
    ioc.run();
    if (!ec) return OkStatus();
    Disconnect();
    if (!pin.failure.empty()) {
      return InvalidArgument("refusing the server at " + url.ToString() + ": " + pin.failure);
    }
    if (ec.category() == asio::error::get_ssl_category()) {
      return InvalidArgument("TLS with the server at " + url.ToString() + " failed: " + ec.message() +
                             (pin.ca_sha256.empty() ? "; use the full token string from `gleaner token create`, "
                                                      "which pins the server's CA"
                                                    : ""));
    }
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      return Unavailable("the server at " + url.ToString() +
                         " closed the connection during the TLS handshake (is it serving plain HTTP? then use http://)");
    }
    return Unavailable("TLS with the server at " + url.ToString() + " failed: " + ec.message());
  }

  // Runs one operation `op(stream, on_done)` under the timeout; its error
  // reads "<doing> <url> <outcome>: why", e.g. "sending to https://… failed: …".
  template <typename Op>
  Status Io(const char* doing, Op&& op, const char* outcome = "failed") {
    beast::error_code ec;
    Lowest().expires_after(timeout);
    Run([&](auto& s) { op(s, [&](beast::error_code e, size_t) { ec = e; }); });
    if (ec) return Unavailable(std::string(doing) + " " + url.ToString() + " " + outcome + ": " + ec.message());
    return OkStatus();
  }

  template <typename Request>
  Status Write(Request& req) {
    return Io("sending to", [&](auto& s, auto done) { http::async_write(s, req, done); });
  }

  // Reads the rest of a response whose body is text, and keeps the
  // connection only when the server does.
  Result<HttpResponse> ReadResponse(http::response_parser<http::string_body>& parser) {
    GLEANER_RETURN_IF_ERROR(Io("reading from", [&](auto& s, auto done) { http::async_read(s, buffer, parser, done); }));
    auto& res = parser.get();
    if (!res.keep_alive()) Disconnect();
    return HttpResponse{static_cast<int>(res.result_int()), std::move(res.body())};
  }

  // Writes `req` and reads its response with `parser`: the one exchange of a
  // request and an answer.
  template <typename Request>
  Result<HttpResponse> Exchange(Request& req, http::response_parser<http::string_body>& parser) {
    GLEANER_RETURN_IF_ERROR(Write(req));
    return ReadResponse(parser);
  }

  void Prepare(http::request_header<>& h, http::verb verb, const std::string& target) {
    h.method(verb);
    h.target(target);
    h.version(11);
    h.set(http::field::host, url.host + ":" + url.port);
    h.set(http::field::user_agent, "gleaner/" GLEANER_VERSION);
    if (!token.empty()) h.set(http::field::authorization, "Bearer " + token);
  }

  // Runs `attempt` on the kept connection; a connection the server closed
  // while idle is reopened once. `attempt` must be safe to repeat.
  template <typename F>
  Result<HttpResponse> WithConnection(F&& attempt) {
    for (int tries = 0; tries < 2; ++tries) {
      bool reused = connected();
      if (!connected()) GLEANER_RETURN_IF_ERROR(Connect());
      Result<HttpResponse> r = attempt();
      if (r.ok()) return r;
      Disconnect();
      if (!reused || r.error().code != ErrorCode::kUnavailable) return r;
    }
    return Unavailable("connection to " + url.ToString() + " keeps failing");
  }
};

HttpClient::HttpClient(ServerUrl url, std::string bearer_token, std::string ca_sha256,
                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->token = std::move(bearer_token);
  impl_->pin.ca_sha256 = std::move(ca_sha256);
  impl_->timeout = timeout;
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::set_token(std::string token) { impl_->token = std::move(token); }
const ServerUrl& HttpClient::url() const { return impl_->url; }

namespace {
http::verb VerbOf(const std::string& method) {
  return http::string_to_verb(method);
}
}  // namespace

Result<HttpResponse> HttpClient::Send(const std::string& method, const std::string& target, const std::string& body) {
  return impl_->WithConnection([&]() -> Result<HttpResponse> {
    http::request<http::string_body> req;
    impl_->Prepare(req.base(), VerbOf(method), target);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::response_parser<http::string_body> parser;
    parser.body_limit(256ull << 20);
    if (method == "HEAD") parser.skip(true);  // a HEAD answer has headers only
    return impl_->Exchange(req, parser);
  });
}

Result<HttpResponse> HttpClient::UploadFile(const std::string& target, const std::string& path) {
  return impl_->WithConnection([&]() -> Result<HttpResponse> {
    http::request<http::file_body> req;
    impl_->Prepare(req.base(), http::verb::put, target);
    beast::error_code ec;
    req.body().open(path.c_str(), beast::file_mode::scan, ec);
    if (ec) return NotFound("cannot read '" + path + "': " + ec.message());
    req.set(http::field::content_type, "application/octet-stream");
    req.prepare_payload();
    http::response_parser<http::string_body> parser;
    return impl_->Exchange(req, parser);
  });
}

Result<HttpResponse> HttpClient::DownloadToFile(const std::string& target, const std::string& path) {
  std::string partial = path + ".part";
  return impl_->WithConnection([&]() -> Result<HttpResponse> {
    http::request<http::empty_body> req;
    impl_->Prepare(req.base(), http::verb::get, target);
    req.prepare_payload();
    // Read the header first: only a 200 body goes to the file.
    http::response_parser<http::empty_body> header_parser;
    header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    auto& impl = *impl_;
    GLEANER_RETURN_IF_ERROR(impl.Write(req));
    GLEANER_RETURN_IF_ERROR(impl.Io(
        "reading from", [&](auto& s, auto done) { http::async_read_header(s, impl.buffer, header_parser, done); }));
    int status = static_cast<int>(header_parser.get().result_int());
    if (status != 200) {
      http::response_parser<http::string_body> parser(std::move(header_parser));
      return impl.ReadResponse(parser);
    }
    http::response_parser<http::file_body> parser(std::move(header_parser));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::error_code ec;
    parser.get().body().open(partial.c_str(), beast::file_mode::write, ec);
    if (ec) return Internal("cannot write '" + partial + "': " + ec.message());
    // Large files: the deadline covers progress, so renew it as bytes arrive.
    while (!parser.is_done()) {
      Status read = impl.Io(
          "download from", [&](auto& s, auto done) { http::async_read_some(s, impl.buffer, parser, done); },
          "broke off");
      if (!read.ok()) {
        std::remove(partial.c_str());
        return read;
      }
    }
    parser.get().body().close();
    std::error_code fec;
    std::filesystem::rename(partial, path, fec);
    if (fec) return Internal("cannot move download into '" + path + "': " + fec.message());
    if (!parser.get().keep_alive()) impl_->Disconnect();
    return HttpResponse{200, ""};
  });
}

}  // namespace gleaner
