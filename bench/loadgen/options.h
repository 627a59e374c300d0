// The load generator's settings, shared by its modes (see main.cc for the
// flags that set them).
#pragma once

#include <cstdint>
#include <string>

namespace gleaner::bench {

struct Options {
  std::string server;
  std::string token;  // admin
  int server_pid = 0;  // sampled for CPU and RSS when set
  int agents = 100;
  int slots = 64;  // per agent; in dispatch mode the most tasks one report carries
  bool connect_per_sync = false;
  int sources = 1;  // loopback source addresses 127.0.0.1.. to spread connections over
  // dispatch mode
  int64_t tasks = 100'000;
  int64_t jobs = 1;                 // the tasks split over this many jobs
  double with_requirements = 0;     // the share of those jobs with requirements half the agents fail
  // fleet mode
  int hold = 0;  // agents that keep their connection open between reports
  double period_s = 30;
  double window_s = 30;  // measured after one full period of warm-up
};

}  // namespace gleaner::bench
