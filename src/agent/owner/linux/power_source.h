// PowerSource says whether the host runs on battery, from
// /sys/class/power_supply: a battery discharging, or mains adapters all offline.
#pragma once

#include <memory>

#include "agent/owner/activity_source.h"

namespace gleaner::agent {

class PowerSource : public ActivitySource {
 public:
  // kUnavailable on hosts without a battery, which never run on one.
  static Result<std::unique_ptr<PowerSource>> Open(const std::string& sysfs_dir = "/sys/class/power_supply");

  std::string name() const override { return "battery (" + dir_ + ")"; }
  Result<ActivityReading> Read(int64_t now_ms) override;

 private:
  explicit PowerSource(std::string dir) : dir_(std::move(dir)) {}
  const std::string dir_;
};

}  // namespace gleaner::agent
