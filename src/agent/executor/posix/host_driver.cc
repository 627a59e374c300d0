// Linux's host driver: ProcessDriver with a CgroupSubtree and bubblewrap.
#include "agent/executor/host_driver.h"

#include <spdlog/spdlog.h>

#include "agent/executor/posix/cgroup_subtree.h"
#include "agent/executor/posix/process_driver.h"
#include "agent/executor/posix/sandbox_probe.h"

namespace gleaner::agent {

namespace {

// "auto" prefers the cgroup v2 freezer and falls back to stop signals.
Result<std::unique_ptr<CgroupSubtree>> ChooseSuspension(const std::string& how) {
  if (how == "signals") return std::unique_ptr<CgroupSubtree>();
  auto subtree = CgroupSubtree::Open();
  if (subtree.ok() || how == "freezer") return subtree;
  spdlog::info("suspending tasks with SIGSTOP/SIGCONT: {}", subtree.error().message);
  return std::unique_ptr<CgroupSubtree>();
}

// Tries the sandbox once, as tasks will use it, and says loudly when it does
// not work: then tasks run only with allow_unsandboxed, and not at all
// otherwise.
SandboxConfig ChooseSandbox(const HostDriverOptions& options) {
  const std::string& bwrap = options.sandbox_program;
  if (options.no_sandbox) {
    spdlog::warn("**** --no-sandbox: tasks run with only their own user, process group and rlimits; they see this "
                 "host's files and network ****");
    return {SandboxMode::kUnsandboxed, bwrap, "turned off with --no-sandbox"};
  }
  Status works = ProbeSandbox(bwrap, options.task_user, options.scratch_dir);
  if (works.ok()) return {SandboxMode::kBubblewrap, bwrap, ""};
  spdlog::error("**** NO SANDBOX: tasks cannot run inside bubblewrap: {} ****", works.message());
  if (options.allow_unsandboxed) {
    spdlog::error("**** --allow-unsandboxed: tasks run with only their own user, process group and rlimits; they "
                  "see this host's files and network. Install bubblewrap (apt-get install bubblewrap) to sandbox "
                  "them ****");
    return {SandboxMode::kUnsandboxed, bwrap, works.message() + "; allowed by --allow-unsandboxed"};
  }
  spdlog::error("**** this agent runs no tasks until the sandbox works: install bubblewrap (apt-get install "
                "bubblewrap) and allow unprivileged user namespaces, or start it with --allow-unsandboxed ****");
  return {SandboxMode::kRefuse, bwrap, works.message()};
}

// "bubblewrap", or "none (WHY); runs no tasks", or "none (WHY); runs tasks unsandboxed".
std::string DescribeSandbox(const SandboxConfig& sandbox) {
  switch (sandbox.mode) {
    case SandboxMode::kBubblewrap: return "bubblewrap";
    case SandboxMode::kUnsandboxed: return "none (" + sandbox.why_none + "); runs tasks unsandboxed";
    case SandboxMode::kRefuse: break;
  }
  return "none (" + sandbox.why_none + "); runs no tasks";
}

}  // namespace

const char* const kDefaultSandboxProgram = kDefaultBubblewrap;

Result<HostDriver> OpenHostDriver(const HostDriverOptions& options) {
  SandboxConfig sandbox = ChooseSandbox(options);
  auto cgroups = ChooseSuspension(options.suspend);
  if (!cgroups.ok()) return Error{cgroups.error().code, "--suspend freezer: " + cgroups.error().message};
  HostDriver host;
  host.containment = cgroups->get();
  host.sandbox = DescribeSandbox(sandbox);
  host.driver = std::make_unique<ProcessDriver>(options.task_user, std::move(*cgroups), sandbox, options.slots);
  return host;
}

}  // namespace gleaner::agent
