// Output globs: which files of a finished task to upload. Pure filesystem
// reads; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::agent {

struct OutputFile {
  std::string path;  // absolute, for reading
  std::string name;  // relative to the work dir, the blob's name
};

// Regular files under `work_dir` matching any of `patterns` (glob(3), relative
// to work_dir), each once, sorted by name. A pattern matching nothing is fine.
// Patterns api::WhyUnsafePath refuses (absolute, "..", NUL, ...) are refused
// here too, in case a server let one through; symlinks and matches
// whose real path leaves work_dir are skipped, so a task cannot export files
// that are not its own.
Result<std::vector<OutputFile>> MatchOutputs(const std::string& work_dir, const std::vector<std::string>& patterns);

}  // namespace gleaner::agent
