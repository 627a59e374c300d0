#include "server/coordinator.h"

namespace gleaner::server {

namespace asio = boost::asio;

Coordinator::Coordinator(asio::io_context& ioc, Scheduler& scheduler, Committer& committer)
    : scheduler_(scheduler), committer_(committer), strand_(asio::make_strand(ioc)), lease_timer_(strand_) {}

void Coordinator::StartLeaseTimer(std::chrono::milliseconds period) {
  lease_period_ = period;
  asio::post(strand_, [this] { ScheduleLeaseCheck(); });
}

void Coordinator::Stop() {
  asio::post(strand_, [this] { lease_timer_.cancel(); });
}

void Coordinator::ScheduleLeaseCheck() {
  lease_timer_.expires_after(lease_period_);
  lease_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // cancelled: shutting down
    Batch batch;
    scheduler_.ExpireLeases(NowUnixMillis(), batch);
    if (!batch.empty()) committer_.Enqueue(std::move(batch), nullptr);
    ScheduleLeaseCheck();
  });
}

}  // namespace gleaner::server
