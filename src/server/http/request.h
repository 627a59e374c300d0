// The HTTP layer's view of one request and its response, free of Beast types,
// so the API handlers are plain functions of these values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace gleaner::server {

struct Request {
  std::string method;     // "GET", "POST", ...
  std::string path;       // target without the query string
  std::string query;      // after '?', undecoded
  std::string bearer;     // the token after "Authorization: Bearer ", or empty
  std::string body;       // for JSON requests
  std::string body_file;  // for blob uploads: where the body was streamed to
  std::string peer;       // remote address, for logs
  std::string if_none_match;  // the If-None-Match header, for cached console files
};

struct Response {
  int status = 200;
  std::string body;                            // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::string file_path;                       // when set, the body is this file, streamed
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. caching

  static Response Json(int status, std::string body) { return {status, std::move(body), "application/json", "", {}}; }
  // The error's HTTP status and a JSON body {"error": {"code", "message"}}.
  static Response FromError(const Error& error);
};

// The pieces of a request head the listener copies into a Request; pure, so
// they are fuzzed without sockets (tests/fuzz/fuzz_http_request.cc).
// The token of an "Authorization: Bearer <token>" value, or "" for any other value.
std::string BearerToken(std::string_view authorization);
// Sets request.path and request.query from a target "/path?query".
void SplitTarget(std::string_view target, Request& request);
// "a=1&b=x%20y" → {{"a","1"},{"b","x y"}}, percent- and plus-decoded, in order.
std::vector<std::pair<std::string, std::string>> QueryParams(std::string_view query);

}  // namespace gleaner::server
