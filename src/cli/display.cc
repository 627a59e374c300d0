#include "cli/display.h"

#include <algorithm>
#include <ctime>
#include <string_view>

#include "common/units.h"

namespace gleaner::cli {

std::string Age(int64_t since_ms, int64_t now_ms) {
  return FormatDurationCoarse(Millis(std::max<int64_t>(0, now_ms - since_ms)));
}

std::string LocalTime(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  std::time_t seconds = unix_ms / 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
  return buf;
}

std::string CountsText(const api::TaskCounts& counts, int64_t total) {
  std::string text = std::to_string(counts.done) + "/" + std::to_string(total) + " done · " +
                     std::to_string(counts.running) + " running · " + std::to_string(counts.failed) + " failed";
  if (counts.cancelled > 0) text += " · " + std::to_string(counts.cancelled) + " cancelled";
  return text;
}

std::string ShellLine(const std::vector<std::string>& argv) {
  static constexpr std::string_view kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%{}";
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    if (!arg.empty() && arg.find_first_not_of(kPlain) == std::string::npos) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace gleaner::cli
