#include "common/status.h"

#include <array>
#include <utility>

namespace gleaner {
namespace {
constexpr std::array<std::pair<ErrorCode, const char*>, 8> kNames = {{
    {ErrorCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kUnauthenticated, "unauthenticated"},
    {ErrorCode::kPermissionDenied, "permission_denied"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kConflict, "conflict"},
    {ErrorCode::kPayloadTooLarge, "payload_too_large"},
    {ErrorCode::kUnavailable, "unavailable"},
    {ErrorCode::kInternal, "internal"},
}};
}  // namespace

const char* ErrorCodeName(ErrorCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "internal";
}

ErrorCode ErrorCodeFromName(const std::string& name) {
  for (const auto& [c, n] : kNames) {
    if (name == n) return c;
  }
  return ErrorCode::kInternal;
}

}  // namespace gleaner
