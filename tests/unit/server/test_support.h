// Helpers for the server's unit tests that touch files: a directory of each
// test's own (ctest runs the tests of one binary in parallel processes, so
// fixed names under TempDir() collide) and blobs put into a real BlobStore.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "api/types.h"
#include "common/sha256.h"
#include "server/blobs/blob_store.h"

namespace gleaner::server::testing {

// Created 0755, so a validator running as the task user can get in.
inline std::string NewTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  std::filesystem::permissions(pattern, std::filesystem::perms(0755));
  return pattern;
}

// Stores `text` as a blob and returns it as a file named `name`.
inline api::FileRef StoreBlob(const BlobStore& blobs, const std::string& name, const std::string& text) {
  std::string sha = Sha256Hex(text);
  std::string temp = blobs.NewTempPath();
  std::ofstream(temp, std::ios::binary) << text;
  EXPECT_TRUE(blobs.Commit(temp, sha).ok());
  return {name, sha, static_cast<int64_t>(text.size())};
}

}  // namespace gleaner::server::testing
