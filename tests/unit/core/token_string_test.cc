#include "api/token_string.h"

#include <gtest/gtest.h>

namespace gleaner::api {
namespace {

const std::string kFingerprint(64, 'a');

TEST(TokenString, RoundTripsHttpsWithItsPin) {
  TokenString t{"glt_abc-DEF_123", "https://grid.example.org:7070", kFingerprint};
  std::string text = FormatTokenString(t);
  EXPECT_EQ(text, "gleaner://glt_abc-DEF_123@grid.example.org:7070?ca=" + kFingerprint);
  auto parsed = ParseTokenString(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->secret, t.secret);
  EXPECT_EQ(parsed->server_url, t.server_url);
  EXPECT_EQ(parsed->ca_sha256, kFingerprint);
}

TEST(TokenString, RoundTripsPlainHttpAndIpv6) {
  TokenString t{"glt_x", "http://[::1]:8080", ""};
  auto parsed = ParseTokenString(FormatTokenString(t));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->server_url, "http://[::1]:8080");
  EXPECT_EQ(parsed->ca_sha256, "");
}

TEST(TokenString, ABareSecretIsJustASecret) {
  auto parsed = ParseTokenString("glt_abcdef");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->secret, "glt_abcdef");
  EXPECT_EQ(parsed->server_url, "");
}

TEST(TokenString, MalformedStringsSayWhichPartIsWrong) {
  struct Case {
    std::string text, says;
  };
  for (const auto& c : std::vector<Case>{
           {"gleaner://glt_x", "no '@'"},
           {"gleaner://glt_x@host:7070", "how to trust"},
           {"gleaner://glt_x@host?ca=" + kFingerprint, "HOST:PORT"},
           {"gleaner://glt_x@host:99999999?ca=" + kFingerprint, "HOST:PORT"},
           {"gleaner://glt_x@host:7070?ca=abc", "fingerprint"},
           {"gleaner://glt x@host:7070?http", "secret"},
           {"gleaner://@host:7070?http", "secret"},
           {"two words", "neither"},
           {"", "neither"},
       }) {
    auto parsed = ParseTokenString(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(c.says), std::string::npos) << c.text << ": " << parsed.error().message;
  }
}

}  // namespace
}  // namespace gleaner::api
