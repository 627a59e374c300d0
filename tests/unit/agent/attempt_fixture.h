// The world one attempt runs in, for the attempt runner's tests: a temp dir,
// an in-memory server, the agent's directories, the plain process driver (as
// the `gleaner` task user where it exists) and the pending-completions store.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "agent/agent_dirs.h"
#include "agent/attempt_runner.h"
#include "agent/executor/input_cache.h"
#include "agent/executor/posix/process_driver.h"
#include "agent/executor/task_user.h"
#include "agent/pending_store.h"
#include "test_support.h"

namespace gleaner::agent::testing {

class AttemptFixture : public ::testing::Test {
 protected:
  AttemptFixture()
      : dirs_(*PrepareAgentDirs(tmp_ / "agent")),
        driver_(TaskUserOrSelf(), nullptr),
        cache_(dirs_.cache, InputCache::Placement::kCopy),
        pending_(PendingStore::Open(dirs_.pending).value()),
        env_{dirs_, driver_, cache_, *pending_, server_.Links(), 1 << 20} {}

  static std::optional<TaskUser> TaskUserOrSelf() {
    auto user = ResolveTaskUser("gleaner");
    return user.ok() ? *user : std::nullopt;
  }

  // The one completion the attempt left (an empty one, and a failure, if not one).
  api::Completion OnlyCompletion() {
    auto all = pending_->All();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? api::Completion{} : all[0];
  }

  TempDir tmp_;
  FakeServer server_;
  AgentDirs dirs_;
  ProcessDriver driver_;
  TaskControl control_{1};
  InputCache cache_;
  std::unique_ptr<PendingStore> pending_;
  AttemptEnv env_;
};

}  // namespace gleaner::agent::testing
