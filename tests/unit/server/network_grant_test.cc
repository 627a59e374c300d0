#include "server/auth/network_grant.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

api::JobSpec Spec(bool network) {
  api::JobSpec spec;
  spec.command = {"true"};
  spec.network = network;
  return spec;
}

TEST(NetworkGrant, JobsWithoutNetworkNeedNoGrant) {
  EXPECT_TRUE(CheckNetworkGrant({api::Role::kSubmitter, "bob"}, Spec(false)).ok());
}

TEST(NetworkGrant, AdminsAndGrantedSubmittersMayAskForNetwork) {
  EXPECT_TRUE(CheckNetworkGrant({api::Role::kAdmin, "admin"}, Spec(true)).ok());
  EXPECT_TRUE(CheckNetworkGrant({api::Role::kSubmitter, "render", 0, true}, Spec(true)).ok());
}

TEST(NetworkGrant, OthersAreRefusedWithWhoCanGrantIt) {
  for (const Principal& who : {Principal{api::Role::kSubmitter, "bob"}, Principal{api::Role::kViewer, "eve"},
                               Principal{api::Role::kAgent, "pc1", 7, true}}) {
    Status st = CheckNetworkGrant(who, Spec(true));
    ASSERT_FALSE(st.ok()) << who.name;
    EXPECT_EQ(st.code(), ErrorCode::kPermissionDenied);
    EXPECT_NE(st.message().find("token '" + who.name + "' was not granted network"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("only an admin can grant it"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("gleaner token create --role submitter --allow-network"), std::string::npos);
  }
}

}  // namespace
}  // namespace gleaner::server
