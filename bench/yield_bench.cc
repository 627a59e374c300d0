// yield_bench: how long from the owner's activity becoming visible to the
// agent (a write to its --activity-file) until every process of a running
// task, forked children included, is stopped. Drives the agent's real path:
// ActivityFileSource -> OwnerMonitor -> OwnerGuard -> TaskControl -> freezer
// or stop signals. Prints one JSON line: {"method", "samples", "p50_ms", ...}.
//
//   build/gleaner-yield-bench [--method freezer|signals] [--samples 200]
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "agent/executor/posix/cgroup_subtree.h"
#include "agent/executor/posix/process_driver.h"
#include "agent/owner/linux/activity_file_source.h"
#include "agent/owner/owner_guard.h"
#include "agent/owner/owner_monitor.h"
#include "common/files.h"

namespace gleaner::agent {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  auto text = ReadFile(path);
  return text.ok() ? *text : "";
}

void SetOwner(const std::string& file, const char* state) {
  std::ofstream(file + ".new") << state << '\n';
  fs::rename(file + ".new", file);
}

// Every pid in state T (signals) or their cgroup frozen (freezer).
bool AllStopped(const std::vector<pid_t>& pids, const std::string& cgroup_events) {
  if (!cgroup_events.empty()) return Slurp(cgroup_events).find("frozen 1") != std::string::npos;
  for (pid_t pid : pids) {
    std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos || stat[close + 2] != 'T') return false;
  }
  return true;
}

std::string EventsFileOf(pid_t pid) {
  std::string cgroup = Slurp("/proc/" + std::to_string(pid) + "/cgroup");
  auto v2 = cgroup.find("0::");
  std::string path = cgroup.substr(v2 + 3, cgroup.find('\n', v2) - v2 - 3);
  for (const char* mount : {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    if (fs::exists(std::string(mount) + path + "/cgroup.events")) return std::string(mount) + path + "/cgroup.events";
  }
  return "";
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int Run(const std::string& method, int samples) {
  std::unique_ptr<CgroupSubtree> cgroups;
  if (method == "freezer") {
    auto opened = CgroupSubtree::Open();
    if (!opened.ok()) {
      std::fprintf(stderr, "yield_bench: %s\n", opened.error().message.c_str());
      return 1;
    }
    cgroups = std::move(*opened);
  }
  ProcessDriver driver(std::nullopt, std::move(cgroups));
  std::string dir = fs::temp_directory_path() / ("gleaner-yield-" + std::to_string(::getpid()));
  fs::create_directories(dir + "/work");
  std::string owner = dir + "/owner", pid_file = dir + "/work/pids";
  SetOwner(owner, "idle");

  OwnerGuard guard([] {});
  api::Policy policy;
  policy.start_after_ms = 0;
  policy.vacate_after_ms = 3'600'000;
  guard.SetPolicy(policy);
  auto source = ActivityFileSource::Open(owner);
  if (!source.ok()) return 1;
  std::vector<std::unique_ptr<ActivitySource>> sources;
  sources.push_back(std::move(*source));
  auto monitor = OwnerMonitor::Create(std::move(sources), [&](const OwnerView& v) { guard.Observe(v); });
  if (!monitor.ok()) return 1;
  (*monitor)->Start();

  TaskLaunch launch;
  launch.command = {"sh", "-c",
                    "for n in 1 2; do sh -c 'echo $$ >> pids; while :; do :; done' & done; "
                    "echo $$ >> pids; while :; do :; done"};
  launch.work_dir = dir + "/work";
  launch.env = {{"PATH", "/usr/bin:/bin"}};
  launch.stdout_path = dir + "/out";
  launch.stderr_path = dir + "/err";
  auto kill = KillSwitch::Create();
  TaskControl control(1);
  guard.Track(1, control, **kill);
  auto task = std::async(std::launch::async, [&] { return driver.Run(launch, **kill, control); });

  std::vector<pid_t> pids;
  for (auto until = Clock::now() + std::chrono::seconds(10); pids.size() < 3 && Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    pids.clear();
    std::istringstream in(Slurp(pid_file));
    for (pid_t p; in >> p;) pids.push_back(p);
  }
  std::string events = method == "freezer" && !pids.empty() ? EventsFileOf(pids[0]) : "";

  std::vector<double> ms;
  for (int i = 0; i < samples && pids.size() == 3; ++i) {
    auto start = Clock::now();
    SetOwner(owner, "active");
    // Polls without spinning: a spinning bench would take the CPU the
    // SCHED_IDLE task needs to reach its stop, and measure itself.
    while (!AllStopped(pids, events) && Clock::now() - start < std::chrono::seconds(2)) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    SetOwner(owner, "idle");
    while (AllStopped(pids, events) && Clock::now() - start < std::chrono::seconds(4)) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the task run again
  }
  (*kill)->Pull(KillCause::kCancelled, std::chrono::milliseconds(100));
  (void)control.Resume();
  task.wait();
  guard.Forget(1);
  (*monitor)->Stop();
  fs::remove_all(dir);
  if (ms.empty()) {
    std::fprintf(stderr, "yield_bench: the task did not start\n");
    return 1;
  }
  std::printf(R"({"method":"%s","samples":%zu,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f})" "\n",
              method.c_str(), ms.size(), Percentile(ms, 0.5), Percentile(ms, 0.9), Percentile(ms, 0.99),
              *std::max_element(ms.begin(), ms.end()));
  return 0;
}

}  // namespace
}  // namespace gleaner::agent

int main(int argc, char** argv) {
  CLI::App app("Owner-return-to-task-stopped latency of the agent");
  std::string method = "freezer";
  int samples = 200;
  app.add_option("--method", method, "freezer or signals")->check(CLI::IsMember({"freezer", "signals"}));
  app.add_option("--samples", samples, "how many owner returns to time");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);  // one JSON line, not a log line per owner return
  return gleaner::agent::Run(method, samples);
}
