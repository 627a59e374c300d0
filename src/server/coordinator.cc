#include "server/coordinator.h"

namespace gleaner::server {

namespace asio = boost::asio;

Coordinator::Coordinator(asio::io_context& ioc, Scheduler& scheduler, Committer& committer)
    : scheduler_(scheduler), committer_(committer), strand_(asio::make_strand(ioc)), tick_timer_(strand_) {}

void Coordinator::StartTicking(std::chrono::milliseconds period) {
  tick_period_ = period;
  asio::post(strand_, [this] { ScheduleTick(); });
}

void Coordinator::Stop() {
  asio::post(strand_, [this] { tick_timer_.cancel(); });
}

void Coordinator::ScheduleTick() {
  tick_timer_.expires_after(tick_period_);
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // cancelled: shutting down
    Batch batch;
    scheduler_.Tick(NowUnixMillis(), batch);
    if (!batch.empty()) committer_.Enqueue(std::move(batch), nullptr);
    ScheduleTick();
  });
}

}  // namespace gleaner::server
