// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/schedule.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ioreplication::session_internal {
namespace {

constexpr const char* kDayNames[7] = {"mon", "tue", "wed", "thu",
                                      "fri", "sat", "sun"};

// "HH:MM" -> minutes after midnight, or -1.
int ParseClock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  int hours = 0, minutes = 0;
  if (!absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes) ||
      !absl::ascii_isdigit(text[0]) || !absl::ascii_isdigit(text[3])) {
    return -1;
  }
  if (hours > 23 || minutes > 59) return -1;
  return hours * 60 + minutes;
}

}  // namespace

absl::StatusOr<Schedule> Schedule::Parse(const ScheduleConfig& config) {
  Schedule schedule;
  std::vector<std::string> problems;
  if (config.interval < absl::ZeroDuration()) {
    problems.push_back("schedule: the interval is negative");
  }
  schedule.interval_ = config.interval;
  if (!config.days.empty()) {
    for (bool& day : schedule.days_) day = false;
    for (const std::string& name : config.days) {
      const std::string lower = absl::AsciiStrToLower(name);
      bool known = false;
      for (int i = 0; i < 7; ++i) {
        if (lower == kDayNames[i]) {
          schedule.days_[i] = true;
          known = true;
        }
      }
      if (!known) {
        problems.push_back(absl::StrCat("schedule: unknown day \"", name,
                                        "\" (use ",
                                        absl::StrJoin(kDayNames, ", "), ")"));
      }
    }
  }
  const bool has_start = !config.window_start.empty();
  const bool has_end = !config.window_end.empty();
  if (has_start != has_end) {
    problems.push_back(
        "schedule: a window needs both window_start and window_end");
  } else if (has_start) {
    schedule.window_start_ = ParseClock(config.window_start);
    schedule.window_end_ = ParseClock(config.window_end);
    for (const auto& [value, text] :
         {std::pair{schedule.window_start_, config.window_start},
          std::pair{schedule.window_end_, config.window_end}}) {
      if (value < 0) {
        problems.push_back(absl::StrCat("schedule: \"", text,
                                        "\" is not a time of day (HH:MM, "
                                        "00:00 to 23:59)"));
      }
    }
    if (schedule.window_start_ >= 0 &&
        schedule.window_start_ == schedule.window_end_) {
      problems.push_back(absl::StrCat(
          "schedule: the window ", config.window_start, " to ",
          config.window_end, " is empty, so the session never fires"));
    }
  }
  if (!schedule.automatic() && (!config.days.empty() || has_start)) {
    problems.push_back(
        "schedule: days or a window are set but interval_seconds is 0, so "
        "the session never fires (set an interval, or drop them to run only "
        "by hand)");
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return schedule;
}

bool Schedule::Allows(absl::Time t, absl::TimeZone zone) const {
  const absl::TimeZone::CivilInfo civil = zone.At(t);
  const int weekday = static_cast<int>(absl::GetWeekday(civil.cs));
  if (!days_[weekday]) return false;
  if (window_start_ < 0) return true;
  const int minute = civil.cs.hour() * 60 + civil.cs.minute();
  if (window_start_ < window_end_) {
    return minute >= window_start_ && minute < window_end_;
  }
  return minute >= window_start_ || minute < window_end_;
}

absl::Time Schedule::NextRun(std::optional<absl::Time> last_start,
                             absl::Time now, absl::TimeZone zone) const {
  if (!automatic()) return absl::InfiniteFuture();
  const absl::Time due = last_start ? *last_start + interval_ : now;
  if (Allows(due, zone)) return due;
  // The next whole minute inside the days and window; a valid schedule has
  // one within a week.
  absl::Time t =
      absl::FromUnixSeconds((absl::ToUnixSeconds(due) / 60 + 1) * 60);
  for (int i = 0; i < 8 * 24 * 60; ++i, t += absl::Minutes(1)) {
    if (Allows(t, zone)) return t;
  }
  return absl::InfiniteFuture();
}

}  // namespace ioreplication::session_internal
