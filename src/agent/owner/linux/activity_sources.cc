#include "agent/owner/activity_sources.h"

#include <spdlog/spdlog.h>

#include "agent/owner/linux/activity_file_source.h"
#include "agent/owner/linux/cpu_load_source.h"
#include "agent/owner/linux/input_devices_source.h"
#ifdef GLEANER_HAVE_SDBUS
#include "agent/owner/linux/logind_source.h"
#endif
#include "agent/owner/linux/power_source.h"
#include "agent/owner/linux/x11_idle_source.h"

namespace gleaner::agent {
namespace {

template <typename Source>
void AddIfPresent(Result<std::unique_ptr<Source>> opened, const char* what,
                  std::vector<std::unique_ptr<ActivitySource>>& sources) {
  if (opened.ok()) {
    sources.push_back(std::move(*opened));
  } else {
    spdlog::info("owner activity: no {} ({})", what, opened.error().message);
  }
}

}  // namespace

Result<std::vector<std::unique_ptr<ActivitySource>>> OpenActivitySources(const SourceOptions& options) {
  std::vector<std::unique_ptr<ActivitySource>> sources;
  if (!options.activity_file.empty()) {
    auto file = ActivityFileSource::Open(options.activity_file);
    if (!file.ok()) return file.error();
    sources.push_back(std::move(*file));
  }
  if (!options.display.empty()) AddIfPresent(X11IdleSource::Open(options.display), "X11 idle time", sources);
#ifdef GLEANER_HAVE_SDBUS
  AddIfPresent(LogindSource::Open(options.logind_bus), "systemd-logind", sources);
#endif
  AddIfPresent(InputDevicesSource::Open(), "input devices", sources);
  AddIfPresent(PowerSource::Open(), "battery", sources);
  sources.push_back(std::make_unique<CpuLoadSource>());
  for (const auto& source : sources) spdlog::info("owner activity: watching {}", source->name());
  return sources;
}

}  // namespace gleaner::agent
