// Test seams of the agent, set by test-only executables (tests/integration/
// lying_agent_main.cc) before the agent starts; `gleaner` itself never sets
// them, and no production code path reads the environment for them.
// Set once, before any agent thread exists; read-only afterwards.
#pragma once

#include <functional>
#include <string>

namespace gleaner::agent {

// Called with the stdout capture and each output file of every successful
// attempt just before they are uploaded, e.g. to make the agent lie.
using ResultHook = std::function<void(const std::string& path)>;

void SetResultHookForTests(ResultHook hook);
const ResultHook& ResultHookForTests();

}  // namespace gleaner::agent
