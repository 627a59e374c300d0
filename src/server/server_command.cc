// `gleaner server`, in four stages that each return a Result: parse the flags,
// open the state (data directory, store, blobs, scheduler rebuilt), wire the
// services, serve until SIGINT/SIGTERM. RunServer maps a failure to one log
// line and the exit code of the one error table (common/status.h).
#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <iostream>
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
#include "server/server_config.h"
#include "server/store/committer.h"
#include "server/store/pg_connection.h"
#include "server/store/store_location.h"
#include "server/auth/audit.h"
#include "server/tls/certificate_authority.h"
#include "server/tls/server_names.h"
#include "server/validation/result_comparer.h"
#include "server/validation/validator_runner.h"

namespace gleaner::server {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

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

// This machine's name, for the standbys' logs.
std::string ThisHostName() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? name : "?";
}

// Holds an exclusive lock on <data>/lock for the life of the process, so two
// servers never share one data directory.
Result<int> LockDataDir(const std::string& data) {
  std::string path = data + "/lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot open '" + path + "'");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Unavailable("another gleaner server is using '" + data + "'; stop it or pick another --data");
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
  auto created = scheduler.CreateToken(Sha256Hex(token), admin, "gleaner server", now, batch);
  if (!created.ok()) return created.error();
  batch.audit.push_back(AuditOf(Principal{api::Role::kAdmin, "gleaner server", 0}, "", "token.create", created->id,
                                "the first admin token, written to " + data + "/admin.token", now));
  GLEANER_RETURN_IF_ERROR(store.Apply(batch));
  spdlog::info("first start: admin token written to {}/admin.token", data);
  return OkStatus();
}

// ---- Stage 1: the flags over the config file, checked, in the types the server uses. ----

struct ServerSettings {
  ServerOptions flags;
  SchedulerConfig scheduler;  // lease and poll; validator names come with the state
  std::chrono::milliseconds leader_lease{0};  // 0: SQLite, whose leader lock is the data directory's
};

// Where the settings came from: the parsed flags, and `--config FILE`, whose
// keys give way to the flags in `given` (server_config.h).
struct SettingsSource {
  std::string config;  // "" when there is none
  std::set<std::string> given;
  bool check_only = false;  // --check: validate, then exit
};

Result<ServerSettings> ParseSettings(const ServerOptions& flags, const SettingsSource& source) {
  ServerSettings settings{flags, {}, {}};
  const ServerOptions& opt = settings.flags;
  if (!source.config.empty()) {
    GLEANER_RETURN_IF_ERROR(LoadServerConfig(source.config, source.given, settings.flags));
  }
  auto lease = ParseDuration(opt.lease);
  if (!lease.ok()) return lease.error();
  auto poll = ParseDuration(opt.poll);
  if (!poll.ok()) return poll.error();
  if (lease->count() < 1000 || opt.threads < 1) {
    return InvalidArgument("--lease must be at least 1s and --threads at least 1");
  }
  if (!opt.store.empty() && !IsPostgresUrl(opt.store)) {
    return InvalidArgument("--store '" + opt.store + "' is not a postgresql:// URL; leave it out for SQLite in --data");
  }
  auto leader_lease = ParseDuration(opt.leader_lease);
  if (!leader_lease.ok()) return leader_lease.error();
  if (leader_lease->count() < 1000) return InvalidArgument("--leader-lease must be at least 1s");
  if (!opt.store.empty()) settings.leader_lease = *leader_lease;
  settings.scheduler.lease_ms = lease->count();
  settings.scheduler.poll_ms = poll->count();
  return settings;
}

// ---- Stage 2: the state, opened and rebuilt; the data directory is ours. ----

struct ServerState {
  int lock_fd;  // held, never closed: the data directory is ours until the process exits
  std::unique_ptr<Store> store;
  std::unique_ptr<Store> reader;  // the console's read-only connection
  std::unique_ptr<StoreMaintenance> maintenance;  // backups
  BlobStore blobs;
  std::unique_ptr<ValidatorRunner> validators;  // null when the admin installed none
  std::unique_ptr<Scheduler> scheduler;
};

Result<ServerState> OpenState(ServerSettings& settings) {
  const std::string& data = settings.flags.data;
  std::error_code ec;
  fs::create_directories(data, ec);
  if (ec) return InvalidArgument("cannot create data directory '" + data + "': " + ec.message());
  fs::permissions(data, fs::perms::owner_all, ec);
  auto lock = LockDataDir(data);
  if (!lock.ok()) return lock.error();

  StoreLocation location{data, settings.flags.store, settings.flags.store_password_file, settings.flags.init,
                         settings.leader_lease, ThisHostName() + " " + settings.flags.listen};
  auto store = OpenStore(location);  // with PostgreSQL, waits here as a standby until this server leads
  if (!store.ok()) return store.error();
  auto blobs = BlobStore::Open(settings.flags.blobs.empty() ? data + "/blobs" : settings.flags.blobs);
  if (!blobs.ok()) return blobs.error();
  auto started = std::chrono::steady_clock::now();
  auto snapshot = (*store)->LoadAll();
  if (!snapshot.ok()) return snapshot.error();
  auto validators = PrepareValidators(settings.flags);
  if (!validators.ok()) return validators.error();
  if (*validators) settings.scheduler.validators = (*validators)->names();
  auto scheduler = std::make_unique<Scheduler>(settings.scheduler);
  scheduler->Restore(*snapshot, NowUnixMillis());
  spdlog::info("state rebuilt from {} in {} ms: {} jobs, {} hosts, {} attempts in flight", location.Describe(),
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
               snapshot->jobs.size(), snapshot->hosts.size(), scheduler->live_attempts());
  auto reader = OpenStoreReader(location);
  if (!reader.ok()) return reader.error();
  return ServerState{*lock, std::move(*store), std::move(*reader), OpenStoreMaintenance(location), std::move(*blobs),
                     std::move(*validators), std::move(scheduler)};
}

// ---- Stage 3: the services, wired to the state; nothing runs yet. ----

// TLS unless told otherwise: the certificate names every address and name the
// server answers to; the CA lives as long as the data directory.
struct ServerIdentity {
  ListenerTls tls;
  std::string ca_sha256;  // "" over plain HTTP
};

Result<ServerIdentity> PrepareIdentity(const ServerOptions& opt, const ServerNames& names) {
  if (opt.insecure_http) return ServerIdentity{};
  auto certificate = PrepareServerCertificate(opt.data + "/tls", names.certificate_names);
  if (!certificate.ok()) return certificate.error();
  return ServerIdentity{ListenerTls{certificate->chain_pem, certificate->private_key_pem},
                        certificate->ca_fingerprint};
}

// Everything that runs on the io_context, in the order it is built and
// destroyed in reverse; members refer to the ones above them.
struct ServerServices {
  ServerServices(const ServerOptions& opt, ServerState& state, ListenerTls tls)
      : committer(*state.store),
        ioc(opt.threads),
        coordinator(ioc, *state.scheduler, committer),
        samples(kSamplesKept),
        sampler(ioc, coordinator, samples, kSamplePeriod),
        reports(std::move(state.reader)),
        console(coordinator, committer, reports, samples, kSamplePeriod),
        handlers(coordinator, state.blobs, console, reports, BackupSource{*state.maintenance, state.blobs, opt.data}),
        listener(ioc, handlers, std::move(tls), Limits(opt)),
        comparer(ioc, coordinator, state.blobs, state.validators.get(), std::chrono::milliseconds(200)) {}

  static ListenerLimits Limits(const ServerOptions& opt) {
    ListenerLimits limits;
    limits.max_connections_per_peer = opt.max_connections_per_peer;
    return limits;
  }

  Committer committer;
  asio::io_context ioc;
  Coordinator coordinator;
  SampleRing samples;
  StatsSampler sampler;
  ReportService reports;
  ConsoleHandlers console;
  ApiHandlers handlers;
  HttpListener listener;
  ResultComparer comparer;
};

// ---- Stage 4: listen, announce, and serve until SIGINT/SIGTERM. ----

void LogHowToEnrol(const ServerOptions& opt, const ServerNames& names, const ServerIdentity& identity,
                   const std::string& bound, const std::string& url) {
  if (opt.insecure_http) {
    spdlog::warn("serving plain HTTP (--insecure-http): tokens and results cross the network unencrypted");
  } else {
    std::string listed;
    for (const auto& name : names.certificate_names) listed += (listed.empty() ? "" : ", ") + name;
    spdlog::info("TLS certificate for {}; CA fingerprint sha256:{} ({}/tls/ca.pem)", listed, identity.ca_sha256,
                 opt.data);
  }
  spdlog::info("listening on {} as {} (data in {})", bound, url, opt.data);
  spdlog::info("enrol a desktop: `gleaner token create --role agent` (with GLEANER_TOKEN=$(cat {}/admin.token)), "
               "then on the desktop `gleaner agent --join <token string> --work <dir>`",
               opt.data);
}

Status Serve(const ServerOptions& opt, ServerState& state) {
  std::string listen_host = ListenHost(opt.listen);
  MachineNames machine = LocalMachineNames();
  auto names = NameServer(listen_host, 0, opt.advertise, machine);
  if (!names.ok()) return names.error();
  auto identity = PrepareIdentity(opt, *names);
  if (!identity.ok()) return identity.error();

  ServerServices services(opt, state, identity->tls);
  GLEANER_RETURN_IF_ERROR(services.listener.Start(opt.listen));
  const std::string bound = services.listener.bound_address();
  names = NameServer(listen_host, std::stoi(SplitHostPort(bound)->port), opt.advertise, machine);
  if (!names.ok()) return names.error();
  std::string url = (opt.insecure_http ? "http://" : "https://") + names->advertised;
  services.handlers.SetAdvertisedServer(url, identity->ca_sha256);
  // Nothing is served before ioc runs, so the store is still ours alone here.
  GLEANER_RETURN_IF_ERROR(EnsureAdminToken(*state.scheduler, *state.store, opt.data, url, identity->ca_sha256));
  services.coordinator.StartTicking(std::chrono::milliseconds(1000));
  services.sampler.Start();
  services.comparer.Start();
  Status wrote = WriteFileDurably(opt.data + "/server.url", url + "\n", 0644);
  if (!wrote.ok()) spdlog::warn("{}", wrote.message());
  LogHowToEnrol(opt, *names, *identity, bound, url);

  asio::signal_set signals(services.ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: stopping", sig);
    services.listener.Stop();
    services.sampler.Stop();
    services.comparer.Stop();
    services.coordinator.Stop();
    services.ioc.stop();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < opt.threads; ++i) threads.emplace_back([&] { services.ioc.run(); });
  services.ioc.run();
  for (auto& t : threads) t.join();
  services.committer.Flush();
  spdlog::info("stopped; all accepted changes are in the store");
  return OkStatus();
}

Status RunServerStages(const ServerOptions& opt, const SettingsSource& source) {
  auto settings = ParseSettings(opt, source);
  if (!settings.ok()) return settings.error();
  if (source.check_only) {
    std::cout << (source.config.empty() ? "the flags" : source.config) << ": ok\n";
    return OkStatus();
  }
  if (settings->flags.log_format == "json") UseJsonLines();
  auto state = OpenState(*settings);
  if (!state.ok()) return state.error();
  return Serve(settings->flags, *state);
}

// The one place a failed start-up becomes a log line and an exit code.
int RunServer(const ServerOptions& opt, const SettingsSource& source) {
  Status run = RunServerStages(opt, source);
  if (run.ok()) return kExitOk;
  spdlog::error("{}", run.message());
  return ExitCodeOf(run.code());
}

}  // namespace

void AddServerCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ServerOptions>();
  auto* cmd = app.add_subcommand("server", "Run the coordinator: the API, the scheduler and the store");
  AddServerFlags(*cmd, *opt);
  auto source = std::make_shared<SettingsSource>();
  cmd->add_option("--config", source->config,
                  "TOML file of settings (/etc/gleaner/server.toml); a flag given here beats the file's key "
                  "(docs/install.md)");
  cmd->add_flag("--check", source->check_only, "Check the settings (--config and flags), print ok, and exit");
  auto reference = std::make_shared<bool>(false);
  cmd->add_flag("--config-reference", *reference, "Print the reference of server.toml's keys (Markdown) and exit");
  cmd->callback([cmd, opt, source, reference, &exit_code] {
    if (*reference) {
      std::cout << ServerConfigReference();
      exit_code = kExitOk;
      return;
    }
    source->given = FlagsGiven(*cmd);
    exit_code = RunServer(*opt, *source);
  });
}

}  // namespace gleaner::server
