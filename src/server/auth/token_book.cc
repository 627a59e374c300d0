#include "server/auth/token_book.h"

#include <algorithm>

#include "common/clock.h"

namespace gleaner::server {

std::string TokenId(const std::string& secret_hash) { return secret_hash.substr(0, 12); }

void TokenBook::Restore(const std::vector<TokenRecord>& records) {
  by_hash_.clear();
  for (const auto& r : records) by_hash_[r.hash] = r;
}

std::string TokenBook::Unusable(const TokenRecord& r, int64_t now) {
  if (r.revoked_at != 0) return "revoked at " + FormatUtc(r.revoked_at);
  if (r.expires_at != 0 && now >= r.expires_at) return "expired at " + FormatUtc(r.expires_at);
  if (r.max_uses != 0 && r.uses >= r.max_uses) {
    return "used up (" + std::to_string(r.uses) + " of " + std::to_string(r.max_uses) + " enrolments)";
  }
  return "";
}

api::TokenView TokenBook::ViewOf(const TokenRecord& r, int64_t now) {
  std::string state = "active";
  if (r.revoked_at != 0) {
    state = "revoked";
  } else if (r.expires_at != 0 && now >= r.expires_at) {
    state = "expired";
  } else if (r.max_uses != 0 && r.uses >= r.max_uses) {
    state = "used up";
  }
  return api::TokenView{TokenId(r.hash), r.name,       r.role,       r.created_by, r.created_at,
                        r.expires_at,    r.max_uses,   r.uses,       r.revoked_at, state,
                        r.allow_network};
}

Result<api::TokenView> TokenBook::Create(const std::string& secret_hash, const api::TokenCreateRequest& request,
                                         const std::string& created_by, int64_t now, Batch& out) {
  if (request.max_uses < 0) return InvalidArgument("--uses must be 0 (unlimited) or more");
  if (request.expires_in_ms && *request.expires_in_ms < 0) {
    return InvalidArgument("--expires must be a duration such as 24h, or 'never'");
  }
  if (request.max_uses != 0 && request.role != api::Role::kAgent) {
    return InvalidArgument("--uses counts enrolments, so it applies to agent join tokens only");
  }
  if (request.allow_network && request.role != api::Role::kSubmitter) {
    return InvalidArgument("--allow-network grants network to a submitter's jobs, so it applies to submitter tokens "
                           "only (admins may always ask for network)");
  }
  if (request.name.size() > 128) return InvalidArgument("a token name has at most 128 characters");
  std::string name = request.name.empty() ? std::string(api::RoleName(request.role)) + "-" + TokenId(secret_hash)
                                          : request.name;
  for (const auto& [hash, r] : by_hash_) {
    if (r.name == name && Unusable(r, now).empty()) {
      return InvalidArgument("a live token is already named '" + name +
                             "'; pick another --name, or revoke it first (`gleaner token revoke " + name + "`)");
    }
  }
  int64_t lifetime = request.expires_in_ms.value_or(request.role == api::Role::kAgent ? kDefaultJoinTokenLifetimeMs : 0);
  TokenRecord r{secret_hash, request.role, name, now, lifetime == 0 ? 0 : now + lifetime, request.max_uses, 0, 0,
                created_by, request.allow_network};
  by_hash_[secret_hash] = r;
  out.tokens.push_back(r);
  return ViewOf(r, now);
}

Result<const TokenRecord*> TokenBook::Check(const std::string& secret_hash, int64_t now) const {
  auto it = by_hash_.find(secret_hash);
  if (it == by_hash_.end()) return static_cast<const TokenRecord*>(nullptr);
  std::string why = Unusable(it->second, now);
  if (!why.empty()) {
    return Unauthenticated("the " + std::string(api::RoleName(it->second.role)) + " token '" + it->second.name +
                           "' was " + why + "; ask an admin for a new one (`gleaner token create`)");
  }
  return &it->second;
}

void TokenBook::CountUse(const std::string& secret_hash, Batch& out) {
  auto it = by_hash_.find(secret_hash);
  if (it == by_hash_.end()) return;
  ++it->second.uses;
  out.tokens.push_back(it->second);
}

Result<api::TokenView> TokenBook::Revoke(const std::string& id_or_name, int64_t now, Batch& out) {
  std::vector<TokenRecord*> matches;
  for (auto& [hash, r] : by_hash_) {
    if (TokenId(hash) == id_or_name) {
      matches = {&r};
      break;
    }
    if (r.name == id_or_name && r.revoked_at == 0) matches.push_back(&r);
  }
  if (matches.empty()) {
    return NotFound("no token has the id or name '" + id_or_name + "'; `gleaner token list` shows them");
  }
  if (matches.size() > 1) {
    return InvalidArgument("several tokens are named '" + id_or_name + "'; revoke one by its id (`gleaner token list`)");
  }
  TokenRecord& r = *matches.front();
  if (r.revoked_at == 0) {
    r.revoked_at = now;
    out.tokens.push_back(r);
  }
  return ViewOf(r, now);
}

std::vector<api::TokenView> TokenBook::List(int64_t now) const {
  std::vector<api::TokenView> views;
  for (const auto& [hash, r] : by_hash_) views.push_back(ViewOf(r, now));
  std::sort(views.begin(), views.end(), [](const auto& a, const auto& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return views;
}

bool TokenBook::HasUsable(api::Role role, int64_t now) const {
  return std::any_of(by_hash_.begin(), by_hash_.end(),
                     [&](const auto& kv) { return kv.second.role == role && Unusable(kv.second, now).empty(); });
}

}  // namespace gleaner::server
