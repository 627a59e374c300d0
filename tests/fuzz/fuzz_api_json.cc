// Fuzzes the JSON decoding of every /api/v1 wire type (each GLEANER_API_JSON
// of api/json.h is listed in WireTypes): the first byte picks the type, the
// rest is the body. Decode must never crash or throw; what it
// accepts must encode, decode again, and encode to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <tuple>

#include "api/json.h"

namespace {

using namespace gleaner::api;

using WireTypes =
    std::tuple<FileRef, JobSpec, TaskCounts, JobView, AttemptEvent, TaskView, HostActivity, Policy, PolicyView,
               HostFacts, HostView, EnrollRequest, EnrollResponse, Assignment, Completion, SyncRequest, SyncResponse,
               SubmitResponse, TokenCreateRequest, TokenCreateResponse, JobList, TaskList, HostList, BackupRequest,
               BackupResponse, ErrorBody, WhoAmI, UsageLine, UsageReport, StatsSample, StatsHistory,
               // New types go at the end, so the seeds' first bytes keep their meaning.
               CheckpointReport, TokenView, TokenList, AuditEvent, AuditList>;

template <typename T>
void RoundTrip(const std::string& body) {
  auto first = Decode<T>(body);
  if (!first.ok()) return;
  std::string once = Encode(*first);
  auto second = Decode<T>(once);
  if (!second.ok()) {
    std::fprintf(stderr, "accepted %s\nbut not its own encoding %s: %s\n", body.c_str(), once.c_str(),
                 second.error().message.c_str());
    std::abort();
  }
  std::string twice = Encode(*second);
  if (once != twice) {
    std::fprintf(stderr, "encoding is not stable:\n%s\n%s\n", once.c_str(), twice.c_str());
    std::abort();
  }
}

template <size_t... I>
void Dispatch(size_t which, const std::string& body, std::index_sequence<I...>) {
  ((which == I ? RoundTrip<std::tuple_element_t<I, WireTypes>>(body) : void()), ...);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr size_t kTypes = std::tuple_size_v<WireTypes>;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  Dispatch(data[0] % kTypes, body, std::make_index_sequence<kTypes>{});
  return 0;
}
