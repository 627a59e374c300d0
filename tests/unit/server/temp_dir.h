// A fresh directory of its own for each test: ctest runs the tests of one
// binary in parallel processes, so fixed names under TempDir() collide.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace gleaner::server::testing {

// Created 0755, so a validator running as the task user can get in.
inline std::string NewTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  std::filesystem::permissions(pattern, std::filesystem::perms(0755));
  return pattern;
}

}  // namespace gleaner::server::testing
