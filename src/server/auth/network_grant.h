// Who may give a job's tasks a network: an admin, or a submitter whose token
// an admin created with --allow-network. Everyone else's jobs run with no
// network at all (docs/security.md). Pure.
#pragma once

#include "api/types.h"
#include "common/status.h"
#include "server/scheduler/scheduler.h"

namespace gleaner::server {

// OK when `who` may submit `spec`; kPermissionDenied naming who can grant
// network when the spec asks for it and `who` may not.
Status CheckNetworkGrant(const Principal& who, const api::JobSpec& spec);

}  // namespace gleaner::server
