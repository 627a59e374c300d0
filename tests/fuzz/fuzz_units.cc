// Fuzzes the human units the CLI reads (durations, sizes): parsing must not
// crash, and what parses formats back to text that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/units.h"

using namespace gleaner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto d = ParseDuration(text); d.ok()) {
    std::string spelled = FormatDuration(*d);
    auto again = ParseDuration(spelled);
    if (!again.ok() || *again != *d) {
      std::fprintf(stderr, "'%s' -> %s does not parse back\n", text.c_str(), spelled.c_str());
      std::abort();
    }
    (void)FormatDurationCoarse(*d);
  }
  if (auto s = ParseSize(text); s.ok()) (void)FormatSize(*s);
  return 0;
}
