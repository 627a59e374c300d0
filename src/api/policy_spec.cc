#include "api/policy_spec.h"

#include <array>
#include <cctype>
#include <sstream>
#include <vector>

namespace gleaner::api {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<int> DayIndex(const std::string& word) {
  std::string w = Lower(word).substr(0, 3);
  for (int d = 0; d < 7; ++d) {
    if (w == kDays[static_cast<size_t>(d)] && word.size() >= 3) return d;
  }
  return std::nullopt;
}

// "Mon", "Mon-Fri", "Sat-Mon" (wraps), "weekdays", "weekend", "daily".
std::optional<std::bitset<7>> ParseDays(const std::string& word) {
  std::string w = Lower(word);
  if (w == "weekdays") return std::bitset<7>(0b0011111);
  if (w == "weekend" || w == "weekends") return std::bitset<7>(0b1100000);
  if (w == "daily" || w == "week") return std::bitset<7>().set();
  auto dash = w.find('-');
  auto first = DayIndex(w.substr(0, dash));
  if (!first) return std::nullopt;
  if (dash == std::string::npos) return std::bitset<7>().set(static_cast<size_t>(*first));
  auto last = DayIndex(w.substr(dash + 1));
  if (!last) return std::nullopt;
  std::bitset<7> days;
  for (int d = *first;; d = (d + 1) % 7) {
    days.set(static_cast<size_t>(d));
    if (d == *last) break;
  }
  return days;
}

std::optional<int> ParseClock(const std::string& s) {
  int h = 0, m = 0;
  char colon = 0;
  std::istringstream in(s);
  if (!(in >> h >> colon >> m) || colon != ':' || !in.eof() || h < 0 || h > 24 || m < 0 || m > 59 ||
      (h == 24 && m != 0)) {
    return std::nullopt;
  }
  return h * 60 + m;
}

// "19:00-07:00" as [start, end) in minutes of a day; end may be <= start.
std::optional<std::pair<int, int>> ParseRange(const std::string& word) {
  auto dash = word.find('-');
  if (dash == std::string::npos || word.find(':') == std::string::npos) return std::nullopt;
  auto start = ParseClock(word.substr(0, dash));
  auto end = ParseClock(word.substr(dash + 1));
  if (!start || !end) return std::nullopt;
  return std::pair(*start, *end);
}

Error BadClause(const std::string& clause, const std::string& why) {
  return InvalidArgument("window clause '" + clause + "': " + why +
                         "; write days and/or hours, e.g. \"Mon-Fri 19:00-07:00, all weekend\"");
}

}  // namespace

Result<WeekWindow> WeekWindow::Parse(const std::string& spec) {
  // Each clause costs up to a week of minutes: bound the clauses' text.
  if (spec.size() > kMaxWindowBytes) {
    return InvalidArgument("the window is " + std::to_string(spec.size()) + " characters long; at most " +
                           std::to_string(kMaxWindowBytes) + " are allowed (e.g. \"Mon-Fri 19:00-07:00, all weekend\")");
  }
  WeekWindow window;
  if (spec.find_first_not_of(" \t") == std::string::npos) {
    window.open_.set();
    return window;
  }
  std::istringstream clauses(spec);
  for (std::string clause; std::getline(clauses, clause, ',');) {
    std::istringstream words(clause);
    std::optional<std::bitset<7>> days;
    std::optional<std::pair<int, int>> range;
    for (std::string word; words >> word;) {
      if (Lower(word) == "all" || Lower(word) == "every") continue;  // "all weekend" reads as "weekend"
      if (auto r = ParseRange(word)) {
        if (range) return BadClause(clause, "two time ranges");
        range = r;
      } else if (auto d = ParseDays(word)) {
        if (days) return BadClause(clause, "two sets of days");
        days = d;
      } else {
        return BadClause(clause, "'" + word + "' is neither days (Mon, Mon-Fri, weekend) nor hours (19:00-07:00)");
      }
    }
    if (!days && !range) return BadClause(clause, "it is empty");
    std::bitset<7> on = days.value_or(std::bitset<7>().set());
    auto [start, end] = range.value_or(std::pair(0, kMinutesPerDay));
    // 19:00-07:00 runs past midnight; 09:00-09:00 is empty.
    int length = end >= start ? end - start : end + kMinutesPerDay - start;
    for (int d = 0; d < 7; ++d) {
      if (!on.test(static_cast<size_t>(d))) continue;
      for (int m = 0; m < length; ++m) window.open_.set(static_cast<size_t>((d * kMinutesPerDay + start + m) % kMinutesPerWeek));
    }
  }
  return window;
}

std::optional<int> WeekWindow::NextOpening(int minute_of_week) const {
  for (int i = 0; i < kMinutesPerWeek; ++i) {
    int m = (minute_of_week + i) % kMinutesPerWeek;
    if (OpenAt(m)) return m;
  }
  return std::nullopt;
}

std::string FormatMinuteOfWeek(int minute_of_week) {
  int day = minute_of_week / kMinutesPerDay, minute = minute_of_week % kMinutesPerDay;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
  return std::string(kDayNames[static_cast<size_t>(day % 7)]) + " " + clock;
}

Status ValidatePolicy(const Policy& policy) {
  if (policy.start_after_ms < 0) return InvalidArgument("start-after must not be negative");
  if (policy.vacate_after_ms <= 0) {
    return InvalidArgument("vacate-after must be positive: 0 would throw away work at the owner's first keystroke");
  }
  if (policy.max_load && (*policy.max_load <= 0 || *policy.max_load > 1)) {
    return InvalidArgument("max-load is the non-grid share of all cores, above 0 and at most 1 (e.g. 0.3); "
                           "at 0 no work would ever start");
  }
  if (policy.max_cpus < 0) return InvalidArgument("max-cpus must be 0 (all of the agent's slots) or more");
  if (policy.max_cpu_percent < 0 || policy.max_cpu_percent > 100) {
    return InvalidArgument("max-cpu-percent is a share of the host's CPU time from 1 to 100 (got " +
                           std::to_string(policy.max_cpu_percent) + "); 100 means no cap");
  }
  if (policy.max_memory < 0) return InvalidArgument("max-memory must not be negative; 0 means no cap");
  if (policy.max_memory > 0 && policy.max_memory < kMinMemoryCap) {
    return InvalidArgument("max-memory " + std::to_string(policy.max_memory) +
                           " bytes is below 64 MiB: no task could even start; give e.g. 4GiB, or 0 for no cap");
  }
  auto window = WeekWindow::Parse(policy.window);
  if (!window.ok()) return window.error();
  if (window->NeverOpens()) return InvalidArgument("the window '" + policy.window + "' never opens: no work would ever run");
  return OkStatus();
}

}  // namespace gleaner::api
