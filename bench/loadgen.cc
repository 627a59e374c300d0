// gleaner-loadgen: simulated agents for measuring the server.
//
// One process, one thread, many keep-alive connections: each simulated agent
// enrols, then reports in a loop, "finishing" every task it was given at once
// (zero-length tasks), so what is measured is the server's durable dispatch
// path: sync decode, scheduling, group commit, answer. Prints one JSON line.
#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "api/json.h"
#include "client/api_client.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string server;
  std::string token;
  int agents = 100;
  int slots = 64;
  int64_t tasks = 100'000;
  int server_pid = 0;
};

struct Shared {
  int64_t target = 0;
  int64_t completed = 0;
  std::vector<double> latencies_ms;
  Clock::time_point first_assignment{};
  Clock::time_point last_completion{};
  bool done = false;
};

struct ProcSample {
  double cpu_s = 0;
  int64_t rss_kb = 0;
  int64_t hwm_kb = 0;
};

ProcSample SampleProcess(int pid) {
  ProcSample s;
  if (pid <= 0) return s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::istringstream in(line.substr(line.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kb = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) s.hwm_kb = std::stol(line.substr(6));
  }
  return s;
}

asio::awaitable<void> SimulatedAgent(tcp::endpoint endpoint, std::string host, std::string credential, int slots,
                                     Shared& shared) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(endpoint, asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  gleaner::api::SyncRequest request;
  request.slots = slots;
  asio::steady_timer idle(co_await asio::this_coro::executor);
  while (!shared.done) {
    request.free_slots = slots;
    http::request<http::string_body> req{http::verb::post, "/api/v1/agents/sync", 11};
    req.set(http::field::host, host);
    req.set(http::field::authorization, "Bearer " + credential);
    req.set(http::field::content_type, "application/json");
    req.body() = gleaner::api::Encode(request);
    req.prepare_payload();
    auto start = Clock::now();
    co_await http::async_write(stream, req, asio::use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, asio::use_awaitable);
    auto end = Clock::now();
    shared.latencies_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    auto answer = gleaner::api::Decode<gleaner::api::SyncResponse>(res.body());
    if (!answer.ok()) throw std::runtime_error("bad sync answer: " + res.body());
    shared.completed += static_cast<int64_t>(answer->accepted.size());
    if (!answer->accepted.empty()) shared.last_completion = end;
    if (shared.completed >= shared.target) shared.done = true;
    request.completions.clear();
    for (const auto& a : answer->assignments) {
      if (shared.first_assignment == Clock::time_point{}) shared.first_assignment = end;
      gleaner::api::Completion c;
      c.attempt_id = a.attempt_id;
      c.succeeded = true;
      c.exit_code = 0;
      request.completions.push_back(std::move(c));
    }
    if (request.completions.empty()) {
      idle.expires_after(std::chrono::milliseconds(std::max<int64_t>(answer->poll_ms / 10, 5)));
      co_await idle.async_wait(asio::use_awaitable);
    }
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int Run(const Options& opt) {
  auto url = gleaner::ServerUrl::Parse(opt.server);
  if (!url.ok()) {
    std::cerr << url.error().message << "\n";
    return 2;
  }
  gleaner::ApiClient admin(*url, opt.token);
  auto join = admin.Post<gleaner::api::TokenCreateResponse>("/api/v1/tokens",
                                                            gleaner::api::TokenCreateRequest{gleaner::api::Role::kAgent, "loadgen"});
  if (!join.ok()) {
    std::cerr << "cannot create a join token: " << join.error().message << "\n";
    return 1;
  }
  gleaner::ApiClient joiner(*url, join->token);
  std::vector<std::string> credentials;
  for (int i = 0; i < opt.agents; ++i) {
    gleaner::api::EnrollRequest er;
    er.facts.hostname = "sim-" + std::to_string(i);
    er.facts.cores = opt.slots;
    er.facts.memory = 16LL << 30;
    er.slots = opt.slots;
    auto enrolled = joiner.Post<gleaner::api::EnrollResponse>("/api/v1/agents/enroll", er);
    if (!enrolled.ok()) {
      std::cerr << "enrol failed: " << enrolled.error().message << "\n";
      return 1;
    }
    credentials.push_back(enrolled->credential);
  }

  gleaner::api::JobSpec spec;
  spec.name = "loadgen";
  spec.command = {"true"};
  spec.count = opt.tasks;
  auto before = SampleProcess(opt.server_pid);
  auto submit_start = Clock::now();
  auto job = admin.Post<gleaner::api::SubmitResponse>("/api/v1/jobs", spec);
  auto submit_end = Clock::now();
  if (!job.ok()) {
    std::cerr << "submit failed: " << job.error().message << "\n";
    return 1;
  }

  Shared shared;
  shared.target = opt.tasks;
  asio::io_context ioc(1);
  tcp::resolver resolver(ioc);
  auto endpoint = *resolver.resolve(url->host, url->port).begin();
  for (int i = 0; i < opt.agents; ++i) {
    asio::co_spawn(ioc, SimulatedAgent(endpoint, url->host, credentials[i], opt.slots, shared),
                   [](std::exception_ptr e) {
                     if (e) std::rethrow_exception(e);
                   });
  }
  ioc.run();
  auto after = SampleProcess(opt.server_pid);

  double dispatch_s = std::chrono::duration<double>(shared.last_completion - submit_end).count();
  double submit_s = std::chrono::duration<double>(submit_end - submit_start).count();
  nlohmann::json result = {
      {"tasks", opt.tasks},
      {"agents", opt.agents},
      {"slots_per_agent", opt.slots},
      {"submit_tasks_per_s", submit_s > 0 ? static_cast<double>(opt.tasks) / submit_s : 0},
      {"tasks_per_s", dispatch_s > 0 ? static_cast<double>(shared.completed) / dispatch_s : 0},
      {"syncs", shared.latencies_ms.size()},
      {"sync_latency_ms_p50", Percentile(shared.latencies_ms, 0.50)},
      {"sync_latency_ms_p99", Percentile(shared.latencies_ms, 0.99)},
      {"server_cpu_s", after.cpu_s - before.cpu_s},
      {"server_rss_mib", static_cast<double>(after.rss_kb) / 1024},
      {"server_peak_rss_mib", static_cast<double>(after.hwm_kb) / 1024},
  };
  std::cout << result.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App app{"Simulated agents that finish zero-length tasks at once; prints one JSON line of results"};
  app.add_option("--server", opt.server, "Server URL")->required();
  app.add_option("--token", opt.token, "Admin token")->required();
  app.add_option("--agents", opt.agents, "Simulated agents (one connection each)")->capture_default_str();
  app.add_option("--slots", opt.slots, "Slots per agent: tasks per report")->capture_default_str();
  app.add_option("--tasks", opt.tasks, "Tasks in the job")->capture_default_str();
  app.add_option("--server-pid", opt.server_pid, "Server process, to sample CPU and RSS");
  CLI11_PARSE(app, argc, argv);
  return Run(opt);
}
