// LogindSource asks systemd-logind over D-Bus whether the owner is idle
// (IdleHint, IdleSinceHint) and whether something holds an idle inhibitor (a
// video call, a presentation): "in use without input", which input sources
// cannot see. Built only where sd-bus (libsystemd) is available.
#pragma once

#include <memory>

#include "agent/owner/activity_source.h"

struct sd_bus;

namespace gleaner::agent {

class LogindSource : public ActivitySource {
 public:
  // `bus_address` empty: the system bus. kUnavailable where logind is not running.
  static Result<std::unique_ptr<LogindSource>> Open(const std::string& bus_address);
  ~LogindSource() override;

  std::string name() const override { return "systemd-logind idle hint and inhibitors"; }
  Result<ActivityReading> Read(int64_t now_ms) override;

 private:
  explicit LogindSource(sd_bus* bus) : bus_(bus) {}
  sd_bus* const bus_;
};

}  // namespace gleaner::agent
