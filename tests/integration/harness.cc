#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "api/token_string.h"
#include "client/server_endpoint.h"

namespace gleaner::testing {

namespace fs = std::filesystem;

std::string GleanerBinary() {
  const char* b = std::getenv("GLEANER_BINARY");
  if (!b) throw std::runtime_error("GLEANER_BINARY is not set; run the tests through ctest");
  return b;
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

void WriteExecutable(const std::string& path, const std::string& content) {
  std::ofstream(path) << content;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "gleaner-it-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  // Agents running as root hand task dirs to an unprivileged user, who must
  // be able to reach them.
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                 const std::string& log_prefix)
    : out_path_(log_prefix + ".out"), err_path_(log_prefix + ".err") {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!env.count(kv.substr(0, kv.find('=')))) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> args, envp;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::setpgid(0, 0);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait(10s);
  }
}

void Process::Signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

int Process::Wait(std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!reaped_) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > until) return -1;
    std::this_thread::sleep_for(10ms);
  }
  return status_;
}

bool Process::Running() { return Wait(0ms) == -1; }
std::string Process::Stdout() const { return ReadFileOrEmpty(out_path_); }
std::string Process::Stderr() const { return ReadFileOrEmpty(err_path_); }

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

Grid::Grid(std::vector<std::string> server_flags) : server_flags_(std::move(server_flags)) { StartServer(); }

Grid::~Grid() {
  // Agents first, so they do not outlive their server in a retry loop; and
  // politely, so each kills its tasks' process groups: a task's own children
  // would outlive an agent that is SIGKILLed.
  for (auto& [name, agent] : agents_) agent->Signal(SIGTERM);
  for (auto& [name, agent] : agents_) agent->Wait(10s);
  agents_.clear();
  // The server politely too, so it removes what it keeps outside its data
  // directory (the validators' scratch space in /tmp).
  if (server_) {
    server_->Signal(SIGTERM);
    server_->Wait(10s);
  }
  server_.reset();
}

void Grid::StartServer() {
  std::string data = dir_ / "data";
  fs::remove(data + "/server.url");
  std::vector<std::string> argv = {GleanerBinary(), "server", "--data", data, "--listen", listen_};
  argv.insert(argv.end(), server_flags_.begin(), server_flags_.end());
  server_ = std::make_unique<Process>(argv, std::map<std::string, std::string>{},
                                      dir_ / ("server" + std::to_string(server_starts_++)));
  bool up = WaitFor([&] { return fs::exists(data + "/server.url") || !server_->Running(); }, 20s);
  if (!up || !server_->Running()) {
    throw std::runtime_error("server did not start: " + server_->Stderr());
  }
  url_ = ReadFileOrEmpty(data + "/server.url");
  while (!url_.empty() && url_.back() == '\n') url_.pop_back();
  listen_ = url_.substr(url_.find("://") + 3);
  admin_token_ = ReadFileOrEmpty(data + "/admin.token");
  while (!admin_token_.empty() && admin_token_.back() == '\n') admin_token_.pop_back();
}

void Grid::KillServer(int sig) {
  server_->Signal(sig);
  server_->Wait(20s);
}

CliResult Grid::Cli(std::vector<std::string> args, std::chrono::milliseconds deadline) {
  static int counter = 0;
  std::vector<std::string> argv = {GleanerBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string prefix = dir_ / ("cli" + std::to_string(counter++));
  Process p(argv, {{"GLEANER_SERVER", url_}, {"GLEANER_TOKEN", admin_token_}}, prefix);
  CliResult r;
  r.exit_code = p.Wait(deadline);
  r.out = p.Stdout();
  r.err = p.Stderr();
  return r;
}

std::string Grid::JoinToken() {
  if (join_token_.empty()) {
    auto r = Cli({"token", "create", "--role", "agent"});
    if (r.exit_code != 0) throw std::runtime_error("token create failed: " + r.err);
    std::string out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    join_token_ = out.substr(out.rfind('\n') + 1);
  }
  return join_token_;
}

Process& Grid::StartAgent(const std::string& name, int slots, const std::vector<std::string>& extra_flags,
                          const std::string& via_url) {
  std::string work = dir_ / ("agent-" + name);
  fs::create_directories(work);
  std::string server = via_url.empty() ? url_ : via_url;
  std::vector<std::string> argv = {GleanerBinary(), "agent", "--server", server, "--join", JoinToken(), "--work", work,
                                   "--slots", std::to_string(slots), "--name", name};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  auto& slot = agents_[name];
  slot.reset();
  slot = std::make_unique<Process>(argv, std::map<std::string, std::string>{}, work + "-log");
  return *slot;
}

void Grid::KillAgent(const std::string& name, int sig) {
  auto& p = agents_.at(name);
  p->Signal(sig);
  p->Wait(20s);
}

nlohmann::json Grid::Tasks(const std::string& job_id) {
  auto r = Cli({"tasks", job_id, "--json"});
  if (r.exit_code != 0) throw std::runtime_error("tasks failed: " + r.err);
  auto j = r.Json();
  return j.is_object() && j.contains("tasks") ? j["tasks"] : j;
}

HttpClient Grid::Http(const std::string& token) const {
  auto endpoint = ResolveServerEndpoint(url_, admin_token_);
  if (!endpoint.ok()) throw std::runtime_error("grid has no usable server URL: " + endpoint.error().message);
  auto parsed = api::ParseTokenString(token);
  return HttpClient(endpoint->url, parsed.ok() ? parsed->secret : token, endpoint->ca_sha256);
}

}  // namespace gleaner::testing
