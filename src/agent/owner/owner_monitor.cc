#include "agent/owner/owner_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"

namespace gleaner::agent {
namespace {

// Sources without a wake handle (X11, load, battery) are sampled this often; an
// X11 keystroke is therefore seen within a tick, the activity file at once.
constexpr Millis kTick{250};

}  // namespace

OwnerView Combine(const std::vector<ActivityReading>& readings) {
  OwnerView view;
  for (const auto& r : readings) {
    view.sensed = view.sensed || r.active_now || r.idle_since.has_value();
    view.active_now = view.active_now || r.active_now;
    if (r.idle_since) view.idle_since = std::max(view.idle_since.value_or(*r.idle_since), *r.idle_since);
    if (r.non_grid_load) view.non_grid_load = std::max(view.non_grid_load.value_or(0.0), *r.non_grid_load);
    view.on_battery = view.on_battery || r.on_battery.value_or(false);
  }
  return view;
}

Result<std::unique_ptr<OwnerMonitor>> OwnerMonitor::Create(std::vector<std::unique_ptr<ActivitySource>> sources,
                                                           Listener listener) {
  auto stop = WaitableEvent::Create();
  if (!stop.ok()) return stop.error();
  return std::unique_ptr<OwnerMonitor>(new OwnerMonitor(std::move(sources), std::move(listener), std::move(*stop)));
}

OwnerMonitor::~OwnerMonitor() { Stop(); }

void OwnerMonitor::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void OwnerMonitor::Stop() {
  stop_->Set();
  if (thread_.joinable()) thread_.join();
}

OwnerView OwnerMonitor::Sample() {
  std::vector<ActivityReading> readings;
  int64_t now = NowUnixMillis();
  for (auto& source : sources_) {
    auto reading = source->Read(now);
    if (reading.ok()) {
      readings.push_back(*reading);
    } else {
      spdlog::warn("{}: {}", source->name(), reading.error().message);
    }
  }
  return Combine(readings);
}

void OwnerMonitor::Loop() {
  std::vector<WaitHandle> handles{stop_->handle()};  // first: a stop wins over news
  for (const auto& source : sources_) {
    if (source->wake_handle().valid()) handles.push_back(source->wake_handle());
  }
  for (;;) {
    listener_(Sample());
    if (WaitForAny(handles, kTick) == 0) return;
  }
}

}  // namespace gleaner::agent
