// The conventional name of a POSIX signal number, for messages. Pure.
#pragma once

#include <string>

namespace gleaner {

// "SIGTERM" for 15; "signal N" for a number with no name.
std::string SignalName(int signo);

}  // namespace gleaner
