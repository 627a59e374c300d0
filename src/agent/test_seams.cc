#include "agent/test_seams.h"

namespace gleaner::agent {

namespace {
ResultHook& Hook() {
  static ResultHook hook;
  return hook;
}
}  // namespace

void SetResultHookForTests(ResultHook hook) { Hook() = std::move(hook); }
const ResultHook& ResultHookForTests() { return Hook(); }

}  // namespace gleaner::agent
