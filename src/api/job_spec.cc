#include "api/job_spec.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

#include "api/requirements.h"
#include "common/sha256.h"

namespace gleaner::api {

namespace {

// For messages: control characters (a NUL, a newline) shown as '?', long text cut.
std::string Printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 100)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return s.size() > 100 ? out + "..." : out;
}

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// A tolerance only means something between replicas, and must be a number a
// comparison can use: finite, not negative, and a relative one below 1.
Status CheckTolerance(const JobSpec& spec) {
  auto shown = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", x);
    return std::string(text);
  };
  if (!std::isfinite(spec.tolerance) || spec.tolerance < 0 || spec.tolerance >= 1) {
    return InvalidArgument("tolerance " + shown(spec.tolerance) +
                           " is out of range: it is relative, at least 0 and below 1 (e.g. 1e-9)");
  }
  if (!std::isfinite(spec.abs_tolerance) || spec.abs_tolerance < 0) {
    return InvalidArgument("abs_tolerance " + shown(spec.abs_tolerance) + " must be a finite number, at least 0");
  }
  if (!spec.validator.empty()) {
    if (!IsValidatorName(spec.validator)) {
      return InvalidArgument("validator name '" + Printable(spec.validator) +
                             "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (spec.tolerance > 0 || spec.abs_tolerance > 0) {
      return InvalidArgument("choose a tolerance or a validator, not both: the validator alone decides");
    }
    if (spec.replicas < 2) {
      return InvalidArgument("a validator compares the results of replicas: add --replicas 2 or more");
    }
  }
  if (spec.Fuzzy() && spec.replicas < 2) {
    return InvalidArgument("a tolerance compares the results of replicas: add --replicas 2 or more");
  }
  return OkStatus();
}

Status CheckSizes(const JobSpec& spec) {
  if (spec.command.size() > kMaxCommandArgs) {
    return InvalidArgument("the command has " + std::to_string(spec.command.size()) + " arguments; at most " +
                           std::to_string(kMaxCommandArgs) + " are allowed (pass long lists in an input file)");
  }
  size_t command_bytes = 0;
  for (const auto& arg : spec.command) {
    if (HasNul(arg)) return InvalidArgument("command argument '" + Printable(arg) + "' contains a NUL byte");
    command_bytes += arg.size();
  }
  if (command_bytes > kMaxCommandBytes) {
    return InvalidArgument("the command is " + std::to_string(command_bytes) + " bytes long; at most " +
                           std::to_string(kMaxCommandBytes) + " are allowed (pass long lists in an input file)");
  }
  if (spec.env.size() > kMaxEnvVars) {
    return InvalidArgument("the job sets " + std::to_string(spec.env.size()) + " environment variables; at most " +
                           std::to_string(kMaxEnvVars) + " are allowed");
  }
  size_t env_bytes = 0;
  for (const auto& [k, v] : spec.env) {
    if (k.empty() || k.find('=') != std::string::npos || HasNul(k)) {
      return InvalidArgument("environment variable name '" + Printable(k) +
                             "' is not valid; names are non-empty, without '=' or NUL");
    }
    if (HasNul(v)) return InvalidArgument("environment variable " + Printable(k) + " has a NUL byte in its value");
    env_bytes += k.size() + v.size();
  }
  if (env_bytes > kMaxEnvBytes) {
    return InvalidArgument("the environment variables take " + std::to_string(env_bytes) + " bytes; at most " +
                           std::to_string(kMaxEnvBytes) + " are allowed (put large settings in an input file)");
  }
  if (spec.inputs.size() > kMaxInputs) {
    return InvalidArgument("the job has " + std::to_string(spec.inputs.size()) + " input files; at most " +
                           std::to_string(kMaxInputs) + " are allowed (pack them into an archive)");
  }
  if (spec.outputs.size() > kMaxOutputPatterns) {
    return InvalidArgument("the job has " + std::to_string(spec.outputs.size()) + " output patterns; at most " +
                           std::to_string(kMaxOutputPatterns) + " are allowed (use wildcards)");
  }
  if (HasNul(spec.name)) return InvalidArgument("the job name contains a NUL byte");
  return OkStatus();
}

}  // namespace

std::string WhyUnsafePath(const std::string& path) {
  if (path.empty()) return "it is empty";
  if (path.size() > kMaxPathBytes) return "it is longer than " + std::to_string(kMaxPathBytes) + " bytes";
  if (HasNul(path)) return "it contains a NUL byte";
  if (path.front() == '/') return "it starts with '/'; give it relative to the task directory";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part == "..") return "it has a '..' component, which would leave the task directory";
    if (part.empty() || part == ".") return "it has an empty or '.' component; write it as a plain a/b/c path";
    start = end + 1;
  }
  return "";
}

bool IsSafeRelativePath(const std::string& path) { return WhyUnsafePath(path).empty(); }

bool IsValidatorName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
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
  if (spec.replicas < 1 || spec.replicas > kMaxReplicas) {
    return InvalidArgument("replicas must be between 1 and " + std::to_string(kMaxReplicas) + ", not " +
                           std::to_string(spec.replicas));
  }
  if (spec.quorum < 1 || spec.quorum > spec.replicas) {
    return InvalidArgument("quorum " + std::to_string(spec.quorum) + " is out of range: it must be between 1 and " +
                           "the number of replicas (" + std::to_string(spec.replicas) +
                           "); e.g. --replicas 3 --quorum 2 accepts a result when 2 of 3 hosts agree");
  }
  GLEANER_RETURN_IF_ERROR(CheckTolerance(spec));
  if (auto r = Expression::ParseRequirements(spec.requirements); !r.ok()) return r.error();
  if (auto r = Expression::ParseRank(spec.rank); !r.ok()) return r.error();
  GLEANER_RETURN_IF_ERROR(CheckSizes(spec));
  std::set<std::string> input_names;
  for (const auto& in : spec.inputs) {
    if (std::string why = WhyUnsafePath(in.name); !why.empty()) {
      return InvalidArgument("input name '" + Printable(in.name) + "' must be a relative path inside the task directory (no '/' at the start, no '..'): " + why);
    }
    if (!IsSha256Hex(in.sha256)) return InvalidArgument("input '" + Printable(in.name) + "' has no valid sha256");
    if (!input_names.insert(in.name).second) {
      return InvalidArgument("two inputs are named '" + Printable(in.name) + "'; give each a name of its own");
    }
  }
  for (const auto& glob : spec.outputs) {
    if (std::string why = WhyUnsafePath(glob); !why.empty()) {
      return InvalidArgument("output pattern '" + Printable(glob) + "' must be relative to the task directory (no '/' at the start, no '..'): " + why);
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
