#include "postgres_cluster.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

namespace gleaner::testing {

namespace {

std::string BinDir() {
  const char* env = std::getenv("GLEANER_PG_BIN");
  return env && *env ? env : "/usr/lib/postgresql/15/bin";
}

// PostgreSQL refuses to run as root: then its commands run as `postgres`.
std::string AsOwner(const std::string& command) {
  if (::geteuid() != 0) return command;
  return "runuser -u postgres -- " + command;
}

bool Shell(const std::string& command) { return std::system(command.c_str()) == 0; }

}  // namespace

std::string PostgresCluster::Unavailable() {
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    if (::access((BinDir() + "/" + tool).c_str(), X_OK) != 0) {
      return "PostgreSQL 15 is not installed (no " + BinDir() + "/" + tool + "): scripts/setup installs postgresql-15";
    }
  }
  if (::geteuid() == 0 && ::getpwnam("postgres") == nullptr) {
    return "running as root, but there is no `postgres` user to run PostgreSQL as";
  }
  return "";
}

std::unique_ptr<PostgresCluster> PostgresCluster::Start(const std::string& settings, std::string* why) {
  *why = Unavailable();
  if (!why->empty()) return nullptr;
  std::string pattern = (std::filesystem::temp_directory_path() / "gleaner-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    *why = "cannot make a temp dir";
    return nullptr;
  }
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster(pattern));
  cluster->settings_ = settings;
  if (::geteuid() == 0 && !Shell("chown postgres: " + pattern)) {
    *why = "cannot give " + pattern + " to the postgres user";
    return nullptr;
  }
  std::string log = pattern + "/initdb.log";
  if (!Shell("timeout 120 " + AsOwner(BinDir() + "/initdb -D " + pattern + "/data -U postgres --auth=trust " +
                                      "--no-sync -E UTF8 --locale=C.UTF-8") +
             " >" + log + " 2>&1")) {
    *why = "initdb failed; see " + log;
    return nullptr;
  }
  if (!cluster->Ctl("start")) {
    *why = "pg_ctl start failed; see " + pattern + "/postgres.log";
    return nullptr;
  }
  return cluster;
}

PostgresCluster::~PostgresCluster() {
  if (std::filesystem::exists(dir_ + "/data/postmaster.pid")) (void)Ctl("stop");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool PostgresCluster::Ctl(const std::string& action) {
  // Only a Unix socket in dir_: no port to collide with another test's.
  std::string options = "-c listen_addresses='' -c unix_socket_directories=" + dir_ + " " + settings_;
  std::string command = BinDir() + "/pg_ctl -D " + dir_ + "/data -w -t 60 -l " + dir_ + "/postgres.log ";
  if (action == "start") {
    command += "-o \"" + options + "\" start";
  } else {
    command += "-m immediate stop";
  }
  return Shell("timeout 90 " + AsOwner(command) + " >>" + dir_ + "/pg_ctl.log 2>&1");
}

bool PostgresCluster::Restart() { return Ctl("stop") && Ctl("start"); }

std::string PostgresCluster::Url(const std::string& name) const {
  return "postgresql://postgres@/" + name + "?host=" + dir_;
}

std::string PostgresCluster::NewDatabase() {
  std::string name = "gleaner_" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb(Url("postgres").c_str());
  bool made = PQstatus(conn) == CONNECTION_OK;
  if (made) {
    PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    made = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(conn);
  return made ? Url(name) : "";
}

}  // namespace gleaner::testing
