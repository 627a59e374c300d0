#include "agent/owner/linux/activity_file_source.h"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/files.h"

namespace gleaner::agent {

Result<std::unique_ptr<ActivityFileSource>> ActivityFileSource::Open(const std::string& path) {
  UniqueFd inotify(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify.valid()) return Internal(std::string("inotify_init1: ") + std::strerror(errno));
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (::inotify_add_watch(inotify.get(), dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB) < 0) {
    return InvalidArgument("--activity-file: cannot watch " + dir + ": " + std::strerror(errno));
  }
  return std::unique_ptr<ActivityFileSource>(new ActivityFileSource(path, std::move(inotify)));
}

Result<ActivityReading> ActivityFileSource::Read(int64_t now_ms) {
  char events[4096];
  while (::read(inotify_.get(), events, sizeof events) > 0) {
  }
  ActivityReading reading;
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return reading;  // no file yet: it tells nothing
  auto text = ReadFile(path_);
  if (!text.ok()) return text.error();
  std::string word = text->substr(0, text->find_first_of(" \t\r\n"));
  if (word == "active") {
    reading.active_now = true;
  } else if (word == "idle") {
    reading.idle_since = int64_t{st.st_mtim.tv_sec} * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  } else {
    return InvalidArgument(path_ + " says '" + word + "'; write 'active' or 'idle'");
  }
  return reading;
}

}  // namespace gleaner::agent
