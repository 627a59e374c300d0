#include "agent/owner/owner_monitor.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/clock.h"

namespace gleaner::agent {
namespace {

// Sources without a wake fd (X11, load, battery) are sampled this often; an
// X11 keystroke is therefore seen within a tick, the activity file at once.
constexpr int kTickMs = 250;

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
  UniqueFd stop(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop.valid()) return Internal(std::string("cannot create an eventfd: ") + std::strerror(errno));
  return std::unique_ptr<OwnerMonitor>(new OwnerMonitor(std::move(sources), std::move(listener), std::move(stop)));
}

OwnerMonitor::~OwnerMonitor() { Stop(); }

void OwnerMonitor::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void OwnerMonitor::Stop() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(stop_.get(), &one, sizeof one);
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
  std::vector<pollfd> fds{{stop_.get(), POLLIN, 0}};
  for (const auto& source : sources_) {
    if (source->wake_fd() >= 0) fds.push_back({source->wake_fd(), POLLIN, 0});
  }
  for (;;) {
    listener_(Sample());
    ::poll(fds.data(), fds.size(), kTickMs);
    if (fds[0].revents != 0) return;
  }
}

}  // namespace gleaner::agent
