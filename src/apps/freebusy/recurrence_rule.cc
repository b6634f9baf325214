// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ParseRecurrenceRule: RFC 5545 RRULE values, the subset calendars use,
// parsed strictly (the value comes from other organizations' calendars).

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "core/text.h"
#include "ioreplication/calendar.h"

namespace ioreplication {
namespace {

using Frequency = RecurrenceRule::Frequency;

absl::Status Bad(absl::string_view part, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("RRULE: ", part, ": ", why));
}

bool ParseInt(absl::string_view s, int lo, int hi, int* out) {
  // SimpleAtoi takes a leading '+', and RFC 5545 numbers may have one.
  return !s.empty() && s.size() <= 7 && absl::SimpleAtoi(s, out) &&
         *out >= lo && *out <= hi;
}

bool ParseWeekday(absl::string_view s, absl::Weekday* out) {
  static constexpr std::pair<const char*, absl::Weekday> kDays[] = {
      {"MO", absl::Weekday::monday},    {"TU", absl::Weekday::tuesday},
      {"WE", absl::Weekday::wednesday}, {"TH", absl::Weekday::thursday},
      {"FR", absl::Weekday::friday},    {"SA", absl::Weekday::saturday},
      {"SU", absl::Weekday::sunday}};
  for (const auto& [name, day] : kDays) {
    if (s == name) {
      *out = day;
      return true;
    }
  }
  return false;
}

// UNTIL: YYYYMMDD (a date: through its end, in UTC) or YYYYMMDDTHHMMSSZ.
bool ParseUntil(absl::string_view s, absl::Time* out) {
  int y, mo, d, h = 23, mi = 59, sec = 59;
  if (s.size() != 8 && s.size() != 16) return false;
  if (!ParseInt(s.substr(0, 4), 1601, 9999, &y) ||
      !ParseInt(s.substr(4, 2), 1, 12, &mo) ||
      !ParseInt(s.substr(6, 2), 1, 31, &d)) {
    return false;
  }
  if (s.size() == 16) {
    if (s[8] != 'T' || s[15] != 'Z' || !ParseInt(s.substr(9, 2), 0, 23, &h) ||
        !ParseInt(s.substr(11, 2), 0, 59, &mi) ||
        !ParseInt(s.substr(13, 2), 0, 60, &sec)) {
      return false;
    }
  }
  const absl::CivilSecond civil(y, mo, d, h, mi, sec);
  // CivilSecond normalizes Feb 30 to Mar 2; a real date keeps its fields.
  if (civil.year() != y || civil.month() != mo || civil.day() != d) {
    return false;
  }
  *out = absl::FromCivil(civil, absl::UTCTimeZone());
  return true;
}

template <typename T>
absl::Status ParseList(absl::string_view name, absl::string_view value,
                       bool (*parse)(absl::string_view, T*),
                       std::vector<T>* out) {
  for (absl::string_view item : absl::StrSplit(value, ',')) {
    T v;
    if (!parse(item, &v)) {
      return Bad(name, absl::StrCat("\"", item, "\" is not a valid value"));
    }
    out->push_back(v);
  }
  if (out->size() > 62) return Bad(name, "too many values");
  return absl::OkStatus();
}

bool ParseMonthDay(absl::string_view s, int* out) {
  return ParseInt(s, -31, 31, out) && *out != 0;
}

bool ParseMonth(absl::string_view s, int* out) {
  return ParseInt(s, 1, 12, out);
}

bool ParseWeekdayNum(absl::string_view s, RecurrenceRule::WeekdayNum* out) {
  if (s.size() < 2) return false;
  if (!ParseWeekday(s.substr(s.size() - 2), &out->day)) return false;
  out->ordinal = 0;
  const absl::string_view n = s.substr(0, s.size() - 2);
  if (n.empty()) return true;
  return ParseInt(n, -5, 5, &out->ordinal) && out->ordinal != 0;
}

}  // namespace

absl::StatusOr<RecurrenceRule> ParseRecurrenceRule(std::string_view text_in) {
  if (text_in.empty()) return Bad("value", "empty");
  if (text_in.size() > 1024) return Bad("value", "longer than 1024 characters");
  // Names and values are case-insensitive (RFC 5545 section 3.1).
  const std::string text = absl::AsciiStrToUpper(core_internal::Sv(text_in));
  RecurrenceRule rule;
  absl::flat_hash_set<std::string> seen;
  bool has_frequency = false;
  for (absl::string_view part : absl::StrSplit(text, ';')) {
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos) {
      return Bad(part.empty() ? "value" : part, "expected NAME=VALUE");
    }
    const std::string name(part.substr(0, eq));
    const absl::string_view value = part.substr(eq + 1);
    if (!seen.insert(name).second) return Bad(name, "given twice");
    if (value.empty()) return Bad(name, "has no value");
    if (name == "FREQ") {
      has_frequency = true;
      if (value == "DAILY") {
        rule.frequency = Frequency::kDaily;
      } else if (value == "WEEKLY") {
        rule.frequency = Frequency::kWeekly;
      } else if (value == "MONTHLY") {
        rule.frequency = Frequency::kMonthly;
      } else if (value == "YEARLY") {
        rule.frequency = Frequency::kYearly;
      } else {
        return Bad(name, absl::StrCat("\"", value,
                                      "\" is not supported (DAILY, WEEKLY, "
                                      "MONTHLY or YEARLY)"));
      }
    } else if (name == "INTERVAL") {
      if (!ParseInt(value, 1, 1000, &rule.interval)) {
        return Bad(name, "must be 1..1000");
      }
    } else if (name == "COUNT") {
      int count = 0;
      if (!ParseInt(value, 1, 100000, &count)) {
        return Bad(name, "must be 1..100000");
      }
      rule.count = count;
    } else if (name == "UNTIL") {
      absl::Time until;
      if (!ParseUntil(value, &until)) {
        return Bad(name, "must be YYYYMMDD or YYYYMMDDTHHMMSSZ (UTC)");
      }
      rule.until = until;
    } else if (name == "BYDAY") {
      if (absl::Status s = ParseList<RecurrenceRule::WeekdayNum>(
              name, value, ParseWeekdayNum, &rule.by_day);
          !s.ok()) {
        return s;
      }
    } else if (name == "BYMONTHDAY") {
      if (absl::Status s =
              ParseList<int>(name, value, ParseMonthDay, &rule.by_month_day);
          !s.ok()) {
        return s;
      }
    } else if (name == "BYMONTH") {
      if (absl::Status s =
              ParseList<int>(name, value, ParseMonth, &rule.by_month);
          !s.ok()) {
        return s;
      }
    } else if (name == "WKST") {
      if (value != "MO" && value != "SU") return Bad(name, "must be MO or SU");
    } else {
      return Bad(name, "is not supported");
    }
  }
  if (!has_frequency) return Bad("FREQ", "is required");
  if (rule.count && rule.until) {
    return Bad("COUNT", "and UNTIL cannot both be given");
  }
  const bool ordinals =
      std::any_of(rule.by_day.begin(), rule.by_day.end(),
                  [](const auto& d) { return d.ordinal != 0; });
  if (ordinals && (rule.frequency == Frequency::kDaily ||
                   rule.frequency == Frequency::kWeekly)) {
    return Bad("BYDAY", "ordinals (\"2TU\") need FREQ=MONTHLY or YEARLY");
  }
  if (ordinals && rule.frequency == Frequency::kYearly &&
      rule.by_month.empty()) {
    return Bad("BYDAY",
               "ordinals with FREQ=YEARLY need BYMONTH (weeks of the year are "
               "not supported)");
  }
  if (!rule.by_month_day.empty() && rule.frequency == Frequency::kWeekly) {
    return Bad("BYMONTHDAY", "does not go with FREQ=WEEKLY");
  }
  return rule;
}

}  // namespace ioreplication
