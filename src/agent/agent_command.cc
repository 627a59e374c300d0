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
#include "agent/executor/host_driver.h"
#include "agent/host_facts.h"
#include "agent/owner/activity_sources.h"
#include "agent/owner/owner_monitor.h"
#include "agent/stop_signals.h"
#include "agent/test_seams.h"
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
  std::string bwrap = kDefaultSandboxProgram;
  bool allow_unsandboxed = false;
  bool no_sandbox = false;
  SourceOptions owner{"", ::getenv("DISPLAY") ? ::getenv("DISPLAY") : "", ""};
};

// RunAgent's stages, in order; each says what went wrong as an Error, and
// RunAgent alone turns that into a log line and an exit code.

// Stage 1: the flags, read and checked; the task user and the work dir.
struct AgentSettings {
  int64_t output_cap = 0;
  Millis checkpoint_interval{0};
  int64_t checkpoint_max = 0;
  std::optional<TaskUser> task_user;
  AgentDirs dirs;
};

Error FlagError(const std::string& flag, const std::string& why) { return InvalidArgument(flag + ": " + why); }

Result<AgentSettings> ParseSettings(const AgentFlags& flags) {
  AgentSettings settings;
  if (flags.slots < 1) return InvalidArgument("--slots must be at least 1 (got " + std::to_string(flags.slots) + ")");
  auto output_cap = ParseSize(flags.output_cap);
  if (!output_cap.ok()) return FlagError("--output-cap", output_cap.error().message);
  settings.output_cap = *output_cap;
  auto checkpoint_interval = ParseDuration(flags.checkpoint_interval);
  if (!checkpoint_interval.ok()) return FlagError("--checkpoint-interval", checkpoint_interval.error().message);
  if (checkpoint_interval->count() < 100) return FlagError("--checkpoint-interval", "must be at least 100ms");
  settings.checkpoint_interval = *checkpoint_interval;
  auto checkpoint_max = ParseSize(flags.checkpoint_max);
  if (!checkpoint_max.ok()) return FlagError("--checkpoint-max", checkpoint_max.error().message);
  settings.checkpoint_max = *checkpoint_max;
  auto task_user = ResolveTaskUser(flags.task_user);
  if (!task_user.ok()) return task_user.error();
  settings.task_user = *task_user;
  auto dirs = PrepareAgentDirs(flags.work_dir);
  if (!dirs.ok()) return Error{dirs.error().code, "--work: " + dirs.error().message};
  settings.dirs = *dirs;
  if (settings.task_user) {
    if (Status reachable = CheckTraversableByOthers(dirs->attempts); !reachable.ok()) {
      return FlagError("--work", reachable.message());
    }
  }
  return settings;
}

// Stage 2: the task driver (host_driver.h), with the sandbox tried once.
Result<HostDriver> OpenDriver(const AgentFlags& flags, const AgentSettings& settings) {
  HostDriverOptions options{settings.task_user, flags.suspend, flags.bwrap, flags.no_sandbox, flags.allow_unsandboxed,
                            settings.dirs.attempts + "/sandbox-probe", flags.slots};
  auto host = OpenHostDriver(options);
  if (!host.ok()) return Internal(host.error().message);  // only a demanded freezer fails: not a usage error
  return host;
}

// Stage 3: this host's standing with the server: its credential (enrolling
// once), the server's address and the completions not yet reported.
struct AgentState {
  AgentCredential credential;
  ServerUrl url;
  std::unique_ptr<PendingStore> pending;
};

// nullopt when a stop signal came while enrolling.
Result<std::optional<AgentState>> OpenState(const AgentFlags& flags, const AgentSettings& settings,
                                            const api::HostFacts& facts, StopSignals& signals) {
  const AgentDirs& dirs = settings.dirs;
  EnrollmentParams enrollment{dirs.CredentialFile(), flags.server, flags.join_token,
                              api::EnrollRequest{facts, flags.slots}};
  auto credential = LoadOrEnroll(enrollment, [&](Millis d) { return !signals.WaitFor(d); });
  if (!credential.ok()) {
    if (signals.received()) return std::optional<AgentState>();
    return credential.error();
  }
  auto url = ServerUrl::Parse(credential->server);
  if (!url.ok()) return InvalidArgument(dirs.CredentialFile() + ": " + url.error().message);
  auto pending = PendingStore::Open(dirs.pending);
  if (!pending.ok()) return Internal(pending.error().message);
  return std::optional<AgentState>(AgentState{std::move(*credential), std::move(*url), std::move(*pending)});
}

const char* IsolationName(Isolation isolation) {
  switch (isolation) {
    case Isolation::kNamespaces: return "namespaces";
    case Isolation::kProcessGroup: return "process group only";
    case Isolation::kUnavailable: break;
  }
  return "none: runs no tasks";
}

// Stage 4: the services wired together (driver, caps, cache, owner guard and
// monitor, the agent loop), served until a stop signal or the loop's end.
Status Serve(const AgentFlags& flags, const AgentSettings& settings, HostDriver& host, AgentState& state,
             std::vector<std::unique_ptr<ActivitySource>> sources, const api::HostFacts& facts,
             StopSignals& signals) {
  TaskDriver& driver = *host.driver;
  const std::optional<TaskUser>& task_user = settings.task_user;
  // The policy's CPU/memory caps; the containment belongs to the driver, which outlives them.
  ResourceCaps resource_caps(host.containment, host.containment != nullptr, facts.cores);
  auto caps = driver.capabilities();
  spdlog::info("host {} at {}: {} slots, {} driver ({}, suspends with {}), tasks run as {}", state.credential.host_id,
               state.credential.server, flags.slots, caps.name, IsolationName(caps.isolation), caps.suspend_words,
               task_user ? task_user->name : std::string("this agent's user"));
  auto placement = task_user ? InputCache::Placement::kHardlink : InputCache::Placement::kCopy;
  InputCache cache(settings.dirs.cache, placement);
  AttemptEnv env{settings.dirs, driver, cache, *state.pending,
                 ApiServerLinks(state.url, state.credential.credential, state.credential.ca_sha256),
                 settings.output_cap};
  env.checkpoint_interval = settings.checkpoint_interval;
  env.checkpoint_max_bytes = settings.checkpoint_max;
  if (task_user) env.task_owner = FileOwner{task_user->uid, task_user->gid};
  env.result_hook = ResultHookForTests();  // unset but in test binaries
  AgentLoop* loop_for_guard = nullptr;  // the guard outlives the loop, which it wakes
  OwnerGuard guard(
      [&] {
        if (loop_for_guard) loop_for_guard->Wake();
      },
      std::chrono::seconds(10), &resource_caps);
  auto monitor = OwnerMonitor::Create(std::move(sources), [&](const OwnerView& owner) { guard.Observe(owner); });
  if (!monitor.ok()) return Internal(monitor.error().message);
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
  if (result.ok()) spdlog::info("stopped");
  return result;
}

Status RunStages(const AgentFlags& flags, StopSignals& signals) {
  auto settings = ParseSettings(flags);
  if (!settings.ok()) return settings.error();
  auto host = OpenDriver(flags, *settings);
  if (!host.ok()) return host.error();
  api::HostFacts facts = CollectHostFacts();
  facts.sandbox = host->sandbox;
  if (!flags.name.empty()) facts.hostname = flags.name;
  auto state = OpenState(flags, *settings, facts, signals);
  if (!state.ok()) return state.error();
  if (!*state) return OkStatus();  // stopped while enrolling
  auto sources = OpenActivitySources(flags.owner);
  if (!sources.ok()) return sources.error();
  return Serve(flags, *settings, *host, **state, std::move(*sources), facts, signals);
}

// The one place a failure becomes its log line and exit code (status.h's table).
int RunAgent(const AgentFlags& flags) {
  StopSignals signals;  // first, before any thread exists
  Status run = RunStages(flags, signals);
  if (run.ok()) return kExitOk;
  spdlog::error("{}", run.message());
  return ExitCodeOf(run.code());
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
