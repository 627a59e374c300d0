// AgentLink: one simulated agent's HTTP/1.1 link to the server, either kept
// alive across calls or opened afresh per call (and closed by the server),
// over TLS when the server URL is https. Used by one coroutine at a time on a
// single-threaded io_context.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>

#include "common/status.h"

namespace gleaner::bench {

struct LinkTarget {
  boost::asio::ip::tcp::endpoint server;
  std::string host;  // the Host header
  // For https: the client side of TLS, shared by every link. It does not
  // verify the server's certificate: the bench measures the server's cost of
  // TLS, and the agent's pinning is tested elsewhere.
  std::shared_ptr<boost::asio::ssl::context> tls;
};

// The server's address for "http://HOST:PORT" or "https://HOST:PORT", resolved once.
Result<LinkTarget> ResolveTarget(const std::string& server_url);

class AgentLink {
 public:
  // `source` is the loopback address to connect from (unspecified: let the
  // kernel choose); several spread connections over more ephemeral ports.
  AgentLink(boost::asio::any_io_executor ex, const LinkTarget& target, bool keep_alive,
            boost::asio::ip::address source = {});

  // POSTs `body` to `path` as `bearer`; the answer's body if it is a 2xx.
  boost::asio::awaitable<Result<std::string>> Post(const char* path, const std::string& bearer, std::string body);

  bool connected() const;

 private:
  boost::asio::awaitable<Status> Connect();
  template <typename Stream>
  boost::asio::awaitable<Result<std::string>> Exchange(Stream& stream, const char* path, const std::string& bearer,
                                                       std::string body);
  void Close();
  boost::asio::ip::tcp::socket& Socket();  // the TCP socket under either stream

  const LinkTarget target_;
  const bool keep_alive_;
  const boost::asio::ip::address source_;
  boost::beast::tcp_stream stream_;  // plain HTTP
  // https: a fresh one per connection (a TLS stream cannot be reused); its
  // own TCP stream underneath, stream_ is then unused
  std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace gleaner::bench
