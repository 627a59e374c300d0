// gleaner report: CPU-hours harvested, tasks run and an estimate of the cost
// saved (at --price-per-core-hour), per host, user or UTC day.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/table.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct ReportOptions {
  ClientOptions client;
  std::string since = "7d";
  std::string by = "day";
  double price_per_core_hour = 0.05;
  bool json = false;
};

double CpuHours(const api::UsageLine& line) { return static_cast<double>(line.cpu_ms) / 3.6e6; }

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

Status PrintReport(const ReportOptions& opts) {
  if (opts.price_per_core_hour < 0) return InvalidArgument("--price-per-core-hour cannot be negative");
  // Checked here too, so the value is known to be safe in the query string.
  if (auto since = ParseDuration(opts.since); !since.ok()) return InvalidArgument("--since: " + since.error().message);
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto report = client->Call<api::UsageReport>("GET", ReportPath(opts.since, opts.by));
  if (!report.ok()) return report.error();
  const double price = opts.price_per_core_hour;
  if (opts.json) {
    nlohmann::json j = *report;
    j["price_per_core_hour"] = price;
    j["cost_saved"] = CpuHours(report->total) * price;
    std::cout << j.dump() << '\n';
    return OkStatus();
  }
  std::string key = opts.by;
  for (auto& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Table table({key, "CPU-HOURS", "WALL-HOURS", "TASKS", "FAILED", "COST SAVED"});
  auto row = [&](const api::UsageLine& line) {
    table.AddRow({line.key, Fixed(CpuHours(line), 2), Fixed(static_cast<double>(line.wall_ms) / 3.6e6, 2),
                  std::to_string(line.tasks), std::to_string(line.failed), Fixed(CpuHours(line) * price, 2)});
  };
  for (const auto& line : report->lines) row(line);
  row(report->total);
  std::cout << table.Render() << "cost saved estimated at " << Fixed(price, 4)
            << " per core-hour (--price-per-core-hour)\n";
  return OkStatus();
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand("report", "CPU-hours harvested, tasks run and cost saved");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("--since", opts->since, "How far back: 24h, 7d, 30d")->capture_default_str();
  cmd->add_option("--by", opts->by, "One line per host, user or day")
      ->check(CLI::IsMember({"host", "user", "day"}))
      ->capture_default_str();
  cmd->add_option("--price-per-core-hour", opts->price_per_core_hour,
                  "What a core-hour would cost elsewhere, for the estimate (USD)")
      ->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print the API's JSON, with the price and cost added");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(PrintReport(*opts)); });
}

}  // namespace gleaner::cli
