// `gleaner server`: opens the store, rebuilds the scheduler from it, and
// serves the API until SIGINT/SIGTERM.
#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <thread>

#include "command.h"
#include "common/files.h"
#include "common/secrets.h"
#include "common/sha256.h"
#include "common/units.h"
#include "server/blobs/blob_store.h"
#include "server/console/console_handlers.h"
#include "server/console/json_log_format.h"
#include "server/console/report_service.h"
#include "server/console/stats_sampler.h"
#include "server/coordinator.h"
#include "server/http/api_handlers.h"
#include "server/http/http_listener.h"
#include "server/store/committer.h"
#include "server/store/sqlite_store.h"

namespace gleaner::server {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

struct ServerOptions {
  std::string data = "gleaner-data";
  std::string listen = "0.0.0.0:7070";
  std::string lease = "30s";
  std::string poll = "1s";
  int threads = 2;
  std::string log_format = "text";
};

// Samples kept for the console's charts: one hour at one every 2 s.
constexpr auto kSamplePeriod = std::chrono::milliseconds(2000);
constexpr size_t kSamplesKept = 1800;

// Holds an exclusive lock on <data>/lock for the life of the process, so two
// servers never share one data directory.
Result<int> LockDataDir(const std::string& data) {
  std::string path = data + "/lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot open '" + path + "'");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Conflict("another gleaner server is using '" + data + "'; stop it or pick another --data");
  }
  return fd;
}

// On first start there is no admin: make one and leave its token where only
// the server's user can read it. The file is written before the store, so a
// crash in between just makes a new token next time.
Status EnsureAdminToken(Scheduler& scheduler, Store& store, const std::string& data) {
  if (scheduler.HasToken(api::Role::kAdmin)) return OkStatus();
  std::string token = NewSecret("glt_");
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(data + "/admin.token", token + "\n", 0600));
  Batch batch;
  scheduler.AddToken(Sha256Hex(token), api::Role::kAdmin, "admin", NowUnixMillis(), batch);
  GLEANER_RETURN_IF_ERROR(store.Apply(batch));
  spdlog::info("first start: admin token written to {}/admin.token", data);
  return OkStatus();
}

int RunServer(const ServerOptions& opt) {
  if (opt.log_format == "json") UseJsonLines();
  auto lease = ParseDuration(opt.lease);
  auto poll = ParseDuration(opt.poll);
  for (const auto* r : {&lease, &poll}) {
    if (!r->ok()) {
      spdlog::error("{}", r->error().message);
      return kExitUsage;
    }
  }
  if (lease->count() < 1000 || opt.threads < 1) {
    spdlog::error("--lease must be at least 1s and --threads at least 1");
    return kExitUsage;
  }
  std::error_code ec;
  fs::create_directories(opt.data, ec);
  if (ec) {
    spdlog::error("cannot create data directory '{}': {}", opt.data, ec.message());
    return kExitUsage;
  }
  fs::permissions(opt.data, fs::perms::owner_all, ec);
  auto lock = LockDataDir(opt.data);
  if (!lock.ok()) {
    spdlog::error("{}", lock.error().message);
    return kExitFailed;
  }

  auto store = SqliteStore::Open(opt.data + "/gleaner.db");
  if (!store.ok()) {
    spdlog::error("{}", store.error().message);
    return kExitFailed;
  }
  auto blobs = BlobStore::Open(opt.data + "/blobs");
  if (!blobs.ok()) {
    spdlog::error("{}", blobs.error().message);
    return kExitFailed;
  }
  auto started = std::chrono::steady_clock::now();
  auto snapshot = (*store)->LoadAll();
  if (!snapshot.ok()) {
    spdlog::error("{}", snapshot.error().message);
    return kExitFailed;
  }
  Scheduler scheduler(SchedulerConfig{lease->count(), poll->count()});
  scheduler.Restore(*snapshot, NowUnixMillis());
  spdlog::info("state rebuilt from {}/gleaner.db in {} ms: {} jobs, {} hosts, {} attempts in flight", opt.data,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
               snapshot->jobs.size(), snapshot->hosts.size(), scheduler.live_attempts());
  Status admin = EnsureAdminToken(scheduler, **store, opt.data);
  if (!admin.ok()) {
    spdlog::error("{}", admin.message());
    return kExitFailed;
  }

  auto reader = SqliteStore::OpenReadOnly(opt.data + "/gleaner.db");
  if (!reader.ok()) {
    spdlog::error("{}", reader.error().message);
    return kExitFailed;
  }
  ReportService reports(std::move(*reader));

  Committer committer(**store);
  asio::io_context ioc(opt.threads);
  Coordinator coordinator(ioc, scheduler, committer);
  SampleRing samples(kSamplesKept);
  StatsSampler sampler(ioc, coordinator, samples, kSamplePeriod);
  ConsoleHandlers console(coordinator, committer, reports, samples, kSamplePeriod);
  ApiHandlers handlers(coordinator, *blobs, console, opt.data + "/gleaner.db");
  HttpListener listener(ioc, handlers);
  Status listening = listener.Start(opt.listen);
  if (!listening.ok()) {
    spdlog::error("{}", listening.message());
    return listening.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  coordinator.StartTicking(std::chrono::milliseconds(1000));
  sampler.Start();
  std::string url = "http://" + listener.bound_address();
  Status wrote = WriteFileDurably(opt.data + "/server.url", url + "\n", 0644);
  if (!wrote.ok()) spdlog::warn("{}", wrote.message());
  spdlog::info("listening on {} (data in {})", url, opt.data);
  spdlog::info("enrol a desktop: `gleaner token create --role agent` (with GLEANER_SERVER={} and the admin token), "
               "then on the desktop `gleaner agent --server {} --join <token> --work <dir>`",
               url, url);

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: stopping", sig);
    listener.Stop();
    sampler.Stop();
    coordinator.Stop();
    ioc.stop();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < opt.threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  committer.Flush();
  spdlog::info("stopped; all accepted changes are in the store");
  return kExitOk;
}

}  // namespace

void AddServerCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ServerOptions>();
  auto* cmd = app.add_subcommand("server", "Run the coordinator: the API, the scheduler and the store");
  cmd->add_option("--data", opt->data, "Directory for the database, blobs and admin token")->capture_default_str();
  cmd->add_option("--listen", opt->listen, "HOST:PORT to serve on; port 0 picks a free one")->capture_default_str();
  cmd->add_option("--lease", opt->lease, "How long an agent may be silent before its work is requeued")
      ->capture_default_str();
  cmd->add_option("--poll", opt->poll, "How often idle agents ask for work")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "I/O threads")->capture_default_str();
  cmd->add_option("--log-format", opt->log_format, "text, or json for one JSON object per line")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opt, &exit_code] { exit_code = RunServer(*opt); });
}

}  // namespace gleaner::server
