#include "agent/owner/linux/power_source.h"

#include <filesystem>

#include "common/files.h"

namespace gleaner::agent {
namespace {

std::string Attribute(const std::filesystem::path& supply, const char* name) {
  auto text = ReadFile((supply / name).string());
  if (!text.ok()) return "";
  return text->substr(0, text->find('\n'));
}

}  // namespace

Result<std::unique_ptr<PowerSource>> PowerSource::Open(const std::string& sysfs_dir) {
  std::error_code ec;
  for (const auto& supply : std::filesystem::directory_iterator(sysfs_dir, ec)) {
    if (Attribute(supply.path(), "type") == "Battery") return std::unique_ptr<PowerSource>(new PowerSource(sysfs_dir));
  }
  return Unavailable("no battery under " + sysfs_dir);
}

Result<ActivityReading> PowerSource::Read(int64_t) {
  bool discharging = false, mains = false, mains_online = false;
  std::error_code ec;
  for (const auto& supply : std::filesystem::directory_iterator(dir_, ec)) {
    std::string type = Attribute(supply.path(), "type");
    if (type == "Battery" && Attribute(supply.path(), "status") == "Discharging") discharging = true;
    if (type == "Mains") {
      mains = true;
      mains_online = mains_online || Attribute(supply.path(), "online") == "1";
    }
  }
  ActivityReading reading;
  reading.on_battery = discharging || (mains && !mains_online);
  return reading;
}

}  // namespace gleaner::agent
