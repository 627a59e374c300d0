#include "agent/executor/input_cache.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "api/job_spec.h"
#include "common/sha256.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

constexpr fs::perms kInputMode = fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                 fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec;

std::string UniqueSuffix() {
  static std::atomic<uint64_t> counter{0};
  return "." + std::to_string(::getpid()) + "." + std::to_string(counter++) + ".part";
}

}  // namespace

Status InputCache::Place(const api::FileRef& ref, const std::string& work_dir, const FetchBlob& fetch) const {
  if (!api::IsSafeRelativePath(ref.name)) {
    return InvalidArgument("input name '" + ref.name + "' is not a relative path inside the work dir");
  }
  if (!IsSha256Hex(ref.sha256)) return InvalidArgument("input '" + ref.name + "' has a malformed sha256");
  GLEANER_RETURN_IF_ERROR(EnsureCached(ref.sha256, fetch));

  fs::path cached = fs::path(dir_) / ref.sha256;
  fs::path dest = fs::path(work_dir) / ref.name;
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  if (ec) return Internal("cannot create '" + dest.parent_path().string() + "': " + ec.message());
  if (placement_ == Placement::kHardlink) {
    fs::create_hard_link(cached, dest, ec);
  } else {
    fs::copy_file(cached, dest, ec);
    if (!ec) fs::permissions(dest, kInputMode, ec);
  }
  if (ec) return Internal("cannot place input '" + ref.name + "': " + ec.message());
  return OkStatus();
}

Status InputCache::EnsureCached(const std::string& sha256, const FetchBlob& fetch) const {
  fs::path cached = fs::path(dir_) / sha256;
  std::error_code ec;
  if (fs::exists(cached, ec)) return OkStatus();
  std::string temp = cached.string() + UniqueSuffix();
  Status fetched = fetch(sha256, temp);
  if (!fetched.ok()) {
    fs::remove(temp, ec);
    return fetched;
  }
  fs::permissions(temp, kInputMode, ec);
  // Never replace a cached blob: a hardlink being made to it at that moment
  // would fail (its inode would have no name left). The loser of a race to
  // cache the same blob just drops its copy.
  if (!ec && ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, cached.c_str(), RENAME_NOREPLACE) != 0 &&
      errno != EEXIST) {
    ec = std::error_code(errno, std::generic_category());
  }
  std::error_code ignored;
  fs::remove(temp, ignored);
  if (ec) return Internal("cannot store blob " + sha256 + " in the cache: " + ec.message());
  return OkStatus();
}

}  // namespace gleaner::agent
