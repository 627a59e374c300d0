#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include "client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>

namespace gleaner {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<ServerUrl> ServerUrl::Parse(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("server URL '" + url + "' " + why + "; write it as http://HOST:PORT");
  };
  auto sep = url.find("://");
  if (sep == std::string::npos) return bad("has no scheme");
  ServerUrl u;
  u.scheme = url.substr(0, sep);
  if (u.scheme != "http") return bad("uses scheme '" + u.scheme + "', which this build does not speak");
  std::string rest = url.substr(sep + 3);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) return bad("has a path");
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    u.host = rest;
    u.port = "80";
  } else {
    u.host = rest.substr(0, colon);
    u.port = rest.substr(colon + 1);
  }
  if (u.host.empty()) return bad("has no host");
  if (u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos) return bad("has a bad port");
  return u;
}

struct HttpClient::Impl {
  ServerUrl url;
  std::string token;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  Status Connect() {
    stream.reset();
    buffer.clear();
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url.host, url.port, ec);
    if (ec) return Unavailable("cannot resolve " + url.host + ": " + ec.message());
    stream.emplace(ioc);
    stream->expires_after(timeout);
    beast::error_code cec;
    stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { cec = e; });
    ioc.restart();
    ioc.run();
    if (cec) {
      stream.reset();
      return Unavailable("cannot reach the server at " + url.ToString() + ": " + cec.message());
    }
    stream->socket().set_option(tcp::no_delay(true));
    return OkStatus();
  }

  // Writes `req`, reads the response with a parser made by `make_parser`.
  template <typename Request, typename Parser>
  Status Exchange(Request& req, Parser& parser) {
    beast::error_code ec;
    stream->expires_after(timeout);
    http::async_write(*stream, req, [&](beast::error_code e, size_t) { ec = e; });
    ioc.restart();
    ioc.run();
    if (ec) return Unavailable("sending to " + url.ToString() + " failed: " + ec.message());
    stream->expires_after(timeout);
    http::async_read(*stream, buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
    ioc.restart();
    ioc.run();
    if (ec) return Unavailable("reading from " + url.ToString() + " failed: " + ec.message());
    return OkStatus();
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
      bool reused = stream.has_value();
      if (!stream) GLEANER_RETURN_IF_ERROR(Connect());
      Result<HttpResponse> r = attempt();
      if (r.ok()) return r;
      stream.reset();
      if (!reused || r.error().code != ErrorCode::kUnavailable) return r;
    }
    return Unavailable("connection to " + url.ToString() + " keeps failing");
  }
};

HttpClient::HttpClient(ServerUrl url, std::string bearer_token, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->token = std::move(bearer_token);
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
    GLEANER_RETURN_IF_ERROR(impl_->Exchange(req, parser));
    auto& res = parser.get();
    if (!res.keep_alive()) impl_->stream.reset();
    return HttpResponse{static_cast<int>(res.result_int()), std::move(res.body())};
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
    GLEANER_RETURN_IF_ERROR(impl_->Exchange(req, parser));
    auto& res = parser.get();
    if (!res.keep_alive()) impl_->stream.reset();
    return HttpResponse{static_cast<int>(res.result_int()), std::move(res.body())};
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
    beast::error_code ec;
    auto& ioc = impl_->ioc;
    auto& stream = *impl_->stream;
    stream.expires_after(impl_->timeout);
    http::async_write(stream, req, [&](beast::error_code e, size_t) { ec = e; });
    ioc.restart();
    ioc.run();
    if (ec) return Unavailable("sending to " + impl_->url.ToString() + " failed: " + ec.message());
    stream.expires_after(impl_->timeout);
    http::async_read_header(stream, impl_->buffer, header_parser, [&](beast::error_code e, size_t) { ec = e; });
    ioc.restart();
    ioc.run();
    if (ec) return Unavailable("reading from " + impl_->url.ToString() + " failed: " + ec.message());
    int status = static_cast<int>(header_parser.get().result_int());
    if (status != 200) {
      http::response_parser<http::string_body> parser(std::move(header_parser));
      stream.expires_after(impl_->timeout);
      http::async_read(stream, impl_->buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
      ioc.restart();
      ioc.run();
      if (ec) return Unavailable("reading from " + impl_->url.ToString() + " failed: " + ec.message());
      return HttpResponse{status, std::move(parser.get().body())};
    }
    http::response_parser<http::file_body> parser(std::move(header_parser));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.get().body().open(partial.c_str(), beast::file_mode::write, ec);
    if (ec) return Internal("cannot write '" + partial + "': " + ec.message());
    // Large files: the deadline covers progress, so renew it as bytes arrive.
    while (!parser.is_done()) {
      stream.expires_after(impl_->timeout);
      http::async_read_some(stream, impl_->buffer, parser, [&](beast::error_code e, size_t) { ec = e; });
      ioc.restart();
      ioc.run();
      if (ec) {
        std::remove(partial.c_str());
        return Unavailable("download from " + impl_->url.ToString() + " broke off: " + ec.message());
      }
    }
    parser.get().body().close();
    std::error_code fec;
    std::filesystem::rename(partial, path, fec);
    if (fec) return Internal("cannot move download into '" + path + "': " + fec.message());
    if (!parser.get().keep_alive()) impl_->stream.reset();
    return HttpResponse{200, ""};
  });
}

}  // namespace gleaner
