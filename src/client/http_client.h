// A blocking HTTP/1.1 client over one keep-alive connection (Boost.Beast).
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

// "http://host:port[/]" split into parts; errors say what a URL must look like.
struct ServerUrl {
  std::string scheme, host, port;
  static Result<ServerUrl> Parse(const std::string& url);
  std::string ToString() const { return scheme + "://" + host + ":" + port; }
};

class HttpClient {
 public:
  HttpClient(ServerUrl url, std::string bearer_token,
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
