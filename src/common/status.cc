#include "common/status.h"

#include <array>

namespace gleaner {
namespace {
constexpr std::array<ErrorDisposition, 8> kDispositions = {{
    {ErrorCode::kInvalidArgument, "invalid_argument", 400, kExitUsage},
    {ErrorCode::kUnauthenticated, "unauthenticated", 401, kExitUsage},
    {ErrorCode::kPermissionDenied, "permission_denied", 403, kExitUsage},
    {ErrorCode::kNotFound, "not_found", 404, kExitUsage},
    {ErrorCode::kConflict, "conflict", 409, kExitUsage},
    {ErrorCode::kPayloadTooLarge, "payload_too_large", 413, kExitUsage},
    {ErrorCode::kUnavailable, "unavailable", 503, kExitFailed},
    {ErrorCode::kInternal, "internal", 500, kExitFailed},
}};
}  // namespace

const ErrorDisposition& DispositionOf(ErrorCode code) {
  for (const ErrorDisposition& d : kDispositions) {
    if (d.code == code) return d;
  }
  return kDispositions.back();  // kInternal
}

ErrorCode ErrorCodeFromName(const std::string& name) {
  for (const ErrorDisposition& d : kDispositions) {
    if (name == d.name) return d.code;
  }
  return ErrorCode::kInternal;
}

}  // namespace gleaner
