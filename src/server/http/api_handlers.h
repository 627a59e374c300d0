// ApiHandlers: the thin handlers of /api/v1 — decode, validate, hand to the
// scheduler through the Coordinator, map the result to a status code.
//
// The listener calls Admit() once the headers are in (so a request without a
// valid credential is refused before its body is read), then Handle(), which
// calls the one handler bound to the route's id (HandlerTable in the .cc).
// Admin actions and refusals go to the audit log (server/auth/audit.h).
// Thread-safe.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>
#include <span>

#include "server/auth/audit.h"
#include "server/backup/backup.h"
#include "server/blobs/blob_store.h"
#include "server/console/console_handlers.h"
#include "server/console/report_service.h"
#include "server/coordinator.h"
#include "server/http/request.h"
#include "server/http/routes.h"

namespace gleaner::server {

struct Admission {
  Route route;
  Principal principal;
  bool body_to_file = false;  // stream the body into a blob temp file
  std::string credential_hash;  // of the bearer secret; a join token's is counted on enrolment
};

class ApiHandlers {
 public:
  ApiHandlers(Coordinator& coordinator, const BlobStore& blobs, ConsoleHandlers& console, ReportService& reports,
              BackupSource backups)
      : coordinator_(coordinator), blobs_(blobs), console_(console), reports_(reports), backups_(std::move(backups)) {}

  boost::asio::awaitable<Result<Admission>> Admit(const Request& request);
  boost::asio::awaitable<Response> Handle(Request request, Admission admission);
  const BlobStore& blobs() const { return blobs_; }
  // Where token strings point and the CA they pin ("" over plain HTTP). Set
  // once, before the io_context runs; read-only afterwards.
  void SetAdvertisedServer(std::string url, std::string ca_sha256) {
    advertised_url_ = std::move(url);
    ca_sha256_ = std::move(ca_sha256);
  }
  RequestMetrics& request_metrics() { return console_.request_metrics(); }
  // kInternal naming a route of Routes() without exactly one handler, or a
  // handler without a route.
  static Status CheckHandlers();

 private:
  // A route's handler, given the request and what admitting it found.
  using Handler = boost::asio::awaitable<Response> (*)(ApiHandlers&, const Request&, const Admission&);
  struct HandlerEntry {
    RouteId id;
    Handler handler;
  };
  static std::span<const HandlerEntry> HandlerTable();

  boost::asio::awaitable<Response> Enroll(const Request& request, const Admission& admission);
  boost::asio::awaitable<Response> ListTokens();
  boost::asio::awaitable<Response> RevokeToken(const Request& request, const std::string& id, const Principal& who);
  boost::asio::awaitable<Response> RevokeHost(const Request& request, int64_t host_id, const Principal& who);
  boost::asio::awaitable<Response> ReadAudit(const Request& request);
  // Records a refused request (throttled per address).
  boost::asio::awaitable<void> AuditRefusal(const Request& request, const Principal& who, const Error& why);
  boost::asio::awaitable<Response> Sync(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> SubmitJob(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> CreateToken(const Request& request, const Principal& who);
  boost::asio::awaitable<Response> SetPolicy(const Request& request, const std::string& host, const Principal& who);
  Response HeadBlob(const std::string& sha256) const;
  boost::asio::awaitable<Response> GetBlob(const Request& request, const Principal& who, const std::string& sha256);
  // Who may read a blob's content, past the route's roles (refusals are kPermissionDenied).
  boost::asio::awaitable<Status> AuthorizeBlobRead(const Request& request, const Principal& who,
                                                   const std::string& sha256);
  boost::asio::awaitable<Status> CheckSubmitterBlobRead(const Request& request, const Principal& who,
                                                        const std::string& sha256);
  Response PutBlob(const Request& request, const std::string& sha256);
  boost::asio::awaitable<Response> ListJobs(const Principal& who);
  boost::asio::awaitable<Response> GetJob(int64_t job_id, const Principal& who);
  boost::asio::awaitable<Response> ListTasks(int64_t job_id, const Principal& who);
  boost::asio::awaitable<Response> CancelJob(const Request& request, int64_t job_id, const Principal& who);
  boost::asio::awaitable<Response> ListHosts();
  boost::asio::awaitable<Response> ReleaseHost(const Request& request, int64_t host_id, const Principal& who);
  boost::asio::awaitable<Response> GetPolicy(const std::string& host);
  boost::asio::awaitable<Response> Backup(const Request& request, const Principal& who);

  Coordinator& coordinator_;
  const BlobStore& blobs_;
  ConsoleHandlers& console_;
  ReportService& reports_;  // reads the audit log on a read-only connection, off the I/O threads
  const BackupSource backups_;  // what POST /api/v1/backup copies
  RefusalThrottle refusals_;
  std::string advertised_url_;
  std::string ca_sha256_;
};

}  // namespace gleaner::server
