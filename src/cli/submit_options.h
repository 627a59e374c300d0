// The flags of `gleaner submit` and the job spec they describe. Building the
// spec is pure and checks everything but the input files, so a bad flag is
// reported before anything is uploaded.
#pragma once

#include <string>
#include <vector>

#include "api/types.h"
#include "cli/client_options.h"
#include "common/status.h"

namespace CLI {
class App;
}

namespace gleaner::cli {

struct SubmitOptions {
  ClientOptions client;
  std::string name;
  int64_t count = 1;
  std::vector<std::string> inputs;   // local paths
  std::vector<std::string> outputs;  // globs
  int64_t cpus = 1;
  std::string memory;   // as typed, e.g. "2G"
  int64_t max_retries = api::JobSpec().max_retries;
  std::string timeout;  // as typed, e.g. "5m"
  std::string deadline;  // as typed, e.g. "12h"
  int64_t priority = 0;
  std::vector<std::string> env;  // NAME=VALUE
  bool network = false;          // tasks may use the network
  int64_t replicas = 1;          // result validation (docs/validation.md)
  int64_t quorum = 0;            // 0: a majority of replicas
  bool no_adaptive = false;
  double tolerance = 0;          // fuzzy comparison of replicas' outputs; 0: equal bytes
  double abs_tolerance = 0;
  std::string validator;         // a validator program the server's admin installed
  std::string requirements;      // an expression over host facts (docs/scheduling.md)
  std::string rank;              // an expression ranking the hosts that meet them
  std::vector<std::string> command;
};

// Registers the flags and the command (everything after `--`) on `command`.
void AddSubmitOptions(CLI::App& command, SubmitOptions& options);

// The spec without its inputs, validated; errors say which flag to fix. The
// name defaults to the command's file name.
Result<api::JobSpec> BuildJobSpec(const SubmitOptions& options);

}  // namespace gleaner::cli
