#include "server/console/stats_sampler.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>

namespace gleaner::server {

namespace asio = boost::asio;

api::StatsSample SampleGrid(const Scheduler& scheduler, int64_t now) {
  api::StatsSample s;
  s.at = now;
  s.tasks = scheduler.TaskTotals();
  s.attempts_started = scheduler.attempts_started();
  for (const auto& host : scheduler.ListHosts(now).hosts) {
    s.hosts++;
    if (!host.online) continue;
    s.hosts_online++;
    s.slots += host.slots;
    s.slots_used += host.slots_used;
    if (!host.activity) continue;
    s.hosts_owner_active += host.activity->owner == "active";
    s.hosts_owner_idle += host.activity->owner == "idle";
  }
  return s;
}

StatsSampler::StatsSampler(asio::io_context& ioc, Coordinator& coordinator, SampleRing& ring,
                           std::chrono::milliseconds period)
    : coordinator_(coordinator), ring_(ring), period_(period), timer_(ioc) {}

void StatsSampler::Start() { asio::co_spawn(timer_.get_executor(), Loop(), asio::detached); }

void StatsSampler::Stop() {
  asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

asio::awaitable<void> StatsSampler::Loop() {
  auto sample = [](Scheduler& s, Batch&, int64_t now) { return SampleGrid(s, now); };
  for (;;) {
    api::StatsSample taken = co_await coordinator_.Run<api::StatsSample>(sample);
    ring_.Add(taken);
    boost::system::error_code ec;
    timer_.expires_after(period_);
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // cancelled: the server is stopping
  }
}

}  // namespace gleaner::server
