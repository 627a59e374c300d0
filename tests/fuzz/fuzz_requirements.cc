// Fuzzes the requirements language (api/requirements.h): parsing any text
// must not crash; what parses evaluates against a host without crashing; and
// printing it gives text that parses to the same expression (prints the same).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "api/requirements.h"

using namespace gleaner;
using namespace gleaner::api;

namespace {

void CheckRoundTrip(const Result<Expression>& e, Result<Expression> (*parse)(const std::string&),
                    const std::string& text) {
  if (!e.ok()) return;
  static const HostFacts facts = [] {
    HostFacts f;
    f.hostname = "pc1";
    f.platform = "linux";
    f.arch = "x86_64";
    f.cores = 8;
    f.memory = int64_t{16} << 30;
    f.agent_version = "0.10.2";
    f.sandbox = "bubblewrap";
    return f;
  }();
  static const std::map<std::string, std::string> labels{{"site", "lab3"}, {"a", "1.2"}};
  MatchFacts host(facts, labels);
  bool matches = e->Matches(host);
  int64_t rank = e->Rank(host);
  for (size_t i = 0; i < e->Clauses().size(); ++i) (void)e->ClauseMatches(i, host);
  std::string printed = e->ToString();
  auto again = parse(printed);
  if (!again.ok() || again->ToString() != printed || again->Matches(host) != matches || again->Rank(host) != rank) {
    std::fprintf(stderr, "'%s' printed as '%s' does not parse back the same: %s\n", text.c_str(), printed.c_str(),
                 again.ok() ? again->ToString().c_str() : again.error().message.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  CheckRoundTrip(Expression::ParseRequirements(text), &Expression::ParseRequirements, text);
  CheckRoundTrip(Expression::ParseRank(text), &Expression::ParseRank, text);
  return 0;
}
