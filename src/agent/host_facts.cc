#include "agent/host_facts.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <sstream>
#include <thread>

#include "common/files.h"

namespace gleaner::agent {

std::string PrettyNameFromOsRelease(const std::string& os_release) {
  std::istringstream lines(os_release);
  const std::string key = "PRETTY_NAME=";
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(key)) continue;
    std::string value = line.substr(key.size());
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return "";
}

api::HostFacts CollectHostFacts() {
  api::HostFacts facts;
  char hostname[256] = {};
  ::gethostname(hostname, sizeof hostname - 1);
  facts.hostname = hostname;
  utsname uts{};
  ::uname(&uts);
  facts.arch = uts.machine;
  for (const char* c = uts.sysname; *c; ++c) facts.platform += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  auto os_release = ReadFile("/etc/os-release");
  if (os_release.ok()) facts.os = PrettyNameFromOsRelease(*os_release);
  if (facts.os.empty()) facts.os = std::string(uts.sysname) + " " + uts.release;
  facts.cores = std::thread::hardware_concurrency();
  facts.memory = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  facts.agent_version = GLEANER_VERSION;
  return facts;
}

}  // namespace gleaner::agent
