// Test harness for integration tests: real `gleaner` processes on 127.0.0.1
// ephemeral ports, in a temp directory that is removed afterwards.
//
// Every process started here is killed and reaped when its owner goes out of
// scope, and every wait has a deadline, so a failing test cannot hang CI or
// leave processes behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/http_client.h"

namespace gleaner::testing {

using namespace std::chrono_literals;

// The binary under test: $GLEANER_BINARY, set by CTest.
std::string GleanerBinary();

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A child process with stdout and stderr in files.
class Process {
 public:
  Process(std::vector<std::string> argv, std::map<std::string, std::string> env, const std::string& log_prefix);
  ~Process();  // SIGKILL and reap if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Exit status (or 128+signal), or -1 if still running at the deadline.
  int Wait(std::chrono::milliseconds deadline);
  bool Running();
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_path_, err_path_;
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json Json() const { return nlohmann::json::parse(out); }
};

// Polls `condition` every 50 ms until it holds or `deadline` passes.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline);

// A server with its data dir, and the means to run the CLI and agents
// against it.
class Grid {
 public:
  explicit Grid(std::vector<std::string> server_flags = {"--lease", "3s", "--poll", "200ms"});
  ~Grid();

  // (Re)starts the server on the same data dir and, after the first start,
  // the same port, so agents find it again.
  void StartServer();
  void KillServer(int sig = 9);
  Process& server() { return *server_; }

  const std::string& url() const { return url_; }
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  const std::string& admin_token() const { return admin_token_; }
  // A raw HTTP client for the server, trusting its CA, sending `token` (a
  // token string or a bare secret, sent as it is when it is neither).
  HttpClient Http(const std::string& token = "") const;
  const TempDir& dir() const { return dir_; }

  // Runs `gleaner ARGS` as a client with GLEANER_SERVER/GLEANER_TOKEN set.
  CliResult Cli(std::vector<std::string> args, std::chrono::milliseconds deadline = 60s);
  // A join token for agents.
  std::string JoinToken();
  // Starts an agent named `name` with its own work dir, and `extra_flags`,
  // talking to the server directly or through `via_url` (a proxy, say).
  Process& StartAgent(const std::string& name, int slots = 1, const std::vector<std::string>& extra_flags = {},
                      const std::string& via_url = "");
  void KillAgent(const std::string& name, int sig = 9);
  // GET /api/v1/jobs/<id>/tasks as JSON.
  nlohmann::json Tasks(const std::string& job_id);

 private:
  std::vector<std::string> server_flags_;
  TempDir dir_;
  std::unique_ptr<Process> server_;
  std::string listen_ = "127.0.0.1:0";
  std::string url_;
  std::string admin_token_;
  std::string join_token_;
  std::map<std::string, std::unique_ptr<Process>> agents_;
  int server_starts_ = 0;
};

std::string ReadFileOrEmpty(const std::string& path);
// The last non-empty line of a command's output (e.g. a token string).
std::string LastLine(const std::string& text);
void WriteExecutable(const std::string& path, const std::string& content);

}  // namespace gleaner::testing
