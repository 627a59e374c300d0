#include "agent/agent_config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

namespace gleaner::agent {
namespace {

// A command with one flag of each kind the agent has.
struct Command {
  CLI::App app;
  std::string work, suspend = "auto", server;
  int64_t slots = 1;
  bool no_sandbox = false;
  std::vector<std::string> labels;
  std::shared_ptr<ConfigFileFlags> config;

  Command() {
    app.add_option("--work", work)->required();
    app.add_option("--suspend", suspend)->check(CLI::IsMember({"auto", "freezer", "signals"}));
    app.add_option("--server", server)->envname("GLEANER_TEST_AGENT_SERVER");
    app.add_option("--slots", slots);
    app.add_flag("--no-sandbox", no_sandbox);
    app.add_option("--label", labels);
    config = AddConfigFileFlags(app);
  }

  // Parses `args` (no program name), then applies `toml`; the error, or "".
  std::string Run(const std::string& args, const std::string& toml) {
    app.parse(args, false);
    Status st = ApplyConfigText(app, *config, toml, "agent.toml");
    return st.ok() ? "" : st.message();
  }
};

TEST(AgentConfig, EveryKindOfFlagIsAKey) {
  Command c;
  EXPECT_EQ(c.Run("", "work = \"/var/lib/gleaner-agent\"\nsuspend = \"signals\"\nslots = 4\nno_sandbox = true\n"
                      "label = [\"a\", \"b\"]\n"),
            "");
  EXPECT_EQ(c.work, "/var/lib/gleaner-agent");
  EXPECT_EQ(c.suspend, "signals");
  EXPECT_EQ(c.slots, 4);
  EXPECT_TRUE(c.no_sandbox);
  EXPECT_EQ(c.labels, (std::vector<std::string>{"a", "b"}));
}

TEST(AgentConfig, AFlagBeatsTheFileAndTheFileBeatsTheDefault) {
  Command c;
  EXPECT_EQ(c.Run("--slots 2 --work /cli", "slots = 8\nwork = \"/file\"\nsuspend = \"freezer\"\n"), "");
  EXPECT_EQ(c.slots, 2);
  EXPECT_EQ(c.work, "/cli");
  EXPECT_EQ(c.suspend, "freezer");
  EXPECT_FALSE(c.no_sandbox);
}

TEST(AgentConfig, TheEnvironmentBeatsTheFile) {
  ::setenv("GLEANER_TEST_AGENT_SERVER", "https://env:7070", 1);
  Command c;
  EXPECT_EQ(c.Run("--work /w", "server = \"https://file:7070\"\n"), "");
  ::unsetenv("GLEANER_TEST_AGENT_SERVER");
  EXPECT_EQ(c.server, "https://env:7070");
}

TEST(AgentConfig, ARequiredFlagMayComeFromEitherButNotNeither) {
  Command c;
  EXPECT_EQ(c.Run("", "slots = 2\n"), "--work is required (or 'work' in agent.toml)");
}

TEST(AgentConfig, AnUnknownKeyIsRefusedWithItsLine) {
  Command c;
  std::string error = c.Run("--work /w", "slots = 2\njoin_file = \"/etc/x\"\n");
  EXPECT_EQ(error.rfind("agent.toml:2: unknown key 'join_file'; the keys are work, suspend, server, slots,", 0), 0u)
      << error;
  Command dashed;
  EXPECT_EQ(dashed.Run("--work /w", "no-sandbox = true\n").rfind("agent.toml:1: unknown key 'no-sandbox'", 0), 0u);
  Command meta;
  EXPECT_EQ(meta.Run("--work /w", "config = \"/x\"\n").rfind("agent.toml:1: unknown key 'config'", 0), 0u);
}

TEST(AgentConfig, AWrongTypeIsRefusedWithItsLineAndWhatIsExpected) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"slots = \"4\"", "agent.toml:1: 'slots' must be an integer"},
      {"no_sandbox = \"yes\"", "agent.toml:1: 'no_sandbox' must be true or false"},
      {"\nwork = 7", "agent.toml:2: 'work' must be a string"},
      {"label = \"a\"", "agent.toml:1: 'label' must be an array of strings"},
      {"label = [1]", "agent.toml:1: 'label' must be an array of strings"},
  };
  for (const auto& [toml, error] : cases) {
    Command c;
    EXPECT_EQ(c.Run("--work /w", toml), error) << toml;
  }
}

TEST(AgentConfig, TheFlagsOwnChecksApplyToTheFile) {
  Command c;
  std::string error = c.Run("--work /w", "suspend = \"never\"\n");
  EXPECT_EQ(error.rfind("agent.toml:1: 'suspend': ", 0), 0u) << error;
  EXPECT_NE(error.find("never"), std::string::npos) << error;
}

TEST(AgentConfig, BrokenTomlIsRefusedWithItsLine) {
  Command c;
  EXPECT_EQ(c.Run("--work /w", "slots = 2\nwork = \n").rfind("agent.toml:2: not valid TOML: ", 0), 0u);
}

TEST(AgentConfig, NoFileStillChecksTheRequiredFlags) {
  Command c;
  c.app.parse("", false);
  Status st = ApplyConfigFile(c.app, *c.config);
  EXPECT_EQ(st.message(), "--work is required (or 'work' in --config FILE)");
}

TEST(AgentConfig, AMissingFileIsNamed) {
  Command c;
  c.app.parse("--config /nonexistent/agent.toml", false);
  EXPECT_EQ(ApplyConfigFile(c.app, *c.config).message(), "cannot read config file '/nonexistent/agent.toml'");
}

}  // namespace
}  // namespace gleaner::agent
