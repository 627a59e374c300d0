#include "agent/owner/linux/cpu_load_source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gleaner::agent {
namespace {

constexpr size_t kWindow = 3;            // samples averaged over
constexpr int64_t kSampleEveryMs = 2'000;  // load is a trend; the owner's return is seen by other sources
constexpr int kSchedIdle = 5;  // SCHED_IDLE in /proc/PID/stat field 41

std::optional<std::pair<int64_t, int64_t>> ReadProcStat() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  int64_t user, nice, system, idle, iowait, irq, softirq, steal;
  if (!(in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || cpu != "cpu") {
    return std::nullopt;
  }
  int64_t busy = user + nice + system + irq + softirq + steal;
  return std::pair(busy + idle + iowait, busy);
}

// utime + stime of every SCHED_IDLE process now alive.
int64_t GridJiffies() {
  int64_t sum = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    // The command (field 2) may hold spaces; the fields after it do not.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    int64_t utime = 0, stime = 0;
    int policy = 0;
    for (int i = 3; fields >> field && i <= 41; ++i) {
      if (i == 14) utime = std::stoll(field);
      if (i == 15) stime = std::stoll(field);
      if (i == 41) policy = std::stoi(field);
    }
    if (policy == kSchedIdle) sum += utime + stime;
  }
  return sum;
}

}  // namespace

Result<ActivityReading> CpuLoadSource::Read(int64_t now_ms) {
  if (!samples_.empty() && now_ms - sampled_at_ms_ < kSampleEveryMs) return last_reading_;
  sampled_at_ms_ = now_ms;
  auto stat = ReadProcStat();
  if (!stat) return Internal("cannot read /proc/stat");
  samples_.push_back({stat->first, stat->second, GridJiffies()});
  if (samples_.size() > kWindow) samples_.pop_front();
  ActivityReading reading;
  const Sample &first = samples_.front(), &last = samples_.back();
  int64_t total = last.total - first.total;
  if (total <= 0) return reading;
  // Grid processes that exited between samples take their jiffies with them,
  // so the grid delta can be short; never report less than zero.
  int64_t non_grid = std::max<int64_t>(0, (last.busy - first.busy) - std::max<int64_t>(0, last.grid - first.grid));
  reading.non_grid_load = std::min(1.0, static_cast<double>(non_grid) / static_cast<double>(total));
  last_reading_ = reading;
  return reading;
}

}  // namespace gleaner::agent
