#include "server/backup/backup.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/files.h"

namespace gleaner::server {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "BACKUP.json";

Status RequireEmptyDir(const std::string& dir, const char* what) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Conflict(std::string(what) + " '" + dir + "' is not empty; name a new or empty directory");
  }
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create '" + dir + "': " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);  // it holds every token hash and result
  return OkStatus();
}

// Copies `from` into `to`'s blob store, where it is verified and made durable.
Status CopyBlob(const std::string& from, const std::string& sha256, const BlobStore& to) {
  std::string temp = to.NewTempPath();
  std::error_code ec;
  fs::copy_file(from, temp, ec);
  if (ec) return Internal("cannot copy blob " + sha256 + ": " + ec.message());
  return to.Commit(temp, sha256);
}

}  // namespace

std::set<std::string> ReferencedBlobs(const Snapshot& snapshot) {
  std::set<std::string> shas;
  for (const auto& job : snapshot.jobs) {
    for (const auto& in : job.spec.inputs) shas.insert(in.sha256);
  }
  for (const auto& task : snapshot.tasks) {
    for (const auto& out : task.outcome.outputs) shas.insert(out.sha256);
    if (task.outcome.stdout_ref) shas.insert(task.outcome.stdout_ref->sha256);
    if (task.outcome.stderr_ref) shas.insert(task.outcome.stderr_ref->sha256);
    if (task.checkpoint) shas.insert(task.checkpoint->sha256);
  }
  return shas;
}

namespace {

// The server's CA (tls/ca.key and ca.pem), when it has one: every enrolled
// agent pins it, so a restored server must keep it. The key stays 0600.
Status CopyCertificateAuthority(const std::string& from_dir, const std::string& to_dir) {
  if (!fs::exists(from_dir + "/tls/ca.pem")) return OkStatus();
  std::error_code ec;
  fs::create_directories(to_dir + "/tls", ec);
  if (ec) return Internal("cannot create '" + to_dir + "/tls': " + ec.message());
  for (const auto& [name, mode] : {std::pair{"ca.key", 0600}, std::pair{"ca.pem", 0644}}) {
    auto bytes = ReadFile(from_dir + "/tls/" + name);
    if (!bytes.ok()) return bytes.error();
    GLEANER_RETURN_IF_ERROR(WriteFileDurably(to_dir + "/tls/" + name, *bytes, mode));
  }
  return OkStatus();
}

}  // namespace

Result<api::BackupResponse> TakeBackup(const BackupSource& from, const std::string& to) {
  GLEANER_RETURN_IF_ERROR(RequireEmptyDir(to, "backup directory"));
  // Blobs are immutable and stored before anything refers to them, so every
  // blob the snapshot names is there to copy, whatever happened since.
  auto snapshot = from.store.BackupInto(to);
  if (!snapshot.ok()) return snapshot.error();
  const BlobStore& blobs = from.blobs;
  auto target = BlobStore::Open(to + "/blobs");
  if (!target.ok()) return target.error();
  api::BackupResponse summary{to, static_cast<int64_t>(snapshot->jobs.size()),
                        static_cast<int64_t>(snapshot->tasks.size()), 0, 0};
  for (const auto& sha : ReferencedBlobs(*snapshot)) {
    if (!blobs.Contains(sha)) return Internal("blob " + sha + " is referenced but missing from the server");
    GLEANER_RETURN_IF_ERROR(CopyBlob(blobs.PathOf(sha), sha, *target));
    summary.blobs++;
    summary.blob_bytes += static_cast<int64_t>(fs::file_size(blobs.PathOf(sha)));
  }
  GLEANER_RETURN_IF_ERROR(CopyCertificateAuthority(from.data_dir, to));
  nlohmann::json manifest = {{"format", 1},           {"created_at", NowUnixMillis()},
                             {"jobs", summary.jobs},  {"task_rows", summary.task_rows},
                             {"blobs", summary.blobs}, {"blob_bytes", summary.blob_bytes}};
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(to + "/" + kManifest, manifest.dump(2) + "\n", 0600));
  return summary;
}

Result<api::BackupResponse> RestoreBackup(const std::string& from, const StoreLocation& into) {
  const std::string& data_dir = into.data_dir;
  if (!fs::exists(from + "/" + kManifest)) {
    return InvalidArgument("'" + from + "' is not a complete backup (no " + kManifest +
                           "); it may have been interrupted — take a new one with `gleaner backup`");
  }
  GLEANER_RETURN_IF_ERROR(RequireEmptyDir(data_dir, "data directory"));
  auto store = OpenStoreMaintenance(into);
  auto snapshot = store->RestoreFrom(from);
  if (!snapshot.ok()) return snapshot.error();
  auto blobs = BlobStore::Open(data_dir + "/blobs");
  if (!blobs.ok()) return blobs.error();
  auto source = BlobStore::Open(from + "/blobs");
  if (!source.ok()) return source.error();
  api::BackupResponse summary{data_dir, static_cast<int64_t>(snapshot->jobs.size()),
                        static_cast<int64_t>(snapshot->tasks.size()), 0, 0};
  for (const auto& sha : ReferencedBlobs(*snapshot)) {
    if (!source->Contains(sha)) return Internal("the backup lacks blob " + sha + " that its database refers to");
    GLEANER_RETURN_IF_ERROR(CopyBlob(source->PathOf(sha), sha, *blobs));  // Commit re-hashes it
    summary.blobs++;
    summary.blob_bytes += static_cast<int64_t>(fs::file_size(source->PathOf(sha)));
  }
  GLEANER_RETURN_IF_ERROR(CopyCertificateAuthority(from, data_dir));
  auto check = store->Check();
  if (!check.ok()) return check.error();
  if (!check->problems.empty()) return Internal("the restored database fails its check: " + check->problems.front());
  return summary;
}

}  // namespace gleaner::server
