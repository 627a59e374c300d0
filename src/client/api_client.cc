#include "client/api_client.h"

#include <filesystem>

#include "common/sha256.h"

namespace gleaner {

namespace {

Error ErrorFromResponse(const std::string& target, const HttpResponse& res) {
  auto body = api::Decode<api::ErrorBody>(res.body);
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  if (body.ok() && !body->message.empty()) {
    code = ErrorCodeFromName(body->code);
    message = body->message;
  } else {
    message = "server answered " + std::to_string(res.status) + " to " + target;
  }
  if (res.status == 401) code = ErrorCode::kUnauthenticated;
  if (res.status == 403) code = ErrorCode::kPermissionDenied;
  if (res.status == 404) code = ErrorCode::kNotFound;
  if (res.status == 400 || res.status == 422) code = ErrorCode::kInvalidArgument;
  return {code, message};
}

}  // namespace

ApiClient::ApiClient(ServerUrl url, std::string token, std::string ca_sha256)
    : http_(std::move(url), std::move(token), std::move(ca_sha256)) {}

Result<std::string> ApiClient::CallRaw(const std::string& method, const std::string& target, const std::string& body) {
  auto res = http_.Send(method, target, body);
  if (!res.ok()) return res.error();
  if (res->status < 200 || res->status >= 300) return ErrorFromResponse(target, *res);
  return std::move(res->body);
}

Result<api::FileRef> ApiClient::UploadBlob(const std::string& path, const std::string& name) {
  auto sha = Sha256OfFile(path);
  if (!sha.ok()) return sha.error();
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return NotFound("cannot read '" + path + "': " + ec.message());
  api::FileRef ref{name, *sha, static_cast<int64_t>(size)};
  std::string target = "/api/v1/blobs/" + *sha;
  auto head = http_.Send("HEAD", target);
  if (!head.ok()) return head.error();
  if (head->status == 200) return ref;  // stored once: the server has it already
  auto put = http_.UploadFile(target, path);
  if (!put.ok()) return put.error();
  if (put->status < 200 || put->status >= 300) return ErrorFromResponse(target, *put);
  return ref;
}

Status ApiClient::DownloadBlob(const std::string& sha256, const std::string& dest, int64_t job, int64_t task) {
  std::string target = "/api/v1/blobs/" + sha256;
  if (job > 0) target += "?job=" + std::to_string(job) + (task >= 0 ? "&task=" + std::to_string(task) : "");
  auto res = http_.DownloadToFile(target, dest);
  if (!res.ok()) return res.error();
  if (res->status != 200) return ErrorFromResponse(target, *res);
  auto got = Sha256OfFile(dest);
  if (!got.ok()) return got.error();
  if (*got != sha256) {
    std::filesystem::remove(dest);
    return Internal("blob " + sha256 + " arrived corrupted (its hash is " + *got + ")");
  }
  return OkStatus();
}

}  // namespace gleaner
