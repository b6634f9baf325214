// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Calendar items as the free/busy publisher reads them: when an appointment
// is, how it shows (free, tentative, busy, out of office), whether it lasts
// whole days, and how it repeats.
//
// MAPI keeps these in named properties of PSETID_Appointment. ioreplication
// gives each a fixed tag whose property ID is the property's LID, so that a
// host bridging to MAPI maps (PSETID_Appointment, LID) to these tags and
// back. Recurrence is held as an RFC 5545 RRULE with an IANA time zone,
// ioreplication's own properties (IDs 0x8F00-0x8FFF), rather than MAPI's
// binary AppointmentRecur blob.
//
// All-day events hold dates, not instants: start and end are 00:00 UTC of
// the first day and of the day after the last, as iCalendar's VALUE=DATE;
// the user's time zone places them (local midnight to local midnight).
//
// Example:
//   absl::StatusOr<CalendarEvent> event = ReadCalendarEvent(item);
//   absl::StatusOr<std::vector<FreeBusyInterval>> busy =
//       ExpandCalendarEvent(*event, absl::UTCTimeZone(), window);
//
// Thread safety: the functions are pure; the structs are values.

#ifndef IOREPLICATION_CALENDAR_H_
#define IOREPLICATION_CALENDAR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ioreplication/export.h"
#include "ioreplication/freebusy.h"
#include "ioreplication/item.h"
#include "ioreplication/property.h"

namespace ioreplication {

// PidLidAppointmentStartWhole / EndWhole (UTC instants; for all-day events,
// dates at 00:00 UTC). PidTagStartDate / PidTagEndDate (0x0060 / 0x0061) are
// read when these are absent.
inline constexpr PropTag kPropAppointmentStart(0x820D, PropType::kTime);
inline constexpr PropTag kPropAppointmentEnd(0x820E, PropType::kTime);
// PidLidBusyStatus: how the time shows (BusyStatus). Absent: busy.
inline constexpr PropTag kPropBusyStatus(0x8205, PropType::kInt32);
// PidLidAppointmentSubType: true for an all-day event.
inline constexpr PropTag kPropAllDay(0x8215, PropType::kBoolean);
// An RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10").
inline constexpr PropTag kPropRecurrenceRule(0x8F01, PropType::kString);
// The start instants of occurrences the series skips (EXDATE).
inline constexpr PropTag kPropRecurrenceExceptions(0x8F02, PropType::kMvTime);
// The IANA time zone the series repeats in ("America/Los_Angeles"); absent:
// the user's.
inline constexpr PropTag kPropTimeZoneId(0x8F03, PropType::kString);

// PidLidBusyStatus values.
enum class BusyStatus : int32_t {
  kFree = 0,
  kTentative = 1,
  kBusy = 2,
  kOutOfOffice = 3,
  kWorkingElsewhere = 4,  // published as free: MS-OXOPFFB has no such kind
};

// A recurrence rule: the subset of RFC 5545 section 3.3.10 calendars use.
struct RecurrenceRule {
  enum class Frequency { kDaily, kWeekly, kMonthly, kYearly };
  Frequency frequency = Frequency::kDaily;
  int interval = 1;
  // At most one of count and until.
  std::optional<int> count;
  std::optional<absl::Time> until;  // inclusive, an instant
  // BYDAY: weekdays, each with an ordinal for MONTHLY / YEARLY (1..5 or
  // -5..-1; 0 means every such weekday).
  struct WeekdayNum {
    absl::Weekday day;
    int ordinal = 0;
    friend bool operator==(const WeekdayNum&, const WeekdayNum&) = default;
  };
  std::vector<WeekdayNum> by_day;
  std::vector<int> by_month_day;  // 1..31 or -31..-1
  std::vector<int> by_month;      // 1..12

  friend bool operator==(const RecurrenceRule&,
                         const RecurrenceRule&) = default;
};

// Parses an RRULE value. Supported: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY),
// INTERVAL (1..1000), COUNT (1..100000), UNTIL (a date or a UTC date-time),
// BYDAY, BYMONTHDAY, BYMONTH, WKST (MO or SU; read and ignored: rules here
// do not depend on it). InvalidArgumentError naming the part for anything
// else (BYSETPOS, BYHOUR, ...), a repeated part, COUNT with UNTIL, or a
// value out of range.
IOREPL_EXPORT absl::StatusOr<RecurrenceRule> ParseRecurrenceRule(
    std::string_view text);

// One appointment.
struct CalendarEvent {
  absl::Time start;
  absl::Time end;
  BusyStatus status = BusyStatus::kBusy;
  bool all_day = false;
  std::optional<RecurrenceRule> recurrence;
  std::vector<absl::Time> exceptions;
  std::string time_zone;  // IANA name, or empty for the user's
};

// Reads an appointment from an item's properties. InvalidArgumentError for
// a missing start or end, an end before the start, a busy status outside
// 0..4, an all-day event whose times are not at 00:00 UTC, or a bad RRULE
// or time zone, each naming the property.
IOREPL_EXPORT absl::StatusOr<CalendarEvent> ReadCalendarEvent(const Item& item);

// The intervals `event` occupies within `window` (minutes), in `user_zone`
// unless the event names its own. Occurrences that only partly overlap the
// window are clipped to it. Free and working-elsewhere events occupy
// nothing. InvalidArgumentError for a time zone that does not load.
IOREPL_EXPORT absl::StatusOr<std::vector<FreeBusyInterval>> ExpandCalendarEvent(
    const CalendarEvent& event, const absl::TimeZone& user_zone,
    FreeBusyInterval window);

}  // namespace ioreplication

#endif  // IOREPLICATION_CALENDAR_H_
