// Helpers shared by the agent's unit tests: a temp dir removed afterwards and
// a ServerLink that keeps blobs in memory. Not thread-safe unless noted.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "agent/server_link.h"
#include "common/files.h"
#include "common/sha256.h"

namespace gleaner::agent::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gleaner-agent-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
    std::filesystem::permissions(path_, std::filesystem::perms(0755));  // the task user must get in
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string Slurp(const std::string& path) {
  auto text = ReadFile(path);
  return text.ok() ? *text : "<unreadable: " + text.error().message + ">";
}

// Blobs by hash, shared by every link it makes; thread-safe.
class FakeServer {
 public:
  std::string Put(const std::string& content) {
    std::lock_guard lock(mu_);
    auto sha = Sha256Hex(content);
    blobs_[sha] = content;
    return sha;
  }
  std::optional<std::string> Get(const std::string& sha) {
    std::lock_guard lock(mu_);
    auto it = blobs_.find(sha);
    if (it == blobs_.end()) return std::nullopt;
    return it->second;
  }
  // The next `n` blob calls answer kUnavailable, as if the server were away.
  void GoAway(int n) {
    std::lock_guard lock(mu_);
    away_for_ = n;
  }
  bool Away() {
    std::lock_guard lock(mu_);
    return away_for_ > 0 && away_for_-- > 0;
  }
  int downloads() {
    std::lock_guard lock(mu_);
    return downloads_;
  }
  void CountDownload() {
    std::lock_guard lock(mu_);
    ++downloads_;
  }

  // Answers syncs with `handler`, which sees every request in order.
  using SyncHandler = std::function<Result<api::SyncResponse>(const api::SyncRequest&)>;
  void OnSync(SyncHandler handler) {
    std::lock_guard lock(mu_);
    sync_handler_ = std::move(handler);
  }
  Result<api::SyncResponse> HandleSync(const api::SyncRequest& request) {
    std::lock_guard lock(mu_);
    syncs_.push_back(request);
    if (!sync_handler_) return Internal("no sync handler");
    return sync_handler_(request);
  }
  std::vector<api::SyncRequest> syncs() {
    std::lock_guard lock(mu_);
    return syncs_;
  }

  ServerLinkFactory Links();

 private:
  std::mutex mu_;
  SyncHandler sync_handler_;
  std::vector<api::SyncRequest> syncs_;
  std::map<std::string, std::string> blobs_;
  int away_for_ = 0;
  int downloads_ = 0;
};

class FakeLink : public ServerLink {
 public:
  explicit FakeLink(FakeServer& server) : server_(server) {}
  Result<api::SyncResponse> Sync(const api::SyncRequest& request) override { return server_.HandleSync(request); }
  Result<api::FileRef> UploadBlob(const std::string& path, const std::string& name) override {
    if (server_.Away()) return Unavailable("server away");
    auto content = ReadFile(path);
    if (!content.ok()) return content.error();
    return api::FileRef{name, server_.Put(*content), static_cast<int64_t>(content->size())};
  }
  Status DownloadBlob(const std::string& sha256, const std::string& dest) override {
    if (server_.Away()) return Unavailable("server away");
    auto content = server_.Get(sha256);
    if (!content) return NotFound("no blob " + sha256);
    server_.CountDownload();
    return WriteFileDurably(dest, *content);
  }

 private:
  FakeServer& server_;
};

// Polls `done` every 10ms for up to `limit`; true once it holds.
template <typename Pred>
bool Eventually(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

inline ServerLinkFactory FakeServer::Links() {
  return [this] { return std::make_unique<FakeLink>(*this); };
}

}  // namespace gleaner::agent::testing
