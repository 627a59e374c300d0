// ReportService: answers usage queries from a read-only connection to the
// store, on its own thread, so neither the committer nor the I/O threads
// wait on a report's scan. Thread-safe: queries are serialised on that thread.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <vector>

#include "server/store/store.h"

namespace gleaner::server {

class ReportService {
 public:
  // `reader` is used only on the service's own thread.
  explicit ReportService(std::unique_ptr<Store> reader);
  ~ReportService();  // waits for a query in progress

  boost::asio::awaitable<Result<std::vector<UsageRow>>> Usage(int64_t since);
  boost::asio::awaitable<Result<std::vector<api::AuditEvent>>> Audit(AuditQuery query);

 private:
  template <typename Rows, typename Query>
  boost::asio::awaitable<Rows> OnReaderThread(Query query);

  std::unique_ptr<Store> reader_;
  boost::asio::thread_pool thread_{1};
};

}  // namespace gleaner::server
