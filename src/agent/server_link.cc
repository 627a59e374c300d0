#include "agent/server_link.h"

#include "client/api_client.h"

namespace gleaner::agent {

namespace {

class ApiServerLink : public ServerLink {
 public:
  ApiServerLink(ServerUrl url, std::string credential, std::string ca_sha256)
      : client_(std::move(url), std::move(credential), std::move(ca_sha256)) {}

  Result<api::SyncResponse> Sync(const api::SyncRequest& request) override {
    return client_.Post<api::SyncResponse>("/api/v1/agents/sync", request);
  }
  Result<api::FileRef> UploadBlob(const std::string& path, const std::string& name) override {
    return client_.UploadBlob(path, name);
  }
  Status DownloadBlob(const std::string& sha256, const std::string& dest) override {
    return client_.DownloadBlob(sha256, dest);
  }

 private:
  ApiClient client_;
};

}  // namespace

ServerLinkFactory ApiServerLinks(ServerUrl url, std::string credential, std::string ca_sha256) {
  return [url = std::move(url), credential = std::move(credential), ca_sha256 = std::move(ca_sha256)] {
    return std::make_unique<ApiServerLink>(url, credential, ca_sha256);
  };
}

}  // namespace gleaner::agent
