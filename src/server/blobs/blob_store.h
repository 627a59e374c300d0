// BlobStore: files addressed by SHA-256 under <root>/ab/cdef..., stored once.
//
// An upload lands in a private temporary file, is hashed while it streams in,
// and is renamed into place only when its hash matches its address and it is
// fsynced; readers never see a partial blob. Thread-safe: every method works
// on the filesystem alone.
#pragma once

#include <string>

#include "common/status.h"

namespace gleaner::server {

class BlobStore {
 public:
  static Result<BlobStore> Open(const std::string& root);

  bool Contains(const std::string& sha256) const;
  // Path of a stored blob (whether or not it exists).
  std::string PathOf(const std::string& sha256) const;
  // A fresh temporary path to receive an upload into.
  std::string NewTempPath() const;
  // Verifies the file at `temp_path` hashes to `sha256`, makes it durable and
  // moves it into place; removes it on any failure.
  Status Commit(const std::string& temp_path, const std::string& sha256) const;

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace gleaner::server
