// A task's checkpoint directory as one POSIX ustar archive, and back: the
// form in which checkpoints travel as content-addressed blobs
// (docs/checkpoints.md). `tar tf` lists such a blob.
//
// Only regular files and directories are kept. Reading never follows a
// symlink (the agent may be root, the directory belongs to the task), and
// unpacking creates every entry afresh under the target directory, refusing
// absolute names and "..". Archives are deterministic: entries sorted by
// path, owner 0, so an unchanged directory packs to the same bytes.
// Filesystem only; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

namespace gleaner::agent {

struct ArchiveSummary {
  int64_t files = 0;
  int64_t bytes = 0;  // file contents, before tar's headers and padding
};

// Who unpacked entries belong to: the task's user when the agent is root
// (POSIX user and group ids; TaskUser's).
struct FileOwner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// A short digest of the tree under `dir` (names, kinds, sizes, modification
// times): equal digests mean nothing visible changed. An empty or absent
// directory has the digest "".
Result<std::string> CheckpointFingerprint(const std::string& dir);

// Packs `dir` into a new file `archive`. Refuses (kPayloadTooLarge) a tree
// whose files hold more than `max_bytes`, or a name too long for ustar.
Result<ArchiveSummary> WriteCheckpointArchive(const std::string& dir, const std::string& archive, int64_t max_bytes);

// Unpacks `archive` into the existing directory `dir`, giving what it makes
// to `owner` when set. Refuses (kInvalidArgument) an archive this module did
// not write: a bad checksum, an entry that is not a file or a directory, an
// unsafe name.
Status ExtractCheckpointArchive(const std::string& archive, const std::string& dir,
                                const std::optional<FileOwner>& owner);

}  // namespace gleaner::agent
