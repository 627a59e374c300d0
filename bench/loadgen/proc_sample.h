// Reads another process's CPU time and memory from /proc, so the load
// generator can report the server's cost. A pid of 0 gives an empty sample.
#pragma once

#include <cstdint>

namespace gleaner::bench {

struct ProcSample {
  double cpu_s = 0;    // user + system
  int64_t rss_kb = 0;  // resident now
  int64_t hwm_kb = 0;  // resident at its peak
};

ProcSample SampleProcess(int pid);

}  // namespace gleaner::bench
