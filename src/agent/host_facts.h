// The facts an agent reports about its host when it enrols: what the scheduler
// matches jobs against and what administrators see. Thread-safe.
#pragma once

#include <string>

#include "api/types.h"

namespace gleaner::agent {

api::HostFacts CollectHostFacts();

// PRETTY_NAME from the text of /etc/os-release, or "" when absent.
std::string PrettyNameFromOsRelease(const std::string& os_release);

}  // namespace gleaner::agent
