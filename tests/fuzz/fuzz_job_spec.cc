// Fuzzes job specs as the server receives them: decode, validate, and for a
// valid spec expand the command of its first and last task. A spec that
// passes validation must keep every file name and output pattern inside the
// task's directory.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "api/job_spec.h"
#include "api/json.h"

namespace {

using namespace gleaner::api;

void Check(bool ok, const char* what, const std::string& value) {
  if (ok) return;
  std::fprintf(stderr, "%s: '%s'\n", what, value.c_str());
  std::abort();
}

// What IsSafeRelativePath promises, checked the long way round.
void CheckStaysInside(const std::string& path) {
  Check(!path.empty() && path.front() != '/', "accepted an absolute or empty path", path);
  Check(path.find('\0') == std::string::npos, "accepted a path with NUL", path);
  auto normal = std::filesystem::path("/work") / path;
  auto rel = normal.lexically_normal().lexically_relative("/work");
  Check(!rel.empty() && *rel.begin() != "..", "accepted a path leaving its directory", path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto spec = Decode<JobSpec>(body);
  if (!spec.ok()) {
    // Not a JSON job spec: still a path to judge.
    if (IsSafeRelativePath(body)) CheckStaysInside(body);
    return 0;
  }
  if (!ValidateJobSpec(*spec).ok()) return 0;
  for (const auto& in : spec->inputs) CheckStaysInside(in.name);
  for (const auto& out : spec->outputs) CheckStaysInside(out);
  for (int64_t index : {int64_t{0}, spec->count - 1}) {
    auto command = ExpandCommand(spec->command, index, spec->count);
    Check(command.size() == spec->command.size(), "expansion changed the argument count", body);
  }
  return 0;
}
