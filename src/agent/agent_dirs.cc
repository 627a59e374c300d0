#include "agent/agent_dirs.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

constexpr auto kPrivate = fs::perms::owner_all;
constexpr auto kTraversable = fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec;

Status MakeDir(const fs::path& dir, fs::perms mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::permissions(dir, mode, ec);
  if (ec) return InvalidArgument("cannot prepare directory '" + dir.string() + "': " + ec.message());
  return OkStatus();
}

}  // namespace

Result<AgentDirs> PrepareAgentDirs(const std::string& root) {
  std::error_code ec;
  fs::path base = fs::absolute(root, ec).lexically_normal();
  if (ec) return InvalidArgument("cannot use work dir '" + root + "': " + ec.message());
  if (!base.has_filename()) base = base.parent_path();  // "dir/" names dir
  AgentDirs dirs{base.string(), (base / "pending").string(), (base / "cache").string(), (base / "attempts").string()};
  if (!fs::exists(base, ec)) GLEANER_RETURN_IF_ERROR(MakeDir(base, kTraversable));
  GLEANER_RETURN_IF_ERROR(MakeDir(dirs.pending, kPrivate));
  GLEANER_RETURN_IF_ERROR(MakeDir(dirs.cache, kPrivate));
  fs::remove_all(dirs.attempts, ec);
  if (ec) return Internal("cannot clear '" + dirs.attempts + "': " + ec.message());
  GLEANER_RETURN_IF_ERROR(MakeDir(dirs.attempts, kTraversable));
  return dirs;
}

Status CheckTraversableByOthers(const std::string& dir) {
  for (fs::path step = dir; !step.empty(); step = step.parent_path()) {
    struct stat st {};
    if (::stat(step.c_str(), &st) != 0 || (st.st_mode & S_IXOTH) == 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
      return InvalidArgument("tasks run as another user and cannot get through '" + step.string() + "' (mode " +
                             mode + "); choose a --work dir they can reach, e.g. /var/lib/gleaner");
    }
    if (step == step.root_path()) break;
  }
  return OkStatus();
}

}  // namespace gleaner::agent
