// Opens every activity source this host offers: X11 when a display is
// reachable, systemd-logind when it runs (and the agent was built with
// sd-bus), /dev/input when readable, battery when there is one, non-grid CPU
// load always, and the activity file when asked for. Missing sources are
// logged and skipped; only a bad --activity-file is an error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/owner/activity_source.h"

namespace gleaner::agent {

struct SourceOptions {
  std::string activity_file;  // empty: none
  std::string display;        // X11 display; empty: none
  std::string logind_bus;     // D-Bus address where logind answers; empty: the system bus
};

Result<std::vector<std::unique_ptr<ActivitySource>>> OpenActivitySources(const SourceOptions& options);

}  // namespace gleaner::agent
