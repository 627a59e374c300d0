#include "cli/progress.h"

#include <algorithm>

#include "cli/display.h"

namespace gleaner::cli {

std::string ProgressLine(const api::TaskCounts& counts, int64_t total, Millis elapsed, int bar_width) {
  std::string line;
  if (bar_width > 0) {
    int64_t finished = counts.done + counts.failed + counts.cancelled;
    int64_t filled = total > 0 ? std::clamp<int64_t>(finished * bar_width / total, 0, bar_width) : 0;
    line = "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
  }
  return line + CountsText(counts, total) + " · " + FormatDurationCoarse(elapsed);
}

std::string FinalSummary(const api::JobView& job) {
  const std::string id = std::to_string(job.id);
  const std::string took = Age(job.created_at, job.finished_at);
  switch (job.state) {
    case api::JobState::kDone:
      return "job " + id + " done: " + std::to_string(job.counts.done) + "/" + std::to_string(job.spec.count) +
             " tasks in " + took;
    case api::JobState::kFailed:
      return "job " + id + " failed after " + took + ": " + CountsText(job.counts, job.spec.count) +
             "; see gleaner tasks " + id + " --state failed";
    case api::JobState::kCancelled:
      return "job " + id + " was cancelled: " + CountsText(job.counts, job.spec.count);
    case api::JobState::kQueued:
    case api::JobState::kRunning:
      break;
  }
  return "job " + id + " is " + api::JobStateName(job.state) + ": " + CountsText(job.counts, job.spec.count);
}

bool IsFinished(api::JobState state) {
  return state == api::JobState::kDone || state == api::JobState::kFailed || state == api::JobState::kCancelled;
}

}  // namespace gleaner::cli
