#include "server/blobs/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "common/files.h"
#include "common/secrets.h"
#include "common/sha256.h"

namespace gleaner::server {

namespace fs = std::filesystem;

Result<BlobStore> BlobStore::Open(const std::string& root) {
  std::error_code ec;
  fs::create_directories(fs::path(root) / "tmp", ec);
  if (ec) return Internal("cannot create blob directory '" + root + "': " + ec.message());
  // Uploads interrupted by a crash leave temp files that nothing refers to.
  for (const auto& entry : fs::directory_iterator(fs::path(root) / "tmp", ec)) fs::remove(entry.path(), ec);
  return BlobStore(root);
}

bool BlobStore::Contains(const std::string& sha256) const {
  std::error_code ec;
  return IsSha256Hex(sha256) && fs::is_regular_file(PathOf(sha256), ec);
}

std::string BlobStore::PathOf(const std::string& sha256) const {
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256.substr(2);
}

std::string BlobStore::NewTempPath() const { return root_ + "/tmp/" + NewSecret("up-"); }

Status BlobStore::Commit(const std::string& temp_path, const std::string& sha256) const {
  std::error_code ec;
  auto fail = [&](Error e) {
    fs::remove(temp_path, ec);
    return Status(std::move(e));
  };
  auto actual = Sha256OfFile(temp_path);
  if (!actual.ok()) return fail(actual.error());
  if (*actual != sha256) {
    return fail(InvalidArgument("the uploaded bytes hash to " + *actual + ", not to " + sha256 +
                                "; the upload was corrupted or sent to the wrong address"));
  }
  int fd = ::open(temp_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return fail(Internal("cannot make blob " + sha256 + " durable"));
  }
  ::close(fd);
  std::string dest = PathOf(sha256);
  fs::create_directories(fs::path(dest).parent_path(), ec);
  fs::rename(temp_path, dest, ec);
  if (ec) return fail(Internal("cannot store blob " + sha256 + ": " + ec.message()));
  return FsyncDirectory(fs::path(dest).parent_path().string());
}

}  // namespace gleaner::server
