#include "api/job_spec.h"

#include "common/sha256.h"

namespace gleaner::api {

bool IsSafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return path.find('\0') == std::string::npos;
}

Status ValidateJobSpec(const JobSpec& spec) {
  if (spec.command.empty() || spec.command.front().empty()) {
    return InvalidArgument("the job has no command; give it after '--', e.g. gleaner submit -- ./run.sh {i}");
  }
  if (spec.count < 1 || spec.count > kMaxTasksPerJob) {
    return InvalidArgument("task count " + std::to_string(spec.count) + " is out of range; use 1 to " +
                           std::to_string(kMaxTasksPerJob));
  }
  if (spec.cpus < 1 || spec.cpus > 4096) {
    return InvalidArgument("cpus must be between 1 and 4096, not " + std::to_string(spec.cpus));
  }
  if (spec.memory < 0) return InvalidArgument("memory must not be negative");
  if (spec.max_retries < 0 || spec.max_retries > 1000) {
    return InvalidArgument("max_retries must be between 0 and 1000, not " + std::to_string(spec.max_retries));
  }
  if (spec.timeout_ms < 0) return InvalidArgument("timeout must not be negative");
  if (spec.deadline_ms < 0) return InvalidArgument("deadline must not be negative");
  if (spec.name.size() > 200) return InvalidArgument("job name is longer than 200 characters");
  for (const auto& in : spec.inputs) {
    if (!IsSafeRelativePath(in.name)) {
      return InvalidArgument("input name '" + in.name +
                             "' must be a relative path inside the task directory (no '/' at the start, no '..')");
    }
    if (!IsSha256Hex(in.sha256)) return InvalidArgument("input '" + in.name + "' has no valid sha256");
  }
  for (const auto& glob : spec.outputs) {
    if (!IsSafeRelativePath(glob)) {
      return InvalidArgument("output pattern '" + glob +
                             "' must be relative to the task directory (no '/' at the start, no '..')");
    }
  }
  for (const auto& [k, v] : spec.env) {
    if (k.empty() || k.find('=') != std::string::npos) {
      return InvalidArgument("environment variable name '" + k + "' is not valid");
    }
  }
  return OkStatus();
}

std::vector<std::string> ExpandCommand(const std::vector<std::string>& command, int64_t index, int64_t count) {
  std::vector<std::string> out;
  out.reserve(command.size());
  for (const auto& arg : command) {
    std::string s;
    for (size_t i = 0; i < arg.size(); ++i) {
      if (arg.compare(i, 2, "{{") == 0) {
        s += '{';
        ++i;
      } else if (arg.compare(i, 2, "}}") == 0) {
        s += '}';
        ++i;
      } else if (arg.compare(i, 3, "{i}") == 0) {
        s += std::to_string(index);
        i += 2;
      } else if (arg.compare(i, 3, "{n}") == 0) {
        s += std::to_string(count);
        i += 2;
      } else {
        s += arg[i];
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gleaner::api
