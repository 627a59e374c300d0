// A blocking HTTP/1.1 client over one keep-alive connection (Boost.Beast),
// plain or TLS.
//
// Over https the server is trusted when its certificate chains to the CA whose
// SHA-256 fingerprint the caller pins (from the token string) and names the
// host connected to; without a pin, the system's trust store decides. A
// certificate that fails is kInvalidArgument saying why — not retried.
//
// Used by the CLI and the agent; each thread that talks to the server owns its
// own HttpClient (not thread-safe). Every operation is bounded by a timeout; a
// failure to connect or a broken connection is kUnavailable, so callers can
// retry. Bodies of files stream from and to disk.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"

namespace gleaner {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// "https://host:port[/]" (or http) split into parts; errors say what a URL must look like.
struct ServerUrl {
  std::string scheme, host, port;
  static Result<ServerUrl> Parse(const std::string& url);
  std::string ToString() const { return scheme + "://" + host + ":" + port; }
};

class HttpClient {
 public:
  // `ca_sha256`: lowercase hex fingerprint of the CA to pin, or empty.
  HttpClient(ServerUrl url, std::string bearer_token, std::string ca_sha256 = "",
             std::chrono::milliseconds timeout = std::chrono::seconds(60));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  void set_token(std::string token);
  const ServerUrl& url() const;

  // `body` is sent as application/json when not empty.
  Result<HttpResponse> Send(const std::string& method, const std::string& target, const std::string& body = "");
  // PUT with the file's bytes as the body.
  Result<HttpResponse> UploadFile(const std::string& target, const std::string& path);
  // GET; on 200 the body lands in `path` (written whole, then renamed into place).
  Result<HttpResponse> DownloadToFile(const std::string& target, const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gleaner
