// TokenBook holds the bearer tokens of people and join tokens of agents, by
// the SHA-256 of their secrets, and decides whether one may be used now:
// expired, revoked and used-up tokens are refused with the reason in words.
//
// A token's public id is the first 12 hex digits of that hash: enough to name
// it in `gleaner token list|revoke`, useless for guessing the secret. Pure
// state, no I/O; owned by the scheduler, so not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

// Agent join tokens expire after a day unless told otherwise (kubeadm's rule):
// a leaked one is useless by tomorrow.
constexpr int64_t kDefaultJoinTokenLifetimeMs = 24LL * 60 * 60 * 1000;

class TokenBook {
 public:
  void Restore(const std::vector<TokenRecord>& records);

  // Adds a token for `secret_hash` as `request` asks, made by `created_by`.
  // A name already used by a live token is kInvalidArgument; an empty name
  // becomes ROLE-ID.
  Result<api::TokenView> Create(const std::string& secret_hash, const api::TokenCreateRequest& request,
                                const std::string& created_by, int64_t now, Batch& out);
  // The usable token behind `secret_hash`; nullptr when there is none. A token
  // that exists but may not be used is kUnauthenticated saying why.
  Result<const TokenRecord*> Check(const std::string& secret_hash, int64_t now) const;
  // Counts one enrolment made with the join token `secret_hash`.
  void CountUse(const std::string& secret_hash, Batch& out);
  // Revokes the token with this id (or unique name); kNotFound, or
  // kInvalidArgument when a name is ambiguous.
  Result<api::TokenView> Revoke(const std::string& id_or_name, int64_t now, Batch& out);

  std::vector<api::TokenView> List(int64_t now) const;
  bool HasUsable(api::Role role, int64_t now) const;

 private:
  static api::TokenView ViewOf(const TokenRecord& r, int64_t now);
  // "" when usable, else why not ("expired at …", "revoked at …", …).
  static std::string Unusable(const TokenRecord& r, int64_t now);

  std::unordered_map<std::string, TokenRecord> by_hash_;
};

std::string TokenId(const std::string& secret_hash);

}  // namespace gleaner::server
