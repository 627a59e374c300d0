// InputCache keeps input blobs by SHA-256 in one directory shared by every
// attempt and places them into work dirs, read-only and executable (0555) so an
// uploaded program can run. Thread-safe: each download goes to a private temp
// name and is renamed into place, so concurrent fetches of one blob are safe.
#pragma once

#include <functional>
#include <string>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::agent {

// Fetches the blob `sha256` into the file `dest`, verifying its hash.
using FetchBlob = std::function<Status(const std::string& sha256, const std::string& dest)>;

class InputCache {
 public:
  // Hardlinks share the cached inode and save space; they are safe only when
  // tasks run as another user, who cannot change the agent's 0555 file.
  enum class Placement { kHardlink, kCopy };

  InputCache(std::string dir, Placement placement) : dir_(std::move(dir)), placement_(placement) {}

  // Puts `ref` at work_dir/ref.name (subdirectories created), fetching it
  // into the cache first unless it is there. Refuses unsafe names and hashes.
  Status Place(const api::FileRef& ref, const std::string& work_dir, const FetchBlob& fetch) const;

 private:
  Status EnsureCached(const std::string& sha256, const FetchBlob& fetch) const;

  const std::string dir_;
  const Placement placement_;
};

}  // namespace gleaner::agent
