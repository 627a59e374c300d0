#include "enroll.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "api/json.h"
#include "api/token_string.h"
#include "client/api_client.h"

namespace gleaner::bench {

namespace asio = boost::asio;

namespace {

// Enough links to keep the committer's batches full, few enough to leave
// file descriptors for the run itself.
constexpr int kLinks = 128;

struct EnrollQueue {
  const LinkTarget target;
  const std::string join_token;
  const int slots;
  std::vector<std::string> credentials;
  size_t next = 0;
  std::optional<Error> failed;
};

asio::awaitable<void> EnrollWorker(EnrollQueue& q) {
  AgentLink link(co_await asio::this_coro::executor, q.target, /*keep_alive=*/true);
  while (q.next < q.credentials.size() && !q.failed) {
    size_t i = q.next++;
    api::EnrollRequest request;
    request.facts.hostname = "sim-" + std::to_string(i);
    request.facts.cores = q.slots;
    // Every other host is too small for the requirements of dispatch mode's
    // --with-requirements jobs.
    request.facts.memory = int64_t{i % 2 == 0 ? 16 : 4} << 30;
    request.facts.platform = "linux";
    request.slots = q.slots;
    auto answer = co_await link.Post("/api/v1/agents/enroll", q.join_token, api::Encode(request));
    if (!answer.ok()) {
      q.failed = answer.error();
      co_return;
    }
    auto enrolled = api::Decode<api::EnrollResponse>(*answer);
    if (!enrolled.ok()) {
      q.failed = enrolled.error();
      co_return;
    }
    q.credentials[i] = enrolled->credential;
  }
}

}  // namespace

Result<std::vector<std::string>> EnrollHosts(const std::string& server_url, const std::string& admin_token,
                                             int count, int slots) {
  auto endpoint = ResolveServerEndpoint(server_url, admin_token);
  if (!endpoint.ok()) return endpoint.error();
  auto target = ResolveTarget(server_url);
  if (!target.ok()) return target.error();
  ApiClient admin(*endpoint);
  auto join = admin.Post<api::TokenCreateResponse>("/api/v1/tokens", api::TokenCreateRequest{api::Role::kAgent, "loadgen"});
  if (!join.ok()) return Error{join.error().code, "cannot create a join token: " + join.error().message};
  auto join_secret = api::ParseTokenString(join->token);
  if (!join_secret.ok()) return join_secret.error();

  EnrollQueue q{*target, join_secret->secret, slots, std::vector<std::string>(static_cast<size_t>(count)), 0, {}};
  asio::io_context ioc(1);
  for (int i = 0; i < std::min(count, kLinks); ++i) asio::co_spawn(ioc, EnrollWorker(q), asio::detached);
  ioc.run();
  if (q.failed) return Error{q.failed->code, "enrolment failed: " + q.failed->message};
  return std::move(q.credentials);
}

}  // namespace gleaner::bench
