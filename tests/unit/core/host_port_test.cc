#include "common/host_port.h"

#include <gtest/gtest.h>

namespace gleaner {
namespace {

TEST(SplitHostPort, TakesHostAndPortApartAtTheLastColon) {
  auto v4 = SplitHostPort("127.0.0.1:7070");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, "7070");
  auto v6 = SplitHostPort("[::1]:0");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "0");
  auto any = SplitHostPort(":7070");
  ASSERT_TRUE(any.has_value());
  EXPECT_EQ(any->host, "");
  EXPECT_EQ(any->port, "7070");
}

TEST(SplitHostPort, LeavesCheckingToTheCaller) {
  EXPECT_FALSE(SplitHostPort("localhost").has_value());
  EXPECT_FALSE(SplitHostPort("").has_value());
  EXPECT_EQ(SplitHostPort("host:")->port, "");
  EXPECT_EQ(SplitHostPort("[:1")->host, "[");  // an unclosed bracket stays
  EXPECT_EQ(SplitHostPort("::1")->host, ":");  // a bare IPv6 address is split at its last colon
}

}  // namespace
}  // namespace gleaner
