// A server on `--store postgresql://…` against a PostgreSQL the test starts
// itself: a job runs end to end on agents, and a server killed with SIGKILL
// mid-job comes back from PostgreSQL with nothing lost.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "harness.h"
#include "postgres_cluster.h"

namespace gleaner::testing {
namespace {

int CountState(const nlohmann::json& tasks, const std::string& state) {
  int n = 0;
  for (const auto& t : tasks) n += t["state"] == state;
  return n;
}

// The one number `sql` returns from the database at `url`; -1 on an error.
long long QueryNumber(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  long long n = -1;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) n = std::atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
  }
  PQfinish(conn);
  return n;
}

class PostgresServer : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    cluster_ = PostgresCluster::Start("", &why);  // fsync on: as in production
    if (!cluster_) GTEST_SKIP() << why;
    url_ = cluster_->NewDatabase();
    ASSERT_FALSE(url_.empty());
  }
  std::unique_ptr<PostgresCluster> cluster_;
  std::string url_;
};

TEST_F(PostgresServer, ADatabaseWithoutTheSchemaIsRefusedWithoutInit) {
  TempDir dir;
  Process server({GleanerBinary(), "server", "--data", dir / "data", "--listen", "127.0.0.1:0", "--store", url_},
                 {}, dir / "server");
  int exit_code = server.Wait(20s);
  EXPECT_EQ(exit_code, 2);  // the caller can fix it: --init
  EXPECT_NE((server.Stdout() + server.Stderr()).find("--init"), std::string::npos) << server.Stderr();
}

TEST_F(PostgresServer, KilledServerComesBackFromPostgresAndEveryTaskIsDoneOnce) {
  Grid grid({"--lease", "3s", "--poll", "200ms", "--store", url_, "--init"});
  grid.StartAgent("pc1", 2);
  grid.StartAgent("pc2", 2);
  constexpr int kTasks = 24;
  auto submit = grid.Cli({"submit", "-n", std::to_string(kTasks), "--output", "result", "--", "sh", "-c",
                          "sleep 0.3; echo {i} > result"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "done") >= 4; }, 60s));
  grid.KillServer(SIGKILL);
  // What the server acknowledged is in PostgreSQL, none of it in --data.
  EXPECT_FALSE(std::filesystem::exists(grid.dir() / "data/gleaner.db"));
  EXPECT_EQ(QueryNumber(url_, "SELECT COUNT(*) FROM jobs"), 1);
  long long done_before = QueryNumber(url_, "SELECT COUNT(*) FROM tasks WHERE state = 'done'");
  EXPECT_GE(done_before, 4);
  std::this_thread::sleep_for(500ms);  // agents keep working and find the server gone
  grid.StartServer();
  EXPECT_GE(CountState(grid.Tasks(job), "done"), done_before);

  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  std::string out = grid.dir() / "results";
  ASSERT_EQ(grid.Cli({"fetch", job, "--to", out}).exit_code, 0);
  auto tasks = grid.Tasks(job);
  for (int i = 0; i < kTasks; ++i) {
    EXPECT_EQ(tasks[i]["state"], "done");
    EXPECT_EQ(ReadFileOrEmpty(out + "/" + std::to_string(i) + "/result"), std::to_string(i) + "\n");
  }
  // Each task accepted one successful attempt, and the store agrees.
  EXPECT_EQ(QueryNumber(url_, "SELECT COUNT(*) FROM tasks WHERE state = 'done'"), kTasks);
  EXPECT_EQ(QueryNumber(url_,
                        "SELECT COUNT(*) FROM tasks t JOIN attempts a ON a.id = (t.outcome::jsonb->>'attempt_id')::bigint "
                        "AND a.state = 'succeeded' AND a.job_id = t.job_id AND a.idx = t.idx"),
            kTasks);
  auto job_view = grid.Cli({"job", job, "--json"}).Json();
  EXPECT_EQ(job_view["counts"]["done"], kTasks);
  EXPECT_EQ(job_view["state"], "done");
  auto check = grid.Cli({"check", "--data", grid.dir() / "data", "--store", url_});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("store is sound"), std::string::npos) << check.out;
  // An online backup of the PostgreSQL store restores into another database.
  std::string backup = grid.dir() / "backup";
  auto backed_up = grid.Cli({"backup", "--to", backup});
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.out << backed_up.err;
  std::string other = cluster_->NewDatabase();
  auto restored = grid.Cli({"restore", "--from", backup, "--data", grid.dir() / "restored", "--store", other});
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_EQ(QueryNumber(other, "SELECT COUNT(*) FROM tasks WHERE state = 'done'"), kTasks);
  EXPECT_EQ(QueryNumber(other, "SELECT COUNT(*) FROM audit"), QueryNumber(url_, "SELECT COUNT(*) FROM audit"));
}

// The standby of `grid`'s leader: same store, blobs and CA; on the same
// address unless `listen` says another.
std::unique_ptr<Process> StartStandby(Grid& grid, const TempDir& shared, const std::vector<std::string>& flags,
                                      std::string listen = "") {
  if (listen.empty()) listen = "127.0.0.1:" + std::to_string(grid.port());
  std::string data = shared / "standby";
  std::filesystem::create_directories(data);
  std::filesystem::copy(grid.dir() / "data/tls", data + "/tls", std::filesystem::copy_options::recursive);
  std::vector<std::string> argv = {GleanerBinary(), "server", "--data", data, "--listen", listen};
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto standby = std::make_unique<Process>(argv, std::map<std::string, std::string>{}, shared / "standby-log");
  bool waiting = WaitFor([&] { return (standby->Stdout() + standby->Stderr()).find("standby:") != std::string::npos; },
                         20s);
  EXPECT_TRUE(waiting) << standby->Stdout() << standby->Stderr();
  return standby;
}

// Two servers on one store: the leader is killed mid-job, the standby takes
// over on the same address within 15 s, and the job completes, each task
// accepted once. The standby shares the leader's blobs (--blobs) and CA (a
// copy of <data>/tls), as docs/operations.md says it must.
TEST_F(PostgresServer, StandbyTakesOverFromAKilledLeaderWithinFifteenSeconds) {
  TempDir shared;
  std::string blobs = shared / "blobs";
  std::vector<std::string> common = {"--lease", "3s", "--poll", "200ms", "--store", url_,
                                     "--blobs", blobs, "--leader-lease", "3s"};
  std::vector<std::string> leader_flags = common;
  leader_flags.push_back("--init");
  Grid grid(leader_flags);
  std::string standby_data = shared / "standby";
  auto standby_process = StartStandby(grid, shared, common);
  Process& standby = *standby_process;
  EXPECT_FALSE(std::filesystem::exists(standby_data + "/server.url"));  // it serves nothing while it stands by

  grid.StartAgent("pc1", 2);
  grid.StartAgent("pc2", 2);
  constexpr int kTasks = 300;
  auto submit = grid.Cli({"submit", "-n", std::to_string(kTasks), "--output", "result", "--", "sh", "-c",
                          "echo {i} > result"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "done") >= 30; }, 60s));
  grid.KillServer(SIGKILL);
  auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(standby_data + "/server.url"); }, 20s))
      << standby.Stderr();
  auto takeover = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed);
  EXPECT_LT(takeover, 15s);
  std::cerr << "takeover after SIGKILL of the leader: " << takeover.count() << " ms\n";

  // The same address, the same CA and tokens: the CLI and the agents carry on.
  auto wait = grid.Cli({"wait", job, "--timeout", "3m"}, 200s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err << standby.Stderr();
  std::string out = grid.dir() / "results";
  ASSERT_EQ(grid.Cli({"fetch", job, "--to", out}).exit_code, 0);
  for (int i = 0; i < kTasks; ++i) {
    EXPECT_EQ(ReadFileOrEmpty(out + "/" + std::to_string(i) + "/result"), std::to_string(i) + "\n") << i;
  }
  EXPECT_EQ(QueryNumber(url_,
                        "SELECT COUNT(*) FROM tasks t JOIN attempts a ON a.id = (t.outcome::jsonb->>'attempt_id')::bigint "
                        "AND a.state = 'succeeded' AND a.job_id = t.job_id AND a.idx = t.idx WHERE t.state = 'done'"),
            kTasks);
  EXPECT_EQ(QueryNumber(url_, "SELECT epoch FROM leader"), 2);
}

// A leader frozen (SIGSTOP) past its lease loses the lead to the standby;
// thawed, it commits nothing under its old epoch and stops. (The frozen
// leader still holds its port, so here the standby has another, and an
// agent of its own.)
TEST_F(PostgresServer, AFrozenLeaderThawedAfterATakeoverCommitsNothingAndStops) {
  TempDir shared;
  std::vector<std::string> common = {"--lease", "3s", "--poll", "200ms", "--store", url_,
                                     "--blobs", shared / "blobs", "--leader-lease", "2s"};
  std::vector<std::string> leader_flags = common;
  leader_flags.push_back("--init");
  Grid grid(leader_flags);
  auto standby = StartStandby(grid, shared, common, "127.0.0.1:0");
  grid.StartAgent("pc1", 2);
  constexpr int kTasks = 100;
  auto submit = grid.Cli({"submit", "-n", std::to_string(kTasks), "--", "sh", "-c", "sleep 0.1"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "done") >= 5; }, 60s));
  grid.server().Signal(SIGSTOP);
  std::string standby_url_file = shared / "standby/server.url";
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(standby_url_file); }, 20s))
      << standby->Stdout() << standby->Stderr();
  EXPECT_EQ(QueryNumber(url_, "SELECT epoch FROM leader"), 2);
  std::string standby_url = LastLine(ReadFileOrEmpty(standby_url_file));
  grid.StartAgent("pc2", 2, {}, standby_url);
  grid.server().Signal(SIGCONT);
  // Thawed, it finds its epoch gone and stops, at once.
  EXPECT_NE(grid.server().Wait(10s), -1) << "the old leader still runs";
  EXPECT_NE((grid.server().Stdout() + grid.server().Stderr()).find("epoch 1"), std::string::npos)
      << grid.server().Stderr();
  Process wait({GleanerBinary(), "wait", job, "--timeout", "2m", "--server", standby_url, "--token",
                grid.admin_token()},
               {}, shared / "wait");
  ASSERT_EQ(wait.Wait(150s), 0) << wait.Stdout() << wait.Stderr() << standby->Stderr();
  EXPECT_EQ(QueryNumber(url_,
                        "SELECT COUNT(*) FROM tasks t JOIN attempts a ON a.id = (t.outcome::jsonb->>'attempt_id')::bigint "
                        "AND a.state = 'succeeded' AND a.job_id = t.job_id AND a.idx = t.idx WHERE t.state = 'done'"),
            kTasks);
  EXPECT_EQ(QueryNumber(url_, "SELECT epoch FROM leader"), 2);  // the old leader never took it back
}

}  // namespace
}  // namespace gleaner::testing
