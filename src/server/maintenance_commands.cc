// `gleaner check` and `gleaner restore`: administrator tools that work on a
// data directory directly, on the server's host.
#include <CLI/CLI.hpp>
#include <iostream>

#include "command.h"
#include "server/backup/backup.h"
#include "server/store/store_location.h"

namespace gleaner::server {

namespace {

// Where the store is: SQLite in the data directory, or PostgreSQL with --store.
struct StoreFlags {
  std::string store;
  std::string password_file;
  void AddTo(CLI::App& command) {
    command.add_option("--store", store, "postgresql://… when the server runs with --store (default: SQLite in --data)");
    command.add_option("--store-password-file", password_file, "A file holding the PostgreSQL password");
  }
};

int RunCheck(const std::string& data, const StoreFlags& flags) {
  StoreLocation location{data, flags.store, flags.password_file};
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

int RunRestore(const std::string& from, const std::string& data, const StoreFlags& flags) {
  auto restored = RestoreBackup(from, StoreLocation{data, flags.store, flags.password_file});
  if (!restored.ok()) {
    std::cerr << "restore: " << restored.error().message << "\n";
    return ExitCodeOf(restored.error().code);
  }
  std::cout << "restored " << restored->jobs << " jobs, " << restored->task_rows << " task rows and "
            << restored->blobs << " blobs into " << data << "\n"
            << "start it with: gleaner server --data " << data << (flags.store.empty() ? "" : " --store " + flags.store)
            << "\n";
  return kExitOk;
}

}  // namespace

void AddMaintenanceCommands(CLI::App& app, int& exit_code) {
  auto data = std::make_shared<std::string>();
  auto* check = app.add_subcommand("check", "Check a data directory's store and blobs (safe while the server runs)");
  check->add_option("--data", *data, "The server's data directory")->required();
  auto check_store = std::make_shared<StoreFlags>();
  check_store->AddTo(*check);
  check->callback([data, check_store, &exit_code] { exit_code = RunCheck(*data, *check_store); });

  auto from = std::make_shared<std::string>();
  auto into = std::make_shared<std::string>();
  auto* restore = app.add_subcommand("restore", "Make a new data directory from a backup (`gleaner backup`)");
  restore->add_option("--from", *from, "The backup directory")->required();
  restore->add_option("--data", *into, "The new data directory (absent or empty)")->required();
  auto restore_store = std::make_shared<StoreFlags>();
  restore_store->AddTo(*restore);
  restore->callback([from, into, restore_store, &exit_code] { exit_code = RunRestore(*from, *into, *restore_store); });
}

}  // namespace gleaner::server
