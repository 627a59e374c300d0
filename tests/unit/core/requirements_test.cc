#include "api/requirements.h"

#include <gtest/gtest.h>

namespace gleaner::api {
namespace {

struct Host {
  HostFacts facts;
  std::map<std::string, std::string> labels;
};

Host Linux16G() {
  Host h;
  h.facts.hostname = "pc-lab3-07";
  h.facts.os = "Debian GNU/Linux 12 (bookworm)";
  h.facts.platform = "linux";
  h.facts.arch = "x86_64";
  h.facts.cores = 8;
  h.facts.memory = int64_t{16} << 30;
  h.facts.agent_version = "0.10.2";
  h.facts.sandbox = "bubblewrap";
  h.labels = {{"site", "lab3"}, {"licensed", "matlab"}, {"floor", "2"}};
  return h;
}

bool Meets(const std::string& text, const Host& h) {
  auto e = Expression::ParseRequirements(text);
  EXPECT_TRUE(e.ok()) << text << ": " << e.error().message;
  if (!e.ok()) return false;
  return e->Matches(MatchFacts(h.facts, h.labels));
}

TEST(Requirements, EvaluateOverFactsAndLabels) {
  Host h = Linux16G();
  struct Case {
    const char* text;
    bool want;
  } cases[] = {
      {"", true},
      {"true", true},
      {"false", false},
      {"os == \"linux\"", true},
      {"os == 'windows'", false},
      {"os != \"windows\"", true},
      {"os == \"linux\" && memory >= 8G && cores >= 4", true},
      {"memory >= 16G", true},
      {"memory > 16G", false},
      {"memory >= 16384M", true},
      {"memory >= 17179869184", true},
      {"memory < 1T", true},
      {"cores >= 16 || label.site == \"lab3\"", true},
      {"cores >= 16 || label.site == \"lab4\"", false},
      {"!(cores >= 16)", true},
      {"!cores >= 4", false},
      {"arch in [\"x86_64\", \"aarch64\"]", true},
      {"arch in [\"aarch64\"]", false},
      {"cores in [2, 4, 8]", true},
      {"label.licensed == \"matlab\"", true},
      {"label.missing == \"\"", true},
      {"label.missing != \"x\"", true},
      {"agent_version >= \"0.9\"", true},
      {"agent_version >= \"0.10.3\"", false},
      {"agent_version < \"0.10.10\"", true},
      {"label.floor < \"10\"", true},
      {"sandbox == \"bubblewrap\" && sandboxed", true},
      {"gpus >= 1", false},
      {"gpus == 0", true},
      {"hostname == \"pc-lab3-07\"", true},
      {"(os == \"linux\" || os == \"windows\") && (memory >= 8G)", true},
      {"true == (cores > 4)", true},
  };
  for (const auto& c : cases) EXPECT_EQ(Meets(c.text, h), c.want) << c.text;
}

TEST(Requirements, OsAndSandboxAreKinds) {
  HostFacts old;
  old.os = "Microsoft Windows 11 Pro";
  EXPECT_EQ(OsFamily(old), "windows");
  old.os = "Ubuntu 22.04.3 LTS";
  EXPECT_EQ(OsFamily(old), "linux");
  old.platform = "Windows";
  EXPECT_EQ(OsFamily(old), "windows");
  HostFacts bare;
  EXPECT_EQ(SandboxKind(bare), "none");
  bare.sandbox = "none (bwrap missing); runs no tasks";
  EXPECT_EQ(SandboxKind(bare), "none");
  std::map<std::string, std::string> none;
  EXPECT_FALSE(Expression::ParseRequirements("sandboxed")->Matches(MatchFacts(bare, none)));
}

TEST(Requirements, ErrorsSayWhereAndWhat) {
  struct Case {
    const char* text;
    const char* want;  // a part of the message
  } cases[] = {
      {"os == ", "requirements: at 7: expected a fact (os, arch, cores"},
      {"os = \"linux\"", "at 4: '=' alone is not an operator; compare with '=='"},
      {"mem >= 8G", "at 1: unknown fact 'mem'; the facts are os, arch, cores, memory"},
      {"memory >= 8X", "at 11: '8X' is not a size"},
      {"memory >= 8q", "at 11: '8q' has an unknown unit"},
      {"memory >= 30m", "at 8: '>=' compares a size (e.g. 8G) with a duration (e.g. 30m)"},
      {"os == 4", "at 4: '==' compares a string with a number"},
      {"memory", "requirements must be true or false"},
      {"(os == \"linux\"", "expected ')', found the end"},
      {"os == \"linux", "the string has no closing \""},
      {"os == \"linux\" &", "'&' alone is not an operator; use '&&'"},
      {"os == \"linux\" cores", "expected '&&', '||' or the end, found 'cores'"},
      {"cores && true", "'&&' joins conditions (true or false), not a number"},
      {"!memory", "'!' negates a condition"},
      {"os in \"linux\"", "expected '[' after 'in'"},
      {"os in [\"linux\" \"windows\"]", "expected ',' or ']'"},
      {"os in [cores]", "expected a literal"},
      {"os in [1]", "'in' looks for a string in a list holding a number"},
      {"label. == \"x\"", "expected a label's name after 'label.'"},
      {"true < false", "orders numbers or versions"},
      {"cores >= 99999999999999999999", "the number is too large"},
      {"cores >= 1.5", "'1.5' is not a whole number"},
      {"os == \"linux\" # ok", "unexpected character '#'"},
  };
  for (const auto& c : cases) {
    auto e = Expression::ParseRequirements(c.text);
    ASSERT_FALSE(e.ok()) << c.text;
    EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(e.error().message.find(c.want), std::string::npos) << c.text << "\n" << e.error().message;
  }
}

TEST(Requirements, ErrorShowsACaret) {
  auto e = Expression::ParseRequirements("cores >= 4 && mem >= 8G");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "requirements: at 15: unknown fact 'mem'; the facts are os, arch, cores, memory, gpus, hostname, "
            "agent_version, sandbox, sandboxed and label.NAME (a label an admin set is label.NAME)\n"
            "  cores >= 4 && mem >= 8G\n"
            "                ^");
}

TEST(Requirements, DeepNestingIsRefusedNotACrash) {
  std::string deep(200, '(');
  deep += "true";
  deep += std::string(200, ')');
  auto e = Expression::ParseRequirements(deep);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("nests more than 64 levels"), std::string::npos);
  EXPECT_FALSE(Expression::ParseRequirements(std::string(5000, ' ') + "true").ok());
}

TEST(Requirements, PrintsWhatParsesBackTheSame) {
  const char* texts[] = {
      "os == \"linux\" && memory >= 8G && cores >= 4",
      "(cores >= 4 || gpus >= 1) && !(os == \"windows\")",
      "cores >= 4 || (gpus >= 1 || sandboxed)",
      "memory >= 1536M && memory < 1.5G",
      "label.site in [\"lab3\", \"lab \\\"4\\\"\"]",
      "memory >= 1000",
      "true == (cores > 4)",
      "!!sandboxed",
      "memory >= 692666690.9G",  // found by the fuzzer: bytes past 2^53 must print and parse back exactly
  };
  for (const char* text : texts) {
    auto e = Expression::ParseRequirements(text);
    ASSERT_TRUE(e.ok()) << text << ": " << e.error().message;
    std::string printed = e->ToString();
    auto again = Expression::ParseRequirements(printed);
    ASSERT_TRUE(again.ok()) << printed << ": " << again.error().message;
    EXPECT_EQ(again->ToString(), printed) << text;
  }
  EXPECT_EQ(Expression::ParseRequirements("os==\"linux\"&&(memory>=8G)")->ToString(),
            "os == \"linux\" && memory >= 8G");
  EXPECT_EQ(Expression::ParseRequirements("cores >= 4 || (gpus >= 1 || sandboxed)")->ToString(),
            "cores >= 4 || (gpus >= 1 || sandboxed)");
  EXPECT_EQ(Expression::ParseRequirements("memory >= 1.5G")->ToString(), "memory >= 1536M");
  EXPECT_EQ(Expression::ParseRequirements("memory >= 1000")->ToString(), "memory >= 1000");
}

TEST(Requirements, ClausesForWhy) {
  auto e = Expression::ParseRequirements("os == \"linux\" && (memory >= 32G || gpus > 0) && label.site == \"lab3\"");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->Clauses().size(), 3u);
  EXPECT_EQ(e->Clauses()[1], "memory >= 32G || gpus > 0");
  Host h = Linux16G();
  MatchFacts f(h.facts, h.labels);
  EXPECT_TRUE(e->ClauseMatches(0, f));
  EXPECT_FALSE(e->ClauseMatches(1, f));
  EXPECT_TRUE(e->ClauseMatches(2, f));
}

TEST(Rank, NumbersAndConditions) {
  Host h = Linux16G();
  MatchFacts f(h.facts, h.labels);
  EXPECT_EQ(Expression::ParseRank("memory")->Rank(f), int64_t{16} << 30);
  EXPECT_EQ(Expression::ParseRank("cores")->Rank(f), 8);
  EXPECT_EQ(Expression::ParseRank("label.site == \"lab3\"")->Rank(f), 1);
  EXPECT_EQ(Expression::ParseRank("")->Rank(f), 0);
  auto bad = Expression::ParseRank("os");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("rank must be a number"), std::string::npos);
}

TEST(Versions, CompareByNumbers) {
  EXPECT_EQ(CompareVersions("1.10", "1.9"), 1);
  EXPECT_EQ(CompareVersions("1.9", "1.10"), -1);
  EXPECT_EQ(CompareVersions("1.0", "1.0"), 0);
  EXPECT_EQ(CompareVersions("1.0", "1.0.1"), -1);
  EXPECT_EQ(CompareVersions("007", "7"), 0);
  EXPECT_EQ(CompareVersions("a", "b"), -1);
  EXPECT_EQ(CompareVersions("", ""), 0);
}

TEST(Labels, NamesAndValues) {
  EXPECT_TRUE(CheckLabel("site", "lab3").ok());
  EXPECT_TRUE(CheckLabel("licensed.matlab-r2024", "").ok());
  EXPECT_FALSE(CheckLabel("3site", "x").ok());
  EXPECT_FALSE(CheckLabel("", "x").ok());
  EXPECT_FALSE(CheckLabel("si te", "x").ok());
  EXPECT_FALSE(CheckLabel("site", std::string(300, 'x')).ok());
  EXPECT_FALSE(CheckLabel("site", "a\nb").ok());
}

}  // namespace
}  // namespace gleaner::api
