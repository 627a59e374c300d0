// HttpListener: accepts TCP connections and serves HTTP/1.1 keep-alive
// sessions with Boost.Beast, one coroutine per connection, over TLS when given
// a certificate (the default; see server/tls/) or plain HTTP.
//
// Every read is bounded in time, headers and bodies in size, connections per
// client address in number; bodies of blob uploads stream to disk. A plain
// HTTP request to a TLS listener is answered in plain HTTP with a 400 that
// says to use https. Runs on the io_context's threads; Start() once.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "server/http/api_handlers.h"

namespace boost::asio {
class io_context;
}

namespace gleaner::server {

struct ListenerLimits {
  size_t max_json_body = 64u << 20;
  uint64_t max_blob_body = 16ull << 30;
  size_t max_header = 16u << 10;
  size_t max_connections_per_peer = 1024;  // beyond this, a client address's new connections are closed
};

// The certificate chain (leaf first) and key, PEM; empty means plain HTTP.
struct ListenerTls {
  std::string chain_pem;
  std::string private_key_pem;
};

class HttpListener {
 public:
  HttpListener(boost::asio::io_context& ioc, ApiHandlers& handlers, ListenerTls tls, ListenerLimits limits = {});
  ~HttpListener();

  // Binds "HOST:PORT" (port 0 picks a free one) and starts accepting; a bad
  // certificate or key is kInvalidArgument.
  Status Start(const std::string& listen_address);
  // The address actually bound, e.g. "127.0.0.1:40123".
  std::string bound_address() const;
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gleaner::server
