#include "agent_link.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http.hpp>

#include "client/http_client.h"

namespace gleaner::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<LinkTarget> ResolveTarget(const std::string& server_url) {
  auto url = ServerUrl::Parse(server_url);
  if (!url.ok()) return url.error();
  asio::io_context ioc;
  beast::error_code ec;
  auto resolved = tcp::resolver(ioc).resolve(url->host, url->port, ec);
  if (ec || resolved.empty()) return Unavailable("cannot resolve " + url->host + ": " + ec.message());
  LinkTarget target{*resolved.begin(), url->host, nullptr};
  if (url->scheme == "https") {
    target.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    target.tls->set_verify_mode(asio::ssl::verify_none);
  }
  return target;
}

AgentLink::AgentLink(asio::any_io_executor ex, const LinkTarget& target, bool keep_alive, asio::ip::address source)
    : target_(target), keep_alive_(keep_alive), source_(source), stream_(ex) {}

tcp::socket& AgentLink::Socket() {
  return tls_stream_ ? beast::get_lowest_layer(*tls_stream_).socket() : stream_.socket();
}

bool AgentLink::connected() const {
  return tls_stream_ ? beast::get_lowest_layer(*tls_stream_).socket().is_open() : stream_.socket().is_open();
}

void AgentLink::Close() {
  beast::error_code ignored;
  Socket().close(ignored);
  tls_stream_.reset();
  buffer_.clear();
}

asio::awaitable<Status> AgentLink::Connect() {
  beast::error_code ec;
  if (target_.tls) tls_stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(stream_.get_executor(), *target_.tls);
  auto& socket = Socket();
  socket.open(target_.server.protocol(), ec);
  if (!ec && !source_.is_unspecified()) socket.bind(tcp::endpoint(source_, 0), ec);
  if (!ec) co_await socket.async_connect(target_.server, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) socket.set_option(tcp::no_delay(true), ec);
  if (ec) {
    Close();
    co_return Unavailable("connect: " + ec.message());
  }
  if (tls_stream_) {
    co_await tls_stream_->async_handshake(asio::ssl::stream_base::client,
                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      Close();
      co_return Unavailable("TLS handshake: " + ec.message());
    }
  }
  co_return OkStatus();
}

asio::awaitable<Result<std::string>> AgentLink::Post(const char* path, const std::string& bearer, std::string body) {
  if (!connected()) {
    Status st = co_await Connect();
    if (!st.ok()) co_return st.error();
  }
  if (tls_stream_) co_return co_await Exchange(*tls_stream_, path, bearer, std::move(body));
  co_return co_await Exchange(stream_, path, bearer, std::move(body));
}

template <typename Stream>
asio::awaitable<Result<std::string>> AgentLink::Exchange(Stream& stream, const char* path, const std::string& bearer,
                                                         std::string body) {
  http::request<http::string_body> req{http::verb::post, path, 11};
  req.set(http::field::host, target_.host);
  req.set(http::field::authorization, "Bearer " + bearer);
  req.set(http::field::content_type, "application/json");
  req.keep_alive(keep_alive_);
  req.body() = std::move(body);
  req.prepare_payload();
  beast::error_code ec;
  co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
  http::response<http::string_body> res;
  if (!ec) co_await http::async_read(stream, buffer_, res, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || !res.keep_alive()) Close();
  if (ec) co_return Unavailable(std::string(path) + ": " + ec.message());
  if (res.result_int() / 100 != 2) co_return Internal(std::string(path) + ": HTTP " + std::to_string(res.result_int()) + " " + res.body());
  co_return std::move(res.body());
}

}  // namespace gleaner::bench
