#include "server/auth/token_book.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int64_t kHour = 3'600'000;

api::TokenCreateRequest Request(api::Role role, std::string name = "", std::optional<int64_t> expires = std::nullopt,
                                int64_t uses = 0) {
  return api::TokenCreateRequest{role, std::move(name), expires, uses};
}

TEST(TokenBook, AgentJoinTokensExpireAfterADayByDefaultOthersNever) {
  TokenBook book;
  Batch out;
  auto join = book.Create("h1", Request(api::Role::kAgent), "admin", kNow, out);
  auto viewer = book.Create("h2", Request(api::Role::kViewer), "admin", kNow, out);
  ASSERT_TRUE(join.ok() && viewer.ok());
  EXPECT_EQ(join->expires_at, kNow + kDefaultJoinTokenLifetimeMs);
  EXPECT_EQ(viewer->expires_at, 0);
  EXPECT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(join->name, "agent-" + TokenId("h1"));
  EXPECT_EQ(join->created_by, "admin");

  auto fine = book.Check("h1", kNow + kDefaultJoinTokenLifetimeMs - 1);
  ASSERT_TRUE(fine.ok());
  ASSERT_NE(*fine, nullptr);
  auto late = book.Check("h1", kNow + kDefaultJoinTokenLifetimeMs);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(late.error().message.find("expired at"), std::string::npos) << late.error().message;
  EXPECT_TRUE(book.Check("h2", kNow + 1000 * kHour).ok());
}

TEST(TokenBook, UnknownHashIsNoTokenNotAnError) {
  TokenBook book;
  auto none = book.Check("nope", kNow);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
}

TEST(TokenBook, UsesAreCountedAndALimitIsEnforced) {
  TokenBook book;
  Batch out;
  ASSERT_TRUE(book.Create("h", Request(api::Role::kAgent, "lab", int64_t{0}, 2), "admin", kNow, out).ok());
  book.CountUse("h", out);
  EXPECT_TRUE(book.Check("h", kNow).ok());
  book.CountUse("h", out);
  auto used_up = book.Check("h", kNow);
  ASSERT_FALSE(used_up.ok());
  EXPECT_NE(used_up.error().message.find("used up (2 of 2"), std::string::npos) << used_up.error().message;
  EXPECT_EQ(out.tokens.back().uses, 2);
  EXPECT_EQ(book.List(kNow).front().state, "used up");
}

TEST(TokenBook, UsesOnlyForJoinTokensAndNamesUniqueAmongLiveTokens) {
  TokenBook book;
  Batch out;
  EXPECT_FALSE(book.Create("h0", Request(api::Role::kViewer, "", std::nullopt, 3), "admin", kNow, out).ok());
  EXPECT_FALSE(book.Create("h0", Request(api::Role::kViewer, "", int64_t{-5}), "admin", kNow, out).ok());
  ASSERT_TRUE(book.Create("h1", Request(api::Role::kSubmitter, "alice"), "admin", kNow, out).ok());
  auto twin = book.Create("h2", Request(api::Role::kSubmitter, "alice"), "admin", kNow, out);
  ASSERT_FALSE(twin.ok());
  EXPECT_NE(twin.error().message.find("already named 'alice'"), std::string::npos);
  ASSERT_TRUE(book.Revoke("alice", kNow, out).ok());
  EXPECT_TRUE(book.Create("h3", Request(api::Role::kSubmitter, "alice"), "admin", kNow, out).ok());
}

TEST(TokenBook, NetworkIsGrantedToSubmitterTokensOnlyAndShown) {
  TokenBook book;
  Batch out;
  api::TokenCreateRequest granted = Request(api::Role::kSubmitter, "render");
  granted.allow_network = true;
  auto view = book.Create("h1", granted, "admin", kNow, out);
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_TRUE(view->allow_network);
  EXPECT_TRUE(out.tokens.back().allow_network);  // durable with the token
  EXPECT_TRUE(book.List(kNow).front().allow_network);
  auto checked = book.Check("h1", kNow);
  ASSERT_TRUE(checked.ok() && *checked);
  EXPECT_TRUE((*checked)->allow_network);

  for (api::Role role : {api::Role::kAdmin, api::Role::kViewer, api::Role::kAgent}) {
    api::TokenCreateRequest wrong = Request(role);
    wrong.allow_network = true;
    auto refused = book.Create("h-" + std::string(api::RoleName(role)), wrong, "admin", kNow, out);
    ASSERT_FALSE(refused.ok()) << api::RoleName(role);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.error().message.find("submitter tokens only"), std::string::npos) << refused.error().message;
  }
  auto plain = book.Create("h2", Request(api::Role::kSubmitter, "plain"), "admin", kNow, out);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->allow_network);
}

TEST(TokenBook, RevokedTokensAreRefusedWithWhenAndStayListed) {
  TokenBook book;
  Batch out;
  auto made = book.Create("hash-of-bob", Request(api::Role::kSubmitter, "bob"), "admin", kNow, out);
  ASSERT_TRUE(made.ok());
  auto revoked = book.Revoke(made->id, kNow + 5, out);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->state, "revoked");
  auto refused = book.Check("hash-of-bob", kNow + 10);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("revoked at"), std::string::npos);
  EXPECT_NE(refused.error().message.find("'bob'"), std::string::npos);
  EXPECT_EQ(book.Revoke("nobody", kNow, out).error().code, ErrorCode::kNotFound);
  ASSERT_EQ(book.List(kNow).size(), 1u);
  EXPECT_EQ(book.List(kNow).front().revoked_at, kNow + 5);
}

TEST(TokenBook, RestoredStateDecidesLikeTheOriginal) {
  TokenBook book;
  Batch out;
  ASSERT_TRUE(book.Create("a", Request(api::Role::kAdmin, "root"), "server", kNow, out).ok());
  ASSERT_TRUE(book.Create("b", Request(api::Role::kAgent, "lab", kHour, 1), "root", kNow, out).ok());
  book.CountUse("b", out);
  // The last record of each hash wins, as in the store.
  std::map<std::string, TokenRecord> latest;
  for (const auto& r : out.tokens) latest[r.hash] = r;
  std::vector<TokenRecord> records;
  for (auto& [hash, r] : latest) records.push_back(r);
  TokenBook restored;
  restored.Restore(records);
  EXPECT_TRUE(restored.HasUsable(api::Role::kAdmin, kNow));
  EXPECT_FALSE(restored.HasUsable(api::Role::kAgent, kNow));  // used up
  EXPECT_FALSE(restored.Check("b", kNow).ok());
}

}  // namespace
}  // namespace gleaner::server
