// Tasks run by a real agent inside bubblewrap try to reach the network, write
// into the agent's directory and the system, read the agent's credential and
// kill other processes; each attempt fails and the task's stdout shows it
// tried. A job that asks for the network gets it. An agent whose sandbox does
// not work says so in `gleaner hosts` and runs nothing unless it was started
// with --allow-unsandboxed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "../support/loopback_listener.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

using Listener = test_support::LoopbackListener;

// `sleep 600` as the user tasks run as (gleaner when we are root), killed and
// reaped on destruction.
class Victim {
 public:
  Victim() {
    passwd* user = ::geteuid() == 0 ? ::getpwnam("gleaner") : nullptr;
    pid_ = ::fork();
    if (pid_ == 0) {
      if (user && (::setgid(user->pw_gid) != 0 || ::setuid(user->pw_uid) != 0)) ::_exit(1);
      ::execl("/bin/sleep", "sleep", "600", nullptr);
      ::_exit(1);
    }
  }
  ~Victim() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  bool Alive() const { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

std::string JobIdOf(const CliResult& submit) { return submit.out.substr(0, submit.out.find('\n')); }

nlohmann::json HostNamed(Grid& grid, const std::string& name) {
  nlohmann::json list = grid.Cli({"hosts", "--json"}).Json();
  for (const auto& host : list["hosts"]) {
    if (host["facts"]["hostname"] == name) return host;
  }
  return nullptr;
}

std::string HostsText(Grid& grid) {
  auto hosts = grid.Cli({"hosts", "--json"});
  return "gleaner hosts: " + hosts.out + hosts.err;
}

bool Online(Grid& grid, const std::string& name) {
  auto host = HostNamed(grid, name);
  return !host.is_null() && host["online"] == true;
}

// Runs `script` as a one-task job and returns its stdout.
std::string RunJob(Grid& grid, const std::string& script, std::vector<std::string> flags) {
  std::string path = grid.dir() / "attempts.sh";
  WriteExecutable(path, script);
  std::vector<std::string> args = {"submit", "--input", path, "--max-retries", "0"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {"--", "./attempts.sh"});
  auto submit = grid.Cli(args);
  EXPECT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = JobIdOf(submit);
  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  EXPECT_EQ(wait.exit_code, 0) << wait.err << wait.out;
  std::string out = grid.dir() / ("results-" + job);
  auto fetch = grid.Cli({"fetch", job, "--to", out});
  EXPECT_EQ(fetch.exit_code, 0) << fetch.err;
  return ReadFileOrEmpty(out + "/0/stdout") + ReadFileOrEmpty(out + "/0/stderr");
}

constexpr char kTry[] =
    "#!/bin/bash\n"
    "try() { what=$1; shift; if \"$@\"; then echo \"$what: DONE\"; else echo \"$what: refused\"; fi; }\n";

TEST(Sandbox, TasksCannotReachOutOfTheirSandbox) {
  Grid grid;
  auto& agent = grid.StartAgent("pc1", 1);
  ASSERT_TRUE(WaitFor([&] { return Online(grid, "pc1"); }, 30s)) << agent.Stderr() << HostsText(grid);
  EXPECT_EQ(HostNamed(grid, "pc1")["facts"]["sandbox"], "bubblewrap") << agent.Stderr();
  auto table = grid.Cli({"hosts"});
  EXPECT_NE(table.out.find("SANDBOX"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("bubblewrap"), std::string::npos) << table.out;

  Listener listener;
  Victim victim;
  std::string agent_dir = grid.dir() / "agent-pc1";
  ASSERT_TRUE(std::filesystem::exists(agent_dir + "/agent.json"));
  std::string script = std::string(kTry) +
                       "try network bash -c 'echo hi > /dev/tcp/127.0.0.1/" + listener.port_text() + "'\n" +
                       "try write-usr touch /usr/gleaner-escape\n" +
                       "try write-etc touch /etc/gleaner-escape\n" +
                       "try write-agent-cache touch " + agent_dir + "/cache/gleaner-escape\n" +
                       "try write-agent-pending touch " + agent_dir + "/pending/gleaner-escape\n" +
                       "try read-credential cat " + agent_dir + "/agent.json\n" +
                       "try kill-same-user kill -9 " + std::to_string(victim.pid()) + "\n" +
                       "try kill-agent kill -9 " + std::to_string(agent.pid()) + "\n";
  std::string out = RunJob(grid, script, {});
  std::cout << "the task's stdout and stderr:\n" << out;
  for (const char* what : {"network", "write-usr", "write-etc", "write-agent-cache", "write-agent-pending",
                           "read-credential", "kill-same-user", "kill-agent"}) {
    EXPECT_NE(out.find(std::string(what) + ": refused"), std::string::npos) << what << " was not refused:\n" << out;
  }
  // And each did try: the failures are the commands' own.
  EXPECT_NE(out.find("connect"), std::string::npos) << out;
  EXPECT_NE(out.find("Read-only file system"), std::string::npos) << out;
  EXPECT_NE(out.find("agent.json: No such file or directory"), std::string::npos) << out;
  EXPECT_NE(out.find("No such process"), std::string::npos) << out;
  EXPECT_EQ(out.find("\"credential\""), std::string::npos) << "the credential leaked:\n" << out;
  EXPECT_FALSE(listener.HasConnection());
  EXPECT_TRUE(victim.Alive());
  EXPECT_TRUE(agent.Running());
  EXPECT_FALSE(std::filesystem::exists(agent_dir + "/cache/gleaner-escape"));
  EXPECT_FALSE(std::filesystem::exists(agent_dir + "/pending/gleaner-escape"));
  EXPECT_FALSE(std::filesystem::exists("/etc/gleaner-escape"));

  // The same connection, from a job that asks for the network.
  out = RunJob(grid, std::string(kTry) + "try network bash -c 'echo hi > /dev/tcp/127.0.0.1/" + listener.port_text() +
                         "'\n",
               {"--network"});
  EXPECT_NE(out.find("network: DONE"), std::string::npos) << out;
  EXPECT_TRUE(listener.HasConnection());
}

TEST(Sandbox, AnAgentWithoutOneRunsNothingUnlessAllowed) {
  Grid grid;
  auto& strict = grid.StartAgent("strict", 1, {"--bwrap", "/nonexistent/bwrap"});
  ASSERT_TRUE(WaitFor([&] { return Online(grid, "strict"); }, 30s)) << strict.Stderr() << HostsText(grid);
  std::string sandbox = HostNamed(grid, "strict")["facts"]["sandbox"];
  EXPECT_EQ(sandbox, "none (bwrap missing: /nonexistent/bwrap: No such file or directory); runs no tasks");
  EXPECT_NE(strict.Stderr().find("NO SANDBOX"), std::string::npos) << strict.Stderr();
  EXPECT_NE(grid.Cli({"hosts"}).out.find("runs no tasks"), std::string::npos);

  std::string script = grid.dir() / "hello.sh";
  WriteExecutable(script, "#!/bin/sh\necho hello\n");
  auto submit = grid.Cli({"submit", "--input", script, "--", "./hello.sh"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = JobIdOf(submit);
  // Many syncs later (poll 200ms), the task still waits: the agent asked for none.
  int64_t seen = HostNamed(grid, "strict")["last_seen"];
  ASSERT_TRUE(WaitFor([&] { return HostNamed(grid, "strict")["last_seen"].get<int64_t>() > seen + 2000; }, 30s));
  EXPECT_EQ(grid.Tasks(job)[0]["state"], "queued");
  EXPECT_EQ(grid.Tasks(job)[0]["attempts"], 0);

  auto& lax = grid.StartAgent("lax", 1, {"--bwrap", "/nonexistent/bwrap", "--allow-unsandboxed"});
  ASSERT_TRUE(WaitFor([&] { return Online(grid, "lax"); }, 30s)) << lax.Stderr() << HostsText(grid);
  EXPECT_EQ(HostNamed(grid, "lax")["facts"]["sandbox"],
            "none (bwrap missing: /nonexistent/bwrap: No such file or directory; allowed by --allow-unsandboxed); "
            "runs tasks unsandboxed");
  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  EXPECT_EQ(wait.exit_code, 0) << wait.err;
  EXPECT_EQ(grid.Tasks(job)[0]["host"], "lax");
}

}  // namespace
}  // namespace gleaner::testing
