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
#include "common/host_port.h"
#include "common/secrets.h"
#include "common/sha256.h"
#include "common/units.h"
#include "api/token_string.h"
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
#include "server/auth/audit.h"
#include "server/tls/certificate_authority.h"
#include "server/tls/server_names.h"
#include "server/validation/result_comparer.h"
#include "server/validation/validator_runner.h"

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
  std::vector<std::string> advertise;
  bool insecure_http = false;
  size_t max_connections_per_peer = 1024;
  std::vector<std::string> validators;  // NAME=PATH
  std::string validator_user = "gleaner";
  std::string bwrap = agent::kDefaultBubblewrap;
};

// The admin's validator programs (docs/validation.md), checked and with the
// sandbox they run in probed; null when there are none.
Result<std::unique_ptr<ValidatorRunner>> PrepareValidators(const ServerOptions& opt) {
  if (opt.validators.empty()) return std::unique_ptr<ValidatorRunner>();
  std::map<std::string, std::string> programs;
  for (const auto& flag : opt.validators) {
    auto parsed = ParseValidatorFlag(flag);
    if (!parsed.ok()) return parsed.error();
    if (!programs.insert(*parsed).second) {
      return InvalidArgument("--validator " + parsed->first + " is given twice; give each validator one name");
    }
  }
  return ValidatorRunner::Create(std::move(programs), fs::temp_directory_path().string(), opt.validator_user,
                                 opt.bwrap);
}

// "HOST:PORT" of --listen → HOST without brackets ("" when malformed; the
// listener reports that).
std::string ListenHost(const std::string& listen) {
  auto split = SplitHostPort(listen);
  return split ? split->host : "";
}

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

// On first start there is no admin: make one and leave its token string
// (secret, URL and CA pin) where only the server's user can read it. The file
// is written before the store, so a crash in between just makes a new token
// next time.
Status EnsureAdminToken(Scheduler& scheduler, Store& store, const std::string& data, const std::string& url,
                        const std::string& ca_sha256) {
  int64_t now = NowUnixMillis();
  if (scheduler.tokens().HasUsable(api::Role::kAdmin, now)) return OkStatus();
  std::string token = NewSecret("glt_");
  std::string token_string = api::FormatTokenString({token, url, ca_sha256});
  GLEANER_RETURN_IF_ERROR(WriteFileDurably(data + "/admin.token", token_string + "\n", 0600));
  Batch batch;
  api::TokenCreateRequest admin{api::Role::kAdmin, "admin", int64_t{0}, 0};
  auto created = scheduler.tokens().Create(Sha256Hex(token), admin, "gleaner server", now, batch);
  if (!created.ok()) return created.error();
  batch.audit.push_back(AuditOf(Principal{api::Role::kAdmin, "gleaner server", 0}, "", "token.create", created->id,
                                "the first admin token, written to " + data + "/admin.token", now));
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
  auto validators = PrepareValidators(opt);
  if (!validators.ok()) {
    spdlog::error("{}", validators.error().message);
    return validators.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  SchedulerConfig config;
  config.lease_ms = lease->count();
  config.poll_ms = poll->count();
  if (*validators) config.validators = (*validators)->names();
  Scheduler scheduler(config);
  scheduler.Restore(*snapshot, NowUnixMillis());
  spdlog::info("state rebuilt from {}/gleaner.db in {} ms: {} jobs, {} hosts, {} attempts in flight", opt.data,
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
               snapshot->jobs.size(), snapshot->hosts.size(), scheduler.live_attempts());

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
  ApiHandlers handlers(coordinator, *blobs, console, reports, opt.data + "/gleaner.db");

  // TLS unless told otherwise: the certificate names every address and name
  // the server answers to; the CA lives as long as the data directory.
  std::string listen_host = ListenHost(opt.listen);
  MachineNames machine = LocalMachineNames();
  auto names = NameServer(listen_host, 0, opt.advertise, machine);
  if (!names.ok()) {
    spdlog::error("{}", names.error().message);
    return kExitUsage;
  }
  ListenerTls tls;
  std::string ca_sha256;
  if (!opt.insecure_http) {
    auto certificate = PrepareServerCertificate(opt.data + "/tls", names->certificate_names);
    if (!certificate.ok()) {
      spdlog::error("{}", certificate.error().message);
      return kExitFailed;
    }
    tls = ListenerTls{certificate->chain_pem, certificate->private_key_pem};
    ca_sha256 = certificate->ca_fingerprint;
  }
  ListenerLimits limits;
  limits.max_connections_per_peer = opt.max_connections_per_peer;
  HttpListener listener(ioc, handlers, std::move(tls), limits);
  Status listening = listener.Start(opt.listen);
  if (!listening.ok()) {
    spdlog::error("{}", listening.message());
    return listening.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailed;
  }
  int bound_port = std::stoi(SplitHostPort(listener.bound_address())->port);
  names = NameServer(listen_host, bound_port, opt.advertise, machine);
  std::string url = (opt.insecure_http ? "http://" : "https://") + names->advertised;
  handlers.SetAdvertisedServer(url, ca_sha256);
  // Nothing is served before ioc runs, so the store is still ours alone here.
  Status admin = EnsureAdminToken(scheduler, **store, opt.data, url, ca_sha256);
  if (!admin.ok()) {
    spdlog::error("{}", admin.message());
    return kExitFailed;
  }
  coordinator.StartTicking(std::chrono::milliseconds(1000));
  sampler.Start();
  ResultComparer comparer(ioc, coordinator, *blobs, validators->get(), std::chrono::milliseconds(200));
  comparer.Start();
  Status wrote = WriteFileDurably(opt.data + "/server.url", url + "\n", 0644);
  if (!wrote.ok()) spdlog::warn("{}", wrote.message());
  if (opt.insecure_http) {
    spdlog::warn("serving plain HTTP (--insecure-http): tokens and results cross the network unencrypted");
  } else {
    std::string listed;
    for (const auto& name : names->certificate_names) listed += (listed.empty() ? "" : ", ") + name;
    spdlog::info("TLS certificate for {}; CA fingerprint sha256:{} ({}/tls/ca.pem)", listed, ca_sha256, opt.data);
  }
  spdlog::info("listening on {} as {} (data in {})", listener.bound_address(), url, opt.data);
  spdlog::info("enrol a desktop: `gleaner token create --role agent` (with GLEANER_TOKEN=$(cat {}/admin.token)), "
               "then on the desktop `gleaner agent --join <token string> --work <dir>`",
               opt.data);

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: stopping", sig);
    listener.Stop();
    sampler.Stop();
    comparer.Stop();
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
  cmd->add_option("--advertise", opt->advertise,
                  "NAME[:PORT] clients reach this server by (repeatable); the first goes into token strings, all "
                  "into the TLS certificate");
  cmd->add_flag("--insecure-http", opt->insecure_http,
                "Serve plain HTTP instead of TLS (tokens travel in clear: for loopback tests only)");
  cmd->add_option("--max-connections-per-address", opt->max_connections_per_peer,
                  "Open connections allowed from one client address")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--validator", opt->validators,
                  "NAME=PATH: a program submitters may name with `submit --validator NAME` to decide whether two "
                  "replicas' results agree; runs sandboxed (repeatable; docs/validation.md)")
      ->allow_extra_args(false);
  cmd->add_option("--validator-user", opt->validator_user,
                  "Account validators run as when the server runs as root")
      ->capture_default_str();
  cmd->add_option("--bwrap", opt->bwrap, "The bubblewrap binary validators run in")->capture_default_str();
  cmd->add_option("--log-format", opt->log_format, "text, or json for one JSON object per line")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opt, &exit_code] { exit_code = RunServer(*opt); });
}

}  // namespace gleaner::server
