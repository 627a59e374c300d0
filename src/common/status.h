// Status and Result<T>: errors as values at module edges.
//
// An Error carries a stable code (used for HTTP status mapping and JSON error
// bodies) and a human sentence saying what is wrong and, where possible, how to
// fix it. Exceptions never cross a module boundary; callers check `ok()`.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace gleaner {

enum class ErrorCode {
  kInvalidArgument,     // the caller sent something malformed (HTTP 400, exit 2)
  kUnauthenticated,     // no or bad credential (401)
  kPermissionDenied,    // credential fine, action not allowed (403)
  kNotFound,            // no such job, task, host, blob (404)
  kConflict,            // state does not allow it (409)
  kPayloadTooLarge,     // body over the limit (413)
  kUnavailable,         // try again later: server away, shutting down (503)
  kInternal,            // a bug or an I/O failure on our side (500)
};

// Exit codes of every command (DESIGN.md contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the operation failed: a job failed, the server is away, I/O
inline constexpr int kExitUsage = 2;   // usage or bad input: the caller can fix it

// The one mapping of an error code to its API name, HTTP status and exit code,
// used alike by the server's answers, the CLI, the agent and the server
// command (docs/cli.md, "Exit codes"). The caller's mistakes exit 2; what the
// caller cannot fix exits 1.
struct ErrorDisposition {
  ErrorCode code;
  const char* name;  // stable lowercase name, e.g. "invalid_argument"; part of the API
  int http_status;
  int exit_code;
};
const ErrorDisposition& DispositionOf(ErrorCode code);

// Stable lowercase name of a code, e.g. "invalid_argument"; part of the API.
inline const char* ErrorCodeName(ErrorCode code) { return DispositionOf(code).name; }
// Inverse of ErrorCodeName; unknown names map to kInternal.
ErrorCode ErrorCodeFromName(const std::string& name);
inline int HttpStatusOf(ErrorCode code) { return DispositionOf(code).http_status; }
inline int ExitCodeOf(ErrorCode code) { return DispositionOf(code).exit_code; }

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  const Error& error() const { return error_; }
  const std::string& message() const { return error_.message; }
  ErrorCode code() const { return error_.code; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Status OkStatus() { return Status(); }
inline Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m)}; }
inline Error PermissionDenied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m)}; }
inline Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  Result(Status status) : v_(status.error()) { assert(!status.ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Error& error() const { return std::get<Error>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace gleaner

// Propagate an error Status/Result from the current function.
#define GLEANER_RETURN_IF_ERROR(expr)            \
  do {                                           \
    auto _st = (expr);                           \
    if (!_st.ok()) return ::gleaner::Status(_st.error()); \
  } while (0)
