#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include "server/http/http_listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <filesystem>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/host_port.h"

namespace gleaner::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(75);  // between requests on a kept-alive connection
constexpr auto kIoTimeout = std::chrono::seconds(60);    // for any single read or write to make progress
constexpr auto kHandshakeTimeout = std::chrono::seconds(15);

template <typename Body>
void SetCommon(http::response<Body>& res, const Response& r, bool keep_alive) {
  res.result(static_cast<unsigned>(r.status));
  res.set(http::field::server, "gleaner/" GLEANER_VERSION);
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
}

// The 413 for a body over `limit` bytes; the connection closes after it.
Response TooLarge(const char* what, uint64_t limit) {
  return Response::FromError(
      {ErrorCode::kPayloadTooLarge, std::string(what) + " is larger than " + std::to_string(limit >> 20) + " MiB"});
}

}  // namespace

struct HttpListener::Impl {
  asio::io_context& ioc;
  ApiHandlers& handlers;
  ListenerLimits limits;
  ListenerTls tls;
  std::optional<ssl::context> tls_context;
  tcp::acceptor acceptor;
  std::string bound;
  std::mutex peers_mutex;
  std::unordered_map<std::string, size_t> connections_by_peer;

  Impl(asio::io_context& c, ApiHandlers& h, ListenerTls t, ListenerLimits l)
      : ioc(c), handlers(h), limits(l), tls(std::move(t)), acceptor(c) {}

  // Counts a connection from `peer`; false when that address has too many.
  bool TakePeerSlot(const std::string& peer) {
    std::lock_guard lock(peers_mutex);
    size_t& n = connections_by_peer[peer];
    if (n >= limits.max_connections_per_peer) return false;
    ++n;
    return true;
  }
  void ReleasePeerSlot(const std::string& peer) {
    std::lock_guard lock(peers_mutex);
    auto it = connections_by_peer.find(peer);
    if (it != connections_by_peer.end() && --it->second == 0) connections_by_peer.erase(it);
  }

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
      asio::co_spawn(socket.get_executor(), Connection(std::move(socket)), asio::detached);
    }
  }

  // One accepted connection: limits, then TLS (or plain HTTP), then requests.
  asio::awaitable<void> Connection(tcp::socket socket) {
    beast::error_code ec;
    std::string peer = socket.remote_endpoint(ec).address().to_string();
    if (ec) co_return;
    if (!TakePeerSlot(peer)) {
      spdlog::warn("refused a connection from {}: it already has {} open (limit per address)", peer,
                   limits.max_connections_per_peer);
      socket.close(ec);
      co_return;
    }
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    if (!tls_context) {
      co_await Session(stream, buffer, peer);
    } else {
      stream.expires_after(kHandshakeTimeout);
      bool speaks_tls = co_await beast::async_detect_ssl(stream, buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (!ec && !speaks_tls) {
        Response wrong_scheme = Response::FromError(
            InvalidArgument("this server speaks HTTPS only; use https:// in the server URL (or the full token "
                            "string that `gleaner token create` prints)"));
        co_await Write(stream, wrong_scheme, false);
      } else if (!ec) {
        TlsStream tls_stream(std::move(stream), *tls_context);
        size_t used = co_await tls_stream.async_handshake(ssl::stream_base::server, buffer.data(),
                                                          asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {
          buffer.consume(used);
          co_await Session(tls_stream, buffer, peer);
          beast::get_lowest_layer(tls_stream).expires_after(kHandshakeTimeout);
          co_await tls_stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
        }
        beast::get_lowest_layer(tls_stream).socket().close(ec);
        ReleasePeerSlot(peer);
        co_return;
      }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    ReleasePeerSlot(peer);
  }

  template <typename Stream>
  asio::awaitable<bool> Write(Stream& stream, const Response& r, bool keep_alive) {
    beast::error_code ec;
    auto& deadline = beast::get_lowest_layer(stream);
    deadline.expires_after(kIoTimeout);
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
        deadline.expires_after(kIoTimeout);
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

  // Serves requests on one connection until it closes, breaks or idles out.
  template <typename Stream>
  asio::awaitable<void> Session(Stream& stream, beast::flat_buffer& buffer, const std::string& peer) {
    beast::error_code ec;
    auto& deadline = beast::get_lowest_layer(stream);
    for (;;) {
      http::request_parser<http::empty_body> header_parser;
      header_parser.header_limit(static_cast<uint32_t>(limits.max_header));
      // Boost 1.74 checks Content-Length against the limit of the parser that
      // reads the header (beast#2070), so that one gets the largest limit and
      // JSON bodies are held to theirs below.
      header_parser.body_limit(limits.max_blob_body);
      deadline.expires_after(kIdleTimeout);
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
      SplitTarget(h.target(), request);
      if (auto it = h.find(http::field::if_none_match); it != h.end()) request.if_none_match = std::string(it->value());
      if (auto it = h.find(http::field::authorization); it != h.end()) request.bearer = BearerToken(it->value());
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
          deadline.expires_after(kIoTimeout);
          co_await http::async_read_some(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
        }
        parser.get().body().close();
        if (ec) {
          std::error_code rm;
          std::filesystem::remove(request.body_file, rm);
          if (ec == http::error::body_limit) co_await Write(stream, TooLarge("the upload", limits.max_blob_body), false);
          break;
        }
      } else {
        // Over the limit by its declared length, or as it arrives.
        auto declared = header_parser.content_length();
        bool too_large = declared && *declared > limits.max_json_body;
        if (!too_large) {
          http::request_parser<http::string_body> parser(std::move(header_parser));
          parser.body_limit(limits.max_json_body);
          deadline.expires_after(kIoTimeout);
          co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
          too_large = ec == http::error::body_limit;
          if (!ec) request.body = std::move(parser.get().body());
        }
        if (too_large) {
          co_await Write(stream, TooLarge("the request body", limits.max_json_body), false);
          break;
        }
        if (ec) break;
      }

      Admission admitted = std::move(*admission);
      const char* route = RouteName(admitted.route.id);
      auto started = std::chrono::steady_clock::now();
      Response response = co_await handlers.Handle(std::move(request), std::move(admitted));
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      handlers.request_metrics().Observe(route, took.count());
      if (!co_await Write(stream, response, keep_alive) || !keep_alive) break;
    }
  }

  Status LoadTls() {
    if (tls.chain_pem.empty()) return OkStatus();
    tls_context.emplace(ssl::context::tls_server);
    tls_context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                             ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    tls_context->use_certificate_chain(asio::buffer(tls.chain_pem), ec);
    if (ec) return InvalidArgument("the server certificate chain is unusable: " + ec.message());
    tls_context->use_private_key(asio::buffer(tls.private_key_pem), ssl::context::pem, ec);
    if (ec) return InvalidArgument("the server's private key is unusable: " + ec.message());
    return OkStatus();
  }
};

HttpListener::HttpListener(asio::io_context& ioc, ApiHandlers& handlers, ListenerTls tls, ListenerLimits limits)
    : impl_(std::make_unique<Impl>(ioc, handlers, std::move(tls), limits)) {}
HttpListener::~HttpListener() = default;

Status HttpListener::Start(const std::string& listen_address) {
  auto split = SplitHostPort(listen_address);
  if (!split) {
    return InvalidArgument("--listen '" + listen_address + "' needs HOST:PORT, e.g. 0.0.0.0:7070 or 127.0.0.1:0");
  }
  const auto& [host, port] = *split;
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
  GLEANER_RETURN_IF_ERROR(impl_->LoadTls());
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
