// Result validation on real processes (docs/validation.md): three agents, one
// of which lies: gleaner-lying-agent, built beside gleaner with the tests. Every task's accepted
// result is the true one, and the liar's reliability shows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "harness.h"

namespace gleaner::testing {
namespace {

// The liar: an agent whose every result is altered before upload.
std::unique_ptr<Process> StartLiar(Grid& grid) {
  std::string work = grid.dir() / "agent-liar";
  std::filesystem::create_directories(work);
  std::string binary = (std::filesystem::path(GleanerBinary()).parent_path() / "gleaner-lying-agent").string();
  std::vector<std::string> argv = {binary, "agent", "--server", grid.url(), "--join", grid.JoinToken(),
                                   "--work", work, "--slots", "2", "--name", "liar"};
  return std::make_unique<Process>(argv, std::map<std::string, std::string>{}, work + "-log");
}

nlohmann::json HostNamed(Grid& grid, const std::string& name) {
  auto r = grid.Cli({"hosts", "--json"});
  if (r.exit_code != 0) return {};
  nlohmann::json list = r.Json();
  for (const auto& h : list["hosts"]) {
    if (h["facts"]["hostname"] == name) return h;
  }
  return {};
}

TEST(Quorum, NoWrongResultIsAcceptedFromALyingAgent) {
  constexpr int kTasks = 8;
  Grid grid;
  std::unique_ptr<Process> liar = StartLiar(grid);
  ASSERT_TRUE(WaitFor([&] { return !HostNamed(grid, "liar").is_null(); }, 60s))
      << grid.Cli({"hosts", "--json"}).out << liar->Stderr();
  // The liar enrolled first, so it takes replicas of the first tasks.
  auto submit = grid.Cli({"submit", "-n", std::to_string(kTasks), "--replicas", "2", "--quorum", "2", "--output",
                          "out.txt", "--", "sh", "-c", "echo $(({i} * {i})); echo {i} > out.txt"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return HostNamed(grid, "liar")["slots_used"] == 2; }, 60s)) << liar->Stderr();
  grid.StartAgent("honest1", 2);
  grid.StartAgent("honest2", 2);

  auto wait = grid.Cli({"wait", job, "--timeout", "3m"}, 200s);
  ASSERT_EQ(wait.exit_code, 0) << wait.out << wait.err << "\n" << grid.Tasks(job).dump(1);
  auto tasks = grid.Tasks(job);
  ASSERT_EQ(tasks.size(), static_cast<size_t>(kTasks));
  for (const auto& t : tasks) {
    EXPECT_EQ(t["state"], "done") << t.dump();
    EXPECT_NE(t["host"], "liar") << t.dump();
    EXPECT_EQ(t["validation"].get<std::string>().rfind("accepted: 2 of", 0), 0u) << t.dump();
  }
  std::string out = grid.dir() / "out";
  auto fetch = grid.Cli({"fetch", job, "--to", out});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  for (int i = 0; i < kTasks; ++i) {
    std::string dir = out + "/" + std::to_string(i);
    EXPECT_EQ(ReadFileOrEmpty(dir + "/stdout"), std::to_string(i * i) + "\n") << "task " << i;
    EXPECT_EQ(ReadFileOrEmpty(dir + "/out.txt"), std::to_string(i) + "\n") << "task " << i;
  }

  auto lying = HostNamed(grid, "liar");
  std::cout << "liar: " << lying["agreements"] << " agreements, " << lying["disagreements"] << " disagreements\n";
  EXPECT_GE(lying["disagreements"].get<int>(), 2);
  EXPECT_EQ(lying["agreements"], 0);
  EXPECT_EQ(lying["reliability"], 0.0);
  for (const char* name : {"honest1", "honest2"}) {
    auto honest = HostNamed(grid, name);
    EXPECT_EQ(honest["disagreements"], 0) << honest.dump();
    if (honest["agreements"].get<int>() > 0) {
      EXPECT_EQ(honest["reliability"], 1.0) << honest.dump();
    }
  }
  auto hosts = grid.Cli({"hosts"});
  EXPECT_NE(hosts.out.find("RELIABILITY"), std::string::npos) << hosts.out;
  EXPECT_NE(hosts.out.find("0% (0/"), std::string::npos) << hosts.out;
  auto table = grid.Cli({"tasks", job});
  EXPECT_NE(table.out.find("VALIDATION"), std::string::npos) << table.out;
  EXPECT_NE(liar->Stderr().find("TEST FAULT SWITCH ON"), std::string::npos);
}

// SIGKILLs the server while some tasks are done and others hold part of
// their quorum (or, with a tolerance, wait for a comparison), restarts it,
// and checks that every task ends with a true result: task i's stdout starts
// with i * i, and the liar's results were never accepted.
void KillServerMidValidation(const std::vector<std::string>& validation, const std::string& command) {
  constexpr int kTasks = 12;
  Grid grid;
  std::unique_ptr<Process> liar = StartLiar(grid);
  grid.StartAgent("honest1", 2);
  grid.StartAgent("honest2", 2);
  std::vector<std::string> args = {"submit", "-n", std::to_string(kTasks), "--replicas", "2"};
  args.insert(args.end(), validation.begin(), validation.end());
  args.insert(args.end(), {"--", "sh", "-c", command});
  auto submit = grid.Cli(args);
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] {
    int done = 0, partial = 0;
    for (const auto& t : grid.Tasks(job)) {
      done += t["state"] == "done";
      partial += t.value("validation", "").rfind("1 of 2", 0) == 0;
    }
    return done >= 2 && partial >= 1;
  }, 90s)) << grid.Tasks(job).dump(1);
  grid.KillServer(SIGKILL);
  std::this_thread::sleep_for(500ms);
  grid.StartServer();

  auto wait = grid.Cli({"wait", job, "--timeout", "3m"}, 200s);
  ASSERT_EQ(wait.exit_code, 0) << wait.out << wait.err << "\n" << grid.Tasks(job).dump(1);
  std::string out = grid.dir() / "out";
  ASSERT_EQ(grid.Cli({"fetch", job, "--to", out}).exit_code, 0);
  for (int i = 0; i < kTasks; ++i) {
    std::string stdout_text = ReadFileOrEmpty(out + "/" + std::to_string(i) + "/stdout");
    EXPECT_EQ(stdout_text.substr(0, stdout_text.find_first_of(" \n")), std::to_string(i * i)) << i;
    EXPECT_EQ(std::count(stdout_text.begin(), stdout_text.end(), '\n'), 1) << "task " << i << ": " << stdout_text;
  }
  for (const auto& t : grid.Tasks(job)) EXPECT_NE(t["host"], "liar") << t.dump();
  auto lying = HostNamed(grid, "liar");
  std::cout << "liar: " << lying["agreements"] << " agreements, " << lying["disagreements"] << " disagreements\n";
  EXPECT_EQ(lying["agreements"], 0);
  EXPECT_GE(lying["disagreements"].get<int>(), 1);
}

TEST(Quorum, ServerKilledMidValidationStillAcceptsOnlyTrueResults) {
  KillServerMidValidation({}, "sleep 0.4; echo $(({i} * {i}))");
}

// Every honest result differs in its bytes here, so each one waits for a
// comparison, and the kill lands among them.
TEST(Quorum, ServerKilledMidComparisonStillAcceptsOnlyTrueResults) {
  KillServerMidValidation({"--tolerance", "1e-6"},
                          "sleep 0.4; printf '%s 1.%09d\\n' $(({i} * {i})) $GLEANER_ATTEMPT_ID");
}

// Floating-point programs rarely give bit-equal results on different
// machines. Each attempt here prints numbers that differ in the ninth
// decimal place (from its attempt id): a tolerance of 1e-6 lets them agree,
// one of 1e-12 does not, and the failure says where they differed.
TEST(Quorum, AToleranceLetsNearlyEqualNumbersAgreeAndATooTightOneSaysWhere) {
  Grid grid;
  for (const char* name : {"pc1", "pc2", "pc3", "pc4"}) grid.StartAgent(name, 1);
  const std::string noisy =
      "printf '%s 1.%09d\\n' {i} $GLEANER_ATTEMPT_ID; printf 'x = 2.%09d\\n' $GLEANER_ATTEMPT_ID > out.txt";
  auto loose = grid.Cli({"submit", "-n", "4", "--replicas", "2", "--tolerance", "1e-6", "--output", "out.txt", "--",
                         "sh", "-c", noisy});
  ASSERT_EQ(loose.exit_code, 0) << loose.err;
  std::string job = loose.out.substr(0, loose.out.find('\n'));
  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.out << wait.err << "\n" << grid.Tasks(job).dump(1);
  for (const auto& t : grid.Tasks(job)) {
    EXPECT_EQ(t["state"], "done") << t.dump();
    EXPECT_EQ(t["validation"], "accepted: 2 of 2 results agree (quorum 2)") << t.dump();
  }

  auto tight = grid.Cli({"submit", "--replicas", "2", "--tolerance", "1e-12", "--output", "out.txt", "--", "sh",
                         "-c", noisy});
  ASSERT_EQ(tight.exit_code, 0) << tight.err;
  job = tight.out.substr(0, tight.out.find('\n'));
  grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  auto tasks = grid.Tasks(job);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]["state"], "failed") << tasks[0].dump();
  std::string reason = tasks[0].value("reason", "");
  EXPECT_NE(reason.find("4 hosts returned 4 different results"), std::string::npos) << reason;
  EXPECT_NE(reason.find("'s result differs from "), std::string::npos) << reason;
  EXPECT_NE(reason.find("stdout line 1, field 2: "), std::string::npos) << reason;
  EXPECT_NE(reason.find("tolerance relative 1e-12"), std::string::npos) << reason;

  auto refused = grid.Cli({"submit", "--tolerance", "1e-6", "--", "true"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("a tolerance compares the results of replicas: add --replicas 2 or more"),
            std::string::npos)
      << refused.err;
}

// An admin's validator program decides for outputs no tolerance fits: here
// each replica's stdout starts with its own attempt id, which the validator
// ignores, so the bytes always differ and only the validator can agree.
TEST(Quorum, AnAdminsValidatorDecidesWhetherReplicasAgree) {
  std::string validator = ::testing::TempDir() + "/ignore-attempt-validator";
  {
    std::ofstream script(validator);
    script << "#!/bin/sh\n"
              "if [ \"$(grep -v '^attempt' a/stdout)\" = \"$(grep -v '^attempt' b/stdout)\" ]; then exit 0; fi\n"
              "echo 'different results'; exit 1\n";
  }
  std::filesystem::permissions(validator, std::filesystem::perms::owner_all | std::filesystem::perms::others_read |
                                              std::filesystem::perms::others_exec);
  Grid grid({"--lease", "3s", "--poll", "200ms", "--validator", "ignore-attempt=" + validator});
  grid.StartAgent("pc1", 2);
  grid.StartAgent("pc2", 2);
  auto submit = grid.Cli({"submit", "-n", "4", "--replicas", "2", "--validator", "ignore-attempt", "--", "sh", "-c",
                          "echo attempt $GLEANER_ATTEMPT_ID; echo $(({i} * {i}))"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.out << wait.err << "\n" << grid.Tasks(job).dump(1);
  for (const auto& t : grid.Tasks(job)) {
    EXPECT_EQ(t["validation"], "accepted: 2 of 2 results agree (quorum 2)") << t.dump();
  }

  auto unknown = grid.Cli({"submit", "--replicas", "2", "--validator", "nope", "--", "true"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("this server has no validator named 'nope'; it has: ignore-attempt"), std::string::npos)
      << unknown.err;
}

TEST(Quorum, SubmitRefusesAQuorumLargerThanTheReplicas) {
  Grid grid;
  auto r = grid.Cli({"submit", "--replicas", "2", "--quorum", "3", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--quorum 3 is more than --replicas 2"), std::string::npos) << r.err;
  r = grid.Cli({"submit", "--replicas", "11", "--", "true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("replicas must be between 1 and 10, not 11"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gleaner::testing
