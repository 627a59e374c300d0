// Typed calls to /api/v1 for the CLI and the agent.
//
// Non-2xx answers become an Error carrying the server's code and message, so
// the CLI can print exactly what the server said. Not thread-safe: one
// ApiClient per thread.
#pragma once

#include <string>

#include "api/json.h"
#include "api/types.h"
#include "client/http_client.h"
#include "client/server_endpoint.h"
#include "common/status.h"

namespace gleaner {

class ApiClient {
 public:
  // `ca_sha256` pins the server's CA over https (see HttpClient).
  ApiClient(ServerUrl url, std::string token, std::string ca_sha256 = "");
  explicit ApiClient(const ServerEndpoint& endpoint) : ApiClient(endpoint.url, endpoint.secret, endpoint.ca_sha256) {}

  // Decoded JSON response of METHOD target with `request` as body.
  template <typename Response>
  Result<Response> Call(const std::string& method, const std::string& target, const std::string& body = "") {
    auto raw = CallRaw(method, target, body);
    if (!raw.ok()) return raw.error();
    auto decoded = api::Decode<Response>(*raw);
    if (!decoded.ok()) return Internal("the server's answer to " + target + " is not understood: " + decoded.error().message);
    return decoded;
  }
  template <typename Response, typename Request>
  Result<Response> Post(const std::string& target, const Request& request) {
    return Call<Response>("POST", target, api::Encode(request));
  }

  // The body of a 2xx answer, or the server's error.
  Result<std::string> CallRaw(const std::string& method, const std::string& target, const std::string& body = "");

  // Uploads `path` unless the server already has its content; returns its ref
  // with `name` as given.
  Result<api::FileRef> UploadBlob(const std::string& path, const std::string& name);
  // Fetches a blob into `dest` and checks its hash.
  // `job` and `task` say whose file it is: submitters read blobs only as
  // files of their own jobs (a task < 0: an input of the job).
  Status DownloadBlob(const std::string& sha256, const std::string& dest, int64_t job = 0, int64_t task = -1);

  HttpClient& http() { return http_; }

 private:
  HttpClient http_;
};

}  // namespace gleaner
