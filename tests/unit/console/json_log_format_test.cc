#include "server/console/json_log_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gleaner::server {
namespace {

TEST(JsonLogLine, IsOneJsonObjectWithTimeLevelAndMessage) {
  std::string line = JsonLogLine(1'795'824'000'123, spdlog::level::warn, "host \"pc1\"\nlost");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one line per record";
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["time"], "2026-11-28T00:00:00.123Z");
  EXPECT_EQ(j["level"], "warning");
  EXPECT_EQ(j["msg"], "host \"pc1\"\nlost");
}

TEST(JsonLogLine, SurvivesInvalidUtf8) {
  auto j = nlohmann::json::parse(JsonLogLine(0, spdlog::level::info, "bad \xff byte"));
  EXPECT_EQ(j["level"], "info");
}

}  // namespace
}  // namespace gleaner::server
