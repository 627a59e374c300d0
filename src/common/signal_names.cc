#include "common/signal_names.h"

#include <array>

namespace gleaner {

namespace {

// Index = signal number on Linux (x86-64, arm64); glibc's sigabbrev_np spells them so.
constexpr std::array<const char*, 32> kNames = {
    nullptr,   "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT",  "SIGBUS",
    "SIGFPE",  "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",   "SIGPIPE", "SIGALRM",  "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",  "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGPOLL", "SIGPWR",   "SIGSYS",
};

}  // namespace

std::string SignalName(int64_t signal) {
  if (signal <= 0 || signal >= static_cast<int64_t>(kNames.size())) return "";
  return kNames[static_cast<size_t>(signal)];
}

}  // namespace gleaner
