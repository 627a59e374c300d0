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
enum class AttemptState { kAssigned, kRunning, kSucceeded, kFailed, kLost, kCancelled };

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
  std::map<std::string, std::string> env;
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
};

struct HostFacts {
  std::string hostname;
  std::string os;
  std::string arch;
  int64_t cores = 0;
  int64_t memory = 0;
  std::string agent_version;
};

struct HostView {
  int64_t id = 0;
  HostFacts facts;
  int64_t slots = 0;
  int64_t slots_used = 0;
  bool online = false;
  int64_t last_seen = 0;
  int64_t enrolled_at = 0;
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
};

// One round trip carries everything: lease renewals (running), results
// (completions) and the request for work (free_slots).
struct SyncRequest {
  int64_t free_slots = 0;
  int64_t slots = 0;
  std::vector<int64_t> running;
  std::vector<Completion> completions;
};
struct SyncResponse {
  std::vector<Assignment> assignments;
  std::vector<int64_t> cancel;    // attempts the agent must kill now
  std::vector<int64_t> accepted;  // completions now durable; the agent may forget them
  int64_t lease_ms = 0;           // report again well within this
  int64_t poll_ms = 0;            // when idle, ask again after this
};

// --- admin / submitter ----------------------------------------------------

struct SubmitResponse {
  int64_t job_id = 0;
};
struct TokenCreateRequest {
  Role role = Role::kAgent;
  std::string name;
};
struct TokenCreateResponse {
  std::string token;
  Role role = Role::kAgent;
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
struct ErrorBody {
  std::string code;
  std::string message;
};

}  // namespace gleaner::api
