// A server on `--store postgresql://…` against a PostgreSQL the test starts
// itself: a job runs end to end on agents, and a server killed with SIGKILL
// mid-job comes back from PostgreSQL with nothing lost.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <csignal>
#include <filesystem>
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
}

}  // namespace
}  // namespace gleaner::testing
