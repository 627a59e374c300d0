#include "api/json.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

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
void Convert(const json& v, T& out) {
  v.get_to(out);
}
// Integers must be JSON integers that fit: nlohmann would cast 1.5 or 1e300
// (undefined behaviour) or 2^64-1 to an int64_t without a word.
void Convert(const json& v, int64_t& out) {
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{INT64_MAX})) {
    throw json::type_error::create(302, "expected a whole number between -2^63 and 2^63-1, not " + v.dump(), nullptr);
  }
  out = v.get<int64_t>();
}
void Convert(const json& v, std::vector<int64_t>& out) {
  if (!v.is_array()) throw json::type_error::create(302, std::string("expected an array, not ") + v.type_name(), nullptr);
  out.clear();
  for (const json& e : v) Convert(e, out.emplace_back());
}

template <typename T>
void Field(const json& j, const char* key, T& out, bool required = false) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw FieldError(std::string("missing required field '") + key + "'");
    return;
  }
  try {
    Convert(*it, out);
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

// The deepest nesting of arrays and objects in `text`, counted lexically
// (brackets inside strings do not count), stopping once past `limit`. Cheaper
// than a parser callback; malformed JSON is the parser's to report.
int NestingDepth(const std::string& text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size() && deepest <= limit; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<json> ParseJson(const std::string& body) {
  if (NestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    return InvalidArgument("request body nests arrays or objects more than " + std::to_string(kMaxJsonDepth) +
                           " levels deep; no Gleaner request needs more than a few");
  }
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("request body is not valid JSON");
  return j;
}

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
  if (v.network) j["network"] = true;
  if (v.replicas != 1 || v.quorum != 1) {
    j["replicas"] = v.replicas;
    j["quorum"] = v.quorum;
  }
  if (!v.adaptive) j["adaptive"] = false;
  if (v.tolerance > 0) j["tolerance"] = v.tolerance;
  if (v.abs_tolerance > 0) j["abs_tolerance"] = v.abs_tolerance;
  if (!v.validator.empty()) j["validator"] = v.validator;
  if (!v.requirements.empty()) j["requirements"] = v.requirements;
  if (!v.rank.empty()) j["rank"] = v.rank;
}
void from_json(const json& j, JobSpec& v) {
  RequireObject(j, "job spec");
  Field(j, "name", v.name); Field(j, "command", v.command, true); Field(j, "count", v.count);
  Field(j, "inputs", v.inputs); Field(j, "outputs", v.outputs); Field(j, "cpus", v.cpus);
  Field(j, "memory", v.memory); Field(j, "max_retries", v.max_retries);
  Field(j, "timeout_ms", v.timeout_ms); Field(j, "priority", v.priority); Field(j, "env", v.env);
  Field(j, "deadline_ms", v.deadline_ms); Field(j, "network", v.network);
  Field(j, "replicas", v.replicas); Field(j, "quorum", v.quorum); Field(j, "adaptive", v.adaptive);
  Field(j, "tolerance", v.tolerance); Field(j, "abs_tolerance", v.abs_tolerance); Field(j, "validator", v.validator);
  Field(j, "requirements", v.requirements); Field(j, "rank", v.rank);
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
  PutOptional(j, "checkpoint", v.checkpoint);
  if (!v.validation.empty()) j["validation"] = v.validation;
}
void from_json(const json& j, TaskView& v) {
  RequireObject(j, "task");
  Field(j, "job_id", v.job_id); Field(j, "index", v.index, true);
  EnumField(j, "state", v.state, &TaskStateFromName, true);
  Field(j, "attempts", v.attempts); Field(j, "host", v.host); Field(j, "reason", v.reason);
  Field(j, "outputs", v.outputs); Field(j, "wall_ms", v.wall_ms);
  Field(j, "exit_code", v.exit_code); Field(j, "signal", v.signal);
  Field(j, "stdout", v.stdout_ref); Field(j, "stderr", v.stderr_ref); Field(j, "events", v.events);
  Field(j, "checkpoint", v.checkpoint); Field(j, "validation", v.validation);
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
       {"on_battery", v.on_battery}, {"max_cpus", v.max_cpus}, {"max_cpu_percent", v.max_cpu_percent},
       {"max_memory", v.max_memory}};
  PutOptional(j, "max_load", v.max_load);
}
void from_json(const json& j, Policy& v) {
  RequireObject(j, "policy");
  Field(j, "start_after_ms", v.start_after_ms); Field(j, "max_load", v.max_load);
  Field(j, "vacate_after_ms", v.vacate_after_ms); Field(j, "window", v.window);
  Field(j, "on_battery", v.on_battery); Field(j, "max_cpus", v.max_cpus);
  Field(j, "max_cpu_percent", v.max_cpu_percent); Field(j, "max_memory", v.max_memory);
}

void to_json(json& j, const PolicyView& v) { j = {{"scope", v.scope}, {"policy", v.policy}}; }
void from_json(const json& j, PolicyView& v) {
  RequireObject(j, "policy view");
  Field(j, "scope", v.scope); Field(j, "policy", v.policy, true);
}

void to_json(json& j, const HostFacts& v) {
  j = {{"hostname", v.hostname}, {"os", v.os}, {"arch", v.arch}, {"cores", v.cores},
       {"memory", v.memory}, {"agent_version", v.agent_version}};
  if (!v.sandbox.empty()) j["sandbox"] = v.sandbox;
  if (!v.platform.empty()) j["platform"] = v.platform;
  if (v.gpus != 0) j["gpus"] = v.gpus;
}
void from_json(const json& j, HostFacts& v) {
  RequireObject(j, "host facts");
  Field(j, "hostname", v.hostname, true); Field(j, "os", v.os); Field(j, "arch", v.arch);
  Field(j, "cores", v.cores); Field(j, "memory", v.memory); Field(j, "agent_version", v.agent_version);
  Field(j, "sandbox", v.sandbox); Field(j, "platform", v.platform); Field(j, "gpus", v.gpus);
}

void to_json(json& j, const HostView& v) {
  j = {{"id", v.id}, {"facts", v.facts}, {"slots", v.slots}, {"slots_used", v.slots_used},
       {"online", v.online}, {"last_seen", v.last_seen}, {"enrolled_at", v.enrolled_at},
       {"quarantined", v.quarantined}, {"quarantine_reason", v.quarantine_reason}, {"revoked_at", v.revoked_at}};
  PutOptional(j, "activity", v.activity);
  PutOptional(j, "policy", v.policy);
  j["agreements"] = v.agreements;
  j["disagreements"] = v.disagreements;
  PutOptional(j, "reliability", v.reliability);
}
void from_json(const json& j, HostView& v) {
  RequireObject(j, "host");
  Field(j, "id", v.id, true); Field(j, "facts", v.facts); Field(j, "slots", v.slots);
  Field(j, "slots_used", v.slots_used); Field(j, "online", v.online);
  Field(j, "last_seen", v.last_seen); Field(j, "enrolled_at", v.enrolled_at);
  Field(j, "quarantined", v.quarantined); Field(j, "quarantine_reason", v.quarantine_reason);
  Field(j, "revoked_at", v.revoked_at);
  Field(j, "activity", v.activity); Field(j, "policy", v.policy);
  Field(j, "agreements", v.agreements); Field(j, "disagreements", v.disagreements);
  Field(j, "reliability", v.reliability);
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
  PutOptional(j, "checkpoint", v.checkpoint);
  if (v.network) j["network"] = true;
}
void from_json(const json& j, Assignment& v) {
  RequireObject(j, "assignment");
  Field(j, "attempt_id", v.attempt_id, true); Field(j, "job_id", v.job_id, true);
  Field(j, "index", v.index, true); Field(j, "count", v.count, true);
  Field(j, "command", v.command, true); Field(j, "inputs", v.inputs); Field(j, "outputs", v.outputs);
  Field(j, "cpus", v.cpus); Field(j, "memory", v.memory); Field(j, "timeout_ms", v.timeout_ms);
  Field(j, "env", v.env); Field(j, "checkpoint", v.checkpoint); Field(j, "network", v.network);
}

void to_json(json& j, const CheckpointReport& v) { j = {{"attempt_id", v.attempt_id}, {"blob", v.blob}}; }
void from_json(const json& j, CheckpointReport& v) {
  RequireObject(j, "checkpoint report");
  Field(j, "attempt_id", v.attempt_id, true); Field(j, "blob", v.blob, true);
}

void to_json(json& j, const Completion& v) {
  j = {{"attempt_id", v.attempt_id}, {"succeeded", v.succeeded}, {"reason", v.reason},
       {"outputs", v.outputs}, {"wall_ms", v.wall_ms}, {"cpu_ms", v.cpu_ms}};
  PutOptional(j, "exit_code", v.exit_code); PutOptional(j, "signal", v.signal);
  PutOptional(j, "stdout", v.stdout_ref); PutOptional(j, "stderr", v.stderr_ref);
  if (v.vacated) j["vacated"] = true;
  if (!v.events.empty()) j["events"] = v.events;
  PutOptional(j, "checkpoint", v.checkpoint);
}
void from_json(const json& j, Completion& v) {
  RequireObject(j, "completion");
  Field(j, "attempt_id", v.attempt_id, true); Field(j, "succeeded", v.succeeded, true);
  Field(j, "reason", v.reason); Field(j, "outputs", v.outputs); Field(j, "wall_ms", v.wall_ms);
  Field(j, "cpu_ms", v.cpu_ms); Field(j, "exit_code", v.exit_code); Field(j, "signal", v.signal);
  Field(j, "stdout", v.stdout_ref); Field(j, "stderr", v.stderr_ref);
  Field(j, "vacated", v.vacated); Field(j, "events", v.events); Field(j, "checkpoint", v.checkpoint);
}

void to_json(json& j, const SyncRequest& v) {
  j = {{"free_slots", v.free_slots}, {"slots", v.slots}, {"running", v.running},
       {"completions", v.completions}};
  if (v.memory > 0) j["memory"] = v.memory;
  PutOptional(j, "activity", v.activity);
  if (!v.checkpoints.empty()) j["checkpoints"] = v.checkpoints;
  PutOptional(j, "facts", v.facts);
}
void from_json(const json& j, SyncRequest& v) {
  RequireObject(j, "sync request");
  Field(j, "free_slots", v.free_slots); Field(j, "slots", v.slots); Field(j, "memory", v.memory);
  Field(j, "running", v.running);
  Field(j, "completions", v.completions);
  Field(j, "activity", v.activity); Field(j, "checkpoints", v.checkpoints); Field(j, "facts", v.facts);
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

void to_json(json& j, const SubmitResponse& v) {
  j = {{"job_id", v.job_id}};
  if (!v.warning.empty()) j["warning"] = v.warning;
}
void from_json(const json& j, SubmitResponse& v) {
  RequireObject(j, "submit response");
  Field(j, "job_id", v.job_id, true); Field(j, "warning", v.warning);
}

void to_json(json& j, const TokenCreateRequest& v) {
  j = {{"role", RoleName(v.role)}, {"name", v.name}, {"max_uses", v.max_uses}};
  if (v.expires_in_ms) j["expires_in_ms"] = *v.expires_in_ms;
  if (v.allow_network) j["allow_network"] = true;
}
void from_json(const json& j, TokenCreateRequest& v) {
  RequireObject(j, "token request");
  EnumField(j, "role", v.role, &RoleFromName, true); Field(j, "name", v.name);
  Field(j, "expires_in_ms", v.expires_in_ms); Field(j, "max_uses", v.max_uses);
  Field(j, "allow_network", v.allow_network);
}

void to_json(json& j, const TokenView& v) {
  j = {{"id", v.id}, {"name", v.name}, {"role", RoleName(v.role)}, {"created_by", v.created_by},
       {"created_at", v.created_at}, {"expires_at", v.expires_at}, {"max_uses", v.max_uses}, {"uses", v.uses},
       {"revoked_at", v.revoked_at}, {"state", v.state}, {"allow_network", v.allow_network}};
}
void from_json(const json& j, TokenView& v) {
  RequireObject(j, "token");
  Field(j, "id", v.id, true); Field(j, "name", v.name); EnumField(j, "role", v.role, &RoleFromName);
  Field(j, "created_by", v.created_by); Field(j, "created_at", v.created_at); Field(j, "expires_at", v.expires_at);
  Field(j, "max_uses", v.max_uses); Field(j, "uses", v.uses); Field(j, "revoked_at", v.revoked_at);
  Field(j, "state", v.state); Field(j, "allow_network", v.allow_network);
}

void to_json(json& j, const TokenCreateResponse& v) {
  j = {{"token", v.token}, {"role", RoleName(v.role)}};
  if (v.view) j["view"] = *v.view;
}
void from_json(const json& j, TokenCreateResponse& v) {
  RequireObject(j, "token response");
  Field(j, "token", v.token, true); EnumField(j, "role", v.role, &RoleFromName); Field(j, "view", v.view);
}
void to_json(json& j, const TokenList& v) { j = {{"tokens", v.tokens}}; }
void from_json(const json& j, TokenList& v) { RequireObject(j, "token list"); Field(j, "tokens", v.tokens, true); }

void to_json(json& j, const AuditEvent& v) {
  j = {{"id", v.id}, {"at", v.at}, {"who", v.who}, {"role", v.role}, {"peer", v.peer}, {"action", v.action},
       {"target", v.target}, {"outcome", v.outcome}, {"detail", v.detail}};
}
void from_json(const json& j, AuditEvent& v) {
  RequireObject(j, "audit event");
  Field(j, "id", v.id); Field(j, "at", v.at, true); Field(j, "who", v.who); Field(j, "role", v.role);
  Field(j, "peer", v.peer); Field(j, "action", v.action, true); Field(j, "target", v.target);
  Field(j, "outcome", v.outcome); Field(j, "detail", v.detail);
}
void to_json(json& j, const AuditList& v) { j = {{"events", v.events}}; }
void from_json(const json& j, AuditList& v) { RequireObject(j, "audit list"); Field(j, "events", v.events, true); }

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
