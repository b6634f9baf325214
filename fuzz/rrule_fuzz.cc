// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// RRULE values from other organizations' calendars: parsing never crashes
// and refuses with InvalidArgument; what parses expands (timed and all-day,
// in UTC and in a zone with DST) in bounded time into intervals inside the
// window, in order of start.

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fuzz_util.h"
#include "ioreplication/calendar.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<RecurrenceRule> rule = ParseRecurrenceRule(text);
  if (!rule.ok()) {
    FUZZ_CHECK(rule.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  static const absl::TimeZone kZones[] = {
      absl::UTCTimeZone(), [] {
        absl::TimeZone z = absl::UTCTimeZone();
        (void)absl::LoadTimeZone("America/Los_Angeles", &z);
        return z;
      }()};
  const absl::TimeZone utc = absl::UTCTimeZone();
  const FreeBusyInterval window{
      FreeBusyMinutes(absl::FromCivil(absl::CivilDay(2026, 11, 1), utc)),
      FreeBusyMinutes(absl::FromCivil(absl::CivilDay(2027, 2, 1), utc))};
  for (bool all_day : {false, true}) {
    for (const absl::TimeZone& zone : kZones) {
      CalendarEvent event;
      event.all_day = all_day;
      event.start =
          absl::FromCivil(all_day ? absl::CivilSecond(2025, 1, 31)
                                  : absl::CivilSecond(2025, 1, 31, 9, 30),
                          utc);
      event.end = event.start + (all_day ? absl::Hours(48) : absl::Minutes(45));
      event.recurrence = *rule;
      absl::StatusOr<std::vector<FreeBusyInterval>> out =
          ExpandCalendarEvent(event, zone, window);
      FUZZ_CHECK(out.ok());
      for (size_t i = 0; i < out->size(); ++i) {
        const FreeBusyInterval& v = (*out)[i];
        FUZZ_CHECK(v.start < v.end);
        FUZZ_CHECK(v.start >= window.start && v.end <= window.end);
        // Occurrences longer than their period overlap; starts still ascend.
        if (i > 0) FUZZ_CHECK((*out)[i - 1].start <= v.start);
      }
    }
  }
  return 0;
}
