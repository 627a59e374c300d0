#include "agent/pending_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "api/json.h"
#include "common/files.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

Result<std::unique_ptr<PendingStore>> PendingStore::Open(const std::string& dir) {
  std::unique_ptr<PendingStore> store(new PendingStore(dir));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;  // e.g. a .tmp a crash left mid-write
    auto text = ReadFile(entry.path());
    auto completion = text.ok() ? api::Decode<api::Completion>(*text) : Result<api::Completion>(text.error());
    if (!completion.ok()) {
      spdlog::warn("skipping unreadable pending completion {}: {}", entry.path().string(), completion.error().message);
      continue;
    }
    store->completions_[completion->attempt_id] = std::move(*completion);
  }
  if (ec) return Internal("cannot read pending completions in '" + dir + "': " + ec.message());
  return store;
}

Status PendingStore::Add(const api::Completion& completion) {
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(PathOf(completion.attempt_id), api::Encode(completion), 0600));
  std::lock_guard lock(mu_);
  completions_[completion.attempt_id] = completion;
  return OkStatus();
}

Status PendingStore::Forget(int64_t attempt_id) {
  std::error_code ec;
  fs::remove(PathOf(attempt_id), ec);
  if (ec) return Internal("cannot remove pending completion of attempt " + std::to_string(attempt_id) + ": " + ec.message());
  std::lock_guard lock(mu_);
  completions_.erase(attempt_id);
  return OkStatus();
}

std::vector<api::Completion> PendingStore::All() const {
  std::lock_guard lock(mu_);
  std::vector<api::Completion> all;
  for (const auto& [id, completion] : completions_) all.push_back(completion);
  return all;
}

bool PendingStore::Holds(int64_t attempt_id) const {
  std::lock_guard lock(mu_);
  return completions_.contains(attempt_id);
}

std::string PendingStore::PathOf(int64_t attempt_id) const {
  return dir_ + "/" + std::to_string(attempt_id) + ".json";
}

}  // namespace gleaner::agent
