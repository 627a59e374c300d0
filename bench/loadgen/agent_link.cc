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
  return LinkTarget{*resolved.begin(), url->host};
}

AgentLink::AgentLink(asio::any_io_executor ex, const LinkTarget& target, bool keep_alive, asio::ip::address source)
    : target_(target), keep_alive_(keep_alive), source_(source), stream_(ex) {}

asio::awaitable<Status> AgentLink::Connect() {
  beast::error_code ec;
  auto& socket = stream_.socket();
  socket.open(target_.server.protocol(), ec);
  if (!ec && !source_.is_unspecified()) socket.bind(tcp::endpoint(source_, 0), ec);
  if (!ec) co_await socket.async_connect(target_.server, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) socket.set_option(tcp::no_delay(true), ec);
  if (ec) {
    beast::error_code ignored;
    socket.close(ignored);
    co_return Unavailable("connect: " + ec.message());
  }
  co_return OkStatus();
}

asio::awaitable<Result<std::string>> AgentLink::Post(const char* path, const std::string& bearer, std::string body) {
  if (!connected()) {
    Status st = co_await Connect();
    if (!st.ok()) co_return st.error();
  }
  http::request<http::string_body> req{http::verb::post, path, 11};
  req.set(http::field::host, target_.host);
  req.set(http::field::authorization, "Bearer " + bearer);
  req.set(http::field::content_type, "application/json");
  req.keep_alive(keep_alive_);
  req.body() = std::move(body);
  req.prepare_payload();
  beast::error_code ec;
  co_await http::async_write(stream_, req, asio::redirect_error(asio::use_awaitable, ec));
  http::response<http::string_body> res;
  if (!ec) co_await http::async_read(stream_, buffer_, res, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || !res.keep_alive()) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
  }
  if (ec) co_return Unavailable(std::string(path) + ": " + ec.message());
  if (res.result_int() / 100 != 2) co_return Internal(std::string(path) + ": HTTP " + std::to_string(res.result_int()) + " " + res.body());
  co_return std::move(res.body());
}

}  // namespace gleaner::bench
