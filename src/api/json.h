// JSON mapping of the wire types (nlohmann/json) and strict decoding.
//
// Decode<T> never throws: malformed JSON, a wrong type or a missing required
// field comes back as kInvalidArgument naming the field. Unknown fields are
// ignored so newer clients can talk to older servers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::api {

// A new wire type gets a line here and one in WireTypes of
// tests/fuzz/fuzz_api_json.cc, so its decoding is fuzzed too.
#define GLEANER_API_JSON(T)                 \
  void to_json(nlohmann::json& j, const T& v); \
  void from_json(const nlohmann::json& j, T& v);

GLEANER_API_JSON(FileRef)
GLEANER_API_JSON(JobSpec)
GLEANER_API_JSON(TaskCounts)
GLEANER_API_JSON(JobView)
GLEANER_API_JSON(AttemptEvent)
GLEANER_API_JSON(TaskView)
GLEANER_API_JSON(HostActivity)
GLEANER_API_JSON(Policy)
GLEANER_API_JSON(PolicyView)
GLEANER_API_JSON(HostFacts)
GLEANER_API_JSON(HostView)
GLEANER_API_JSON(EnrollRequest)
GLEANER_API_JSON(EnrollResponse)
GLEANER_API_JSON(Assignment)
GLEANER_API_JSON(CheckpointReport)
GLEANER_API_JSON(Completion)
GLEANER_API_JSON(SyncRequest)
GLEANER_API_JSON(SyncResponse)
GLEANER_API_JSON(SubmitResponse)
GLEANER_API_JSON(TokenCreateRequest)
GLEANER_API_JSON(TokenCreateResponse)
GLEANER_API_JSON(TokenView)
GLEANER_API_JSON(TokenList)
GLEANER_API_JSON(AuditEvent)
GLEANER_API_JSON(AuditList)
GLEANER_API_JSON(JobList)
GLEANER_API_JSON(TaskList)
GLEANER_API_JSON(HostList)
GLEANER_API_JSON(BackupRequest)
GLEANER_API_JSON(BackupResponse)
GLEANER_API_JSON(ErrorBody)
GLEANER_API_JSON(WhoAmI)
GLEANER_API_JSON(UsageLine)
GLEANER_API_JSON(UsageReport)
GLEANER_API_JSON(StatsSample)
GLEANER_API_JSON(StatsHistory)
#undef GLEANER_API_JSON

// No wire type nests deeper than a few levels; a body nesting arrays or
// objects deeper than this is refused before it is parsed.
inline constexpr int kMaxJsonDepth = 64;

// Parses `body` as JSON of at most kMaxJsonDepth levels; kInvalidArgument
// ("request body is not valid JSON", or names the depth limit) otherwise.
Result<nlohmann::json> ParseJson(const std::string& body);

// Parses and maps `body`; the error message names the offending field.
template <typename T>
Result<T> Decode(const std::string& body) {
  auto j = ParseJson(body);
  if (!j.ok()) return j.error();
  try {
    return j->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("request body: ") + e.what());
  }
}

// Never throws: bytes that are not UTF-8 (a request path echoed in an error,
// say) are written as U+FFFD.
template <typename T>
std::string Encode(const T& v) {
  nlohmann::json j = v;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace gleaner::api
