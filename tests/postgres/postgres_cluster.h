// PostgresCluster: a throwaway PostgreSQL 15 for tests. initdb into a new
// temp directory (as the unprivileged `postgres` user when the test runs as
// root), started by pg_ctl listening only on a Unix socket in that directory,
// stopped and removed by the destructor. Every step has a deadline.
#pragma once

#include <memory>
#include <string>

namespace gleaner::testing {

class PostgresCluster {
 public:
  // "" when a cluster can be started here, else why not (for GTEST_SKIP):
  // PostgreSQL 15's binaries are absent (scripts/setup installs them).
  static std::string Unavailable();
  // Starts a new cluster with `settings` (postgres -c options, e.g.
  // "-c fsync=off"); null, with the reason in `why`, when it cannot.
  static std::unique_ptr<PostgresCluster> Start(const std::string& settings, std::string* why);
  ~PostgresCluster();  // stopped (immediate) and removed
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // Creates a new, empty database and returns its postgresql:// URL.
  std::string NewDatabase();
  // The URL of the database `name`.
  std::string Url(const std::string& name) const;
  // Stops the cluster as a crash would (immediate) and starts it again.
  bool Restart();

 private:
  explicit PostgresCluster(std::string dir) : dir_(std::move(dir)) {}
  bool Ctl(const std::string& action);

  const std::string dir_;  // data/ and the socket live in it
  int databases_ = 0;
  std::string settings_;
};

}  // namespace gleaner::testing
