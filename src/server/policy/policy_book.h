// PolicyBook holds the owner policies set centrally: one for all hosts and
// overrides for single hosts (by name), and says which one a host is under.
// Pure state, no I/O; owned by the scheduler, so not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

class PolicyBook {
 public:
  void Restore(const std::vector<PolicyRecord>& records);
  // Validates `policy` (api/policy_spec.h) and sets it for `host`, or for all
  // hosts when `host` is empty; appends the durable record to `out`.
  Status Set(const std::string& host, const api::Policy& policy, Batch& out);
  // The policy `host` is under (its own, else the one for all hosts, else the
  // defaults); with `host` empty, the one for all hosts.
  api::PolicyView For(const std::string& host) const;

 private:
  std::optional<api::Policy> all_hosts_;
  std::map<std::string, api::Policy> by_host_;
};

}  // namespace gleaner::server
