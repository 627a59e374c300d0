#include "common/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace gleaner {
namespace {

constexpr int64_t kMaxDurationMs = int64_t{1'000'000'000} * 86'400'000;

Error BadDuration(const std::string& text) {
  return InvalidArgument("'" + text +
                         "' is not a duration; write a number with a unit, e.g. 90s, 5m, 2h, 1h30m "
                         "(units: ms, s, m, h, d)");
}

}  // namespace

Result<Millis> ParseDuration(const std::string& text) {
  if (text.empty()) return BadDuration(text);
  int64_t total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return BadDuration(text);
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 1'000'000'000) return BadDuration(text);
      ++i;
    }
    std::string unit;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) unit += text[i++];
    int64_t scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    else return BadDuration(text);
    total_ms += n * scale;
    // Each part is below 2^57 ms, so the sum cannot overflow before this.
    if (total_ms > kMaxDurationMs) {
      return InvalidArgument("'" + text + "' is longer than any duration Gleaner takes (1000000000d at most)");
    }
  }
  return Millis(total_ms);
}

std::string FormatDuration(Millis d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  // 1500ms reads better than 1s500ms; past a second's worth of digits, split.
  if (ms % 1000 != 0 && ms <= 1'000'000'000) return out + std::to_string(ms) + "ms";
  const std::pair<int64_t, const char*> units[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [len, name] : units) {
    if (ms >= len) {
      out += std::to_string(ms / len) + name;
      ms %= len;
    }
  }
  return out;
}

std::string FormatDurationCoarse(Millis d) {
  int64_t s = (d.count() + 500) / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (s < 86400) return std::to_string(s / 3600) + "h" + (s % 3600 / 60 ? std::to_string(s % 3600 / 60) + "m" : "");
  return std::to_string(s / 86400) + "d" + (s % 86400 / 3600 ? std::to_string(s % 86400 / 3600) + "h" : "");
}

Result<int64_t> ParseSize(const std::string& text) {
  auto bad = [&] {
    return InvalidArgument("'" + text + "' is not a size; write e.g. 512M, 2G or a number of bytes");
  };
  size_t i = 0;
  double n = 0;
  bool digits = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    n = n * 10 + (text[i++] - '0');
    digits = true;
  }
  if (i < text.size() && text[i] == '.') {
    double frac = 0.1;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      n += (text[i] - '0') * frac;
      frac /= 10;
      digits = true;
    }
  }
  if (!digits) return bad();
  std::string unit = text.substr(i);
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.ends_with("B")) unit.pop_back();
  if (unit.ends_with("I")) unit.pop_back();
  double scale;
  if (unit.empty()) scale = 1;
  else if (unit == "K") scale = 1024.0;
  else if (unit == "M") scale = 1024.0 * 1024;
  else if (unit == "G") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T") scale = 1024.0 * 1024 * 1024 * 1024;
  else return bad();
  double bytes = n * scale;
  if (bytes > 9.0e18) return bad();
  return static_cast<int64_t>(std::llround(bytes));
}

std::string FormatSize(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + (bytes ? "B" : "");
  const char* units[] = {"K", "M", "G", "T"};
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (v >= 10) std::snprintf(buf, sizeof buf, "%.0f%s", v, units[u]);
  else std::snprintf(buf, sizeof buf, "%.1f%s", v, units[u]);
  return buf;
}

}  // namespace gleaner
