// gleaner backup --to DIR: the server writes an online, consistent backup
// (database snapshot plus the blobs it refers to) into DIR on its own host.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct BackupOptions {
  ClientOptions client;
  std::string to;
};

Status Backup(const BackupOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  // The directory is on the server's host; an absolute path means the same there.
  std::string to = std::filesystem::absolute(opts.to).lexically_normal().string();
  auto done = client->Post<api::BackupResponse>(kBackupPath, api::BackupRequest{to});
  if (!done.ok()) return done.error();
  std::cout << "backed up " << done->jobs << " jobs, " << done->task_rows << " task rows and " << done->blobs
            << " blobs (" << FormatSize(done->blob_bytes) << ") into " << done->dir << '\n'
            << "restore with: gleaner restore --from " << done->dir << " --data NEWDIR\n";
  return OkStatus();
}

}  // namespace

void AddBackupCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<BackupOptions>();
  CLI::App* cmd = app.add_subcommand("backup", "Have the server write an online backup into DIR on its host");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("--to", opts->to, "An absent or empty directory on the server's host")->required();
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(Backup(*opts)); });
}

}  // namespace gleaner::cli
