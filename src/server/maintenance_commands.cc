// `gleaner check` and `gleaner restore`: administrator tools that work on a
// data directory directly, on the server's host.
#include <CLI/CLI.hpp>
#include <iostream>

#include "command.h"
#include "server/backup/backup.h"
#include "server/store/store_location.h"

namespace gleaner::server {

namespace {

int RunCheck(const std::string& data) {
  StoreLocation location{data};
  auto check = OpenStoreMaintenance(location)->Check();
  if (!check.ok()) {
    std::cerr << "check: " << check.error().message << "\n";
    return ExitCodeOf(check.error().code);
  }
  auto blobs = BlobStore::Open(data + "/blobs");
  auto store = OpenStore(location);
  if (!blobs.ok() || !store.ok()) {
    std::cerr << "check: cannot open the data directory '" << data << "'\n";
    return kExitFailed;
  }
  auto snapshot = (*store)->LoadAll();
  if (!snapshot.ok()) {
    check->problems.push_back(snapshot.error().message);
  } else {
    int64_t missing = 0;
    auto referenced = ReferencedBlobs(*snapshot);
    for (const auto& sha : referenced) missing += !blobs->Contains(sha);
    if (missing > 0) check->problems.push_back(std::to_string(missing) + " referenced blobs are missing");
    std::cout << referenced.size() << " blobs referenced\n";
  }
  std::cout << check->jobs << " jobs, " << check->task_rows << " task rows (" << check->done_tasks << " done), "
            << check->attempts << " attempts\n";
  for (const auto& p : check->problems) std::cout << "PROBLEM: " << p << "\n";
  std::cout << (check->problems.empty() ? "store is sound\n" : "store has problems\n");
  return check->problems.empty() ? kExitOk : kExitFailed;
}

int RunRestore(const std::string& from, const std::string& data) {
  auto restored = RestoreBackup(from, StoreLocation{data});
  if (!restored.ok()) {
    std::cerr << "restore: " << restored.error().message << "\n";
    return ExitCodeOf(restored.error().code);
  }
  std::cout << "restored " << restored->jobs << " jobs, " << restored->task_rows << " task rows and "
            << restored->blobs << " blobs into " << data << "\n"
            << "start it with: gleaner server --data " << data << "\n";
  return kExitOk;
}

}  // namespace

void AddMaintenanceCommands(CLI::App& app, int& exit_code) {
  auto data = std::make_shared<std::string>();
  auto* check = app.add_subcommand("check", "Check a data directory's store and blobs (safe while the server runs)");
  check->add_option("--data", *data, "The server's data directory")->required();
  check->callback([data, &exit_code] { exit_code = RunCheck(*data); });

  auto from = std::make_shared<std::string>();
  auto into = std::make_shared<std::string>();
  auto* restore = app.add_subcommand("restore", "Make a new data directory from a backup (`gleaner backup`)");
  restore->add_option("--from", *from, "The backup directory")->required();
  restore->add_option("--data", *into, "The new data directory (absent or empty)")->required();
  restore->callback([from, into, &exit_code] { exit_code = RunRestore(*from, *into); });
}

}  // namespace gleaner::server
