// The plain process driver for the suites that run once per way of pausing a
// task: with a cgroup subtree of its own (the freezer), or without (signals).
#pragma once

#include <memory>
#include <optional>

#include "agent/executor/posix/cgroup_subtree.h"
#include "agent/executor/posix/process_driver.h"
#include "common/status.h"

namespace gleaner::agent::testing {

// kUnavailable, for the suite to skip, where no writable cgroup v2 exists.
inline Result<std::unique_ptr<ProcessDriver>> DriverForSuite(bool with_cgroups) {
  std::unique_ptr<CgroupSubtree> cgroups;
  if (with_cgroups) {
    auto opened = CgroupSubtree::Open();
    if (!opened.ok()) return Unavailable("no writable cgroup v2 here: " + opened.error().message);
    cgroups = std::move(*opened);
  }
  return std::make_unique<ProcessDriver>(std::nullopt, std::move(cgroups));
}

}  // namespace gleaner::agent::testing
