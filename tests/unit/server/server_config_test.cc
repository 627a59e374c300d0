#include "server/server_config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <functional>
#include <sstream>

namespace gleaner::server {
namespace {

const std::set<std::string> kNoFlags;

// Parses `toml` as server.toml over the defaults; the error message, or "".
std::string Parse(const std::string& toml, ServerOptions& opt, const std::set<std::string>& given = kNoFlags) {
  Status st = ParseServerConfig(toml, "server.toml", given, opt);
  return st.ok() ? "" : st.message();
}

struct KeyCase {
  std::string key;
  std::string toml;
  std::function<bool(const ServerOptions&)> holds;
};

// One good value for every key of the table, and where it lands.
const std::vector<KeyCase>& KeyCases() {
  static const std::vector<KeyCase> cases = {
      {"data", "data = \"/var/lib/gleaner\"", [](auto& o) { return o.data == "/var/lib/gleaner"; }},
      {"listen", "listen = \"127.0.0.1:0\"", [](auto& o) { return o.listen == "127.0.0.1:0"; }},
      {"store", "store = \"postgresql://gleaner@db/grid\"",
       [](auto& o) { return o.store == "postgresql://gleaner@db/grid"; }},
      {"store_password_file", "store_password_file = \"/etc/gleaner/pg.pass\"",
       [](auto& o) { return o.store_password_file == "/etc/gleaner/pg.pass"; }},
      {"init", "init = true", [](auto& o) { return o.init; }},
      {"leader_lease", "leader_lease = \"30s\"", [](auto& o) { return o.leader_lease == "30s"; }},
      {"blobs", "blobs = \"/srv/gleaner-blobs\"", [](auto& o) { return o.blobs == "/srv/gleaner-blobs"; }},
      {"advertise", "advertise = [\"grid.example.org\", \"grid:443\"]",
       [](auto& o) { return o.advertise == std::vector<std::string>{"grid.example.org", "grid:443"}; }},
      {"insecure_http", "insecure_http = true", [](auto& o) { return o.insecure_http; }},
      {"max_connections_per_address", "max_connections_per_address = 20000",
       [](auto& o) { return o.max_connections_per_peer == 20000; }},
      {"lease", "lease = \"2m\"", [](auto& o) { return o.lease == "2m"; }},
      {"poll", "poll = \"500ms\"", [](auto& o) { return o.poll == "500ms"; }},
      {"threads", "threads = 8", [](auto& o) { return o.threads == 8; }},
      {"log_format", "log_format = \"json\"", [](auto& o) { return o.log_format == "json"; }},
      {"validators", "[validators]\nmean = \"/bin/true\"\nexact = \"/bin/false\"",
       // in name order: a TOML table is unordered
       [](auto& o) { return o.validators == std::vector<std::string>{"exact=/bin/false", "mean=/bin/true"}; }},
      {"validator_user", "validator_user = \"nobody\"", [](auto& o) { return o.validator_user == "nobody"; }},
      {"bwrap", "bwrap = \"/opt/bwrap\"", [](auto& o) { return o.bwrap == "/opt/bwrap"; }},
  };
  return cases;
}

TEST(ServerConfig, EveryKeyOfTheTableHasACase) {
  std::set<std::string> covered;
  for (const auto& c : KeyCases()) covered.insert(c.key);
  for (const auto& s : ServerSettings()) EXPECT_TRUE(covered.count(s.key)) << "no test case for key " << s.key;
}

TEST(ServerConfig, EveryKeySetsItsSetting) {
  for (const auto& c : KeyCases()) {
    ServerOptions opt;
    EXPECT_EQ(Parse(c.toml, opt), "") << c.toml;
    EXPECT_TRUE(c.holds(opt)) << c.toml;
    ServerOptions defaults;
    EXPECT_FALSE(c.holds(defaults)) << c.key << ": the case's value must differ from the default";
  }
}

TEST(ServerConfig, AnEmptyFileKeepsTheDefaults) {
  ServerOptions opt;
  EXPECT_EQ(Parse("# nothing set\n", opt), "");
  EXPECT_EQ(opt.data, "gleaner-data");
  EXPECT_EQ(opt.listen, "0.0.0.0:7070");
  EXPECT_EQ(opt.threads, 2);
  EXPECT_EQ(opt.bwrap, "/usr/bin/bwrap");
}

TEST(ServerConfig, AnUnknownKeyIsRefusedWithItsLineAndTheKnownKeys) {
  ServerOptions opt;
  std::string error = Parse("data = \"/srv\"\n\nthread = 4\n", opt);
  EXPECT_EQ(error.rfind("server.toml:3: unknown key 'thread'; the keys are data, listen,", 0), 0) << error;
  EXPECT_NE(error.find("threads"), std::string::npos) << error;
}

TEST(ServerConfig, AnUnknownTableIsAnUnknownKey) {
  ServerOptions opt;
  EXPECT_EQ(Parse("[retention]\nfinished_jobs = \"30d\"\n", opt).rfind("server.toml:1: unknown key 'retention'", 0),
            0u);
}

struct BadCase {
  std::string toml;
  std::string error;  // the whole message
};

TEST(ServerConfig, ABadValueIsRefusedWithItsLineAndWhatIsExpected) {
  const std::vector<BadCase> cases = {
      {"threads = \"4\"", "server.toml:1: 'threads' must be an integer from 1 to 1024"},
      {"threads = 0", "server.toml:1: 'threads' must be an integer from 1 to 1024 (got 0)"},
      {"threads = 2.5", "server.toml:1: 'threads' must be an integer from 1 to 1024"},
      {"max_connections_per_address = 0",
       "server.toml:1: 'max_connections_per_address' must be an integer from 1 to 1000000 (got 0)"},
      {"\nlease = 30", "server.toml:2: 'lease' must be a duration of at least 1s as a string, e.g. \"30s\""},
      {"lease = \"500ms\"",
       "server.toml:1: 'lease' must be a duration of at least 1s as a string, e.g. \"30s\" (got \"500ms\")"},
      {"poll = \"soon\"", "server.toml:1: 'poll' must be a duration as a string, e.g. \"1s\" or \"5m\" (got \"soon\")"},
      {"log_format = \"xml\"", "server.toml:1: 'log_format' must be one of \"text\", \"json\" (got \"xml\")"},
      {"insecure_http = \"yes\"", "server.toml:1: 'insecure_http' must be true or false"},
      {"data = 7", "server.toml:1: 'data' must be a string"},
      {"advertise = \"grid\"", "server.toml:1: 'advertise' must be an array of strings, e.g. [\"grid.example.org\"]"},
      {"advertise = [\"grid\", 7]",
       "server.toml:1: 'advertise' must be an array of strings, e.g. [\"grid.example.org\"] (an item is not a string)"},
      {"validators = \"mean=/bin/true\"",
       "server.toml:1: 'validators' must be a table of NAME = \"PATH\", e.g. [validators] then mean = "
       "\"/usr/local/bin/compare\""},
      {"[validators]\nmean = 1", "server.toml:2: 'validators.mean' must be a path as a string"},
      {"[validators]\n\nmean = \"bin/true\"", "server.toml:3: --validator mean: 'bin/true' must be an absolute path"},
  };
  for (const auto& c : cases) {
    ServerOptions opt;
    EXPECT_EQ(Parse(c.toml, opt), c.error) << c.toml;
  }
}

TEST(ServerConfig, BrokenTomlIsRefusedWithItsLine) {
  ServerOptions opt;
  std::string error = Parse("data = \"/srv\"\nlisten = \n", opt);
  EXPECT_EQ(error.rfind("server.toml:2: not valid TOML: ", 0), 0u) << error;
}

TEST(ServerConfig, AMissingFileIsNamed) {
  ServerOptions opt;
  Status st = LoadServerConfig("/nonexistent/server.toml", kNoFlags, opt);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "cannot read config file '/nonexistent/server.toml'");
}

// Flags, then the file, then the defaults: as `gleaner server` wires them.
ServerOptions Resolve(std::vector<std::string> args, const std::string& toml, std::string* error = nullptr) {
  ServerOptions opt;
  CLI::App app;
  AddServerFlags(app, opt);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  std::string problem = Parse(toml, opt, FlagsGiven(app));
  if (error) *error = problem;
  return opt;
}

TEST(ServerConfig, AFlagBeatsTheFileAndTheFileBeatsTheDefault) {
  auto opt = Resolve({"--threads", "3", "--advertise", "flag.example.org"},
                     "threads = 8\nlisten = \"127.0.0.1:9\"\nadvertise = [\"file.example.org\"]\n");
  EXPECT_EQ(opt.threads, 3);                                             // flag
  EXPECT_EQ(opt.advertise, std::vector<std::string>{"flag.example.org"});  // flag, not merged with the file's
  EXPECT_EQ(opt.listen, "127.0.0.1:9");                                  // file
  EXPECT_EQ(opt.lease, "30s");                                           // default
}

TEST(ServerConfig, ABoolFlagBeatsTheFile) {
  EXPECT_TRUE(Resolve({"--insecure-http"}, "insecure_http = false\n").insecure_http);
  EXPECT_TRUE(Resolve({}, "insecure_http = true\n").insecure_http);
}

TEST(ServerConfig, AValueAFlagOverridesMustStillBeValid) {
  std::string error;
  Resolve({"--threads", "3"}, "threads = \"many\"\n", &error);
  EXPECT_EQ(error, "server.toml:1: 'threads' must be an integer from 1 to 1024");
}

TEST(ServerConfig, FlagsKeepTheirChecks) {
  ServerOptions opt;
  CLI::App app;
  AddServerFlags(app, opt);
  EXPECT_THROW(app.parse("--log-format xml", false), CLI::ValidationError);
  EXPECT_THROW(app.parse("--max-connections-per-address 0", false), CLI::ValidationError);
}

// docs/install.md holds the reference between two markers; it must be what
// the table generates (`gleaner server --config-reference` prints it).
TEST(ServerConfig, TheReferenceInDocsIsTheTable) {
  std::ifstream in(std::string(GLEANER_SOURCE_DIR) + "/docs/install.md");
  ASSERT_TRUE(in) << "docs/install.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- server.toml reference: begin -->\n", end = "<!-- server.toml reference: end -->";
  auto from = doc.find(begin), to = doc.find(end);
  ASSERT_NE(from, std::string::npos) << "docs/install.md lacks the marker " << begin;
  ASSERT_NE(to, std::string::npos) << "docs/install.md lacks the marker " << end;
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), ServerConfigReference())
      << "docs/install.md's config reference is stale: replace it with the output of "
         "`build/gleaner server --config-reference`";
}

}  // namespace
}  // namespace gleaner::server
