#include "agent/executor/posix/task_limits.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "common/files.h"

namespace gleaner::agent {

TaskLimits LimitsForTask(int64_t memory, int64_t slots, int64_t uid_threads_now) {
  TaskLimits limits;
  if (memory > 0) limits.address_space = 2 * memory + kAddressSpaceHeadroom;
  limits.processes = std::max<int64_t>(0, uid_threads_now) + kProcessesPerSlot * std::max<int64_t>(1, slots);
  return limits;
}

std::optional<ProcessCount> ParseProcStatus(const std::string& status) {
  std::istringstream lines(status);
  std::optional<uid_t> uid;
  std::optional<int64_t> threads;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "Uid:") {
      long long value = -1;
      if (fields >> value && value >= 0) uid = static_cast<uid_t>(value);
    } else if (key == "Threads:") {
      long long value = -1;
      if (fields >> value && value >= 0) threads = value;
    }
  }
  if (!uid || !threads) return std::nullopt;
  return ProcessCount{*uid, *threads};
}

int64_t CountThreadsOfUser(uid_t uid) {
  int64_t total = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(c) != 0; })) continue;
    auto status = ReadFile(it->path().string() + "/status");
    if (!status.ok()) continue;  // gone meanwhile
    auto count = ParseProcStatus(*status);
    if (count && count->real_uid == uid) total += count->threads;
  }
  return total;
}

}  // namespace gleaner::agent
