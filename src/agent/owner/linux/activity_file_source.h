// ActivityFileSource reads the owner's state from a file, for tests and
// integrations: "active" means in use now, "idle" means idle since the file's
// mtime. inotify on its directory makes a change visible at once (the file
// may be replaced by a rename).
#pragma once

#include <memory>

#include "agent/executor/unique_fd.h"
#include "agent/owner/activity_source.h"

namespace gleaner::agent {

class ActivityFileSource : public ActivitySource {
 public:
  static Result<std::unique_ptr<ActivityFileSource>> Open(const std::string& path);

  std::string name() const override { return "activity file " + path_; }
  Result<ActivityReading> Read(int64_t now_ms) override;
  WaitHandle wake_handle() const override { return {inotify_.get()}; }

 private:
  ActivityFileSource(std::string path, UniqueFd inotify) : path_(std::move(path)), inotify_(std::move(inotify)) {}

  const std::string path_;
  const UniqueFd inotify_;
};

}  // namespace gleaner::agent
