// `gleaner agent`: flags, then enrol, then the agent loop until SIGINT/SIGTERM.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <thread>

#include "agent/agent_dirs.h"
#include "agent/agent_loop.h"
#include "agent/enrollment.h"
#include "agent/executor/process_driver.h"
#include "agent/host_facts.h"
#include "agent/stop_signals.h"
#include "command.h"
#include "common/units.h"

namespace gleaner::agent {

namespace {

struct AgentFlags {
  std::string server;
  std::string join_token;
  std::string work_dir;
  int64_t slots = std::max(1u, std::thread::hardware_concurrency());
  std::string task_user = "gleaner";
  std::string output_cap = "1M";
  std::string name;  // overrides the hostname, e.g. for several agents on one machine
};

const char* IsolationName(Isolation isolation) {
  return isolation == Isolation::kNamespaces ? "namespaces" : "process group";
}

int ExitCodeFor(const Error& error) {
  bool user_can_fix = error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kUnauthenticated ||
                      error.code == ErrorCode::kPermissionDenied;
  return user_can_fix ? kExitUsage : kExitFailed;
}

int RunAgent(const AgentFlags& flags) {
  StopSignals signals;  // first, before any thread exists
  if (flags.slots < 1) {
    spdlog::error("--slots must be at least 1 (got {})", flags.slots);
    return kExitUsage;
  }
  auto output_cap = ParseSize(flags.output_cap);
  if (!output_cap.ok()) {
    spdlog::error("--output-cap: {}", output_cap.error().message);
    return kExitUsage;
  }
  auto task_user = ResolveTaskUser(flags.task_user);
  if (!task_user.ok()) {
    spdlog::error("{}", task_user.error().message);
    return ExitCodeFor(task_user.error());
  }
  auto dirs = PrepareAgentDirs(flags.work_dir);
  if (!dirs.ok()) {
    spdlog::error("--work: {}", dirs.error().message);
    return ExitCodeFor(dirs.error());
  }
  if (*task_user) {
    if (Status reachable = CheckTraversableByOthers(dirs->attempts); !reachable.ok()) {
      spdlog::error("--work: {}", reachable.message());
      return kExitUsage;
    }
  }
  api::HostFacts facts = CollectHostFacts();
  if (!flags.name.empty()) facts.hostname = flags.name;
  EnrollmentParams enrollment{dirs->CredentialFile(), flags.server, flags.join_token,
                              api::EnrollRequest{facts, flags.slots}};
  auto credential = LoadOrEnroll(enrollment, [&](Millis d) { return !signals.WaitFor(d); });
  if (!credential.ok()) {
    if (signals.received()) return kExitOk;
    spdlog::error("{}", credential.error().message);
    return ExitCodeFor(credential.error());
  }
  auto url = ServerUrl::Parse(credential->server);
  if (!url.ok()) {
    spdlog::error("{}: {}", dirs->CredentialFile(), url.error().message);
    return kExitUsage;
  }
  auto pending = PendingStore::Open(dirs->pending);
  if (!pending.ok()) {
    spdlog::error("{}", pending.error().message);
    return kExitFailed;
  }

  ProcessDriver driver(*task_user);
  auto caps = driver.capabilities();
  spdlog::info("host {} at {}: {} slots, {} driver ({}), tasks run as {}", credential->host_id, credential->server,
               flags.slots, caps.name, IsolationName(caps.isolation),
               *task_user ? (*task_user)->name : std::string("this agent's user"));
  auto placement = *task_user ? InputCache::Placement::kHardlink : InputCache::Placement::kCopy;
  InputCache cache(dirs->cache, placement);
  AttemptEnv env{*dirs, driver, cache, **pending, ApiServerLinks(*url, credential->credential), *output_cap};
  AgentLoop loop(env, flags.slots);

  std::atomic<bool> loop_done = false;
  Status result;
  std::thread loop_thread([&] {
    result = loop.Run();
    loop_done = true;
  });
  while (!loop_done) {
    if (signals.WaitFor(Millis(200))) loop.Stop();
  }
  loop_thread.join();
  if (!result.ok()) {
    spdlog::error("{}", result.message());
    return ExitCodeFor(result.error());
  }
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

void AddAgentCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<AgentFlags>();
  auto* cmd = app.add_subcommand("agent", "Run grid tasks on this desktop at idle priority");
  cmd->add_option("--server", flags->server, "server URL, e.g. http://grid:8080")->envname("GLEANER_SERVER");
  cmd->add_option("--join", flags->join_token, "join token from `gleaner token create --role agent` (first start only)");
  cmd->add_option("--work", flags->work_dir, "the agent's directory: credential, cache, pending results, work dirs")
      ->required();
  cmd->add_option("--slots", flags->slots, "how many CPUs tasks may use")->capture_default_str();
  cmd->add_option("--task-user", flags->task_user, "unprivileged account tasks run as when the agent is root")
      ->capture_default_str();
  cmd->add_option("--name", flags->name, "the name this host enrols under (default: its hostname)");
  cmd->add_option("--output-cap", flags->output_cap, "bytes of stdout and of stderr kept per task (e.g. 512K, 4M)")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] {
    spdlog::set_default_logger(spdlog::stderr_color_mt("agent"));
    exit_code = RunAgent(*flags);
  });
}

}  // namespace gleaner::agent
