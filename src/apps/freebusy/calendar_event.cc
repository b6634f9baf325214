// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Appointments: read from items, and expanded (recurrences included) into
// the intervals they occupy in a publishing window.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ioreplication/calendar.h"
#include "ioreplication/prop_tags.h"

namespace ioreplication {
namespace {

using Frequency = RecurrenceRule::Frequency;

const FileTime* TimeProp(const Item& item, PropTag primary, PropTag fallback) {
  const PropValue* v = item.properties.Get(primary);
  if (v == nullptr) v = item.properties.Get(fallback);
  return v == nullptr ? nullptr : &std::get<FileTime>(*v);
}

bool AtUtcMidnight(absl::Time t) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  return c.hour() == 0 && c.minute() == 0 && c.second() == 0 &&
         absl::FromCivil(c, absl::UTCTimeZone()) == t;
}

int DaysInMonth(absl::CivilMonth m) {
  return static_cast<int>(absl::CivilDay(m + 1) - absl::CivilDay(m));
}

// The days of month `m` a MONTHLY (or YEARLY, per month) rule selects, in
// order; `dtstart_day` is the default when the rule selects by nothing.
std::vector<absl::CivilDay> DaysInMonthFor(const RecurrenceRule& rule,
                                           absl::CivilMonth m,
                                           int dtstart_day) {
  const int length = DaysInMonth(m);
  std::vector<bool> chosen(length + 1, false);
  const bool by_day = !rule.by_day.empty();
  const bool by_month_day = !rule.by_month_day.empty();
  std::vector<bool> day_ok(length + 1, !by_day);
  std::vector<bool> month_day_ok(length + 1, !by_month_day);
  for (const RecurrenceRule::WeekdayNum& w : rule.by_day) {
    std::vector<int> matches;
    for (int d = 1; d <= length; ++d) {
      if (absl::GetWeekday(absl::CivilDay(m.year(), m.month(), d)) == w.day) {
        matches.push_back(d);
      }
    }
    if (w.ordinal == 0) {
      for (int d : matches) day_ok[d] = true;
    } else {
      const int n = static_cast<int>(matches.size());
      const int index = w.ordinal > 0 ? w.ordinal - 1 : n + w.ordinal;
      if (index >= 0 && index < n) day_ok[matches[index]] = true;
    }
  }
  for (int md : rule.by_month_day) {
    const int d = md > 0 ? md : length + 1 + md;
    if (d >= 1 && d <= length) month_day_ok[d] = true;
  }
  std::vector<absl::CivilDay> out;
  for (int d = 1; d <= length; ++d) {
    const bool selected = (by_day || by_month_day)
                              ? day_ok[d] && month_day_ok[d]
                              : d == dtstart_day;
    if (selected) out.emplace_back(m.year(), m.month(), d);
  }
  return out;
}

bool MonthAllowed(const RecurrenceRule& rule, int month) {
  return rule.by_month.empty() ||
         std::find(rule.by_month.begin(), rule.by_month.end(), month) !=
             rule.by_month.end();
}

bool WeekdayAllowed(const RecurrenceRule& rule, absl::Weekday day) {
  return rule.by_day.empty() ||
         std::any_of(rule.by_day.begin(), rule.by_day.end(),
                     [&](const auto& w) { return w.day == day; });
}

bool MonthDayAllowed(const RecurrenceRule& rule, absl::CivilDay d) {
  if (rule.by_month_day.empty()) return true;
  const int length = DaysInMonth(absl::CivilMonth(d));
  return std::any_of(
      rule.by_month_day.begin(), rule.by_month_day.end(),
      [&](int md) { return (md > 0 ? md : length + 1 + md) == d.day(); });
}

// The first day of period `n` of the rule: the day, the week's Monday
// (WKST=MO), the month's 1st or the year's January 1st.
absl::CivilDay PeriodStart(const RecurrenceRule& rule, absl::CivilDay first,
                           int64_t n) {
  const int64_t step = n * rule.interval;
  switch (rule.frequency) {
    case Frequency::kDaily:
      return first + step;
    case Frequency::kWeekly:
      return absl::PrevWeekday(first + 1, absl::Weekday::monday) + 7 * step;
    case Frequency::kMonthly:
      return absl::CivilDay(absl::CivilMonth(first) + step);
    case Frequency::kYearly:
      return absl::CivilDay(absl::CivilYear(first) + step);
  }
  return first;
}

// The days period `n` of the rule covers, ascending (before filtering by
// DTSTART, COUNT and UNTIL).
std::vector<absl::CivilDay> PeriodDays(const RecurrenceRule& rule,
                                       absl::CivilDay first, int64_t n) {
  std::vector<absl::CivilDay> out;
  const absl::CivilDay start = PeriodStart(rule, first, n);
  switch (rule.frequency) {
    case Frequency::kDaily: {
      const absl::CivilDay d = start;
      if (MonthAllowed(rule, d.month()) &&
          WeekdayAllowed(rule, absl::GetWeekday(d)) &&
          MonthDayAllowed(rule, d)) {
        out.push_back(d);
      }
      break;
    }
    case Frequency::kWeekly: {
      for (int i = 0; i < 7; ++i) {
        const absl::CivilDay d = start + i;
        const bool chosen = rule.by_day.empty()
                                ? absl::GetWeekday(d) == absl::GetWeekday(first)
                                : WeekdayAllowed(rule, absl::GetWeekday(d));
        if (chosen && MonthAllowed(rule, d.month())) out.push_back(d);
      }
      break;
    }
    case Frequency::kMonthly: {
      const absl::CivilMonth m(start);
      if (MonthAllowed(rule, m.month()))
        out = DaysInMonthFor(rule, m, first.day());
      break;
    }
    case Frequency::kYearly: {
      const absl::CivilYear y(start);
      for (int month = 1; month <= 12; ++month) {
        const bool chosen = rule.by_month.empty() ? month == first.month()
                                                  : MonthAllowed(rule, month);
        if (!chosen) continue;
        for (absl::CivilDay d : DaysInMonthFor(
                 rule, absl::CivilMonth(y.year(), month), first.day())) {
          out.push_back(d);
        }
      }
      break;
    }
  }
  return out;
}

// A period index from which scanning may start without missing an
// occurrence that reaches `from` (only for rules without COUNT, which must
// count from the first period).
int64_t FirstUsefulPeriod(const RecurrenceRule& rule, absl::CivilDay first,
                          absl::CivilDay from) {
  if (from <= first) return 0;
  int64_t periods = 0;
  switch (rule.frequency) {
    case Frequency::kDaily:
      periods = (from - first) / rule.interval;
      break;
    case Frequency::kWeekly:
      periods = (from - first) / (7 * rule.interval);
      break;
    case Frequency::kMonthly:
      periods =
          (absl::CivilMonth(from) - absl::CivilMonth(first)) / rule.interval;
      break;
    case Frequency::kYearly:
      periods =
          (absl::CivilYear(from) - absl::CivilYear(first)) / rule.interval;
      break;
  }
  return std::max<int64_t>(0, periods - 1);
}

void AddClipped(absl::Time start, absl::Time end, FreeBusyInterval window,
                std::vector<FreeBusyInterval>* out) {
  const int64_t s = std::max(FreeBusyMinutes(start), window.start);
  const int64_t e = std::min(FreeBusyMinutesCeil(end), window.end);
  if (s < e) out->push_back({s, e});
}

}  // namespace

absl::StatusOr<CalendarEvent> ReadCalendarEvent(const Item& item) {
  CalendarEvent event;
  const FileTime* start = TimeProp(item, kPropAppointmentStart, kPropStartDate);
  const FileTime* end = TimeProp(item, kPropAppointmentEnd, kPropEndDate);
  if (start == nullptr || end == nullptr) {
    return absl::InvalidArgumentError(
        "appointment: no start or end (PidLidAppointmentStartWhole / "
        "EndWhole, or PidTagStartDate / EndDate)");
  }
  event.start = start->ToAbslTime();
  event.end = end->ToAbslTime();
  if (event.end < event.start) {
    return absl::InvalidArgumentError("appointment: ends before it starts");
  }
  if (const PropValue* v = item.properties.Get(kPropBusyStatus)) {
    const int32_t status = std::get<int32_t>(*v);
    if (status < 0 || status > 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          "appointment: PidLidBusyStatus ", status, " is not 0..4"));
    }
    event.status = static_cast<BusyStatus>(status);
  }
  if (const PropValue* v = item.properties.Get(kPropAllDay)) {
    event.all_day = std::get<bool>(*v);
  }
  if (event.all_day &&
      (!AtUtcMidnight(event.start) || !AtUtcMidnight(event.end))) {
    return absl::InvalidArgumentError(
        "appointment: an all-day event's start and end must be dates "
        "(00:00 UTC)");
  }
  if (const PropValue* v = item.properties.Get(kPropTimeZoneId)) {
    event.time_zone = std::get<std::string>(*v);
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(event.time_zone, &zone)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "appointment: time zone \"", event.time_zone, "\" is unknown"));
    }
  }
  if (const PropValue* v = item.properties.Get(kPropRecurrenceRule)) {
    absl::StatusOr<RecurrenceRule> rule =
        ParseRecurrenceRule(std::get<std::string>(*v));
    if (!rule.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("appointment: ", rule.status().message()));
    }
    event.recurrence = *std::move(rule);
  }
  if (const PropValue* v = item.properties.Get(kPropRecurrenceExceptions)) {
    for (const FileTime& t : std::get<std::vector<FileTime>>(*v)) {
      event.exceptions.push_back(t.ToAbslTime());
    }
  }
  return event;
}

absl::StatusOr<std::vector<FreeBusyInterval>> ExpandCalendarEvent(
    const CalendarEvent& event, const absl::TimeZone& user_zone,
    FreeBusyInterval window) {
  std::vector<FreeBusyInterval> out;
  if (event.status == BusyStatus::kFree ||
      event.status == BusyStatus::kWorkingElsewhere) {
    return out;
  }
  absl::TimeZone zone = user_zone;
  if (!event.time_zone.empty() && !absl::LoadTimeZone(event.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time zone \"", event.time_zone, "\" is unknown"));
  }
  const absl::TimeZone utc = absl::UTCTimeZone();
  // All-day events are dates placed in the zone; timed ones are instants
  // whose local wall time repeats.
  const absl::CivilSecond local_start =
      absl::ToCivilSecond(event.start, event.all_day ? utc : zone);
  const absl::CivilDay first_day(local_start);
  const int64_t all_day_days =
      event.all_day ? (event.end - event.start) / absl::Hours(24) : 0;
  const absl::Duration duration = event.end - event.start;
  const auto occurrence = [&](absl::CivilDay day, absl::Time* start,
                              absl::Time* end) {
    if (event.all_day) {
      *start = absl::FromCivil(day, zone);
      *end = absl::FromCivil(day + all_day_days, zone);
    } else {
      *start = absl::FromCivil(
          absl::CivilSecond(day.year(), day.month(), day.day(),
                            local_start.hour(), local_start.minute(),
                            local_start.second()),
          zone);
      *end = *start + duration;
    }
  };
  const absl::Time window_start = FromFreeBusyMinutes(window.start);
  const absl::Time window_end = FromFreeBusyMinutes(window.end);

  if (!event.recurrence) {
    absl::Time s, e;
    occurrence(first_day, &s, &e);
    AddClipped(s, e, window, &out);
    return out;
  }
  const RecurrenceRule& rule = *event.recurrence;
  const absl::flat_hash_set<absl::Time> skipped(event.exceptions.begin(),
                                                event.exceptions.end());
  const auto is_exception = [&](absl::CivilDay day, absl::Time start) {
    // An all-day exception is its date at 00:00 UTC.
    return skipped.contains(event.all_day ? absl::FromCivil(day, utc) : start);
  };
  // The longest occurrence, in days, so that scanning can start before the
  // window by enough to catch one that began earlier and reaches into it.
  const int64_t span_days = duration / absl::Hours(24) + 2;
  int64_t n = rule.count
                  ? 0
                  : FirstUsefulPeriod(
                        rule, first_day,
                        absl::CivilDay(absl::ToCivilDay(window_start, zone)) -
                            span_days);
  int emitted = 0;
  bool first_done = false;
  // Bounded: periods only advance, and the loop ends at the first period
  // past the window (or at COUNT / UNTIL).
  for (;; ++n) {
    std::vector<absl::CivilDay> days = PeriodDays(rule, first_day, n);
    if (n == 0 && (days.empty() || days.front() != first_day)) {
      // DTSTART is always the first occurrence (RFC 5545 3.8.5.3).
      days.insert(days.begin(), first_day);
    }
    bool past_window = false;
    for (absl::CivilDay day : days) {
      if (day < first_day || (day == first_day && first_done)) continue;
      if (day == first_day) first_done = true;
      absl::Time s, e;
      occurrence(day, &s, &e);
      if (rule.until && s > *rule.until) return out;
      if (rule.count && emitted >= *rule.count) return out;
      ++emitted;
      if (s >= window_end) {
        past_window = true;
        break;
      }
      if (!is_exception(day, s)) AddClipped(s, e, window, &out);
    }
    if (past_window) return out;
    // Once a period starts after the window, later ones do too.
    if (absl::FromCivil(PeriodStart(rule, first_day, n + 1), zone) >=
        window_end) {
      return out;
    }
  }
}

}  // namespace ioreplication
