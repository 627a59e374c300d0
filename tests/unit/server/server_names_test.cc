#include "server/tls/server_names.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace gleaner::server {
namespace {

const MachineNames kMachine{"desk-17", {"127.0.0.1", "10.1.2.3", "fe80::1"}};

bool Lists(const ServerNames& names, const std::string& name) {
  return std::find(names.certificate_names.begin(), names.certificate_names.end(), name) !=
         names.certificate_names.end();
}

TEST(ServerNames, OneAddressIsWhatItAdvertises) {
  auto names = NameServer("127.0.0.1", 40123, {}, kMachine);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->advertised, "127.0.0.1:40123");
  EXPECT_EQ(names->certificate_names, std::vector<std::string>{"127.0.0.1"});
}

TEST(ServerNames, EveryAddressListsTheMachineAndAdvertisesItsName) {
  auto names = NameServer("0.0.0.0", 7070, {}, kMachine);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->advertised, "desk-17:7070");
  for (const char* n : {"desk-17", "localhost", "127.0.0.1", "10.1.2.3"}) EXPECT_TRUE(Lists(*names, n)) << n;
}

TEST(ServerNames, AdvertisedNamesComeFirstWithTheirPorts) {
  auto names = NameServer("0.0.0.0", 7070, {"grid.example.org:443", "[2001:db8::5]", "10.9.9.9"}, kMachine);
  ASSERT_TRUE(names.ok()) << names.error().message;
  EXPECT_EQ(names->advertised, "grid.example.org:443");
  EXPECT_EQ(names->certificate_names.front(), "grid.example.org");
  EXPECT_TRUE(Lists(*names, "2001:db8::5"));
  EXPECT_TRUE(Lists(*names, "10.9.9.9"));
  EXPECT_EQ(NameServer("::1", 9, {"2001:db8::7"}, kMachine)->advertised, "[2001:db8::7]:9");
}

TEST(ServerNames, MalformedAdvertiseIsRefusedWithTheEntry) {
  for (std::string bad : {"grid:0", "grid:http", "[::1", "under_score.example", "a b"}) {
    auto names = NameServer("0.0.0.0", 7070, {bad}, kMachine);
    ASSERT_FALSE(names.ok()) << bad;
    EXPECT_NE(names.error().message.find(bad.substr(0, 4)), std::string::npos) << names.error().message;
  }
}

}  // namespace
}  // namespace gleaner::server
