// InputDevicesSource reads the owner's latest input from the access times of
// /dev/input/event* (the kernel updates them as the display server reads
// events), for consoles and Wayland sessions that X11 cannot see.
#pragma once

#include <memory>
#include <vector>

#include "agent/owner/activity_source.h"

namespace gleaner::agent {

class InputDevicesSource : public ActivitySource {
 public:
  // kUnavailable where there is no readable /dev/input/event*.
  static Result<std::unique_ptr<InputDevicesSource>> Open(const std::string& dir = "/dev/input");

  std::string name() const override { return "input devices (" + dir_ + ")"; }
  Result<ActivityReading> Read(int64_t now_ms) override;

 private:
  InputDevicesSource(std::string dir, std::vector<std::string> devices)
      : dir_(std::move(dir)), devices_(std::move(devices)) {}

  const std::string dir_;
  const std::vector<std::string> devices_;
};

}  // namespace gleaner::agent
