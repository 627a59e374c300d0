#include "server/store/record_columns.h"

#include "api/json.h"

namespace gleaner::server {

using nlohmann::json;

json OutcomeToJson(const TaskOutcome& o) {
  json j = {{"attempt_id", o.attempt_id}, {"reason", o.reason}, {"outputs", o.outputs},
            {"wall_ms", o.wall_ms}, {"cpu_ms", o.cpu_ms}};
  if (o.exit_code) j["exit_code"] = *o.exit_code;
  if (o.signal) j["signal"] = *o.signal;
  if (o.stdout_ref) j["stdout"] = *o.stdout_ref;
  if (o.stderr_ref) j["stderr"] = *o.stderr_ref;
  if (!o.failed_hosts.empty()) j["failed_hosts"] = o.failed_hosts;
  if (!o.events.empty()) j["events"] = o.events;
  if (o.vacated != 0) j["vacated"] = o.vacated;
  return j;
}

TaskOutcome OutcomeFromJson(const json& j) {
  TaskOutcome o;
  o.attempt_id = j.value("attempt_id", int64_t{0});
  o.reason = j.value("reason", "");
  o.outputs = j.value("outputs", std::vector<api::FileRef>{});
  o.wall_ms = j.value("wall_ms", int64_t{0});
  o.cpu_ms = j.value("cpu_ms", int64_t{0});
  if (j.contains("exit_code")) o.exit_code = j["exit_code"].get<int64_t>();
  if (j.contains("signal")) o.signal = j["signal"].get<int64_t>();
  if (j.contains("stdout")) o.stdout_ref = j["stdout"].get<api::FileRef>();
  if (j.contains("stderr")) o.stderr_ref = j["stderr"].get<api::FileRef>();
  o.failed_hosts = j.value("failed_hosts", std::vector<int64_t>{});
  o.events = j.value("events", std::vector<api::AttemptEvent>{});
  o.vacated = j.value("vacated", int64_t{0});
  return o;
}

std::string ValidationToText(const Validation& v) {
  if (v.empty()) return "";
  json results = json::array();
  for (const auto& r : v.results) {
    json result = {{"attempt_id", r.attempt_id}, {"host_id", r.host_id}, {"hash", r.hash},
                   {"outcome", OutcomeToJson(r.outcome)}};
    if (!r.compared) result["compared"] = false;
    if (!r.difference.empty()) result["difference"] = r.difference;
    results.push_back(std::move(result));
  }
  json j = {{"results", results}};
  if (v.trusted_host != 0) j["trusted_host"] = v.trusted_host;
  if (!v.verdict.empty()) j["verdict"] = v.verdict;
  return j.dump();
}
Validation ValidationFromText(const std::string& text) {
  Validation v;
  if (text.empty()) return v;
  json j = json::parse(text);
  for (const auto& r : j.value("results", json::array())) {
    v.results.push_back({r.value("attempt_id", int64_t{0}), r.value("host_id", int64_t{0}), r.value("hash", ""),
                         OutcomeFromJson(r.value("outcome", json::object())), r.value("compared", true),
                         r.value("difference", "")});
  }
  v.trusted_host = j.value("trusted_host", int64_t{0});
  v.verdict = j.value("verdict", "");
  return v;
}

std::string CheckpointToText(const std::optional<api::FileRef>& ref) { return ref ? json(*ref).dump() : ""; }
std::optional<api::FileRef> CheckpointFromText(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return json::parse(text).get<api::FileRef>();
}

}  // namespace gleaner::server
