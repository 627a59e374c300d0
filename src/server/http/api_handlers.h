// ApiHandlers: the thin handlers of /api/v1 — decode, validate, hand to the
// scheduler through the Coordinator, map the result to a status code.
//
// The listener calls Admit() once the headers are in (so a request without a
// valid credential is refused before its body is read), then Handle().
// Thread-safe: holds no mutable state of its own.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>

#include "server/blobs/blob_store.h"
#include "server/console/console_handlers.h"
#include "server/coordinator.h"
#include "server/http/request.h"
#include "server/http/routes.h"

namespace gleaner::server {

struct Admission {
  Route route;
  Principal principal;
  bool body_to_file = false;  // stream the body into a blob temp file
};

class ApiHandlers {
 public:
  ApiHandlers(Coordinator& coordinator, const BlobStore& blobs, ConsoleHandlers& console, std::string db_path)
      : coordinator_(coordinator), blobs_(blobs), console_(console), db_path_(std::move(db_path)) {}

  boost::asio::awaitable<Result<Admission>> Admit(const Request& request);
  boost::asio::awaitable<Response> Handle(Request request, Admission admission);
  const BlobStore& blobs() const { return blobs_; }
  RequestMetrics& request_metrics() { return console_.request_metrics(); }

 private:
  boost::asio::awaitable<Response> Enroll(const Request& request);
  boost::asio::awaitable<Response> Sync(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> SubmitJob(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> CreateToken(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> SetPolicy(const Request& request, const std::string& host, const Principal& who);
  Response PutBlob(const Request& request, const std::string& sha256);
  boost::asio::awaitable<Response> Backup(const Request& request, const Principal& who);

  Coordinator& coordinator_;
  const BlobStore& blobs_;
  ConsoleHandlers& console_;
  const std::string db_path_;
};

}  // namespace gleaner::server
