// Validators (docs/validation.md): programs an admin installs on the server
// (`gleaner server --validator NAME=PATH`) to decide whether two replicas'
// results agree when neither equal bytes nor a numeric tolerance will do.
// Submitters choose one by name (`submit --validator NAME`) and never supply
// one, so no submitter's code runs on the server.
//
// Each comparison copies the two results into a fresh directory as a/ and b/
// (`stdout` and every output under its name) next to a copy of the program,
// and runs `./validator a b` there inside bubblewrap as the task user: the
// system read-only, no network, idle priority, rlimits, 60 s at most. Exit 0:
// they agree; exit 1: they do not, and the first line of stdout says how;
// anything else is the validator's own failure, which counts as disagreement
// (a result is never accepted on a broken validator's word). Blocking;
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agent/executor/posix/process_driver.h"
#include "common/status.h"
#include "server/blobs/blob_store.h"
#include "server/store/records.h"

namespace gleaner::server {

// "NAME=PATH" from the command line: NAME of letters, digits, '.', '_', '-'
// (at most 64), PATH an absolute path to an executable file.
Result<std::pair<std::string, std::string>> ParseValidatorFlag(const std::string& flag);

class ValidatorRunner {
 public:
  // Probes the sandbox as validators will use it; refuses to go on without
  // one. `scratch_parent` gets a private directory, removed on destruction.
  static Result<std::unique_ptr<ValidatorRunner>> Create(std::map<std::string, std::string> programs,
                                                         const std::string& scratch_parent,
                                                         const std::string& task_user, const std::string& bwrap);
  ~ValidatorRunner();

  std::set<std::string> names() const;
  // "" when validator `name` says the results agree; otherwise how they differ.
  std::string Difference(const std::string& name, const BlobStore& blobs, const TaskOutcome& a,
                         const TaskOutcome& b) const;

 private:
  ValidatorRunner(std::map<std::string, std::string> programs, std::string scratch,
                  std::optional<agent::TaskUser> user, agent::SandboxConfig sandbox);

  const std::map<std::string, std::string> programs_;
  const std::string scratch_;
  std::unique_ptr<agent::ProcessDriver> driver_;
};

}  // namespace gleaner::server
