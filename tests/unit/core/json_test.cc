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

TEST(Decode, RoundTripsTheSandboxFields) {
  JobSpec spec;
  spec.command = {"x"};
  spec.network = true;
  auto back_spec = Decode<JobSpec>(Encode(spec));
  ASSERT_TRUE(back_spec.ok()) << back_spec.error().message;
  EXPECT_TRUE(back_spec->network);
  auto plain = Decode<JobSpec>("{\"command\": [\"x\"]}");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->network) << "no network unless asked";

  Assignment a;
  a.command = {"x"};
  a.network = true;
  auto back_a = Decode<Assignment>(Encode(a));
  ASSERT_TRUE(back_a.ok()) << back_a.error().message;
  EXPECT_TRUE(back_a->network);

  HostFacts facts;
  facts.hostname = "pc1";
  facts.sandbox = "none (bwrap missing); runs no tasks";
  auto back_f = Decode<HostFacts>(Encode(facts));
  ASSERT_TRUE(back_f.ok()) << back_f.error().message;
  EXPECT_EQ(back_f->sandbox, facts.sandbox);
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


std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(Decode, RefusesJsonNestedTooDeep) {
  // kMaxJsonDepth levels in all: the object itself and 63 arrays inside it.
  auto fits = Decode<JobSpec>(R"({"command": ["x"], "extra": )" + Nested(kMaxJsonDepth - 1) + "}");
  EXPECT_TRUE(fits.ok()) << fits.error().message;
  auto deep = Decode<JobSpec>(R"({"command": ["x"], "extra": )" + Nested(kMaxJsonDepth) + "}");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(deep.error().message.find("more than 64 levels deep"), std::string::npos) << deep.error().message;
  // Far deeper than any stack would like: refused at the limit, not parsed to the end.
  EXPECT_FALSE(Decode<JobSpec>(Nested(1'000'000)).ok());
}

// Found by tests/fuzz/fuzz_job_spec: a float such as 1e300 in an integer field
// was cast to int64_t (undefined behaviour); 1.5 became 1 and 2^64-1 became -1.
TEST(Decode, IntegerFieldsTakeOnlyIntegersThatFit) {
  for (const char* count : {"1e300", "1.5", "-1e19", "18446744073709551615", "9223372036854775808"}) {
    auto r = Decode<JobSpec>(std::string(R"({"command": ["x"], "count": )") + count + "}");
    ASSERT_FALSE(r.ok()) << count;
    EXPECT_NE(r.error().message.find("field 'count': expected a whole number"), std::string::npos)
        << r.error().message;
  }
  EXPECT_EQ(Decode<JobSpec>(R"({"command": ["x"], "count": 9223372036854775807})")->count, INT64_MAX);
  EXPECT_EQ(Decode<JobSpec>(R"({"command": ["x"], "priority": -9223372036854775808})")->priority, INT64_MIN);
  auto running = Decode<SyncRequest>(R"({"running": [1, 2.5]})");
  ASSERT_FALSE(running.ok());
  EXPECT_NE(running.error().message.find("field 'running'"), std::string::npos) << running.error().message;
  EXPECT_EQ(Decode<SyncRequest>(R"({"running": [1, 2]})")->running, (std::vector<int64_t>{1, 2}));
  auto optional = Decode<TaskView>(R"({"index": 0, "state": "done", "exit_code": 1e30})");
  EXPECT_FALSE(optional.ok());
  // Doubles stay doubles.
  EXPECT_EQ(*Decode<Policy>(R"({"max_load": 1})")->max_load, 1.0);
}

// A path echoed into an error message may hold any bytes; encoding it used to
// throw (nlohmann type_error 316), so the caller got no answer at all.
TEST(Encode, NeverThrowsOnBytesThatAreNotUtf8) {
  std::string body;
  ASSERT_NO_THROW(body = Encode(ErrorBody{"not_found", "no such endpoint: /api/v1/\xff\xfe"}));
  auto back = Decode<ErrorBody>(body);
  ASSERT_TRUE(back.ok()) << body;
  EXPECT_EQ(back->message, "no such endpoint: /api/v1/\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace gleaner::api
