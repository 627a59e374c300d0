// Pure rules about owner policies: the weekly time window ("Mon-Fri
// 19:00-07:00, all weekend") and what makes a policy invalid or
// self-defeating. Shared by the server (refuses bad policies) and the agent
// (evaluates them), so both read a window the same way.
#pragma once

#include <bitset>
#include <optional>
#include <string>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::api {

inline constexpr int kMinutesPerWeek = 7 * 24 * 60;
// A window's text at most; every useful window is far shorter.
inline constexpr size_t kMaxWindowBytes = 1000;
// A memory cap below this leaves no room for any task: refused as self-defeating.
inline constexpr int64_t kMinMemoryCap = int64_t{64} << 20;

// The minutes of a week (Monday 00:00 = 0, local time) a window is open.
class WeekWindow {
 public:
  // Comma-separated clauses, each days and/or a time range: "Mon-Fri
  // 19:00-07:00", "all weekend", "Sat", "12:00-13:00" (every day). A range
  // whose end is before its start runs past midnight. Empty: always open.
  static Result<WeekWindow> Parse(const std::string& spec);

  bool OpenAt(int minute_of_week) const { return open_.test(static_cast<size_t>(minute_of_week)); }
  bool NeverOpens() const { return open_.none(); }
  // The first open minute at or after `minute_of_week`, wrapping round the week.
  std::optional<int> NextOpening(int minute_of_week) const;

 private:
  std::bitset<kMinutesPerWeek> open_;
};

// "Mon 19:00".
std::string FormatMinuteOfWeek(int minute_of_week);

// Says what is wrong with `policy`, and how to fix it, or OK.
Status ValidatePolicy(const Policy& policy);

}  // namespace gleaner::api
