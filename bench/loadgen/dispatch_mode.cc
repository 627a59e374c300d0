#include "dispatch_mode.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "agent_link.h"
#include "api/json.h"
#include "client/api_client.h"
#include "enroll.h"
#include "latencies.h"
#include "proc_sample.h"
#include "source_addresses.h"

namespace gleaner::bench {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct Progress {
  int64_t target = 0;
  int64_t completed = 0;
  Latencies latencies;
  Clock::time_point last_completion{};
  std::optional<Error> failed;
  bool done() const { return completed >= target || failed; }
};

asio::awaitable<void> Agent(const LinkTarget& target, asio::ip::address source, std::string credential, int slots,
                            bool keep_alive, Progress& progress) {
  auto ex = co_await asio::this_coro::executor;
  AgentLink link(ex, target, keep_alive, source);
  asio::steady_timer idle(ex);
  api::SyncRequest request;
  request.slots = slots;
  request.free_slots = slots;
  while (!progress.done()) {
    auto start = Clock::now();
    auto body = co_await link.Post("/api/v1/agents/sync", credential, api::Encode(request));
    auto end = Clock::now();
    auto answer = body.ok() ? api::Decode<api::SyncResponse>(*body) : Result<api::SyncResponse>(body.error());
    if (!answer.ok()) {
      progress.failed = answer.error();
      co_return;
    }
    progress.latencies.Add(std::chrono::duration<double, std::milli>(end - start).count());
    progress.completed += static_cast<int64_t>(answer->accepted.size());
    if (!answer->accepted.empty()) progress.last_completion = end;
    request.completions.clear();
    for (const auto& a : answer->assignments) {
      api::Completion c;
      c.attempt_id = a.attempt_id;
      c.succeeded = true;
      c.exit_code = 0;
      request.completions.push_back(std::move(c));
    }
    if (request.completions.empty()) {
      // Nothing to do: wait a little, as a real agent would wait poll_ms.
      idle.expires_after(std::chrono::milliseconds(std::max<int64_t>(answer->poll_ms / 10, 5)));
      co_await idle.async_wait(asio::use_awaitable);
    }
  }
}

}  // namespace

Result<nlohmann::json> RunDispatch(const Options& opt) {
  auto target = ResolveTarget(opt.server);
  if (!target.ok()) return target.error();
  auto credentials = EnrollHosts(opt.server, opt.token, opt.agents, opt.slots);
  if (!credentials.ok()) return credentials.error();

  ApiClient admin(*ResolveServerEndpoint(opt.server, opt.token));
  auto before = SampleProcess(opt.server_pid);
  auto submit_start = Clock::now();
  int64_t jobs = std::max<int64_t>(1, std::min(opt.jobs, opt.tasks));
  // Jobs with requirements are spread evenly among the others.
  double with_requirements = 0;
  for (int64_t k = 0; k < jobs; ++k) {
    api::JobSpec spec;
    spec.name = "loadgen";
    spec.command = {"true"};
    spec.count = opt.tasks / jobs + (k < opt.tasks % jobs ? 1 : 0);
    with_requirements += opt.with_requirements;
    if (with_requirements >= 1) {
      with_requirements -= 1;
      spec.requirements = "os == \"linux\" && memory >= 8G && cores >= 4";
    }
    auto job = admin.Post<api::SubmitResponse>("/api/v1/jobs", spec);
    if (!job.ok()) return Error{job.error().code, "submit failed: " + job.error().message};
  }
  auto submit_end = Clock::now();

  Progress progress;
  progress.target = opt.tasks;
  auto sources = SourceAddresses(opt.sources);
  asio::io_context ioc(1);
  for (int i = 0; i < opt.agents; ++i) {
    asio::co_spawn(ioc,
                   Agent(*target, sources[static_cast<size_t>(i) % sources.size()], (*credentials)[static_cast<size_t>(i)],
                         opt.slots, !opt.connect_per_sync, progress),
                   asio::detached);
  }
  ioc.run();
  if (progress.failed) return Error{progress.failed->code, "sync failed: " + progress.failed->message};
  auto after = SampleProcess(opt.server_pid);

  double dispatch_s = std::chrono::duration<double>(progress.last_completion - submit_end).count();
  double submit_s = std::chrono::duration<double>(submit_end - submit_start).count();
  double cpu_s = after.cpu_s - before.cpu_s;
  return nlohmann::json{
      {"tasks", opt.tasks},
      {"jobs", jobs},
      {"with_requirements", opt.with_requirements},
      {"agents", opt.agents},
      {"slots_per_agent", opt.slots},
      {"connect_per_sync", opt.connect_per_sync},
      {"submit_tasks_per_s", submit_s > 0 ? static_cast<double>(opt.tasks) / submit_s : 0},
      {"tasks_per_s", dispatch_s > 0 ? static_cast<double>(progress.completed) / dispatch_s : 0},
      {"syncs", progress.latencies.count()},
      {"sync_latency_ms_p50", progress.latencies.Percentile(0.50)},
      {"sync_latency_ms_p99", progress.latencies.Percentile(0.99)},
      {"server_cpu_s", cpu_s},
      {"server_cpu_us_per_task", opt.tasks > 0 ? cpu_s * 1e6 / static_cast<double>(opt.tasks) : 0},
      {"server_rss_mib", static_cast<double>(after.rss_kb) / 1024},
      {"server_peak_rss_mib", static_cast<double>(after.hwm_kb) / 1024},
  };
}

}  // namespace gleaner::bench
