#include "api/json.h"

#include <stdexcept>

namespace gleaner::api {
namespace {

using nlohmann::json;

// Thrown inside from_json only; Decode<T> turns it into an InvalidArgument.
struct FieldError : json::other_error {
  explicit FieldError(const std::string& what) : json::other_error(json::other_error::create(599, what, nullptr)) {}
};

std::string Clean(const std::string& what) {
  // nlohmann prefixes messages with "[json.exception.type_error.302] ".
  auto pos = what.find("] ");
  return pos == std::string::npos ? what : what.substr(pos + 2);
}

void RequireObject(const json& j, const char* type) {
  if (!j.is_object()) throw FieldError(std::string("expected a JSON object for ") + type);
}

template <typename T>
void Field(const json& j, const char* key, T& out, bool required = false) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw FieldError(std::string("missing required field '") + key + "'");
    return;
  }
  try {
    it->get_to(out);
  } catch (const json::exception& e) {
    throw FieldError(std::string("field '") + key + "': " + Clean(e.what()));
  }
}

template <typename T>
void Field(const json& j, const char* key, std::optional<T>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  T v;
  Field(j, key, v);
  out = std::move(v);
}

template <typename T>
void PutOptional(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

template <typename E>
void EnumField(const json& j, const char* key, E& out, std::optional<E> (*parse)(const std::string&),
               bool required = false) {
  std::string s;
  Field(j, key, s, required);
  if (s.empty()) return;
  auto e = parse(s);
  if (!e) throw FieldError(std::string("field '") + key + "': unknown value '" + s + "'");
  out = *e;
}

}  // namespace

// clang-format off
void to_json(json& j, const FileRef& v) { j = {{"name", v.name}, {"sha256", v.sha256}, {"size", v.size}}; }
void from_json(const json& j, FileRef& v) {
  RequireObject(j, "file");
  Field(j, "name", v.name, true); Field(j, "sha256", v.sha256, true); Field(j, "size", v.size);
}

void to_json(json& j, const JobSpec& v) {
  j = {{"name", v.name}, {"command", v.command}, {"count", v.count}, {"inputs", v.inputs},
       {"outputs", v.outputs}, {"cpus", v.cpus}, {"memory", v.memory},
       {"max_retries", v.max_retries}, {"timeout_ms", v.timeout_ms}, {"priority", v.priority},
       {"deadline_ms", v.deadline_ms}, {"env", v.env}};
}
void from_json(const json& j, JobSpec& v) {
  RequireObject(j, "job spec");
  Field(j, "name", v.name); Field(j, "command", v.command, true); Field(j, "count", v.count);
  Field(j, "inputs", v.inputs); Field(j, "outputs", v.outputs); Field(j, "cpus", v.cpus);
  Field(j, "memory", v.memory); Field(j, "max_retries", v.max_retries);
  Field(j, "timeout_ms", v.timeout_ms); Field(j, "priority", v.priority); Field(j, "env", v.env);
  Field(j, "deadline_ms", v.deadline_ms);
}

void to_json(json& j, const TaskCounts& v) {
  j = {{"queued", v.queued}, {"running", v.running}, {"done", v.done}, {"failed", v.failed},
       {"cancelled", v.cancelled}};
}
void from_json(const json& j, TaskCounts& v) {
  RequireObject(j, "task counts");
  Field(j, "queued", v.queued); Field(j, "running", v.running); Field(j, "done", v.done);
  Field(j, "failed", v.failed); Field(j, "cancelled", v.cancelled);
}

void to_json(json& j, const JobView& v) {
  j = {{"id", v.id}, {"spec", v.spec}, {"state", JobStateName(v.state)}, {"counts", v.counts},
       {"owner", v.owner}, {"created_at", v.created_at}, {"finished_at", v.finished_at}};
}
void from_json(const json& j, JobView& v) {
  RequireObject(j, "job");
  Field(j, "id", v.id, true); Field(j, "spec", v.spec, true);
  EnumField(j, "state", v.state, &JobStateFromName, true);
  Field(j, "counts", v.counts); Field(j, "owner", v.owner);
  Field(j, "created_at", v.created_at); Field(j, "finished_at", v.finished_at);
}

void to_json(json& j, const TaskView& v) {
  j = {{"job_id", v.job_id}, {"index", v.index}, {"state", TaskStateName(v.state)},
       {"attempts", v.attempts}, {"host", v.host}, {"reason", v.reason}, {"outputs", v.outputs},
       {"wall_ms", v.wall_ms}};
  PutOptional(j, "exit_code", v.exit_code); PutOptional(j, "signal", v.signal);
  PutOptional(j, "stdout", v.stdout_ref); PutOptional(j, "stderr", v.stderr_ref);
  if (!v.events.empty()) j["events"] = v.events;
}
void from_json(const json& j, TaskView& v) {
  RequireObject(j, "task");
  Field(j, "job_id", v.job_id); Field(j, "index", v.index, true);
  EnumField(j, "state", v.state, &TaskStateFromName, true);
  Field(j, "attempts", v.attempts); Field(j, "host", v.host); Field(j, "reason", v.reason);
  Field(j, "outputs", v.outputs); Field(j, "wall_ms", v.wall_ms);
  Field(j, "exit_code", v.exit_code); Field(j, "signal", v.signal);
  Field(j, "stdout", v.stdout_ref); Field(j, "stderr", v.stderr_ref); Field(j, "events", v.events);
}

void to_json(json& j, const AttemptEvent& v) { j = {{"at", v.at}, {"attempt_id", v.attempt_id}, {"what", v.what}}; }
void from_json(const json& j, AttemptEvent& v) {
  RequireObject(j, "attempt event");
  Field(j, "at", v.at); Field(j, "attempt_id", v.attempt_id); Field(j, "what", v.what, true);
}

void to_json(json& j, const HostActivity& v) {
  j = {{"owner", v.owner}, {"idle_since", v.idle_since}, {"run_state", v.run_state}, {"why", v.why}};
}
void from_json(const json& j, HostActivity& v) {
  RequireObject(j, "host activity");
  Field(j, "owner", v.owner); Field(j, "idle_since", v.idle_since); Field(j, "run_state", v.run_state);
  Field(j, "why", v.why);
}

void to_json(json& j, const Policy& v) {
  j = {{"start_after_ms", v.start_after_ms}, {"vacate_after_ms", v.vacate_after_ms}, {"window", v.window},
       {"on_battery", v.on_battery}, {"max_cpus", v.max_cpus}};
  PutOptional(j, "max_load", v.max_load);
}
void from_json(const json& j, Policy& v) {
  RequireObject(j, "policy");
  Field(j, "start_after_ms", v.start_after_ms); Field(j, "max_load", v.max_load);
  Field(j, "vacate_after_ms", v.vacate_after_ms); Field(j, "window", v.window);
  Field(j, "on_battery", v.on_battery); Field(j, "max_cpus", v.max_cpus);
}

void to_json(json& j, const PolicyView& v) { j = {{"scope", v.scope}, {"policy", v.policy}}; }
void from_json(const json& j, PolicyView& v) {
  RequireObject(j, "policy view");
  Field(j, "scope", v.scope); Field(j, "policy", v.policy, true);
}

void to_json(json& j, const HostFacts& v) {
  j = {{"hostname", v.hostname}, {"os", v.os}, {"arch", v.arch}, {"cores", v.cores},
       {"memory", v.memory}, {"agent_version", v.agent_version}};
}
void from_json(const json& j, HostFacts& v) {
  RequireObject(j, "host facts");
  Field(j, "hostname", v.hostname, true); Field(j, "os", v.os); Field(j, "arch", v.arch);
  Field(j, "cores", v.cores); Field(j, "memory", v.memory); Field(j, "agent_version", v.agent_version);
}

void to_json(json& j, const HostView& v) {
  j = {{"id", v.id}, {"facts", v.facts}, {"slots", v.slots}, {"slots_used", v.slots_used},
       {"online", v.online}, {"last_seen", v.last_seen}, {"enrolled_at", v.enrolled_at},
       {"quarantined", v.quarantined}, {"quarantine_reason", v.quarantine_reason}};
  PutOptional(j, "activity", v.activity);
  PutOptional(j, "policy", v.policy);
}
void from_json(const json& j, HostView& v) {
  RequireObject(j, "host");
  Field(j, "id", v.id, true); Field(j, "facts", v.facts); Field(j, "slots", v.slots);
  Field(j, "slots_used", v.slots_used); Field(j, "online", v.online);
  Field(j, "last_seen", v.last_seen); Field(j, "enrolled_at", v.enrolled_at);
  Field(j, "quarantined", v.quarantined); Field(j, "quarantine_reason", v.quarantine_reason);
  Field(j, "activity", v.activity); Field(j, "policy", v.policy);
}

void to_json(json& j, const EnrollRequest& v) { j = {{"facts", v.facts}, {"slots", v.slots}}; }
void from_json(const json& j, EnrollRequest& v) {
  RequireObject(j, "enrol request");
  Field(j, "facts", v.facts, true); Field(j, "slots", v.slots, true);
}

void to_json(json& j, const EnrollResponse& v) { j = {{"host_id", v.host_id}, {"credential", v.credential}}; }
void from_json(const json& j, EnrollResponse& v) {
  RequireObject(j, "enrol response");
  Field(j, "host_id", v.host_id, true); Field(j, "credential", v.credential, true);
}

void to_json(json& j, const Assignment& v) {
  j = {{"attempt_id", v.attempt_id}, {"job_id", v.job_id}, {"index", v.index}, {"count", v.count},
       {"command", v.command}, {"inputs", v.inputs}, {"outputs", v.outputs}, {"cpus", v.cpus},
       {"memory", v.memory}, {"timeout_ms", v.timeout_ms}, {"env", v.env}};
}
void from_json(const json& j, Assignment& v) {
  RequireObject(j, "assignment");
  Field(j, "attempt_id", v.attempt_id, true); Field(j, "job_id", v.job_id, true);
  Field(j, "index", v.index, true); Field(j, "count", v.count, true);
  Field(j, "command", v.command, true); Field(j, "inputs", v.inputs); Field(j, "outputs", v.outputs);
  Field(j, "cpus", v.cpus); Field(j, "memory", v.memory); Field(j, "timeout_ms", v.timeout_ms);
  Field(j, "env", v.env);
}

void to_json(json& j, const Completion& v) {
  j = {{"attempt_id", v.attempt_id}, {"succeeded", v.succeeded}, {"reason", v.reason},
       {"outputs", v.outputs}, {"wall_ms", v.wall_ms}, {"cpu_ms", v.cpu_ms}};
  PutOptional(j, "exit_code", v.exit_code); PutOptional(j, "signal", v.signal);
  PutOptional(j, "stdout", v.stdout_ref); PutOptional(j, "stderr", v.stderr_ref);
  if (v.vacated) j["vacated"] = true;
  if (!v.events.empty()) j["events"] = v.events;
}
void from_json(const json& j, Completion& v) {
  RequireObject(j, "completion");
  Field(j, "attempt_id", v.attempt_id, true); Field(j, "succeeded", v.succeeded, true);
  Field(j, "reason", v.reason); Field(j, "outputs", v.outputs); Field(j, "wall_ms", v.wall_ms);
  Field(j, "cpu_ms", v.cpu_ms); Field(j, "exit_code", v.exit_code); Field(j, "signal", v.signal);
  Field(j, "stdout", v.stdout_ref); Field(j, "stderr", v.stderr_ref);
  Field(j, "vacated", v.vacated); Field(j, "events", v.events);
}

void to_json(json& j, const SyncRequest& v) {
  j = {{"free_slots", v.free_slots}, {"slots", v.slots}, {"running", v.running},
       {"completions", v.completions}};
  PutOptional(j, "activity", v.activity);
}
void from_json(const json& j, SyncRequest& v) {
  RequireObject(j, "sync request");
  Field(j, "free_slots", v.free_slots); Field(j, "slots", v.slots); Field(j, "running", v.running);
  Field(j, "completions", v.completions);
  Field(j, "activity", v.activity);
}

void to_json(json& j, const SyncResponse& v) {
  j = {{"assignments", v.assignments}, {"cancel", v.cancel}, {"accepted", v.accepted},
       {"lease_ms", v.lease_ms}, {"poll_ms", v.poll_ms}};
  PutOptional(j, "policy", v.policy);
}
void from_json(const json& j, SyncResponse& v) {
  RequireObject(j, "sync response");
  Field(j, "assignments", v.assignments); Field(j, "cancel", v.cancel);
  Field(j, "accepted", v.accepted); Field(j, "lease_ms", v.lease_ms); Field(j, "poll_ms", v.poll_ms);
  Field(j, "policy", v.policy);
}

void to_json(json& j, const SubmitResponse& v) { j = {{"job_id", v.job_id}}; }
void from_json(const json& j, SubmitResponse& v) { RequireObject(j, "submit response"); Field(j, "job_id", v.job_id, true); }

void to_json(json& j, const TokenCreateRequest& v) { j = {{"role", RoleName(v.role)}, {"name", v.name}}; }
void from_json(const json& j, TokenCreateRequest& v) {
  RequireObject(j, "token request");
  EnumField(j, "role", v.role, &RoleFromName, true); Field(j, "name", v.name);
}

void to_json(json& j, const TokenCreateResponse& v) { j = {{"token", v.token}, {"role", RoleName(v.role)}}; }
void from_json(const json& j, TokenCreateResponse& v) {
  RequireObject(j, "token response");
  Field(j, "token", v.token, true); EnumField(j, "role", v.role, &RoleFromName);
}

void to_json(json& j, const JobList& v) { j = {{"jobs", v.jobs}}; }
void from_json(const json& j, JobList& v) { RequireObject(j, "job list"); Field(j, "jobs", v.jobs, true); }
void to_json(json& j, const TaskList& v) { j = {{"tasks", v.tasks}}; }
void from_json(const json& j, TaskList& v) { RequireObject(j, "task list"); Field(j, "tasks", v.tasks, true); }
void to_json(json& j, const HostList& v) { j = {{"hosts", v.hosts}}; }
void from_json(const json& j, HostList& v) { RequireObject(j, "host list"); Field(j, "hosts", v.hosts, true); }

void to_json(json& j, const BackupRequest& v) { j = {{"to", v.to}}; }
void from_json(const json& j, BackupRequest& v) { RequireObject(j, "backup request"); Field(j, "to", v.to, true); }
void to_json(json& j, const BackupResponse& v) {
  j = {{"dir", v.dir}, {"jobs", v.jobs}, {"task_rows", v.task_rows}, {"blobs", v.blobs}, {"blob_bytes", v.blob_bytes}};
}
void from_json(const json& j, BackupResponse& v) {
  RequireObject(j, "backup response");
  Field(j, "dir", v.dir, true); Field(j, "jobs", v.jobs); Field(j, "task_rows", v.task_rows);
  Field(j, "blobs", v.blobs); Field(j, "blob_bytes", v.blob_bytes);
}

void to_json(json& j, const ErrorBody& v) { j = {{"error", {{"code", v.code}, {"message", v.message}}}}; }
void from_json(const json& j, ErrorBody& v) {
  RequireObject(j, "error");
  const json& e = j.contains("error") ? j.at("error") : j;
  Field(e, "code", v.code); Field(e, "message", v.message);
}

void to_json(json& j, const WhoAmI& v) { j = {{"name", v.name}, {"role", RoleName(v.role)}}; }
void from_json(const json& j, WhoAmI& v) {
  RequireObject(j, "identity");
  Field(j, "name", v.name); EnumField(j, "role", v.role, &RoleFromName, true);
}

void to_json(json& j, const UsageLine& v) {
  j = {{"key", v.key}, {"cpu_ms", v.cpu_ms}, {"wall_ms", v.wall_ms}, {"tasks", v.tasks}, {"failed", v.failed}};
}
void from_json(const json& j, UsageLine& v) {
  RequireObject(j, "usage line");
  Field(j, "key", v.key); Field(j, "cpu_ms", v.cpu_ms); Field(j, "wall_ms", v.wall_ms);
  Field(j, "tasks", v.tasks); Field(j, "failed", v.failed);
}

void to_json(json& j, const UsageReport& v) {
  j = {{"since", v.since}, {"by", v.by}, {"lines", v.lines}, {"total", v.total}};
}
void from_json(const json& j, UsageReport& v) {
  RequireObject(j, "usage report");
  Field(j, "since", v.since); Field(j, "by", v.by); Field(j, "lines", v.lines, true); Field(j, "total", v.total);
}

void to_json(json& j, const StatsSample& v) {
  j = {{"at", v.at}, {"tasks", v.tasks}, {"attempts_started", v.attempts_started},
       {"hosts", v.hosts}, {"hosts_online", v.hosts_online}, {"slots", v.slots}, {"slots_used", v.slots_used},
       {"hosts_owner_active", v.hosts_owner_active}, {"hosts_owner_idle", v.hosts_owner_idle}};
}
void from_json(const json& j, StatsSample& v) {
  RequireObject(j, "stats sample");
  Field(j, "at", v.at, true); Field(j, "tasks", v.tasks); Field(j, "attempts_started", v.attempts_started);
  Field(j, "hosts", v.hosts); Field(j, "hosts_online", v.hosts_online); Field(j, "slots", v.slots); Field(j, "slots_used", v.slots_used);
  Field(j, "hosts_owner_active", v.hosts_owner_active); Field(j, "hosts_owner_idle", v.hosts_owner_idle);
}

void to_json(json& j, const StatsHistory& v) { j = {{"period_ms", v.period_ms}, {"samples", v.samples}}; }
void from_json(const json& j, StatsHistory& v) {
  RequireObject(j, "stats");
  Field(j, "period_ms", v.period_ms); Field(j, "samples", v.samples, true);
}
// clang-format on

}  // namespace gleaner::api
