#include "agent/checkpoint/checkpoint_uploader.h"

#include <filesystem>

#include "agent/checkpoint/checkpoint_archive.h"

namespace gleaner::agent {

Result<std::optional<api::FileRef>> CheckpointUploader::UploadIfChanged(ServerLink& link) {
  auto before = CheckpointFingerprint(dir_);
  if (!before.ok()) return before.error();
  if (before->empty() || *before == uploaded_fingerprint_) return std::optional<api::FileRef>();
  auto packed = WriteCheckpointArchive(dir_, scratch_, max_bytes_);
  auto after = packed.ok() ? CheckpointFingerprint(dir_) : Result<std::string>(packed.error());
  Result<api::FileRef> uploaded = Unavailable("");
  if (after.ok() && *after == *before) {
    uploaded = link.UploadBlob(scratch_, "checkpoint.tar");
  } else if (after.ok()) {
    uploaded = Unavailable("the checkpoint changed while it was packed");
  } else {
    uploaded = after.error();
  }
  std::error_code ec;
  std::filesystem::remove(scratch_, ec);
  if (!uploaded.ok()) return uploaded.error();
  uploaded_fingerprint_ = *before;
  latest_ = *uploaded;
  return latest_;
}

}  // namespace gleaner::agent
