#include "agent/enrollment.h"

#include <spdlog/spdlog.h>

#include "agent/backoff.h"
#include "client/api_client.h"

namespace gleaner::agent {

namespace {

Result<AgentCredential> Enroll(const EnrollmentParams& params, const ServerEndpoint& endpoint, const RetryWait& wait) {
  ApiClient client(endpoint);
  const ServerUrl& url = endpoint.url;
  Backoff backoff;
  bool said_away = false;
  for (;;) {
    auto enrolled = client.Post<api::EnrollResponse>("/api/v1/agents/enroll", params.request);
    if (enrolled.ok()) {
      return AgentCredential{url.ToString(), enrolled->host_id, enrolled->credential, endpoint.ca_sha256};
    }
    const Error& error = enrolled.error();
    if (error.code == ErrorCode::kUnauthenticated) {
      return Unauthenticated("the server refused the join token (" + error.message +
                             "); ask an admin for a fresh one (`gleaner token create --role agent`)");
    }
    if (error.code != ErrorCode::kUnavailable) return error;
    if (!said_away) spdlog::warn("cannot reach the server to enrol: {}; retrying", error.message);
    said_away = true;
    if (!wait(backoff.Next())) return Unavailable("stopped before the server could be reached");
  }
}

}  // namespace

Result<AgentCredential> LoadOrEnroll(const EnrollmentParams& params, const RetryWait& wait) {
  auto stored = LoadCredential(params.credential_file);
  if (!stored.ok()) return stored.error();
  if (*stored) {
    const AgentCredential& credential = **stored;
    if (params.server.empty()) return credential;
    auto given = ServerUrl::Parse(params.server);
    if (!given.ok()) return InvalidArgument("--server: " + given.error().message);
    if (given->ToString() != credential.server) {
      return InvalidArgument("this work dir is enrolled with " + credential.server + ", not " + params.server +
                             "; use --server " + credential.server + " or another --work dir");
    }
    return credential;
  }
  if (params.join_token.empty()) {
    return InvalidArgument("this host is not enrolled yet: pass --join TOKEN (an admin creates one with "
                           "`gleaner token create --role agent`)");
  }
  auto endpoint = ResolveServerEndpoint(params.server, params.join_token);
  if (!endpoint.ok()) return InvalidArgument("--join: " + endpoint.error().message);
  auto credential = Enroll(params, *endpoint, wait);
  if (!credential.ok()) return credential;
  GLEANER_RETURN_IF_ERROR(SaveCredential(params.credential_file, *credential));
  spdlog::info("enrolled with {} as host {}", credential->server, credential->host_id);
  return credential;
}

}  // namespace gleaner::agent
