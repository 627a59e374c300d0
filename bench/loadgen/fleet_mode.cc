#include "fleet_mode.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "agent_link.h"
#include "api/json.h"
#include "enroll.h"
#include "latencies.h"
#include "proc_sample.h"
#include "source_addresses.h"

namespace gleaner::bench {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct Fleet {
  Clock::time_point window_start;  // after one full period, when every agent has reported once
  Latencies latencies;             // of reports inside the window
  int64_t failures = 0;
  std::optional<Error> first_failure;
};

// Reports idle (all slots free, nothing running) every `period`, starting at
// `offset`, so a fleet's reports spread evenly over the period.
asio::awaitable<void> IdleAgent(const LinkTarget& target, asio::ip::address source, std::string credential,
                                bool keep_alive, Clock::duration offset, Clock::duration period, Fleet& fleet) {
  auto ex = co_await asio::this_coro::executor;
  std::optional<AgentLink> link;
  asio::steady_timer timer(ex, Clock::now() + offset);
  api::SyncRequest idle;  // one free slot, nothing running: what an idle desktop reports
  idle.free_slots = 1;
  idle.slots = 1;
  const std::string body = api::Encode(idle);
  for (;;) {
    co_await timer.async_wait(asio::use_awaitable);
    timer.expires_at(timer.expiry() + period);
    // A connection per report is built and dropped here, so an agent that
    // does not hold one costs the server nothing between reports.
    if (!link || !keep_alive) link.emplace(ex, target, keep_alive, source);
    auto start = Clock::now();
    auto answer = co_await link->Post("/api/v1/agents/sync", credential, body);
    if (!answer.ok()) {
      if (!fleet.first_failure) fleet.first_failure = answer.error();
      fleet.failures++;
      continue;
    }
    if (start >= fleet.window_start) {
      fleet.latencies.Add(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
  }
}

}  // namespace

Result<nlohmann::json> RunFleet(const Options& opt) {
  auto target = ResolveTarget(opt.server);
  if (!target.ok()) return target.error();
  auto empty = SampleProcess(opt.server_pid);
  auto credentials = EnrollHosts(opt.server, opt.token, opt.agents, /*slots=*/1);
  if (!credentials.ok()) return credentials.error();
  auto enrolled = SampleProcess(opt.server_pid);

  auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.period_s));
  auto window = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.window_s));
  Fleet fleet;
  fleet.window_start = Clock::now() + period;
  auto sources = SourceAddresses(opt.sources);
  asio::io_context ioc(1);
  for (int i = 0; i < opt.agents; ++i) {
    auto offset = period * i / opt.agents;
    asio::co_spawn(ioc,
                   IdleAgent(*target, sources[static_cast<size_t>(i) % sources.size()],
                             (*credentials)[static_cast<size_t>(i)], i < opt.hold, offset, period, fleet),
                   asio::detached);
  }
  ProcSample window_start;
  asio::steady_timer warmed(ioc, fleet.window_start);
  warmed.async_wait([&](auto) { window_start = SampleProcess(opt.server_pid); });
  ioc.run_until(fleet.window_start + window);
  auto end = SampleProcess(opt.server_pid);
  if (fleet.first_failure && fleet.latencies.count() == 0) {
    return Error{fleet.first_failure->code, "every report failed: " + fleet.first_failure->message};
  }

  int held = std::min(opt.hold, opt.agents);
  double window_cpu_s = end.cpu_s - window_start.cpu_s;
  return nlohmann::json{
      {"agents", opt.agents},
      {"held_connections", held},
      {"period_s", opt.period_s},
      {"reports_per_s", static_cast<double>(fleet.latencies.count()) / opt.window_s},
      {"report_failures", fleet.failures},
      {"first_failure", fleet.first_failure ? fleet.first_failure->message : ""},
      {"sync_latency_ms_p50", fleet.latencies.Percentile(0.50)},
      {"sync_latency_ms_p99", fleet.latencies.Percentile(0.99)},
      {"server_cpu_pct_of_core", 100 * window_cpu_s / opt.window_s},
      {"server_rss_mib", static_cast<double>(end.rss_kb) / 1024},
      {"server_peak_rss_mib", static_cast<double>(end.hwm_kb) / 1024},
      {"server_rss_kib_per_enrolled_agent", static_cast<double>(enrolled.rss_kb - empty.rss_kb) / opt.agents},
      {"server_rss_kib_per_held_connection",
       held > 0 ? static_cast<double>(end.rss_kb - enrolled.rss_kb) / held : 0},
  };
}

}  // namespace gleaner::bench
