#include "agent/owner/linux/input_devices_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace gleaner::agent {

Result<std::unique_ptr<InputDevicesSource>> InputDevicesSource::Open(const std::string& dir) {
  std::vector<std::string> devices;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string path = entry.path().string();
    if (entry.path().filename().string().rfind("event", 0) == 0 && ::access(path.c_str(), R_OK) == 0) {
      devices.push_back(path);
    }
  }
  if (devices.empty()) return Unavailable("no readable " + dir + "/event*");
  return std::unique_ptr<InputDevicesSource>(new InputDevicesSource(dir, std::move(devices)));
}

Result<ActivityReading> InputDevicesSource::Read(int64_t) {
  int64_t latest = 0;
  for (const auto& device : devices_) {
    struct stat st {};
    if (::stat(device.c_str(), &st) != 0) continue;
    latest = std::max<int64_t>(latest, int64_t{st.st_atim.tv_sec} * 1000 + st.st_atim.tv_nsec / 1'000'000);
  }
  ActivityReading reading;
  if (latest > 0) reading.idle_since = latest;
  return reading;
}

}  // namespace gleaner::agent
