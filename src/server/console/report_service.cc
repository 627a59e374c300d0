#include "server/console/report_service.h"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gleaner::server {

namespace asio = boost::asio;

ReportService::ReportService(std::unique_ptr<Store> reader) : reader_(std::move(reader)) {}

ReportService::~ReportService() { thread_.join(); }

// Runs query(reader) on the service's thread, then resumes the caller on its own executor.
template <typename Rows, typename Query>
asio::awaitable<Rows> ReportService::OnReaderThread(Query query) {
  auto initiate = [this, query = std::move(query)](auto handler) {
    asio::post(thread_, [this, query, handler = std::move(handler)]() mutable {
      auto rows = std::make_shared<Rows>(query(*reader_));
      auto ex = asio::get_associated_executor(handler);
      asio::post(ex, [handler = std::move(handler), rows]() mutable { std::move(handler)(std::move(*rows)); });
    });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>, void(Rows)>(initiate, asio::use_awaitable);
}

asio::awaitable<Result<std::vector<UsageRow>>> ReportService::Usage(int64_t since) {
  auto usage = [since](Store& reader) { return reader.Usage(since); };
  return OnReaderThread<Result<std::vector<UsageRow>>>(usage);
}

asio::awaitable<Result<std::vector<api::AuditEvent>>> ReportService::Audit(AuditQuery query) {
  auto audit = [query = std::move(query)](Store& reader) { return reader.Audit(query); };
  return OnReaderThread<Result<std::vector<api::AuditEvent>>>(audit);
}

}  // namespace gleaner::server
