// The names of POSIX signal numbers as Linux numbers them ("SIGKILL" for 9):
// a pure table, so code that only reports a signal (the scheduler, the
// agent's messages) needs no glibc call. Thread-safe (constant data).
#pragma once

#include <cstdint>
#include <string>

namespace gleaner {

// "SIGTERM" for 15; "" for a number Linux gives no name (0, real-time signals).
std::string SignalName(int64_t signal);

}  // namespace gleaner
