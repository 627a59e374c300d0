#include "server/console/json_log_format.h"

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace gleaner::server {
namespace {

// "2026-11-28T21:43:56.123Z"
std::string IsoTime(int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return buf;
}

class JsonLinesFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    std::string line = JsonLogLine(ms, msg.level, std::string(msg.payload.data(), msg.payload.size())) + "\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLinesFormatter>(); }
};

}  // namespace

std::string JsonLogLine(int64_t unix_ms, spdlog::level::level_enum level, const std::string& message) {
  auto name = spdlog::level::to_string_view(level);
  nlohmann::json line = {{"time", IsoTime(unix_ms)},
                         {"level", std::string(name.data(), name.size())},
                         {"msg", message}};
  // Invalid UTF-8 in a message (a hostile hostname, say) must not stop logging.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void UseJsonLines() { spdlog::set_formatter(std::make_unique<JsonLinesFormatter>()); }

}  // namespace gleaner::server
