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
GLEANER_API_JSON(Completion)
GLEANER_API_JSON(SyncRequest)
GLEANER_API_JSON(SyncResponse)
GLEANER_API_JSON(SubmitResponse)
GLEANER_API_JSON(TokenCreateRequest)
GLEANER_API_JSON(TokenCreateResponse)
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

// Parses and maps `body`; the error message names the offending field.
template <typename T>
Result<T> Decode(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("request body is not valid JSON");
  try {
    return j.get<T>();
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("request body: ") + e.what());
  }
}

template <typename T>
std::string Encode(const T& v) {
  nlohmann::json j = v;
  return j.dump();
}

}  // namespace gleaner::api
