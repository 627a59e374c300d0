// Wire types of /api/v1: the one place the protocol is spelled.
//
// Every type has a JSON mapping in json.h. Field names here are the JSON field
// names. Identifiers are integers; times are Unix milliseconds; sizes bytes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gleaner::api {

enum class Role { kAdmin, kSubmitter, kViewer, kAgent };
enum class TaskState { kQueued, kRunning, kDone, kFailed, kCancelled };
enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
enum class AttemptState { kAssigned, kRunning, kSucceeded, kFailed, kLost, kCancelled, kVacated };

// Done, failed and cancelled tasks never run again.
inline bool IsTerminal(TaskState s) {
  return s == TaskState::kDone || s == TaskState::kFailed || s == TaskState::kCancelled;
}

const char* RoleName(Role r);
const char* TaskStateName(TaskState s);
const char* JobStateName(JobState s);
const char* AttemptStateName(AttemptState s);
std::optional<Role> RoleFromName(const std::string& s);
std::optional<TaskState> TaskStateFromName(const std::string& s);
std::optional<JobState> JobStateFromName(const std::string& s);
std::optional<AttemptState> AttemptStateFromName(const std::string& s);

// A file known by content: inputs, outputs, stdout/stderr captures.
struct FileRef {
  std::string name;    // relative path inside the task's work directory
  std::string sha256;  // lowercase hex; the blob's address
  int64_t size = 0;
};

// What a submitter asks for. `command` may contain {i} (task index) and {n}
// (task count), expanded per task.
struct JobSpec {
  std::string name;
  std::vector<std::string> command;
  int64_t count = 1;
  std::vector<FileRef> inputs;         // placed in each task's work dir under `name`
  std::vector<std::string> outputs;    // globs relative to the work dir
  int64_t cpus = 1;
  int64_t memory = 0;                  // bytes; 0 = no requirement
  int64_t max_retries = 3;             // attempts beyond the first
  int64_t timeout_ms = 0;              // per attempt; 0 = none
  int64_t priority = 0;                // higher runs first
  int64_t deadline_ms = 0;             // after submission; unfinished tasks then fail. 0 = none
  std::map<std::string, std::string> env;
  bool network = false;                // tasks may use the host's network; otherwise they have none
  // Result validation (docs/validation.md): each task runs on `replicas`
  // distinct hosts and its result is accepted when `quorum` of them agree.
  int64_t replicas = 1;
  int64_t quorum = 1;
  bool adaptive = true;                 // a proven host's result may stand alone (but for spot checks)
  // Fuzzy comparison of replicas' text outputs: numbers agree within
  // max(abs_tolerance, tolerance * magnitude). Both 0: results must be equal by hash.
  double tolerance = 0;
  double abs_tolerance = 0;
  // Or the name of a validator program the server's admin installed
  // (`gleaner server --validator NAME=PATH`) that decides instead.
  std::string validator;
  // Matchmaking (docs/scheduling.md): an expression over host facts and
  // labels that a host must meet, and one whose value ranks the hosts that do
  // (higher first). Empty: any host, no preference.
  std::string requirements;
  std::string rank;
  // Whether results whose bytes differ may still agree.
  bool Fuzzy() const { return tolerance > 0 || abs_tolerance > 0 || !validator.empty(); }
};

struct TaskCounts {
  int64_t queued = 0, running = 0, done = 0, failed = 0, cancelled = 0;
};

struct JobView {
  int64_t id = 0;
  JobSpec spec;
  JobState state = JobState::kQueued;
  TaskCounts counts;
  std::string owner;
  int64_t created_at = 0;
  int64_t finished_at = 0;  // 0 while not finished
};

// A moment in an attempt's life the owner caused: "suspended", "resumed", "vacated".
struct AttemptEvent {
  int64_t at = 0;
  int64_t attempt_id = 0;
  std::string what;
};

struct TaskView {
  int64_t job_id = 0;
  int64_t index = 0;
  TaskState state = TaskState::kQueued;
  int64_t attempts = 0;         // attempts started so far
  std::string host;             // host of the latest attempt
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string reason;           // why the latest attempt ended as it did, in words
  std::vector<FileRef> outputs; // of the accepted result
  std::optional<FileRef> stdout_ref;  // JSON "stdout"
  std::optional<FileRef> stderr_ref;  // JSON "stderr"
  int64_t wall_ms = 0;
  std::vector<AttemptEvent> events;  // suspensions, resumptions and vacates, oldest first
  std::optional<FileRef> checkpoint; // the latest checkpoint the next attempt starts from (docs/checkpoints.md)
  std::string validation;            // replicated tasks: how far their quorum is, in words; "" otherwise
};

struct HostFacts {
  std::string hostname;
  std::string os;
  std::string arch;
  int64_t cores = 0;
  int64_t memory = 0;
  std::string agent_version;
  // How the agent isolates tasks: "bubblewrap", or "none (why) ..." saying
  // whether it then runs no task or was allowed to run them unsandboxed.
  // Empty from agents that predate the sandbox.
  std::string sandbox;
  // The platform in one lowercase word ("linux", "windows"), as requirements
  // name it (`os == "linux"`); `os` is the OS in words. Empty from older agents.
  std::string platform;
  int64_t gpus = 0;  // GPUs tasks may use; agents detect none yet (docs/scheduling.md)
  bool operator==(const HostFacts&) const = default;
};

// What the agent says about its desktop's owner and why it runs work or not;
// kept in the server's memory only.
struct HostActivity {
  std::string owner = "unknown";  // "active", "idle" or "unknown" (no activity source)
  int64_t idle_since = 0;         // when owner is "idle"; 0 = as long as the agent knows
  std::string run_state;          // running, suspended, vacating, waiting for idle, outside window, on battery
  std::string why;                // in words: "owner active 12s ago; starts after 5m idle"
};

// The rules that protect desktop owners (docs/policy.md), set centrally for
// all hosts or one host.
struct Policy {
  int64_t start_after_ms = 5 * 60 * 1000;    // owner idle this long before work starts or resumes
  std::optional<double> max_load;            // non-grid CPU share (0-1] above which work suspends; unset: ignored
  int64_t vacate_after_ms = 10 * 60 * 1000;  // suspended this long: checkpoint signal, kill, requeue elsewhere
  std::string window;                        // when work may run, e.g. "Mon-Fri 19:00-07:00, all weekend"; "" = always
  bool on_battery = false;                   // run while on battery power
  int64_t max_cpus = 0;                      // slots used at most; 0 = all of the agent's slots
  int64_t max_cpu_percent = 0;               // share of the host's CPU time all tasks use at most, 1-100; 0 = no cap
  int64_t max_memory = 0;                    // bytes all tasks use at most (and offered to the scheduler); 0 = no cap
};
struct PolicyView {
  std::string scope;  // "all hosts" or "host NAME": where the policy shown was set
  Policy policy;
};

struct HostView {
  int64_t id = 0;
  HostFacts facts;
  int64_t slots = 0;
  int64_t slots_used = 0;
  bool online = false;
  int64_t last_seen = 0;
  int64_t enrolled_at = 0;
  bool quarantined = false;       // gets no work until an admin releases it
  std::string quarantine_reason;
  int64_t revoked_at = 0;         // 0, or when an admin revoked it: its credential is refused
  std::optional<HostActivity> activity;  // from the agent's latest report
  std::optional<PolicyView> policy;      // the owner policy this host is under
  // Replicated results (docs/validation.md): how often this host's result
  // agreed or disagreed with an accepted quorum; reliability is
  // agreements / (agreements + disagreements), absent without history.
  int64_t agreements = 0;
  int64_t disagreements = 0;
  std::optional<double> reliability;
};

// --- agent protocol -------------------------------------------------------

struct EnrollRequest {  // sent with the join token
  HostFacts facts;
  int64_t slots = 0;
};
struct EnrollResponse {
  int64_t host_id = 0;
  std::string credential;  // the agent's own bearer token from now on
};

struct Assignment {
  int64_t attempt_id = 0;
  int64_t job_id = 0;
  int64_t index = 0;
  int64_t count = 0;
  std::vector<std::string> command;  // already expanded
  std::vector<FileRef> inputs;
  std::vector<std::string> outputs;
  int64_t cpus = 1;
  int64_t memory = 0;
  int64_t timeout_ms = 0;
  std::map<std::string, std::string> env;
  std::optional<FileRef> checkpoint;  // a tar of GLEANER_CHECKPOINT_DIR to restore before the task starts
  bool network = false;               // the job's `network`: the task may use the host's network
};

// A checkpoint a running attempt uploaded; the server keeps the latest one
// per task, from the task's live attempt only.
struct CheckpointReport {
  int64_t attempt_id = 0;
  FileRef blob;
};

struct Completion {
  int64_t attempt_id = 0;
  bool succeeded = false;
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string reason;  // set when it did not succeed
  std::vector<FileRef> outputs;
  std::optional<FileRef> stdout_ref;
  std::optional<FileRef> stderr_ref;
  int64_t wall_ms = 0;
  int64_t cpu_ms = 0;
  bool vacated = false;  // stopped to give the desktop back: requeued without using up a retry
  std::vector<AttemptEvent> events;
  std::optional<FileRef> checkpoint;  // taken after a vacate's grace; the next attempt resumes from it
};

// One round trip carries everything: lease renewals (running), results
// (completions) and the request for work (free_slots).
struct SyncRequest {
  int64_t free_slots = 0;
  int64_t slots = 0;
  int64_t memory = 0;  // bytes the agent offers tasks now (policy's max_memory or less); 0 = facts.memory
  std::vector<int64_t> running;
  std::vector<Completion> completions;
  std::optional<HostActivity> activity;
  std::vector<CheckpointReport> checkpoints;  // of running attempts, latest per attempt
  // What the agent found at its start (sandbox, memory, version...), sent
  // until one sync succeeds: a restarted agent updates what it enrolled with.
  std::optional<HostFacts> facts;
};
struct SyncResponse {
  std::vector<Assignment> assignments;
  std::vector<int64_t> cancel;    // attempts the agent must kill now
  std::vector<int64_t> accepted;  // completions now durable; the agent may forget them
  int64_t lease_ms = 0;           // report again well within this
  int64_t poll_ms = 0;            // when idle, ask again after this
  std::optional<Policy> policy;   // the policy in force for this host
};

// --- admin / submitter ----------------------------------------------------

struct SubmitResponse {
  int64_t job_id = 0;
  std::string warning;  // accepted, but: e.g. no enrolled host can run it
};
struct TokenCreateRequest {
  Role role = Role::kAgent;
  std::string name;                      // unique among live tokens; made up when empty
  std::optional<int64_t> expires_in_ms;  // absent: agent join tokens 24 h, others never; 0: never
  int64_t max_uses = 0;                  // agent join tokens: enrolments allowed; 0: unlimited
  bool allow_network = false;            // submitter tokens: its jobs may ask for network (docs/security.md)
};
// A token as an admin sees it; never its secret.
struct TokenView {
  std::string id;  // the first 12 hex digits of the secret's SHA-256
  std::string name;
  Role role = Role::kAgent;
  std::string created_by;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // 0: never
  int64_t max_uses = 0;    // 0: unlimited
  int64_t uses = 0;
  int64_t revoked_at = 0;  // 0: not revoked
  std::string state;       // "active", "expired", "revoked" or "used up"
  bool allow_network = false;  // its jobs may ask for network (admins' always may)
};
struct TokenCreateResponse {
  std::string token;  // the token string (api/token_string.h): shown once
  Role role = Role::kAgent;
  std::optional<TokenView> view;
};
struct TokenList {
  std::vector<TokenView> tokens;
};
// One admin or security event: who did what, when, from where.
struct AuditEvent {
  int64_t id = 0;
  int64_t at = 0;        // Unix ms
  std::string who;       // a token's name or a host's name; "" when unauthenticated
  std::string role;      // the caller's role, "" when unauthenticated
  std::string peer;      // the client's address
  std::string action;    // e.g. "token.create", "host.revoke", "auth.refused"
  std::string target;    // what it acted on
  std::string outcome;   // "ok" or "refused"
  std::string detail;    // in words
};
struct AuditList {
  std::vector<AuditEvent> events;
};
struct JobList {
  std::vector<JobView> jobs;
};
struct TaskList {
  std::vector<TaskView> tasks;
};
struct HostList {
  std::vector<HostView> hosts;
};
// An online backup, written by the server on its own host.
struct BackupRequest {
  std::string to;  // absolute path of an absent or empty directory
};
struct BackupResponse {
  std::string dir;
  int64_t jobs = 0;
  int64_t task_rows = 0;
  int64_t blobs = 0;
  int64_t blob_bytes = 0;
};
struct ErrorBody {
  std::string code;
  std::string message;
};

// --- console and accounting -------------------------------------------------

// Who a token belongs to, so the console shows only what the role allows.
struct WhoAmI {
  std::string name;
  Role role = Role::kViewer;
};

// Harvested work under one key of a report: a host, a user or a UTC day.
struct UsageLine {
  std::string key;
  int64_t cpu_ms = 0;   // of every finished attempt, failed ones too: that CPU was spent
  int64_t wall_ms = 0;
  int64_t tasks = 0;    // attempts that succeeded
  int64_t failed = 0;   // attempts that failed
};
struct UsageReport {
  int64_t since = 0;   // Unix ms
  std::string by;      // "host", "user" or "day"
  std::vector<UsageLine> lines;
  UsageLine total;     // key "total"
};

// The grid at one moment, sampled every few seconds for the console's charts.
struct StatsSample {
  int64_t at = 0;
  TaskCounts tasks;
  int64_t attempts_started = 0;  // since the grid began; differences give the dispatch rate
  int64_t hosts = 0;             // enrolled
  int64_t hosts_online = 0;
  int64_t slots = 0;
  int64_t slots_used = 0;
  int64_t hosts_owner_active = 0;  // online hosts whose owner is at the keyboard
  int64_t hosts_owner_idle = 0;    // online hosts whose owner is away
};
struct StatsHistory {
  int64_t period_ms = 0;
  std::vector<StatsSample> samples;  // oldest first
};

}  // namespace gleaner::api
