#include "agent/executor/posix/sandbox_probe.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "agent/executor/posix/process_driver.h"
#include "common/files.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

}  // namespace

Status ProbeSandbox(const std::string& bwrap, const std::optional<TaskUser>& task_user,
                    const std::string& scratch_dir) {
  if (::access(bwrap.c_str(), X_OK) != 0) {
    return Unavailable("bwrap missing: " + bwrap + ": " + std::strerror(errno));
  }
  std::error_code ec;
  fs::remove_all(scratch_dir, ec);
  fs::create_directories(scratch_dir + "/work", ec);
  if (ec) return Internal("cannot create '" + scratch_dir + "': " + ec.message());

  ProcessDriver driver(task_user, nullptr, SandboxConfig{SandboxMode::kBubblewrap, bwrap, ""});
  TaskLaunch launch;
  launch.command = {"true"};
  launch.work_dir = scratch_dir + "/work";
  launch.env = {{"PATH", "/usr/bin:/bin"}};
  launch.stdout_path = scratch_dir + "/stdout";
  launch.stderr_path = scratch_dir + "/stderr";
  launch.timeout = Millis(std::chrono::seconds(60));
  auto kill = KillSwitch::Create();
  if (!kill.ok()) return kill.error();
  TaskControl control(0);
  auto exit = driver.Run(launch, **kill, control);
  auto stderr_text = ReadFile(launch.stderr_path);
  fs::remove_all(scratch_dir, ec);
  if (!exit.ok()) return Unavailable("bwrap fails: " + exit.error().message);
  if (exit->exit_code == 0) return OkStatus();
  std::string said = stderr_text.ok() ? FirstLine(*stderr_text) : "";
  if (said.empty()) {
    said = exit->exit_code ? "exit code " + std::to_string(*exit->exit_code)
                           : "signal " + std::to_string(exit->signal.value_or(0));
  }
  return Unavailable("bwrap fails: " + said);
}

}  // namespace gleaner::agent
