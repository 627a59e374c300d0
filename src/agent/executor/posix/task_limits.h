// The resource limits (setrlimit) a task starts under, soft and hard alike so
// it cannot raise them. Computing them is pure; counting a user's processes
// reads /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace gleaner::agent {

inline constexpr int64_t kProcessesPerSlot = 512;           // threads count as processes
inline constexpr int64_t kMaxTaskFileSize = int64_t{4} << 30;  // a bigger write gets SIGXFSZ
inline constexpr int64_t kMaxTaskOpenFiles = 4096;
inline constexpr int64_t kAddressSpaceHeadroom = int64_t{1} << 30;

struct TaskLimits {
  std::optional<int64_t> address_space;  // RLIMIT_AS; unset: unlimited
  int64_t processes = 0;                 // RLIMIT_NPROC
  int64_t file_size = kMaxTaskFileSize;  // RLIMIT_FSIZE
  int64_t open_files = kMaxTaskOpenFiles;  // RLIMIT_NOFILE
  int64_t core_size = 0;                 // RLIMIT_CORE: no core dumps on the owner's disk
};

// `memory`: what the task asked for (0 = nothing asked: no address-space
// limit); the limit is twice that plus 1 GiB, because address space is not
// memory (thread stacks, malloc arenas and runtimes reserve far more than they
// touch). RLIMIT_NPROC counts every process and thread of the real uid on the
// host, other tasks' and (for an agent without a task user) the desktop
// user's own among them, so it is what the uid runs now plus room for every
// slot: it stops a fork bomb without starving sibling tasks.
TaskLimits LimitsForTask(int64_t memory, int64_t slots, int64_t uid_threads_now);

// The real uid and thread count from the text of /proc/PID/status.
struct ProcessCount {
  uid_t real_uid = 0;
  int64_t threads = 0;
};
std::optional<ProcessCount> ParseProcStatus(const std::string& status);

// Threads (every one counts for RLIMIT_NPROC) of processes whose real uid is
// `uid`, from /proc.
int64_t CountThreadsOfUser(uid_t uid);

}  // namespace gleaner::agent
