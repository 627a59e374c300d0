#include "agent/executor/output_capture.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gleaner::agent {

Result<OutputCapture> OutputCapture::Create(const std::string& path, int64_t cap) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) return Internal("cannot create '" + path + "': " + std::strerror(errno));
  return OutputCapture(std::move(fd), path, cap);
}

void OutputCapture::Append(std::string_view data) {
  auto room = static_cast<size_t>(std::max<int64_t>(0, cap_ - kept_));
  auto keep = std::min(room, data.size());
  Write(data.substr(0, keep));
  kept_ += static_cast<int64_t>(keep);
  dropped_ += static_cast<int64_t>(data.size() - keep);
}

Status OutputCapture::Finish() {
  if (dropped_ > 0) {
    Write("\n[gleaner: " + std::to_string(dropped_) + " more bytes dropped; output is capped at " +
          std::to_string(cap_) + " bytes]\n");
  }
  fd_.Reset();
  return status_;
}

void OutputCapture::Write(std::string_view data) {
  while (!data.empty() && status_.ok()) {
    ssize_t n = ::write(fd_.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = Internal("cannot write '" + path_ + "': " + std::strerror(errno));
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace gleaner::agent
