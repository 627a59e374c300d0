#include "server/console/report_service.h"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gleaner::server {

namespace asio = boost::asio;

ReportService::ReportService(std::unique_ptr<Store> reader) : reader_(std::move(reader)) {}

ReportService::~ReportService() { thread_.join(); }

asio::awaitable<Result<std::vector<UsageRow>>> ReportService::Usage(int64_t since) {
  using Rows = Result<std::vector<UsageRow>>;
  // Runs the query on the service's thread, then resumes the caller on its own executor.
  auto initiate = [this, since](auto handler) {
    asio::post(thread_, [this, since, handler = std::move(handler)]() mutable {
      auto rows = std::make_shared<Rows>(reader_->Usage(since));
      auto ex = asio::get_associated_executor(handler);
      asio::post(ex, [handler = std::move(handler), rows]() mutable { std::move(handler)(std::move(*rows)); });
    });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>, void(Rows)>(initiate, asio::use_awaitable);
}

}  // namespace gleaner::server
