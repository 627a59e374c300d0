#include "agent/executor/posix/process_driver.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "agent/executor/posix/group_stopper.h"
#include "agent/executor/posix/process_supervisor.h"
#include "agent/executor/posix/task_limits.h"
#include "agent/executor/posix/task_processes.h"

namespace gleaner::agent {

namespace {

// Everything the child needs, built before fork: in a threaded process the
// child may only make async-signal-safe calls, so it must not allocate.
struct Rlimit {
  int resource;
  rlim_t value;
};

struct ChildPlan {
  std::vector<std::string> arg_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
  const char* work_dir = nullptr;
  const TaskUser* user = nullptr;
  pid_t agent_pid = 0;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  int cgroup_procs_fd = -1;  // the task's cgroup.procs, or -1 without a cgroup
  bool ignore_sigterm = false;  // bubblewrap must outlive a SIGTERM to the group (sandbox.h)
  std::vector<Rlimit> limits;
};

std::vector<Rlimit> RlimitsOf(const TaskLimits& limits) {
  std::vector<Rlimit> out = {{RLIMIT_NPROC, static_cast<rlim_t>(limits.processes)},
                             {RLIMIT_FSIZE, static_cast<rlim_t>(limits.file_size)},
                             {RLIMIT_NOFILE, static_cast<rlim_t>(limits.open_files)},
                             {RLIMIT_CORE, static_cast<rlim_t>(limits.core_size)}};
  if (limits.address_space) out.push_back({RLIMIT_AS, static_cast<rlim_t>(*limits.address_space)});
  return out;
}

ChildPlan MakeChildPlan(const TaskLaunch& launch, const TaskUser* user, const SandboxConfig& sandbox,
                        const TaskLimits& limits) {
  ChildPlan plan;
  if (sandbox.mode == SandboxMode::kBubblewrap) {
    SandboxSpec spec{sandbox.bwrap, std::filesystem::absolute(launch.work_dir).string(), launch.network};
    plan.arg_storage = BubblewrapArgv(spec, launch.command);
    plan.ignore_sigterm = true;
  } else {
    plan.arg_storage = launch.command;
  }
  plan.limits = RlimitsOf(limits);
  for (const auto& [key, value] : launch.env) plan.env_storage.push_back(key + "=" + value);
  for (auto& s : plan.arg_storage) plan.argv.push_back(s.data());
  plan.argv.push_back(nullptr);
  for (auto& s : plan.env_storage) plan.envp.push_back(s.data());
  plan.envp.push_back(nullptr);
  plan.work_dir = launch.work_dir.c_str();
  plan.user = user;
  plan.agent_pid = ::getpid();
  return plan;
}

void WriteStderr(const char* text) {
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text));
}

// Reports why the child could not become the task, on the task's stderr.
[[noreturn]] void ChildFail(const char* what, const char* subject, int err) {
  WriteStderr("gleaner: ");
  WriteStderr(what);
  if (subject != nullptr) {
    WriteStderr(" '");
    WriteStderr(subject);
    WriteStderr("'");
  }
  WriteStderr(": ");
  WriteStderr(::strerrordesc_np(err));
  WriteStderr("\n");
  ::_exit(127);
}

[[noreturn]] void RunChild(const ChildPlan& plan) {
  // First of all (the parent waits for it): a session of its own, so no
  // controlling terminal to inject keystrokes into, and a process group whose
  // id is the child's pid, for the supervisor's signals.
  if (::setsid() < 0) ChildFail("cannot create a session", nullptr, errno);
  // Before anything forks, so that nothing the task ever forks is outside its
  // cgroup (and while still root, who may move processes).
  if (plan.cgroup_procs_fd >= 0 && ::write(plan.cgroup_procs_fd, "0", 1) != 1) {
    ChildFail("cannot join the task's cgroup", nullptr, errno);
  }
  // The agent blocks and ignores signals for its own reasons; a task starts clean.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  if (plan.ignore_sigterm) ::signal(SIGTERM, SIG_IGN);

  if (::dup2(plan.stdin_fd, STDIN_FILENO) < 0 || ::dup2(plan.stdout_fd, STDOUT_FILENO) < 0 ||
      ::dup2(plan.stderr_fd, STDERR_FILENO) < 0) {
    ::_exit(127);
  }
  // The desktop's owner comes first: lowest CPU share, idle scheduling, idle I/O.
  if (::setpriority(PRIO_PROCESS, 0, 19) != 0) ChildFail("cannot set nice 19", nullptr, errno);
  sched_param param{};
  if (::sched_setscheduler(0, SCHED_IDLE, &param) != 0) ChildFail("cannot set SCHED_IDLE", nullptr, errno);
  if (::syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)) != 0) {
    ChildFail("cannot set idle I/O priority", nullptr, errno);
  }
  // Soft and hard alike, never above the hard limit we have.
  for (const Rlimit& limit : plan.limits) {
    rlimit current{};
    if (::getrlimit(limit.resource, &current) != 0) ChildFail("cannot read a resource limit", nullptr, errno);
    rlim_t value = current.rlim_max == RLIM_INFINITY ? limit.value : std::min(limit.value, current.rlim_max);
    rlimit wanted{value, value};
    if (::setrlimit(limit.resource, &wanted) != 0) ChildFail("cannot set a resource limit", nullptr, errno);
  }
  if (plan.user != nullptr) {
    gid_t gid = plan.user->gid;
    if (::setgroups(1, &gid) != 0) ChildFail("cannot set groups for", plan.user->name.c_str(), errno);
    if (::setgid(gid) != 0) ChildFail("cannot switch group for", plan.user->name.c_str(), errno);
    if (::setuid(plan.user->uid) != 0) ChildFail("cannot switch to user", plan.user->name.c_str(), errno);
  }
  // After the uid change, which clears it. Dies with the agent's supervising thread.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFail("cannot set the parent-death signal", nullptr, errno);
  if (::getppid() != plan.agent_pid) ::_exit(127);  // the agent died before prctl took effect
  if (::chdir(plan.work_dir) != 0) ChildFail("cannot enter the work dir", plan.work_dir, errno);
  ::close_range(3, ~0U, 0);
  environ = const_cast<char**>(plan.envp.data());  // execvp searches the task's PATH, not ours
  ::execvp(plan.argv[0], plan.argv.data());
  ChildFail("cannot run", plan.argv[0], errno);
}

// The task user must be able to create files anywhere in its work dir; input
// files stay the agent's (read-only for the task).
Status HandOverWorkDir(const std::string& work_dir, const TaskUser& user) {
  std::error_code ec;
  auto chown_dir = [&](const std::filesystem::path& dir) -> Status {
    if (::chown(dir.c_str(), user.uid, user.gid) != 0) {
      return Internal("cannot give '" + dir.string() + "' to user " + user.name + ": " + std::strerror(errno));
    }
    return OkStatus();
  };
  GLEANER_RETURN_IF_ERROR(chown_dir(work_dir));
  for (std::filesystem::recursive_directory_iterator it(work_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) GLEANER_RETURN_IF_ERROR(chown_dir(it->path()));
  }
  if (ec) return Internal("cannot walk '" + work_dir + "': " + ec.message());
  return OkStatus();
}

// The child makes itself a session and group leader first of all; a kill
// right after fork must find that group, so the parent waits for it (or for
// the child's end).
void AwaitOwnGroup(pid_t pid) {
  for (;;) {
    if (::getpgid(pid) == pid) return;
    siginfo_t info{};
    if (::waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) return;
    ::usleep(100);
  }
}

Result<std::pair<UniqueFd, UniqueFd>> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Internal(std::string("cannot create a pipe: ") + std::strerror(errno));
  return std::pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

}  // namespace

ProcessDriver::ProcessDriver(std::optional<TaskUser> task_user, std::unique_ptr<Containment> containment,
                             SandboxConfig sandbox, int64_t slots)
    : task_user_(std::move(task_user)), containment_(std::move(containment)), sandbox_(std::move(sandbox)),
      slots_(std::max<int64_t>(1, slots)) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

DriverCapabilities ProcessDriver::capabilities() const {
  auto suspend = containment_ ? SuspendMethod::kWholeContainer : SuspendMethod::kEachProcess;
  const char* words = containment_ ? "the cgroup v2 freezer" : "stop signals";
  switch (sandbox_.mode) {
    case SandboxMode::kBubblewrap: return {"bubblewrap", Isolation::kNamespaces, suspend, words};
    case SandboxMode::kUnsandboxed: return {"process", Isolation::kProcessGroup, suspend, words};
    case SandboxMode::kRefuse: break;
  }
  return {"none", Isolation::kUnavailable, suspend, words};
}

Result<TaskExit> ProcessDriver::Run(const TaskLaunch& launch, const KillSwitch& kill, TaskControl& control) {
  if (sandbox_.mode == SandboxMode::kRefuse) {
    return Unavailable("this agent cannot sandbox tasks (" + sandbox_.why_none +
                       ") and was not started with --allow-unsandboxed, so it runs none");
  }
  if (launch.command.empty()) return InvalidArgument("the task has no command");
  if (task_user_) GLEANER_RETURN_IF_ERROR(HandOverWorkDir(launch.work_dir, *task_user_));
  auto out = OutputCapture::Create(launch.stdout_path, launch.output_cap);
  if (!out.ok()) return out.error();
  auto err = OutputCapture::Create(launch.stderr_path, launch.output_cap);
  if (!err.ok()) return err.error();
  auto out_pipe = MakePipe();
  if (!out_pipe.ok()) return out_pipe.error();
  auto err_pipe = MakePipe();
  if (!err_pipe.ok()) return err_pipe.error();
  UniqueFd dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!dev_null.valid()) return Internal(std::string("cannot open /dev/null: ") + std::strerror(errno));

  std::unique_ptr<TaskContainer> cgroup;
  if (containment_) {
    auto created = containment_->NewTaskContainer();
    if (!created.ok()) return created.error();
    cgroup = std::move(*created);
  }

  uid_t uid = task_user_ ? task_user_->uid : ::getuid();
  TaskLimits limits = LimitsForTask(launch.memory, slots_, CountThreadsOfUser(uid));
  // The owner policy's memory cap where no cgroup holds it (resource_caps.h).
  if (int64_t cap = control.address_space_limit(); cap > 0) {
    limits.address_space = std::min(limits.address_space.value_or(cap), cap);
  }
  ChildPlan plan = MakeChildPlan(launch, task_user_ ? &*task_user_ : nullptr, sandbox_, limits);
  plan.cgroup_procs_fd = cgroup ? static_cast<int>(cgroup->native_handle()) : -1;
  plan.stdin_fd = dev_null.get();
  plan.stdout_fd = out_pipe->second.get();
  plan.stderr_fd = err_pipe->second.get();
  pid_t pid = ::fork();
  if (pid < 0) return Internal(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) RunChild(plan);

  AwaitOwnGroup(pid);
  out_pipe->second.Reset();
  err_pipe->second.Reset();
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) {
    int saved = errno;
    ::killpg(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return Internal(std::string("pidfd_open failed: ") + std::strerror(saved));
  }
  GroupStopper stopper(pid, TaskMarker(launch.env));  // reaches processes that left the group too
  Pausable& pausable = cgroup ? static_cast<Pausable&>(*cgroup) : stopper;
  if (Status attached = control.Attach(pausable); !attached.ok()) {
    spdlog::warn("cannot suspend a task as asked: {}", attached.message());
  }
  auto exit = SuperviseTask({pid, std::move(pidfd), std::move(out_pipe->first), std::move(err_pipe->first),
                             std::move(*out), std::move(*err)},
                            launch, kill, &control);  // the timeout leaves out owner suspensions
  control.Detach();
  return exit;
}

}  // namespace gleaner::agent
