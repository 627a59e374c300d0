// X11IdleSource asks the X server how long since the owner's last input
// (XScreenSaverQueryInfo). libX11 and libXss are loaded at run time with
// dlopen, so a headless host needs no X libraries.
#pragma once

#include <memory>

#include "agent/owner/activity_source.h"

namespace gleaner::agent {

class X11IdleSource : public ActivitySource {
 public:
  // kUnavailable, saying why, when the libraries or the display are missing.
  static Result<std::unique_ptr<X11IdleSource>> Open(const std::string& display);
  ~X11IdleSource() override;

  std::string name() const override { return "X11 idle time on " + display_; }
  Result<ActivityReading> Read(int64_t now_ms) override;

 private:
  struct Library;
  X11IdleSource(std::string display, std::unique_ptr<Library> lib);

  const std::string display_;
  const std::unique_ptr<Library> lib_;
};

}  // namespace gleaner::agent
