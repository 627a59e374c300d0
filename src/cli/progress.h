// What `gleaner wait` shows: a progress line while the job runs and a one-line
// summary when it ends. Pure, so tests pin the layout.
#pragma once

#include <string>

#include "api/types.h"
#include "common/units.h"

namespace gleaner::cli {

// "[#########.........] 40/64 done · 2 running · 0 failed · 12s"; the bar
// (`bar_width` cells, filled by finished tasks) is left out when bar_width is 0.
std::string ProgressLine(const api::TaskCounts& counts, int64_t total, Millis elapsed, int bar_width);

// "job 7 done: 64/64 tasks in 23s", or what failed and where to look.
std::string FinalSummary(const api::JobView& job);

// True once the job can change no more: done, failed or cancelled.
bool IsFinished(api::JobState state);

}  // namespace gleaner::cli
