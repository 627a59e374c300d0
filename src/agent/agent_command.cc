// `gleaner agent`: flags, then enrol, then the agent loop until SIGINT/SIGTERM.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "agent/agent_config.h"
#include "agent/agent_dirs.h"
#include "agent/agent_loop.h"
#include "agent/enrollment.h"
#include "agent/executor/process_driver.h"
#include "agent/executor/sandbox_probe.h"
#include "agent/host_facts.h"
#include "agent/owner/activity_sources.h"
#include "agent/owner/owner_monitor.h"
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
  std::string checkpoint_interval = "1m";
  std::string checkpoint_max = "1G";
  std::string name;  // overrides the hostname, e.g. for several agents on one machine
  std::string suspend = "auto";
  std::string bwrap = kDefaultBubblewrap;
  bool allow_unsandboxed = false;
  bool no_sandbox = false;
  SourceOptions owner{"", ::getenv("DISPLAY") ? ::getenv("DISPLAY") : "", ""};
};

// "auto" prefers the cgroup v2 freezer and falls back to stop signals.
Result<std::unique_ptr<CgroupSubtree>> ChooseSuspension(const std::string& how) {
  if (how == "signals") return std::unique_ptr<CgroupSubtree>();
  auto subtree = CgroupSubtree::Open();
  if (subtree.ok() || how == "freezer") return subtree;
  spdlog::info("suspending tasks with SIGSTOP/SIGCONT: {}", subtree.error().message);
  return std::unique_ptr<CgroupSubtree>();
}

const char* IsolationName(Isolation isolation) {
  switch (isolation) {
    case Isolation::kNamespaces: return "namespaces";
    case Isolation::kProcessGroup: return "process group only";
    case Isolation::kUnavailable: break;
  }
  return "none: runs no tasks";
}

// Tries the sandbox once, as tasks will use it, and says loudly when it does
// not work: then tasks run only with --allow-unsandboxed, and not at all
// otherwise.
SandboxConfig ChooseSandbox(const AgentFlags& flags, const std::optional<TaskUser>& task_user,
                            const AgentDirs& dirs) {
  if (flags.no_sandbox) {
    spdlog::warn("**** --no-sandbox: tasks run with only their own user, process group and rlimits; they see this "
                 "host's files and network ****");
    return {SandboxMode::kUnsandboxed, flags.bwrap, "turned off with --no-sandbox"};
  }
  Status works = ProbeSandbox(flags.bwrap, task_user, dirs.attempts + "/sandbox-probe");
  if (works.ok()) return {SandboxMode::kBubblewrap, flags.bwrap, ""};
  spdlog::error("**** NO SANDBOX: tasks cannot run inside bubblewrap: {} ****", works.message());
  if (flags.allow_unsandboxed) {
    spdlog::error("**** --allow-unsandboxed: tasks run with only their own user, process group and rlimits; they "
                  "see this host's files and network. Install bubblewrap (apt-get install bubblewrap) to sandbox "
                  "them ****");
    return {SandboxMode::kUnsandboxed, flags.bwrap, works.message() + "; allowed by --allow-unsandboxed"};
  }
  spdlog::error("**** this agent runs no tasks until the sandbox works: install bubblewrap (apt-get install "
                "bubblewrap) and allow unprivileged user namespaces, or start it with --allow-unsandboxed ****");
  return {SandboxMode::kRefuse, flags.bwrap, works.message()};
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
  auto checkpoint_interval = ParseDuration(flags.checkpoint_interval);
  if (!checkpoint_interval.ok() || checkpoint_interval->count() < 100) {
    spdlog::error("--checkpoint-interval: {}",
                  checkpoint_interval.ok() ? "must be at least 100ms" : checkpoint_interval.error().message);
    return kExitUsage;
  }
  auto checkpoint_max = ParseSize(flags.checkpoint_max);
  if (!checkpoint_max.ok()) {
    spdlog::error("--checkpoint-max: {}", checkpoint_max.error().message);
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
  SandboxConfig sandbox = ChooseSandbox(flags, *task_user, *dirs);
  api::HostFacts facts = CollectHostFacts();
  facts.sandbox = DescribeSandbox(sandbox);
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

  auto cgroups = ChooseSuspension(flags.suspend);
  if (!cgroups.ok()) {
    spdlog::error("--suspend freezer: {}", cgroups.error().message);
    return kExitFailed;
  }
  auto sources = OpenActivitySources(flags.owner);
  if (!sources.ok()) {
    spdlog::error("{}", sources.error().message);
    return ExitCodeFor(sources.error());
  }
  CgroupSubtree* task_subtree = cgroups->get();  // owned by the driver, which outlives resource_caps
  ProcessDriver driver(*task_user, std::move(*cgroups), sandbox, flags.slots);
  ResourceCaps resource_caps(task_subtree, task_subtree != nullptr, facts.cores);  // the policy's CPU/memory caps
  auto caps = driver.capabilities();
  spdlog::info("host {} at {}: {} slots, {} driver ({}, suspends with {}), tasks run as {}", credential->host_id,
               credential->server, flags.slots, caps.name, IsolationName(caps.isolation),
               caps.suspend == SuspendMethod::kFreezer ? "the cgroup v2 freezer" : "stop signals",
               *task_user ? (*task_user)->name : std::string("this agent's user"));
  auto placement = *task_user ? InputCache::Placement::kHardlink : InputCache::Placement::kCopy;
  InputCache cache(dirs->cache, placement);
  AttemptEnv env{*dirs, driver, cache, **pending, ApiServerLinks(*url, credential->credential, credential->ca_sha256), *output_cap};
  env.checkpoint_interval = *checkpoint_interval;
  env.checkpoint_max_bytes = *checkpoint_max;
  if (*task_user) env.task_owner = FileOwner{(*task_user)->uid, (*task_user)->gid};
  AgentLoop* loop_for_guard = nullptr;  // the guard outlives the loop, which it wakes
  OwnerGuard guard(
      [&] {
        if (loop_for_guard) loop_for_guard->Wake();
      },
      std::chrono::seconds(10), &resource_caps);
  auto monitor = OwnerMonitor::Create(std::move(*sources), [&](const OwnerView& owner) { guard.Observe(owner); });
  if (!monitor.ok()) {
    spdlog::error("{}", monitor.error().message);
    return kExitFailed;
  }
  AgentLoop loop(env, flags.slots, guard);
  loop.ReportFacts(facts);  // an agent enrolled earlier may have changed since
  loop_for_guard = &loop;
  (*monitor)->Start();

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
  (*monitor)->Stop();
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
  cmd->add_option("--server", flags->server, "server URL, e.g. https://grid:7070 (optional when the join token is a token string)")->envname("GLEANER_SERVER");
  cmd->add_option("--join", flags->join_token, "join token from `gleaner token create --role agent` (first start only)");
  cmd->add_option("--work", flags->work_dir, "the agent's directory: credential, cache, pending results, work dirs")
      ->required();
  cmd->add_option("--slots", flags->slots, "how many CPUs tasks may use")->capture_default_str();
  cmd->add_option("--task-user", flags->task_user, "unprivileged account tasks run as when the agent is root")
      ->capture_default_str();
  cmd->add_option("--name", flags->name, "the name this host enrols under (default: its hostname)");
  cmd->add_option("--output-cap", flags->output_cap, "bytes of stdout and of stderr kept per task (e.g. 512K, 4M)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-interval", flags->checkpoint_interval,
                  "how often a task's changed GLEANER_CHECKPOINT_DIR is uploaded (e.g. 30s, 5m)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-max", flags->checkpoint_max, "the most a task's checkpoint may hold (e.g. 256M, 2G)")
      ->capture_default_str();
  cmd->add_option("--bwrap", flags->bwrap, "the bubblewrap binary tasks are sandboxed with")->capture_default_str();
  cmd->add_flag("--allow-unsandboxed", flags->allow_unsandboxed,
                "run tasks even where bubblewrap does not work, with only their own user, process group and "
                "rlimits (without it such an agent runs no tasks)");
  cmd->add_flag("--no-sandbox", flags->no_sandbox,
                "run tasks without bubblewrap even where it works, for trusted jobs and tests that watch task "
                "processes from outside; `gleaner hosts` says so");
  cmd->add_option("--suspend", flags->suspend, "how tasks yield to the owner: freezer (cgroup v2), signals, or auto")
      ->check(CLI::IsMember({"auto", "freezer", "signals"}))
      ->capture_default_str();
  cmd->add_option("--activity-file", flags->owner.activity_file,
                  "a file saying 'active' or 'idle' (idle since its mtime), for tests and integrations");
  cmd->add_option("--display", flags->owner.display, "X11 display whose idle time shows the owner (default $DISPLAY)");
  cmd->add_option("--logind-bus", flags->owner.logind_bus, "D-Bus address of systemd-logind (default: the system bus)");
  auto config = AddConfigFileFlags(*cmd);  // after every other flag: each is a key of agent.toml
  cmd->callback([cmd, flags, config, &exit_code] {
    spdlog::set_default_logger(spdlog::stderr_color_mt("agent"));
    Status read = ApplyConfigFile(*cmd, *config);
    if (!read.ok()) {
      spdlog::error("{}", read.message());
      exit_code = kExitUsage;
    } else if (config->check) {
      std::cout << (config->path.empty() ? "the flags" : config->path) << ": ok\n";
      exit_code = kExitOk;
    } else {
      exit_code = RunAgent(*flags);
    }
  });
}

}  // namespace gleaner::agent
