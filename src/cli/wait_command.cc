// gleaner wait ID: follows a job until it finishes, drawing its progress on
// stderr. Exit 0 when every task is done, 1 when any failed, the job was
// cancelled, or the wait timed out (the job itself goes on).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/display.h"
#include "cli/failure.h"
#include "cli/progress.h"
#include "command.h"
#include "common/clock.h"

namespace gleaner::cli {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(300);
// A server restart should not end a wait that has reached the server once; a
// server gone this long should.
constexpr auto kUnreachableLimit = std::chrono::seconds(30);
constexpr int kBarWidth = 24;

struct WaitOptions {
  ClientOptions client;
  int64_t job_id = 0;
  std::string timeout;
};

// Redraws one line in place on a terminal; elsewhere (logs, CI) prints a line
// only when the counts change, so the output stays short.
class ProgressView {
 public:
  ProgressView() : terminal_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressView() {
    if (terminal_ && !shown_counts_.empty()) std::cerr << '\n';
  }

  void Show(const api::JobView& job) {
    Millis elapsed(std::max<int64_t>(0, NowUnixMillis() - job.created_at));
    std::string counts = CountsText(job.counts, job.spec.count);
    if (terminal_) {
      std::cerr << '\r' << ProgressLine(job.counts, job.spec.count, elapsed, kBarWidth) << "\x1b[K" << std::flush;
    } else if (counts != shown_counts_) {
      std::cerr << ProgressLine(job.counts, job.spec.count, elapsed, 0) << '\n';
    }
    shown_counts_ = std::move(counts);
  }

 private:
  const bool terminal_;
  std::string shown_counts_;  // empty until the first Show
};

// The finished job, or nullopt when `timeout` passed first.
Result<std::optional<api::JobView>> Follow(ApiClient& client, int64_t job_id, std::optional<Millis> timeout) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::optional<Clock::time_point> last_reached;
  ProgressView view;
  while (!timeout || Clock::now() - start < *timeout) {
    auto job = client.Call<api::JobView>("GET", JobPath(job_id));
    if (job.ok()) {
      last_reached = Clock::now();
      view.Show(*job);
      if (IsFinished(job->state)) return std::optional(std::move(*job));
    } else if (job.error().code != ErrorCode::kUnavailable || !last_reached ||
               Clock::now() - *last_reached > kUnreachableLimit) {
      return job.error();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return std::optional<api::JobView>();
}

int Wait(const WaitOptions& opts) {
  std::optional<Millis> timeout;
  if (!opts.timeout.empty()) {
    auto parsed = ParseDuration(opts.timeout);
    if (!parsed.ok()) return ReportOutcome(parsed.status());
    timeout = *parsed;
  }
  auto client = Connect(opts.client);
  if (!client.ok()) return ReportOutcome(client.status());
  auto finished = Follow(*client, opts.job_id, timeout);
  if (!finished.ok()) return ReportOutcome(finished.status());
  if (!*finished) {
    std::cerr << "gleaner: timed out after " << FormatDuration(*timeout) << "; the job goes on\n";
    return kExitFailed;
  }
  std::cout << FinalSummary(**finished) << '\n';
  return (*finished)->state == api::JobState::kDone ? kExitOk : kExitFailed;
}

}  // namespace

void AddWaitCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<WaitOptions>();
  CLI::App* cmd = app.add_subcommand("wait", "Wait for a job to finish, showing its progress");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("id", opts->job_id, "Job id")->required();
  cmd->add_option("--timeout", opts->timeout, "Give up after this long, e.g. 90s, 5m, 2h");
  cmd->callback([opts, &exit_code] { exit_code = Wait(*opts); });
}

}  // namespace gleaner::cli
