// CheckpointUploader: one attempt's checkpoint dir, packed (checkpoint_archive.h)
// and uploaded as a blob whenever it changed since the last upload. A pack is
// kept only if the dir did not change while it was being read, so a task that
// replaces its files atomically (write, then rename) never ships a torn
// checkpoint. Not thread-safe: one thread at a time (the attempt's periodic
// thread, then the attempt's own for the last one after a vacate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "agent/server_link.h"
#include "api/types.h"

namespace gleaner::agent {

class CheckpointUploader {
 public:
  // `scratch` is where packs are written before upload, outside the task's reach.
  CheckpointUploader(std::string dir, std::string scratch, int64_t max_bytes)
      : dir_(std::move(dir)), scratch_(std::move(scratch)), max_bytes_(max_bytes) {}

  // The new blob when the dir changed and was uploaded; nullopt when it is
  // unchanged or empty. kUnavailable: it changed while packed, or the server
  // is away; try again later.
  Result<std::optional<api::FileRef>> UploadIfChanged(ServerLink& link);
  // The last blob uploaded, if any.
  const std::optional<api::FileRef>& latest() const { return latest_; }

 private:
  const std::string dir_;
  const std::string scratch_;
  const int64_t max_bytes_;
  std::string uploaded_fingerprint_;
  std::optional<api::FileRef> latest_;
};

}  // namespace gleaner::agent
