#include "api/json.h"

#include <gtest/gtest.h>

namespace gleaner::api {
namespace {

TEST(Decode, RoundTripsACompletion) {
  Completion c;
  c.attempt_id = 42;
  c.succeeded = true;
  c.exit_code = 0;
  c.outputs = {{"tile-3.pgm", std::string(64, 'b'), 1234}};
  c.stdout_ref = FileRef{"stdout", std::string(64, 'c'), 5};
  auto back = Decode<Completion>(Encode(c));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->attempt_id, 42);
  EXPECT_EQ(back->exit_code, 0);
  EXPECT_FALSE(back->signal.has_value());
  ASSERT_EQ(back->outputs.size(), 1u);
  EXPECT_EQ(back->outputs[0].name, "tile-3.pgm");
  EXPECT_EQ(back->stdout_ref->size, 5);
}

TEST(Decode, MalformedJsonIsInvalidArgument) {
  auto r = Decode<JobSpec>("{\"command\": [");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "request body is not valid JSON");
}

TEST(Decode, NamesTheMissingField) {
  auto r = Decode<JobSpec>("{\"count\": 3}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("missing required field 'command'"), std::string::npos);
}

TEST(Decode, NamesTheMistypedField) {
  auto r = Decode<JobSpec>("{\"command\": [\"x\"], \"count\": \"many\"}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("field 'count'"), std::string::npos) << r.error().message;
}

TEST(Decode, RejectsUnknownEnumValues) {
  auto r = Decode<TokenCreateRequest>("{\"role\": \"superuser\"}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown value 'superuser'"), std::string::npos);
}

TEST(Decode, RejectsNonObjects) {
  EXPECT_FALSE(Decode<SyncRequest>("[1,2]").ok());
  EXPECT_FALSE(Decode<SyncRequest>("null").ok());
}

}  // namespace
}  // namespace gleaner::api
