// Chaos: a job of thousands of short tasks while the server is SIGKILLed and
// restarted at random moments, agents are killed and restarted, and one
// agent's connection is cut by a proxy. At the end every task is done, every
// acknowledged submission is there, and the store passes its check (which
// includes: each done task has exactly one accepted, successful attempt).
//
// Short by default; GLEANER_CHAOS_LONG=1 runs the long version by hand:
//   GLEANER_CHAOS_LONG=1 ctest --test-dir build -L chaos --output-on-failure
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <random>

#include "harness.h"
#include "tcp_proxy.h"

namespace gleaner::testing {
namespace {

struct ChaosPlan {
  int jobs;
  int tasks_per_job;
  int rounds;
};

ChaosPlan Plan() {
  if (std::getenv("GLEANER_CHAOS_LONG")) return {6, 4000, 40};
  return {3, 700, 8};
}

TEST(Chaos, NothingAcceptedIsLostAndNothingIsAcceptedTwice) {
  const ChaosPlan plan = Plan();
  Grid grid({"--lease", "2s", "--poll", "100ms"});
  TcpProxy proxy(grid.port());
  std::string proxied = "http://127.0.0.1:" + std::to_string(proxy.port());
  grid.StartAgent("steady", 4);
  grid.StartAgent("flaky", 4, {}, proxied);
  grid.StartAgent("doomed", 4);

  std::mt19937 rng(std::random_device{}());
  auto pause = [&](int lo_ms, int hi_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(lo_ms, hi_ms)(rng)));
  };
  std::vector<std::string> acknowledged;
  int server_kills = 0, agent_kills = 0, refused_submits = 0;
  for (int round = 0; round < plan.rounds; ++round) {
    if (static_cast<int>(acknowledged.size()) < plan.jobs) {
      auto r = grid.Cli({"submit", "--name", "chaos", "-n", std::to_string(plan.tasks_per_job), "--max-retries", "50",
                         "--output", "out", "--", "sh", "-c", "echo {i} > out"});
      if (r.exit_code == 0) {
        acknowledged.push_back(r.out.substr(0, r.out.find('\n')));
      } else {
        refused_submits++;  // not acknowledged, so it need not exist
      }
    }
    pause(200, 1200);
    switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
      case 0:
        grid.KillServer(SIGKILL);
        pause(0, 800);
        grid.StartServer();
        server_kills++;
        break;
      case 1:
        grid.KillAgent("doomed", SIGKILL);
        pause(0, 800);
        grid.StartAgent("doomed", 4);
        agent_kills++;
        break;
      case 2:
        proxy.Cut(std::chrono::milliseconds(std::uniform_int_distribution<int>(500, 3000)(rng)));
        break;
    }
  }
  while (static_cast<int>(acknowledged.size()) < plan.jobs) {
    auto r = grid.Cli({"submit", "--name", "chaos", "-n", std::to_string(plan.tasks_per_job), "--max-retries", "50",
                       "--output", "out", "--", "sh", "-c", "echo {i} > out"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    acknowledged.push_back(r.out.substr(0, r.out.find('\n')));
  }

  int done = 0, attempts = 0;
  for (const auto& job : acknowledged) {
    auto wait = grid.Cli({"wait", job, "--timeout", "8m"}, std::chrono::minutes(9));
    ASSERT_EQ(wait.exit_code, 0) << "job " << job << ": " << wait.err;
    auto tasks = grid.Tasks(job);
    ASSERT_EQ(tasks.size(), static_cast<size_t>(plan.tasks_per_job)) << "acknowledged job " << job << " lost tasks";
    for (const auto& t : tasks) {
      EXPECT_EQ(t["state"], "done");
      ASSERT_EQ(t["outputs"].size(), 1u);
      done += t["state"] == "done";
      attempts += t["attempts"].get<int>();
    }
  }
  grid.KillServer(SIGTERM);
  auto check = grid.Cli({"check", "--data", grid.dir() / "data"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  std::cout << "chaos: " << acknowledged.size() << " jobs acknowledged (" << refused_submits
            << " submissions refused while the server was down), " << done << " tasks done in " << attempts
            << " attempts; " << server_kills << " server kills, " << agent_kills << " agent kills, " << proxy.cuts()
            << " connection cuts\n"
            << check.out;
}

}  // namespace
}  // namespace gleaner::testing
