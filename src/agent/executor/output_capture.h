// OutputCapture writes a task's stdout or stderr to a file, keeping at most
// `cap` bytes and then a final line saying how many were dropped, so a chatty
// task cannot fill the desktop's disk. Not thread-safe; one per stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/executor/unique_fd.h"
#include "common/status.h"

namespace gleaner::agent {

class OutputCapture {
 public:
  // Creates (or truncates) `path`.
  static Result<OutputCapture> Create(const std::string& path, int64_t cap);

  void Append(std::string_view data);
  // Writes the "dropped" line if anything was dropped and closes the file; the
  // first write error, if any, comes back here.
  Status Finish();

  int64_t dropped() const { return dropped_; }

 private:
  OutputCapture(UniqueFd fd, std::string path, int64_t cap) : fd_(std::move(fd)), path_(std::move(path)), cap_(cap) {}
  void Write(std::string_view data);

  UniqueFd fd_;
  std::string path_;
  int64_t cap_;
  int64_t kept_ = 0;
  int64_t dropped_ = 0;
  Status status_;
};

}  // namespace gleaner::agent
