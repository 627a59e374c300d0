#include "server/auth/network_grant.h"

namespace gleaner::server {

Status CheckNetworkGrant(const Principal& who, const api::JobSpec& spec) {
  if (!spec.network || who.role == api::Role::kAdmin) return OkStatus();
  if (who.role == api::Role::kSubmitter && who.allow_network) return OkStatus();
  return PermissionDenied("this job asks for --network, but the " + std::string(api::RoleName(who.role)) +
                          " token '" + who.name +
                          "' was not granted network; only an admin can grant it, with a token made by "
                          "`gleaner token create --role submitter --allow-network` (docs/security.md). "
                          "Without --network the job runs with no network at all");
}

}  // namespace gleaner::server
