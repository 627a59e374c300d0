// An ActivitySource senses one sign of the desktop's owner: input (X11,
// /dev/input), "in use" flags (the activity file), CPU load that is not grid
// work, battery power. Several run at once and OwnerMonitor combines their
// readings. Read() and wake_handle() are used from the monitor's thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "agent/executor/waitable_event.h"
#include "common/status.h"

namespace gleaner::agent {

// What one source can tell; fields it cannot tell stay unset.
struct ActivityReading {
  bool active_now = false;
  std::optional<int64_t> idle_since;  // Unix ms of the owner's latest activity
  std::optional<double> non_grid_load;
  std::optional<bool> on_battery;
};

class ActivitySource {
 public:
  virtual ~ActivitySource() = default;
  virtual std::string name() const = 0;
  virtual Result<ActivityReading> Read(int64_t now_ms) = 0;
  // Signalled when the source has news, so the monitor reacts at once rather
  // than at its next tick; invalid for sources that are only sampled.
  virtual WaitHandle wake_handle() const { return {}; }
};

}  // namespace gleaner::agent
