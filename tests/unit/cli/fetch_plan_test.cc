#include "cli/fetch_plan.h"

#include <gtest/gtest.h>

namespace gleaner::cli {
namespace {

api::FileRef Ref(std::string name, char fill) { return {std::move(name), std::string(64, fill), 1}; }

TEST(PlanFetch, OutputsAndCapturesGoUnderTheTaskIndex) {
  api::TaskView task;
  task.index = 7;
  task.outputs = {Ref("tile-7.ppm", 'a'), Ref("logs/run.txt", 'b')};
  task.stdout_ref = Ref("stdout", 'c');
  task.stderr_ref = Ref("stderr", 'd');
  api::TaskView empty;
  empty.index = 8;
  auto plan = PlanFetch({{task, empty}}, "out");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->tasks, 1);
  ASSERT_EQ(plan->downloads.size(), 4u);
  EXPECT_EQ(plan->downloads[0].dest, "out/7/tile-7.ppm");
  EXPECT_EQ(plan->downloads[1].dest, "out/7/logs/run.txt");
  EXPECT_EQ(plan->downloads[2].dest, "out/7/stdout");
  EXPECT_EQ(plan->downloads[2].sha256, std::string(64, 'c'));
  EXPECT_EQ(plan->downloads[3].dest, "out/7/stderr");
}

TEST(PlanFetch, AnOutputNamedStdoutWinsOverTheCapture) {
  api::TaskView task;
  task.outputs = {Ref("stdout", 'a')};
  task.stdout_ref = Ref("stdout", 'c');
  auto plan = PlanFetch({{task}}, "out");
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->downloads.size(), 1u);
  EXPECT_EQ(plan->downloads[0].sha256, std::string(64, 'a'));
}

TEST(PlanFetch, RefusesNamesThatEscapeTheDirectory) {
  for (const char* bad : {"../evil", "/etc/passwd", "a/../../b", ""}) {
    api::TaskView task;
    task.outputs = {Ref(bad, 'a')};
    auto plan = PlanFetch({{task}}, "out");
    ASSERT_FALSE(plan.ok()) << bad;
    EXPECT_EQ(plan.error().code, ErrorCode::kInternal);
    EXPECT_NE(plan.error().message.find("outside out"), std::string::npos);
  }
}

}  // namespace
}  // namespace gleaner::cli
