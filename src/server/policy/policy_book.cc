#include "server/policy/policy_book.h"

#include "api/policy_spec.h"

namespace gleaner::server {
namespace {

constexpr const char* kAllHostsScope = "*";
constexpr const char* kHostScopePrefix = "host:";

}  // namespace

void PolicyBook::Restore(const std::vector<PolicyRecord>& records) {
  for (const auto& r : records) {
    if (r.scope == kAllHostsScope) {
      all_hosts_ = r.policy;
    } else if (r.scope.rfind(kHostScopePrefix, 0) == 0) {
      by_host_[r.scope.substr(std::string(kHostScopePrefix).size())] = r.policy;
    }
  }
}

Status PolicyBook::Set(const std::string& host, const api::Policy& policy, Batch& out) {
  GLEANER_RETURN_IF_ERROR(api::ValidatePolicy(policy));
  if (host.empty()) {
    all_hosts_ = policy;
    out.policies.push_back({kAllHostsScope, policy});
  } else {
    by_host_[host] = policy;
    out.policies.push_back({kHostScopePrefix + host, policy});
  }
  return OkStatus();
}

api::PolicyView PolicyBook::For(const std::string& host) const {
  if (auto it = by_host_.find(host); !host.empty() && it != by_host_.end()) return {"host " + host, it->second};
  if (all_hosts_) return {"all hosts", *all_hosts_};
  return {"defaults", api::Policy{}};
}

}  // namespace gleaner::server
