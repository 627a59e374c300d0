// Fuzzes owner policies: the weekly window parser on raw text, and whole
// policies as PUT /api/v1/policy receives them. A window that parses and
// opens at all must report a next opening that is open.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/json.h"
#include "api/policy_spec.h"

using namespace gleaner::api;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto window = WeekWindow::Parse(text); window.ok() && !window->NeverOpens()) {
    for (int minute : {0, 1439, 5000, kMinutesPerWeek - 1}) {
      auto next = window->NextOpening(minute);
      if (!next || *next < 0 || *next >= kMinutesPerWeek || !window->OpenAt(*next)) std::abort();
      if (FormatMinuteOfWeek(*next).empty()) std::abort();
    }
  }
  if (auto policy = Decode<Policy>(text); policy.ok()) (void)ValidatePolicy(*policy);
  return 0;
}
