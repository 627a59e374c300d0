#include "agent/executor/posix/task_processes.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "common/files.h"

namespace gleaner::agent {
namespace {

constexpr const char* kMarkerKey = "GLEANER_ATTEMPT_ID";

std::optional<ProcEntry> ReadEntry(pid_t pid) {
  auto stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return std::nullopt;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  auto close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  char state = 0;
  ProcEntry e;
  e.pid = pid;
  if (std::sscanf(stat->c_str() + close + 1, " %c %d %d", &state, &e.ppid, &e.pgid) != 3) return std::nullopt;
  return e;
}

std::vector<ProcEntry> ReadAll() {
  std::vector<ProcEntry> all;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (auto e = ReadEntry(static_cast<pid_t>(std::stol(name)))) all.push_back(*e);
  }
  return all;
}

bool EnvironHas(pid_t pid, const std::string& marker) {
  auto environ = ReadFile("/proc/" + std::to_string(pid) + "/environ");
  if (!environ.ok()) return false;
  const std::string& text = *environ;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, end - start, marker) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string TaskMarker(const std::map<std::string, std::string>& env) {
  auto it = env.find(kMarkerKey);
  return it == env.end() ? "" : std::string(kMarkerKey) + "=" + it->second;
}

std::vector<pid_t> SelectTaskProcesses(const std::vector<ProcEntry>& all, pid_t agent, pid_t group,
                                       const std::function<bool(pid_t)>& carries_marker) {
  std::multimap<pid_t, const ProcEntry*> children;
  for (const auto& e : all) children.emplace(e.ppid, &e);
  // Breadth first from the agent: a task's root is the first process on a
  // path down from the agent that is in the group or carries the marker.
  std::vector<pid_t> selected;
  std::deque<std::pair<pid_t, bool>> queue{{agent, false}};  // (pid, inside the task)
  std::set<pid_t> seen{agent};
  while (!queue.empty()) {
    auto [pid, inside] = queue.front();
    queue.pop_front();
    auto [first, last] = children.equal_range(pid);
    for (auto it = first; it != last; ++it) {
      const ProcEntry& child = *it->second;
      if (!seen.insert(child.pid).second) continue;
      bool in_task = inside || child.pgid == group || carries_marker(child.pid);
      if (in_task) selected.push_back(child.pid);
      queue.emplace_back(child.pid, in_task);
    }
  }
  return selected;
}

std::vector<pid_t> FindEscapedProcesses(pid_t group, const std::string& marker) {
  if (marker.empty()) return {};
  auto all = ReadAll();
  std::map<pid_t, pid_t> pgid_of;
  for (const auto& e : all) pgid_of[e.pid] = e.pgid;
  auto in_task = SelectTaskProcesses(all, ::getpid(), group, [&](pid_t pid) { return EnvironHas(pid, marker); });
  std::vector<pid_t> escaped;
  for (pid_t pid : in_task) {
    if (pgid_of[pid] != group) escaped.push_back(pid);
  }
  return escaped;
}

Status SignalTask(pid_t group, const std::string& marker, int sig, std::set<pid_t>* escaped) {
  // ESRCH: the group is gone already, which is what signalling it wanted anyway.
  if (::killpg(group, sig) != 0 && errno != ESRCH) {
    return Internal("cannot signal process group " + std::to_string(group) + ": " + std::strerror(errno));
  }
  for (pid_t pid : FindEscapedProcesses(group, marker)) {
    ::kill(pid, sig);
    if (escaped) escaped->insert(pid);
  }
  return OkStatus();
}

void KillAndReapEscaped(pid_t group, const std::string& marker, std::set<pid_t> known,
                        std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::set<pid_t> pending = std::move(known);
  for (pid_t pid : FindEscapedProcesses(group, marker)) {
    ::kill(pid, SIGKILL);
    pending.insert(pid);
  }
  // Killed processes die as zombies of their parents; those whose parent was
  // killed too come to us (subreaper). Reap ours until all are gone.
  while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
    for (auto it = pending.begin(); it != pending.end();) {
      auto entry = ReadEntry(*it);
      if (!entry) {
        it = pending.erase(it);
      } else if (entry->ppid == ::getpid() && ::waitpid(*it, nullptr, WNOHANG) == *it) {
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace gleaner::agent
