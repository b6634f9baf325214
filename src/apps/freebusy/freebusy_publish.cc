// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// PublishFreeBusy: a calendar into a free/busy message.

#include "ioreplication/freebusy_publish.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "ioreplication/calendar.h"

namespace ioreplication {
namespace {

bool IsAppointment(const std::string& message_class) {
  const std::string lower = absl::AsciiStrToLower(message_class);
  return lower == "ipm.appointment" ||
         absl::StartsWith(lower, "ipm.appointment.");
}

}  // namespace

FreeBusyInterval FreeBusyPublishRange(absl::Time now, int32_t months) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay today = absl::ToCivilDay(now, utc);
  const absl::CivilDay month_start{absl::CivilMonth(today)};
  // The Sunday that starts this week (today, when it is Sunday).
  const absl::CivilDay week_start =
      absl::PrevWeekday(today + 1, absl::Weekday::sunday);
  const absl::CivilDay start = std::min(month_start, week_start);
  const absl::CivilMonth end_month = absl::CivilMonth(start) + months;
  // Same day of the month, or the month's last day when it has fewer days.
  absl::CivilDay end(end_month.year(), end_month.month(), start.day());
  if (absl::CivilMonth(end) != end_month)
    end = absl::CivilDay(end_month + 1) - 1;
  return {FreeBusyMinutes(absl::FromCivil(start, utc)),
          FreeBusyMinutes(absl::FromCivil(end, utc))};
}

absl::StatusOr<PublishedFreeBusy> PublishFreeBusy(
    const FreeBusyUser& user, std::span<const Item> calendar,
    const PublishOptions& options) {
  if (options.months < 1 || options.months > 36) {
    return absl::InvalidArgumentError(absl::StrCat(
        "free/busy publishing: ", options.months, " months is not 1..36"));
  }
  PublishedFreeBusy out;
  FreeBusyMessage& m = out.message;
  m.smtp_address = user.smtp_address;
  m.display_name = user.display_name;
  m.legacy_dn = user.legacy_dn;
  m.count_months = options.months;
  m.range_timestamp = FileTime::FromAbslTime(options.now);
  const FreeBusyInterval range =
      FreeBusyPublishRange(options.now, options.months);
  m.publish_start = range.start;
  m.publish_end = range.end;
  for (const Item& item : calendar) {
    if (!IsAppointment(item.message_class)) continue;
    absl::StatusOr<CalendarEvent> event = ReadCalendarEvent(item);
    absl::StatusOr<std::vector<FreeBusyInterval>> intervals =
        event.ok()
            ? ExpandCalendarEvent(*event, options.time_zone, range)
            : absl::StatusOr<std::vector<FreeBusyInterval>>(event.status());
    if (!intervals.ok()) {
      out.skipped.push_back(
          {item.source_key, std::string(intervals.status().message())});
      continue;
    }
    std::vector<FreeBusyInterval>* kind = nullptr;
    switch (event->status) {
      case BusyStatus::kTentative:
        kind = &m.tentative;
        break;
      case BusyStatus::kBusy:
        kind = &m.busy;
        break;
      case BusyStatus::kOutOfOffice:
        kind = &m.out_of_office;
        break;
      case BusyStatus::kFree:
      case BusyStatus::kWorkingElsewhere:
        continue;
    }
    kind->insert(kind->end(), intervals->begin(), intervals->end());
  }
  m.tentative = NormalizeFreeBusyIntervals(std::move(m.tentative));
  m.busy = NormalizeFreeBusyIntervals(std::move(m.busy));
  m.out_of_office = NormalizeFreeBusyIntervals(std::move(m.out_of_office));
  return out;
}

}  // namespace ioreplication
