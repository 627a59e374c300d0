// Security on a real grid: TLS by default with the CA pinned by the token
// string, tokens that expire, run out or are revoked, a revoked host, and the
// audit log that records all of it. Every refusal must say why.
#include <gtest/gtest.h>

#include <thread>

#include "api/json.h"
#include "api/token_string.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

// `gleaner ARGS` with only a token (no GLEANER_SERVER): the token string must suffice.
CliResult CliWithToken(const Grid& grid, const std::string& token, std::vector<std::string> args) {
  static int counter = 0;
  std::vector<std::string> argv = {GleanerBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Process p(argv, {{"GLEANER_SERVER", ""}, {"GLEANER_TOKEN", token}},
            grid.dir() / ("token-cli" + std::to_string(counter++)));
  CliResult r;
  r.exit_code = p.Wait(60s);
  r.out = p.Stdout();
  r.err = p.Stderr();
  return r;
}

std::string CreateToken(Grid& grid, std::vector<std::string> flags) {
  std::vector<std::string> args = {"token", "create"};
  args.insert(args.end(), flags.begin(), flags.end());
  auto r = grid.Cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return LastLine(r.out);
}

TEST(Security, TlsIsTheDefaultAndTheTokenStringIsAllAClientNeeds) {
  Grid grid;
  ASSERT_EQ(grid.url().rfind("https://127.0.0.1:", 0), 0u) << grid.url();
  auto admin = api::ParseTokenString(grid.admin_token());
  ASSERT_TRUE(admin.ok()) << grid.admin_token();
  EXPECT_EQ(admin->server_url, grid.url());
  EXPECT_EQ(admin->ca_sha256.size(), 64u);

  auto jobs = CliWithToken(grid, grid.admin_token(), {"jobs"});
  EXPECT_EQ(jobs.exit_code, 0) << jobs.err;

  // A token pinning another CA is refused before any secret is sent.
  std::string forged_pin = grid.admin_token().substr(0, grid.admin_token().size() - 64) + std::string(64, '0');
  auto pinned_elsewhere = CliWithToken(grid, forged_pin, {"jobs"});
  EXPECT_EQ(pinned_elsewhere.exit_code, 2);
  EXPECT_NE(pinned_elsewhere.err.find("the token pins"), std::string::npos) << pinned_elsewhere.err;

  // Plain HTTP to the TLS port gets an answer saying what to do.
  std::string plain_url = "http://" + grid.url().substr(std::string("https://").size());
  HttpClient plain(*ServerUrl::Parse(plain_url), "");
  auto answer = plain.Send("GET", "/healthz");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 400);
  EXPECT_NE(answer->body.find("HTTPS only"), std::string::npos) << answer->body;

  // The server is unaffected, and agents enrol with just the join token string.
  auto& agent = grid.StartAgent("desk");
  auto submitted = grid.Cli({"submit", "--", "true"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  auto done = grid.Cli({"wait", submitted.out.substr(0, submitted.out.find('\n'))}, 120s);
  EXPECT_EQ(done.exit_code, 0) << done.err << "\nagent: " << agent.Stderr();
}

TEST(Security, ExpiredRevokedAndUsedUpTokensAreRefusedWithTheReason) {
  Grid grid;
  std::string brief = CreateToken(grid, {"--role", "viewer", "--name", "brief", "--expires", "1s"});
  EXPECT_EQ(CliWithToken(grid, brief, {"jobs"}).exit_code, 0);
  std::this_thread::sleep_for(1500ms);
  auto expired = CliWithToken(grid, brief, {"jobs"});
  EXPECT_NE(expired.exit_code, 0);
  EXPECT_NE(expired.err.find("'brief' was expired at"), std::string::npos) << expired.err;

  std::string alice = CreateToken(grid, {"--role", "submitter", "--name", "alice"});
  EXPECT_EQ(CliWithToken(grid, alice, {"jobs"}).exit_code, 0);
  auto revoke = grid.Cli({"token", "revoke", "alice"});
  EXPECT_EQ(revoke.exit_code, 0) << revoke.err;
  auto revoked = CliWithToken(grid, alice, {"jobs"});
  EXPECT_NE(revoked.exit_code, 0);
  EXPECT_NE(revoked.err.find("'alice' was revoked at"), std::string::npos) << revoked.err;

  std::string once = CreateToken(grid, {"--role", "agent", "--name", "one-desk", "--uses", "1"});
  Process first({GleanerBinary(), "agent", "--join", once, "--work", grid.dir() / "first", "--name", "first"}, {},
                grid.dir() / "first-log");
  ASSERT_TRUE(WaitFor([&] { return grid.Cli({"hosts", "--json"}).out.find("\"first\"") != std::string::npos; }, 60s))
      << first.Stderr();
  Process second({GleanerBinary(), "agent", "--join", once, "--work", grid.dir() / "second", "--name", "second"}, {},
                 grid.dir() / "second-log");
  EXPECT_NE(second.Wait(60s), 0);
  EXPECT_NE(second.Stderr().find("used up (1 of 1 enrolments)"), std::string::npos) << second.Stderr();
  first.Signal(SIGTERM);
  first.Wait(20s);

  auto list = grid.Cli({"token", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::map<std::string, std::string> states;
  nlohmann::json tokens = list.Json()["tokens"];
  for (const auto& t : tokens) states[t["name"].get<std::string>()] = t["state"].get<std::string>();
  EXPECT_EQ(states["brief"], "expired");
  EXPECT_EQ(states["alice"], "revoked");
  EXPECT_EQ(states["one-desk"], "used up");
  EXPECT_EQ(states["admin"], "active");
  EXPECT_EQ(list.out.find("glt_"), std::string::npos) << "secrets must never be listed";
}

TEST(Security, ARevokedHostIsRefusedAndItsWorkFinishesElsewhere) {
  Grid grid;
  auto& doomed = grid.StartAgent("doomed");
  auto submit = grid.Cli({"submit", "--", "sh", "-c", "sleep 2; echo finished"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return grid.Tasks(job)[0]["state"] == "running"; }, 60s));
  EXPECT_EQ(grid.Tasks(job)[0]["host"], "doomed");

  auto revoked = grid.Cli({"host", "revoke", "doomed"});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(doomed.Wait(60s), 0);
  EXPECT_NE(doomed.Stderr().find("was revoked by an admin"), std::string::npos) << doomed.Stderr();

  grid.StartAgent("spare");
  auto waited = grid.Cli({"wait", job}, 120s);
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  auto task = grid.Tasks(job)[0];
  EXPECT_EQ(task["state"], "done");
  EXPECT_EQ(task["host"], "spare");

  nlohmann::json hosts = grid.Cli({"hosts", "--json"}).Json()["hosts"];
  for (const auto& h : hosts) {
    if (h["facts"]["hostname"] == "doomed") {
      EXPECT_GT(h["revoked_at"].get<int64_t>(), 0);
    }
  }
}

TEST(Security, TheAuditLogSaysWhoDidWhatFromWhereAndOnlyAdminsReadIt) {
  Grid grid;
  std::string viewer = CreateToken(grid, {"--role", "viewer", "--name", "auditor"});
  EXPECT_EQ(grid.Cli({"token", "revoke", "auditor"}).exit_code, 0);
  auto refused = CliWithToken(grid, viewer, {"jobs"});  // revoked: refused, and audited
  EXPECT_NE(refused.exit_code, 0);
  auto bogus = grid.Http("glt_no-such-token").Send("GET", "/api/v1/jobs");
  ASSERT_TRUE(bogus.ok());
  EXPECT_EQ(bogus->status, 401);
  EXPECT_EQ(grid.Cli({"policy", "set", "--start-after", "1m"}).exit_code, 0);

  std::string submitter = CreateToken(grid, {"--role", "submitter", "--name", "curious"});
  auto forbidden = grid.Http(submitter).Send("GET", "/api/v1/audit");
  ASSERT_TRUE(forbidden.ok());
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_NE(forbidden->body.find("only an admin reads the audit log"), std::string::npos) << forbidden->body;

  auto audit = grid.Cli({"audit", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  std::multimap<std::string, nlohmann::json> by_action;
  nlohmann::json events = audit.Json()["events"];
  for (const auto& e : events) by_action.emplace(e["action"].get<std::string>(), e);
  ASSERT_TRUE(by_action.count("token.create") >= 2) << audit.out;
  ASSERT_EQ(by_action.count("token.revoke"), 1u) << audit.out;
  auto revoke = by_action.find("token.revoke")->second;
  EXPECT_EQ(revoke["who"], "admin");
  EXPECT_EQ(revoke["role"], "admin");
  EXPECT_EQ(revoke["peer"], "127.0.0.1");
  EXPECT_EQ(by_action.count("policy.set"), 1u);
  ASSERT_GE(by_action.count("auth.refused"), 3u) << audit.out;
  bool saw_revoked_reason = false, saw_forbidden = false;
  for (auto [it, end] = by_action.equal_range("auth.refused"); it != end; ++it) {
    EXPECT_EQ(it->second["outcome"], "refused");
    std::string detail = it->second["detail"];
    saw_revoked_reason |= detail.find("'auditor' was revoked") != std::string::npos;
    saw_forbidden |= it->second["who"] == "curious" && it->second["target"] == "GET /api/v1/audit";
  }
  EXPECT_TRUE(saw_revoked_reason) << audit.out;
  EXPECT_TRUE(saw_forbidden) << audit.out;

  nlohmann::json tokens_only = grid.Cli({"audit", "--action", "token", "--json"}).Json()["events"];
  EXPECT_GE(tokens_only.size(), 3u);
  for (const auto& e : tokens_only) EXPECT_EQ(e["action"].get<std::string>().rfind("token.", 0), 0u);
}

// The attempt of issue 20: an ordinary submitter asks for network to reach
// the desktop's own services. It is refused before the job exists, saying
// who can grant network; a granted token's job has it, and both are audited.
TEST(Security, NetworkIsOnlyByAnAdminsGrantAndEveryUseIsAudited) {
  Grid grid;
  std::string mallory = CreateToken(grid, {"--role", "submitter", "--name", "mallory"});
  auto hostile = CliWithToken(grid, mallory, {"submit", "--network", "--", "bash", "-c",
                                              "exec 3<>/dev/tcp/127.0.0.1/7272 && echo CONNECTED"});
  EXPECT_EQ(hostile.exit_code, 2) << hostile.out << hostile.err;
  EXPECT_NE(hostile.err.find("the submitter token 'mallory' was not granted network"), std::string::npos)
      << hostile.err;
  EXPECT_NE(hostile.err.find("only an admin can grant it"), std::string::npos) << hostile.err;
  EXPECT_NE(hostile.err.find("gleaner token create --role submitter --allow-network"), std::string::npos)
      << hostile.err;
  EXPECT_EQ(grid.Cli({"jobs", "--json"}).Json()["jobs"].size(), 0u) << "a refused job must not exist";

  auto not_for_viewers = grid.Cli({"token", "create", "--role", "viewer", "--allow-network"});
  EXPECT_EQ(not_for_viewers.exit_code, 2);
  EXPECT_NE(not_for_viewers.err.find("submitter tokens only"), std::string::npos) << not_for_viewers.err;

  std::string render = CreateToken(grid, {"--role", "submitter", "--name", "render", "--allow-network"});
  auto listed = grid.Cli({"token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("NETWORK"), std::string::npos) << listed.out;
  std::map<std::string, bool> granted;
  nlohmann::json tokens = grid.Cli({"token", "list", "--json"}).Json()["tokens"];
  for (const auto& t : tokens) {
    granted[t["name"].get<std::string>()] = t["allow_network"].get<bool>();
  }
  EXPECT_TRUE(granted["render"]);
  EXPECT_FALSE(granted["mallory"]);

  auto submitted = CliWithToken(grid, render, {"submit", "--network", "--", "true"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  std::string job = submitted.out.substr(0, submitted.out.find('\n'));
  auto shown = grid.Cli({"job", job});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("yes: a network of its own"), std::string::npos) << shown.out;
  auto plain = CliWithToken(grid, mallory, {"submit", "--", "true"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(grid.Cli({"job", plain.out.substr(0, plain.out.find('\n'))}).out.find("none"), std::string::npos);

  nlohmann::json events = grid.Cli({"audit", "--json"}).Json()["events"];
  bool grant_recorded = false, use_recorded = false, refusal_recorded = false;
  for (const auto& e : events) {
    std::string action = e["action"], who = e["who"], detail = e["detail"];
    grant_recorded |= action == "token.create" && detail.find("'render'") != std::string::npos &&
                      detail.find("network granted") != std::string::npos;
    use_recorded |= action == "job.network" && who == "render" && e["target"] == "job " + job;
    refusal_recorded |= action == "auth.refused" && who == "mallory" && detail.find("not granted network") != std::string::npos;
  }
  EXPECT_TRUE(grant_recorded) << events.dump(1);
  EXPECT_TRUE(use_recorded) << events.dump(1);
  EXPECT_TRUE(refusal_recorded) << events.dump(1);
}

}  // namespace
}  // namespace gleaner::testing
