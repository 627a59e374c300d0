#include "agent/executor/posix/cgroup_freezer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

namespace gleaner::agent {
namespace {

using Clock = std::chrono::steady_clock;

// Freezing normally completes in well under a millisecond; a task stuck in
// an uninterruptible sleep (e.g. NFS) can delay it, and then we say so.
constexpr std::chrono::milliseconds kFreezeLimit{1000};
constexpr std::chrono::milliseconds kEmptyLimit{1000};

Error Errno(const std::string& what) { return Internal(what + ": " + std::strerror(errno)); }

Status WriteAll(int fd, const char* text) {
  if (::pwrite(fd, text, std::strlen(text), 0) < 0) return Errno("cgroup write");
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<CgroupFreezer>> CgroupFreezer::Create(std::string path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return Errno("cannot create cgroup " + path);
  auto open = [&](const char* file, int flags) { return UniqueFd(::open((path + "/" + file).c_str(), flags | O_CLOEXEC)); };
  UniqueFd procs = open("cgroup.procs", O_WRONLY), freeze = open("cgroup.freeze", O_WRONLY),
           events = open("cgroup.events", O_RDONLY);
  if (!procs.valid() || !freeze.valid() || !events.valid()) {
    Error error = Errno("cannot open the files of cgroup " + path);
    ::rmdir(path.c_str());
    return error;
  }
  return std::unique_ptr<CgroupFreezer>(
      new CgroupFreezer(std::move(path), std::move(procs), std::move(freeze), std::move(events)));
}

CgroupFreezer::~CgroupFreezer() {
  KillAll();
  // The directory can be removed only once its last process has exited.
  auto deadline = Clock::now() + kEmptyLimit;
  while (::rmdir(path_.c_str()) != 0 && errno == EBUSY && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

bool CgroupFreezer::EventSays(const char* line) const {
  char buffer[256];
  ssize_t n = ::pread(events_.get(), buffer, sizeof buffer - 1, 0);
  if (n <= 0) return false;
  buffer[n] = '\0';
  return std::strstr(buffer, line) != nullptr;
}

Status CgroupFreezer::Pause() {
  GLEANER_RETURN_IF_ERROR(WriteAll(freeze_.get(), "1"));
  auto deadline = Clock::now() + kFreezeLimit;
  // cgroup.events raises POLLPRI when it changes, so this sleeps, not spins.
  while (!EventSays("frozen 1")) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Internal("cgroup " + path_ + " did not freeze within " + std::to_string(kFreezeLimit.count()) + " ms");
    pollfd fd{events_.get(), POLLPRI, 0};
    ::poll(&fd, 1, static_cast<int>(left));
  }
  return OkStatus();
}

Status CgroupFreezer::Unpause() { return WriteAll(freeze_.get(), "0"); }

void CgroupFreezer::KillAll() const {
  // cgroup.kill (Linux 5.14+) kills every member at once, frozen or not.
  UniqueFd kill(::open((path_ + "/cgroup.kill").c_str(), O_WRONLY | O_CLOEXEC));
  if (kill.valid() && WriteAll(kill.get(), "1").ok()) return;
  std::ifstream procs(path_ + "/cgroup.procs");
  for (pid_t pid; procs >> pid;) ::kill(pid, SIGKILL);
}

}  // namespace gleaner::agent
