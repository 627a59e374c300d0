// Small filesystem helpers with errors as values. Writes that must survive a
// crash go through WriteFileDurably (write temp, fsync, rename, fsync dir).
#pragma once

#include <string>

#include "common/status.h"

namespace gleaner {

Result<std::string> ReadFile(const std::string& path);
// Atomically replaces `path` with `content`, durable on return; `mode` as for open(2).
Status WriteFileDurably(const std::string& path, const std::string& content, int mode = 0644);
Status FsyncDirectory(const std::string& dir);

}  // namespace gleaner
