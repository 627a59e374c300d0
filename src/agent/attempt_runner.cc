#include "agent/attempt_runner.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <filesystem>

#include "agent/backoff.h"
#include "agent/executor/output_globs.h"
#include "agent/task_environment.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

// One attempt's journey; lives on the attempt's thread.
class Attempt {
 public:
  Attempt(const AttemptEnv& env, const api::Assignment& assignment, const KillSwitch& kill, TaskControl& control)
      : env_(env), assignment_(assignment), kill_(kill), control_(control), link_(env.links()),
        work_dir_(env.dirs.AttemptDir(assignment.attempt_id)) {}

  Status Run() {
    auto completion = Execute();
    Status stored = completion ? env_.pending.Add(*completion) : OkStatus();
    if (completion) {
      spdlog::info("attempt {}: {}", assignment_.attempt_id, completion->succeeded ? "succeeded" : completion->reason);
    }
    std::error_code ec;
    fs::remove_all(work_dir_, ec);
    fs::remove(env_.dirs.StdoutFile(assignment_.attempt_id), ec);
    fs::remove(env_.dirs.StderrFile(assignment_.attempt_id), ec);
    return stored;
  }

 private:
  // The completion to report, or nullopt when the agent is stopping.
  std::optional<api::Completion> Execute() {
    api::Completion completion;
    completion.attempt_id = assignment_.attempt_id;
    if (Status ready = PrepareWorkDir(); !ready.ok()) return Failed(completion, ready.message());

    TaskLaunch launch{assignment_.command,
                      work_dir_,
                      TaskEnvironment(assignment_, work_dir_),
                      env_.dirs.StdoutFile(assignment_.attempt_id),
                      env_.dirs.StderrFile(assignment_.attempt_id),
                      env_.output_cap,
                      Millis(assignment_.timeout_ms)};
    auto exit = env_.driver.Run(launch, kill_, control_);
    if (!exit.ok()) return Failed(completion, "the task could not be started: " + exit.error().message);
    if (exit->kill_cause == KillCause::kAgentStopping) return std::nullopt;
    completion.events = control_.events();
    completion.vacated = exit->kill_cause == KillCause::kVacated;

    completion.exit_code = exit->exit_code;
    completion.signal = exit->signal;
    completion.wall_ms = exit->wall.count();
    completion.cpu_ms = exit->cpu.count();
    completion.succeeded = exit->stopped_because.empty() && exit->exit_code == 0;
    if (!completion.succeeded) {
      completion.reason = exit->stopped_because.empty() ? DescribeExit(*exit) : exit->stopped_because;
    }
    if (completion.succeeded) {
      if (Status uploaded = UploadOutputs(completion); !uploaded.ok()) {
        completion.succeeded = false;
        completion.reason = uploaded.message();
      }
    }
    // Captures go up on failure too: they are what explains it.
    completion.stdout_ref = UploadCapture(launch.stdout_path, "stdout");
    completion.stderr_ref = UploadCapture(launch.stderr_path, "stderr");
    if (Stopping()) return std::nullopt;
    return completion;
  }

  Status PrepareWorkDir() {
    std::error_code ec;
    fs::create_directories(work_dir_, ec);
    if (!ec) fs::permissions(work_dir_, fs::perms::owner_all, ec);
    if (ec) return Internal("cannot create work dir '" + work_dir_ + "': " + ec.message());
    auto fetch = [&](const std::string& sha256, const std::string& dest) {
      return Retrying([&] { return link_->DownloadBlob(sha256, dest); });
    };
    for (const auto& input : assignment_.inputs) {
      Status placed = env_.cache.Place(input, work_dir_, fetch);
      if (!placed.ok()) return Error{placed.code(), "input '" + input.name + "': " + placed.message()};
    }
    return OkStatus();
  }

  Status UploadOutputs(api::Completion& completion) {
    auto files = MatchOutputs(work_dir_, assignment_.outputs);
    if (!files.ok()) return files.error();
    for (const auto& file : *files) {
      auto ref = Retrying([&] { return link_->UploadBlob(file.path, file.name); });
      if (!ref.ok()) return Error{ref.error().code, "cannot upload output '" + file.name + "': " + ref.error().message};
      completion.outputs.push_back(std::move(*ref));
    }
    return OkStatus();
  }

  std::optional<api::FileRef> UploadCapture(const std::string& path, const std::string& name) {
    auto ref = Retrying([&] { return link_->UploadBlob(path, name); });
    if (ref.ok()) return std::move(*ref);
    if (!Stopping()) spdlog::warn("attempt {}: cannot upload its {}: {}", assignment_.attempt_id, name, ref.error().message);
    return std::nullopt;
  }

  // Retries `op` with backoff while the server is away, until a kill.
  template <typename Op>
  auto Retrying(Op op) -> decltype(op()) {
    Backoff backoff;
    for (bool first = true;; first = false) {
      auto result = op();
      if (result.ok() || result.error().code != ErrorCode::kUnavailable) return result;
      if (first) spdlog::warn("attempt {}: {}; retrying", assignment_.attempt_id, result.error().message);
      if (kill_.WaitFor(backoff.Next())) return result;
    }
  }

  bool Stopping() const {
    auto request = kill_.request();
    return request && request->cause == KillCause::kAgentStopping;
  }

  std::optional<api::Completion> Failed(api::Completion& completion, std::string reason) {
    if (Stopping()) return std::nullopt;
    if (auto request = kill_.request()) reason = KillCauseText(request->cause);
    completion.succeeded = false;
    completion.reason = std::move(reason);
    return completion;
  }

  const AttemptEnv& env_;
  const api::Assignment& assignment_;
  const KillSwitch& kill_;
  TaskControl& control_;
  const std::unique_ptr<ServerLink> link_;
  const std::string work_dir_;
};

}  // namespace

Status RunAttempt(const AttemptEnv& env, const api::Assignment& assignment, const KillSwitch& kill,
                  TaskControl& control) {
  return Attempt(env, assignment, kill, control).Run();
}

std::string DescribeExit(const TaskExit& exit) {
  if (exit.signal) {
    const char* abbrev = ::sigabbrev_np(*exit.signal);
    std::string name = abbrev ? std::string("SIG") + abbrev : ::strsignal(*exit.signal);
    return "killed by signal " + std::to_string(*exit.signal) + " (" + name + ")";
  }
  return "exit code " + std::to_string(exit.exit_code.value_or(-1));
}

}  // namespace gleaner::agent
