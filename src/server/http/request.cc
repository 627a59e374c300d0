#include "server/http/request.h"

#include "api/json.h"

namespace gleaner::server {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response Response::FromError(const Error& error) {
  return Json(HttpStatusOf(error.code), api::Encode(api::ErrorBody{ErrorCodeName(error.code), error.message}));
}

}  // namespace gleaner::server
