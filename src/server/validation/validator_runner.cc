#include "server/validation/validator_runner.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "agent/executor/kill_switch.h"
#include "agent/executor/posix/sandbox_probe.h"
#include "agent/executor/task_control.h"
#include "api/job_spec.h"
#include "common/files.h"

namespace gleaner::server {

namespace fs = std::filesystem;

namespace {

constexpr auto kValidatorTimeout = std::chrono::seconds(60);
constexpr int64_t kValidatorSlots = 4;  // sizes RLIMIT_NPROC for the validator's processes

std::string FirstLineOf(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return "";
  std::string line = text->substr(0, text->find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// Copies one result's files into `dir`: stdout, and each output under its
// name. An output name that would leave `dir` is refused: it came from an
// agent, and a dishonest one could aim it anywhere.
Status Materialize(const BlobStore& blobs, const TaskOutcome& result, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir + ": " + ec.message());
  auto place = [&](const std::string& name, const std::string& sha256) -> Status {
    if (std::string why = api::WhyUnsafePath(name); !why.empty()) {
      return InvalidArgument("output name '" + name + "' is not a safe relative path: " + why);
    }
    fs::path to = fs::path(dir) / name;
    fs::create_directories(to.parent_path(), ec);
    fs::copy_file(blobs.PathOf(sha256), to, fs::copy_options::overwrite_existing, ec);
    if (ec) return NotFound("output " + name + " cannot be read on the server: " + ec.message());
    return OkStatus();
  };
  if (result.stdout_ref) GLEANER_RETURN_IF_ERROR(place("stdout", result.stdout_ref->sha256));
  for (const auto& f : result.outputs) GLEANER_RETURN_IF_ERROR(place(f.name, f.sha256));
  return OkStatus();
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseValidatorFlag(const std::string& flag) {
  auto eq = flag.find('=');
  if (eq == std::string::npos) {
    return InvalidArgument("--validator '" + flag + "' must be NAME=PATH, e.g. --validator energy=/usr/local/bin/cmp-energy");
  }
  std::string name = flag.substr(0, eq), path = flag.substr(eq + 1);
  if (!api::IsValidatorName(name)) {
    return InvalidArgument("--validator: name '" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
  }
  if (path.empty() || path.front() != '/') {
    return InvalidArgument("--validator " + name + ": '" + path + "' must be an absolute path");
  }
  if (!fs::is_regular_file(path) || ::access(path.c_str(), X_OK) != 0) {
    return InvalidArgument("--validator " + name + ": '" + path + "' is not an executable file");
  }
  return std::pair{name, path};
}

Result<std::unique_ptr<ValidatorRunner>> ValidatorRunner::Create(std::map<std::string, std::string> programs,
                                                                 const std::string& scratch_parent,
                                                                 const std::string& task_user,
                                                                 const std::string& bwrap) {
  auto user = agent::ResolveTaskUser(task_user);
  if (!user.ok()) return user.error();
  std::string pattern = scratch_parent + "/gleaner-validators-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Internal("cannot create a directory for validators in " + scratch_parent + ": " + std::strerror(errno));
  }
  fs::permissions(pattern, fs::perms::owner_all | fs::perms::others_exec | fs::perms::group_exec);
  Status works = agent::ProbeSandbox(bwrap, *user, pattern + "/probe");
  if (!works.ok()) {
    fs::remove_all(pattern);
    return Unavailable("validators run only inside the bubblewrap sandbox, and it does not work here: " +
                       works.message() + " (apt-get install bubblewrap)");
  }
  return std::unique_ptr<ValidatorRunner>(new ValidatorRunner(
      std::move(programs), pattern, *user, agent::SandboxConfig{agent::SandboxMode::kBubblewrap, bwrap, ""}));
}

ValidatorRunner::ValidatorRunner(std::map<std::string, std::string> programs, std::string scratch,
                                 std::optional<agent::TaskUser> user, agent::SandboxConfig sandbox)
    : programs_(std::move(programs)),
      scratch_(std::move(scratch)),
      driver_(std::make_unique<agent::ProcessDriver>(user, nullptr, sandbox, kValidatorSlots)) {}

ValidatorRunner::~ValidatorRunner() {
  std::error_code ec;
  fs::remove_all(scratch_, ec);
}

std::set<std::string> ValidatorRunner::names() const {
  std::set<std::string> names;
  for (const auto& [name, path] : programs_) names.insert(name);
  return names;
}

std::string ValidatorRunner::Difference(const std::string& name, const BlobStore& blobs, const TaskOutcome& a,
                                        const TaskOutcome& b) const {
  auto program = programs_.find(name);
  if (program == programs_.end()) return "validator " + name + " is not configured on this server any more";
  std::string run = scratch_ + "/run-XXXXXX";
  if (::mkdtemp(run.data()) == nullptr) return "validator " + name + " could not run: no scratch directory";
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
      fs::remove(dir + ".out", ec);
      fs::remove(dir + ".err", ec);
    }
  } cleanup{run};
  fs::permissions(run, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  for (auto [result, side] : {std::pair{&a, "a"}, std::pair{&b, "b"}}) {
    Status placed = Materialize(blobs, *result, run + "/" + side);
    if (!placed.ok()) return placed.message();
  }
  std::error_code ec;
  fs::copy_file(program->second, run + "/validator", ec);
  if (ec) return "validator " + name + " could not be read: " + ec.message();
  fs::permissions(run + "/validator", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                          fs::perms::others_read | fs::perms::others_exec);

  agent::TaskLaunch launch;
  launch.command = {"./validator", "a", "b"};
  launch.work_dir = run;
  launch.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", run}, {"LANG", "C.UTF-8"}};
  launch.stdout_path = run + ".out";
  launch.stderr_path = run + ".err";
  launch.output_cap = 64 << 10;
  launch.timeout = Millis(kValidatorTimeout);
  auto kill = agent::KillSwitch::Create();
  if (!kill.ok()) return "validator " + name + " could not run: " + kill.error().message;
  agent::TaskControl control(0);
  auto exit = driver_->Run(launch, **kill, control);
  if (!exit.ok()) return "validator " + name + " could not run: " + exit.error().message;
  if (exit->exit_code == 0 && exit->stopped_because.empty()) return "";
  if (exit->exit_code == 1 && exit->stopped_because.empty()) {
    std::string said = FirstLineOf(launch.stdout_path);
    return "validator " + name + ": " + (said.empty() ? "the results differ" : said);
  }
  std::string how = !exit->stopped_because.empty() ? exit->stopped_because
                    : exit->exit_code              ? "exit code " + std::to_string(*exit->exit_code)
                                                   : "signal " + std::to_string(exit->signal.value_or(0));
  std::string said = FirstLineOf(launch.stderr_path);
  spdlog::warn("validator {} ({}) failed: {}{}", name, program->second, how, said.empty() ? "" : ": " + said);
  return "validator " + name + " failed (" + how + (said.empty() ? "" : ": " + said) +
         "), so the results count as disagreeing";
}

}  // namespace gleaner::server
