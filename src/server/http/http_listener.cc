#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include "server/http/http_listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>

namespace gleaner::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(75);  // between requests on a kept-alive connection
constexpr auto kIoTimeout = std::chrono::seconds(60);    // for any single read or write to make progress

std::string BearerOf(const http::request_header<>& h) {
  auto it = h.find(http::field::authorization);
  if (it == h.end()) return "";
  std::string_view v = it->value();
  constexpr std::string_view kPrefix = "Bearer ";
  if (v.size() <= kPrefix.size() || v.substr(0, kPrefix.size()) != kPrefix) return "";
  return std::string(v.substr(kPrefix.size()));
}

template <typename Body>
void SetCommon(http::response<Body>& res, const Response& r, bool keep_alive) {
  res.result(static_cast<unsigned>(r.status));
  res.set(http::field::server, "gleaner/" GLEANER_VERSION);
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
}

}  // namespace

struct HttpListener::Impl {
  asio::io_context& ioc;
  ApiHandlers& handlers;
  ListenerLimits limits;
  tcp::acceptor acceptor;
  std::string bound;

  Impl(asio::io_context& c, ApiHandlers& h, ListenerLimits l) : ioc(c), handlers(h), limits(l), acceptor(c) {}

  asio::awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // Out of file descriptors and the like: say so, pause, keep serving.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(ioc, std::chrono::milliseconds(100));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      asio::co_spawn(socket.get_executor(), Session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<bool> Write(beast::tcp_stream& stream, const Response& r, bool keep_alive) {
    beast::error_code ec;
    stream.expires_after(kIoTimeout);
    if (!r.file_path.empty()) {
      http::response<http::file_body> res;
      SetCommon(res, r, keep_alive);
      res.body().open(r.file_path.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        Response gone = Response::FromError(NotFound("blob vanished"));
        co_return co_await Write(stream, gone, keep_alive);
      }
      res.prepare_payload();
      http::response_serializer<http::file_body> sr(res);
      // A large blob may take longer than one timeout in all: renew per chunk.
      while (!sr.is_done()) {
        stream.expires_after(kIoTimeout);
        co_await http::async_write_some(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return false;
      }
      co_return true;
    }
    http::response<http::string_body> res;
    SetCommon(res, r, keep_alive);
    res.body() = r.body;
    res.prepare_payload();
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    beast::error_code ec;
    std::string peer = socket.remote_endpoint(ec).address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::empty_body> header_parser;
      header_parser.header_limit(static_cast<uint32_t>(limits.max_header));
      // Boost 1.74 checks Content-Length against the limit of the parser that
      // reads the header (beast#2070), so that one gets the largest limit and
      // JSON bodies are held to theirs below.
      header_parser.body_limit(limits.max_blob_body);
      stream.expires_after(kIdleTimeout);
      co_await http::async_read_header(stream, buffer, header_parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::header_limit) {
        Response too_large = Response::FromError(InvalidArgument("request headers are too large"));
        co_await Write(stream, too_large, false);
        break;
      }
      if (ec) break;  // closed, timed out, or garbage: nothing to answer

      const auto& h = header_parser.get();
      Request request;
      request.method = std::string(h.method_string());
      std::string_view target = h.target();
      size_t question = target.find('?');
      request.path = std::string(target.substr(0, question));
      if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
      if (auto it = h.find(http::field::if_none_match); it != h.end()) request.if_none_match = std::string(it->value());
      request.bearer = BearerOf(h);
      request.peer = peer;
      bool keep_alive = h.keep_alive();

      auto admission = co_await handlers.Admit(request);
      if (!admission.ok()) {
        // The body was not read, so the connection cannot be reused.
        Response refused = Response::FromError(admission.error());
        co_await Write(stream, refused, false);
        break;
      }

      if (admission->body_to_file) {
        request.body_file = handlers.blobs().NewTempPath();
        http::request_parser<http::file_body> parser(std::move(header_parser));
        parser.body_limit(limits.max_blob_body);
        parser.get().body().open(request.body_file.c_str(), beast::file_mode::write, ec);
        if (ec) {
          Response failed = Response::FromError(Internal("cannot store upload: " + ec.message()));
          co_await Write(stream, failed, false);
          break;
        }
        while (!parser.is_done()) {
          stream.expires_after(kIoTimeout);
          co_await http::async_read_some(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        parser.get().body().close();
        if (ec) {
          std::error_code rm;
          std::filesystem::remove(request.body_file, rm);
          if (ec == http::error::body_limit) {
            Response too_large = Response::FromError({ErrorCode::kPayloadTooLarge, "the upload is too large"});
            co_await Write(stream, too_large, false);
          }
          break;
        }
      } else {
        auto declared = header_parser.content_length();
        if (declared && *declared > limits.max_json_body) {
          Response too_large = Response::FromError(
              {ErrorCode::kPayloadTooLarge,
               "the request body is larger than " + std::to_string(limits.max_json_body >> 20) + " MiB"});
          co_await Write(stream, too_large, false);
          break;
        }
        http::request_parser<http::string_body> parser(std::move(header_parser));
        parser.body_limit(limits.max_json_body);
        stream.expires_after(kIoTimeout);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::body_limit) {
          Response too_large = Response::FromError(
              {ErrorCode::kPayloadTooLarge,
               "the request body is larger than " + std::to_string(limits.max_json_body >> 20) + " MiB"});
          co_await Write(stream, too_large, false);
          break;
        }
        if (ec) break;
        request.body = std::move(parser.get().body());
      }

      Admission admitted = std::move(*admission);
      const char* route = RouteName(admitted.route.id);
      auto started = std::chrono::steady_clock::now();
      Response response = co_await handlers.Handle(std::move(request), std::move(admitted));
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      handlers.request_metrics().Observe(route, took.count());
      if (!co_await Write(stream, response, keep_alive) || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
};

HttpListener::HttpListener(asio::io_context& ioc, ApiHandlers& handlers, ListenerLimits limits)
    : impl_(std::make_unique<Impl>(ioc, handlers, limits)) {}
HttpListener::~HttpListener() = default;

Status HttpListener::Start(const std::string& listen_address) {
  auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) {
    return InvalidArgument("--listen '" + listen_address + "' needs HOST:PORT, e.g. 0.0.0.0:7070 or 127.0.0.1:0");
  }
  std::string host = listen_address.substr(0, colon);
  std::string port = listen_address.substr(colon + 1);
  if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return InvalidArgument("--listen host '" + host + "' is not an IP address");
  unsigned long port_number = 0;
  try {
    port_number = std::stoul(port);
  } catch (...) {
    port_number = 70000;
  }
  if (port_number > 65535) return InvalidArgument("--listen port '" + port + "' is not a port number");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port_number));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + listen_address + ": " + ec.message());
  auto local = acceptor.local_endpoint();
  impl_->bound = (local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string()) +
                 ":" + std::to_string(local.port());
  asio::co_spawn(impl_->ioc, impl_->Accept(), asio::detached);
  return OkStatus();
}

std::string HttpListener::bound_address() const { return impl_->bound; }

void HttpListener::Stop() {
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
}

}  // namespace gleaner::server
