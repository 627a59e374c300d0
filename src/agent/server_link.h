// ServerLink is what the agent needs from the server after enrolment: sync and
// blobs. It is a seam so tests can stand in for the server. One link per
// thread (the real one wraps an ApiClient, which is not thread-safe).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/types.h"
#include "client/http_client.h"
#include "common/status.h"

namespace gleaner::agent {

class ServerLink {
 public:
  virtual ~ServerLink() = default;
  virtual Result<api::SyncResponse> Sync(const api::SyncRequest& request) = 0;
  virtual Result<api::FileRef> UploadBlob(const std::string& path, const std::string& name) = 0;
  virtual Status DownloadBlob(const std::string& sha256, const std::string& dest) = 0;
};

// Makes a fresh link for the calling thread; thread-safe.
using ServerLinkFactory = std::function<std::unique_ptr<ServerLink>()>;

// Links that talk to `url` as the enrolled host with `credential`, pinning
// the CA `ca_sha256` over https.
ServerLinkFactory ApiServerLinks(ServerUrl url, std::string credential, std::string ca_sha256);

}  // namespace gleaner::agent
