#include "agent/executor/posix/process_supervisor.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "agent/executor/posix/task_processes.h"
#include "common/units.h"

namespace gleaner::agent {

namespace {

using Clock = std::chrono::steady_clock;

// After the task's group is killed, pipes normally close at once; a process
// that escaped the group may hold one forever, so draining is bounded.
constexpr Millis kDrainLimit{1000};
constexpr size_t kReadChunk = 64 * 1024;
constexpr Millis kKillLimit{1000};

Millis CpuOf(const rusage& usage) {
  auto ms = [](const timeval& tv) { return Millis(tv.tv_sec * 1000 + tv.tv_usec / 1000); };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

class Supervisor {
 public:
  Supervisor(StartedTask task, const TaskLaunch& launch, const KillSwitch& kill, const TaskControl* control)
      : pid_(task.pid), pidfd_(std::move(task.pidfd)), out_pipe_(std::move(task.stdout_pipe)),
        err_pipe_(std::move(task.stderr_pipe)), out_(std::move(task.stdout_capture)),
        err_(std::move(task.stderr_capture)), launch_(launch), kill_(kill), control_(control) {}

  Result<TaskExit> Run() {
    auto start = Clock::now();
    if (launch_.timeout.count() > 0) timeout_at_ = start + launch_.timeout;
    suspended_at_start_ = Suspended(start);
    while (!Done()) Step();
    result_.wall = std::chrono::duration_cast<Millis>(exited_at_ - start);
    Reap();
    Status out_status = out_.Finish();
    Status err_status = err_.Finish();
    if (!out_status.ok()) return out_status.error();
    if (!err_status.ok()) return err_status.error();
    return result_;
  }

 private:
  bool Done() const {
    return exited_ && ((!out_pipe_.valid() && !err_pipe_.valid()) || Clock::now() >= drain_until_);
  }

  void Step() {
    std::vector<pollfd> fds;
    auto watch = [&](int fd) {
      fds.push_back({fd, POLLIN, 0});
      return &fds.back() - fds.data();
    };
    fds.reserve(4);
    long pid_slot = exited_ ? -1 : watch(pidfd_.get());
    long kill_slot = exited_ || stopping_ ? -1 : watch(static_cast<int>(kill_.wait_handle().native));
    long out_slot = out_pipe_.valid() ? watch(out_pipe_.get()) : -1;
    long err_slot = err_pipe_.valid() ? watch(err_pipe_.get()) : -1;

    ::poll(fds.data(), fds.size(), PollTimeoutMs());
    auto now = Clock::now();
    auto ready = [&](long slot) { return slot >= 0 && fds[slot].revents != 0; };

    if (ready(pid_slot)) {
      exited_ = true;
      exited_at_ = now;
      drain_until_ = now + kDrainLimit;
      (void)SignalTask(pid_, marker_, SIGKILL, &escaped_);  // nothing the task forked may outlive it
    }
    if (ready(kill_slot)) {
      auto request = kill_.request();
      result_.kill_cause = request->cause;
      Terminate(request->Words(), request->grace, now);
    }
    if (!exited_ && !stopping_ && timeout_at_ && now >= TimeoutAt(now)) {
      Terminate("timed out after " + FormatDuration(launch_.timeout), launch_.timeout_grace, now);
    }
    if (!exited_ && sigkill_at_ && now >= *sigkill_at_) {
      (void)SignalTask(pid_, marker_, SIGKILL, &escaped_);
      sigkill_at_.reset();
    }
    if (ready(out_slot)) Drain(out_pipe_, out_);
    if (ready(err_slot)) Drain(err_pipe_, err_);
  }

  int PollTimeoutMs() const {
    std::optional<Clock::time_point> next;
    auto consider = [&](std::optional<Clock::time_point> t) {
      if (t && (!next || *t < *next)) next = t;
    };
    if (exited_) consider(drain_until_);
    if (!stopping_ && timeout_at_) consider(TimeoutAt(Clock::now()));
    consider(sigkill_at_);
    if (!next) return -1;
    auto ms = std::chrono::ceil<Millis>(*next - Clock::now()).count();
    return static_cast<int>(std::max<int64_t>(0, ms));
  }

  Millis Suspended(Clock::time_point now) const { return control_ ? control_->SuspendedTotal(now) : Millis(0); }

  // The timeout counts only time the task could run: every moment the owner
  // kept it suspended moves the deadline on (while suspended, each wake-up
  // finds the deadline further away).
  Clock::time_point TimeoutAt(Clock::time_point now) const {
    return *timeout_at_ + (Suspended(now) - suspended_at_start_);
  }

  void Terminate(std::string because, Millis grace, Clock::time_point now) {
    stopping_ = true;
    result_.stopped_because = std::move(because);
    (void)SignalTask(pid_, marker_, SIGTERM, &escaped_);  // detached processes get the checkpoint signal too
    sigkill_at_ = now + grace;
  }

  static void Drain(UniqueFd& pipe, OutputCapture& capture) {
    char buffer[kReadChunk];
    ssize_t n = ::read(pipe.get(), buffer, sizeof buffer);
    if (n > 0) {
      capture.Append(std::string_view(buffer, static_cast<size_t>(n)));
    } else if (n == 0 || errno != EINTR) {
      pipe.Reset();
    }
  }

  void Reap() {
    int status = 0;
    rusage usage{};
    while (::wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    result_.cpu = CpuOf(usage);
    if (WIFEXITED(status)) result_.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result_.signal = WTERMSIG(status);
    // Orphans of the task came to us (subreaper) and were SIGKILLed with the
    // group: reap them and count their CPU too.
    for (;;) {
      rusage orphan{};
      pid_t reaped = ::wait4(-pid_, &status, 0, &orphan);
      if (reaped < 0 && errno == EINTR) continue;
      if (reaped < 0) break;
      result_.cpu += CpuOf(orphan);
    }
    // Processes that left the group (setsid) came to us too when their
    // parents died: kill and reap them, or they would outlive the task.
    KillAndReapEscaped(pid_, marker_, std::move(escaped_), kKillLimit);
  }

  const pid_t pid_;
  UniqueFd pidfd_, out_pipe_, err_pipe_;
  OutputCapture out_, err_;
  const TaskLaunch& launch_;
  const KillSwitch& kill_;
  const TaskControl* const control_;
  const std::string marker_ = TaskMarker(launch_.env);
  // Left the group and were signalled: to be reaped, even once dead (a
  // zombie's environment, and so its marker, can no longer be read).
  std::set<pid_t> escaped_;

  TaskExit result_;
  Millis suspended_at_start_{0};  // suspended before the task started: not this run's
  bool exited_ = false;
  bool stopping_ = false;
  Clock::time_point exited_at_, drain_until_;
  std::optional<Clock::time_point> timeout_at_, sigkill_at_;
};

}  // namespace

Result<TaskExit> SuperviseTask(StartedTask task, const TaskLaunch& launch, const KillSwitch& kill,
                               const TaskControl* control) {
  return Supervisor(std::move(task), launch, kill, control).Run();
}

}  // namespace gleaner::agent
