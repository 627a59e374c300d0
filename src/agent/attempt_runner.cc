#include "agent/attempt_runner.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "agent/backoff.h"
#include "agent/checkpoint/checkpoint_uploader.h"
#include "agent/executor/output_globs.h"
#include "agent/task_environment.h"
#include "common/signal_names.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

// Creates `dir` (and its parents) readable and writable by this agent alone.
Status MakePrivateDir(const std::string& dir, const std::string& what) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) return Internal("cannot create " + what + " '" + dir + "': " + ec.message());
  return OkStatus();
}

// Runs `round` every `interval` on a thread of its own until stopped.
class Rounds {
 public:
  Rounds(Millis interval, std::function<void()> round)
      : thread_([this, interval, round = std::move(round)] {
          std::unique_lock lock(mu_);
          while (!stopped_.wait_for(lock, interval, [&] { return stop_; })) {
            lock.unlock();
            round();
            lock.lock();
          }
        }) {}
  ~Rounds() { Stop(); }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    stopped_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable stopped_;
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;  // last: starts once the rest exists
};

// One attempt's journey; lives on the attempt's thread.
class Attempt {
 public:
  Attempt(const AttemptEnv& env, const api::Assignment& assignment, const KillSwitch& kill, TaskControl& control)
      : env_(env), assignment_(assignment), kill_(kill), control_(control), link_(env.links()),
        work_dir_(env.dirs.AttemptDir(assignment.attempt_id)),
        checkpoint_(CheckpointDir(work_dir_), work_dir_ + ".checkpoint.tar", env.checkpoint_max_bytes) {}

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
    launch.network = assignment_.network;
    launch.memory = assignment_.memory;
    Rounds checkpoints(env_.checkpoint_interval, [this, link = std::shared_ptr<ServerLink>(env_.links())] {
      UploadCheckpoint(*link);
    });
    auto exit = env_.driver.Run(launch, kill_, control_);
    checkpoints.Stop();
    if (!exit.ok()) return Failed(completion, "the task could not be started: " + exit.error().message);
    if (exit->kill_cause == KillCause::kAgentStopping) return std::nullopt;
    completion.events = control_.events();
    completion.vacated = exit->kill_cause == KillCause::kVacated;
    if (completion.vacated) {
      // The task had its grace to write a checkpoint; the next attempt resumes from it.
      UploadCheckpoint(*link_);
      completion.checkpoint = checkpoint_.latest();
    }

    completion.exit_code = exit->exit_code;
    completion.signal = exit->signal;
    completion.wall_ms = exit->wall.count();
    completion.cpu_ms = exit->cpu.count();
    completion.succeeded = exit->stopped_because.empty() && exit->exit_code == 0;
    if (!completion.succeeded) {
      completion.reason = exit->stopped_because.empty() ? DescribeExit(*exit) : exit->stopped_because;
    }
    if (completion.succeeded && env_.result_hook) env_.result_hook(launch.stdout_path);
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
    GLEANER_RETURN_IF_ERROR(MakePrivateDir(work_dir_, "work dir"));
    auto fetch = [&](const std::string& sha256, const std::string& dest) {
      return Retrying([&] { return link_->DownloadBlob(sha256, dest); });
    };
    for (const auto& input : assignment_.inputs) {
      Status placed = env_.cache.Place(input, work_dir_, fetch);
      if (!placed.ok()) return Error{placed.code(), "input '" + input.name + "': " + placed.message()};
    }
    return PrepareCheckpointDir();
  }

  // An empty GLEANER_CHECKPOINT_DIR, or the task's last checkpoint in it. A
  // checkpoint that cannot be fetched or unpacked is left out: the task then
  // starts from the beginning, which is slower but never wrong.
  Status PrepareCheckpointDir() {
    const std::string dir = CheckpointDir(work_dir_);
    GLEANER_RETURN_IF_ERROR(MakePrivateDir(dir, "the checkpoint dir"));
    if (!assignment_.checkpoint) return OkStatus();
    const api::FileRef& blob = *assignment_.checkpoint;
    const std::string archive = work_dir_ + ".checkpoint-in.tar";
    Status restored = Retrying([&] { return link_->DownloadBlob(blob.sha256, archive); });
    if (restored.ok()) restored = ExtractCheckpointArchive(archive, dir, env_.task_owner);
    std::error_code ec;
    fs::remove(archive, ec);
    if (restored.ok()) {
      spdlog::info("attempt {}: resumes from checkpoint {} ({} bytes)", assignment_.attempt_id,
                   blob.sha256.substr(0, 12), blob.size);
      return OkStatus();
    }
    if (Stopping()) return restored;
    spdlog::warn("attempt {}: cannot restore checkpoint {}: {}; the task starts from the beginning",
                 assignment_.attempt_id, blob.sha256.substr(0, 12), restored.message());
    fs::remove_all(dir, ec);
    return MakePrivateDir(dir, "the checkpoint dir");
  }

  // Uploads the checkpoint dir if it changed, and hands the blob to the agent
  // loop for its next sync. Failures wait for the next round.
  void UploadCheckpoint(ServerLink& link) {
    auto uploaded = checkpoint_.UploadIfChanged(link);
    if (!uploaded.ok()) {
      if (!Stopping()) {
        spdlog::warn("attempt {}: checkpoint not uploaded: {}", assignment_.attempt_id, uploaded.error().message);
      }
      return;
    }
    if (!*uploaded) return;
    spdlog::info("attempt {}: checkpoint {} uploaded ({} bytes)", assignment_.attempt_id,
                 (*uploaded)->sha256.substr(0, 12), (*uploaded)->size);
    env_.checkpoints->Put(assignment_.attempt_id, **uploaded);
  }

  Status UploadOutputs(api::Completion& completion) {
    auto files = MatchOutputs(work_dir_, assignment_.outputs);
    if (!files.ok()) return files.error();
    for (const auto& file : *files) {
      if (env_.result_hook) env_.result_hook(file.path);
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
  CheckpointUploader checkpoint_;  // the periodic thread's while the task runs, then this thread's
};

}  // namespace

Status RunAttempt(const AttemptEnv& env, const api::Assignment& assignment, const KillSwitch& kill,
                  TaskControl& control) {
  return Attempt(env, assignment, kill, control).Run();
}

std::string DescribeExit(const TaskExit& exit) {
  if (exit.signal) {
    std::string name = SignalName(*exit.signal);
    return "killed by signal " + std::to_string(*exit.signal) + (name.empty() ? "" : " (" + name + ")");
  }
  return "exit code " + std::to_string(exit.exit_code.value_or(-1));
}

}  // namespace gleaner::agent
