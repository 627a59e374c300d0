#include "agent/executor/output_globs.h"

#include <glob.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>

#include "api/job_spec.h"

namespace gleaner::agent {

namespace fs = std::filesystem;

namespace {

// The work dir is a literal prefix; its characters must not act as wildcards.
std::string EscapeGlob(const std::string& literal) {
  std::string out;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool IsInside(const fs::path& real, const fs::path& root) {
  auto rel = real.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

Result<std::vector<OutputFile>> MatchOutputs(const std::string& work_dir, const std::vector<std::string>& patterns) {
  std::error_code ec;
  fs::path root = fs::canonical(work_dir, ec);
  if (ec) return Internal("cannot resolve work dir '" + work_dir + "': " + ec.message());
  std::map<std::string, std::string> found;  // name -> path; ordered and unique
  for (const auto& pattern : patterns) {
    if (std::string why = api::WhyUnsafePath(pattern); !why.empty()) {
      return InvalidArgument("output pattern '" + pattern + "' must stay inside the work dir: " + why);
    }
    glob_t matches{};
    int rc = ::glob((EscapeGlob(root.string()) + "/" + pattern).c_str(), 0, nullptr, &matches);
    if (rc != 0 && rc != GLOB_NOMATCH) {
      ::globfree(&matches);
      return Internal("cannot expand output pattern '" + pattern + "'");
    }
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      fs::path path = matches.gl_pathv[i];
      struct stat st {};
      if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      fs::path real = fs::canonical(path, ec);
      if (ec || !IsInside(real, root)) continue;
      found.emplace(real.lexically_relative(root).string(), real.string());
    }
    ::globfree(&matches);
  }
  std::vector<OutputFile> files;
  for (auto& [name, path] : found) files.push_back({path, name});
  return files;
}

}  // namespace gleaner::agent
