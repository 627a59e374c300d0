// gleaner-loadgen: simulated agents for measuring the server, in one process
// and one thread over many connections. Prints one JSON line of results.
//   dispatch: agents finish zero-length tasks at once (durable tasks/s)
//   fleet:    many idle agents report once per period (cost of a large fleet)
#include <CLI/CLI.hpp>
#include <iostream>

#include "dispatch_mode.h"
#include "fleet_mode.h"

int main(int argc, char** argv) {
  gleaner::bench::Options opt;
  std::string mode = "dispatch";
  CLI::App app{"Simulated agents against a Gleaner server; prints one JSON line of results"};
  app.add_option("--mode", mode, "dispatch or fleet")->check(CLI::IsMember({"dispatch", "fleet"}))->capture_default_str();
  app.add_option("--server", opt.server, "Server URL")->required();
  app.add_option("--token", opt.token, "Admin token")->required();
  app.add_option("--server-pid", opt.server_pid, "Server process, to sample CPU and RSS");
  app.add_option("--agents", opt.agents, "Simulated agents")->capture_default_str();
  app.add_option("--slots", opt.slots, "dispatch: slots per agent, so tasks per report")->capture_default_str();
  app.add_option("--tasks", opt.tasks, "dispatch: tasks in the job")->capture_default_str();
  app.add_option("--jobs", opt.jobs, "dispatch: jobs the tasks are split over")->capture_default_str();
  app.add_option("--with-requirements", opt.with_requirements,
                 "dispatch: share of the jobs with requirements that half the agents (4G of memory) fail")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_flag("--connect-per-sync", opt.connect_per_sync, "dispatch: a new connection for every report");
  app.add_option("--hold", opt.hold, "fleet: agents that keep their connection open")->capture_default_str();
  app.add_option("--period", opt.period_s, "fleet: seconds between an agent's reports")->capture_default_str();
  app.add_option("--window", opt.window_s, "fleet: seconds measured, after one period of warm-up")->capture_default_str();
  app.add_option("--sources", opt.sources, "Loopback source addresses (127.0.0.1..) to spread connections over")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  auto result = mode == "fleet" ? gleaner::bench::RunFleet(opt) : gleaner::bench::RunDispatch(opt);
  if (!result.ok()) {
    std::cerr << "gleaner-loadgen: " << result.error().message << "\n";
    return 1;
  }
  std::cout << result->dump() << std::endl;
  return 0;
}
