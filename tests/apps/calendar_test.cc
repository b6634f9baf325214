// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Appointments: RRULE parsing, reading events from items, and expansion
// into intervals across DST changes, all-day events and recurrences.

#include "ioreplication/calendar.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Frequency = RecurrenceRule::Frequency;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone z;
  EXPECT_TRUE(absl::LoadTimeZone(name, &z)) << name;
  return z;
}

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi),
                         absl::UTCTimeZone());
}

int64_t M(int y, int mo, int d, int h = 0, int mi = 0) {
  return FreeBusyMinutes(Utc(y, mo, d, h, mi));
}

FreeBusyInterval I(absl::Time a, absl::Time b) {
  return {FreeBusyMinutes(a), FreeBusyMinutes(b)};
}

// November and December 2026.
const FreeBusyInterval kWindow{M(2026, 11, 1), M(2027, 1, 1)};

std::vector<FreeBusyInterval> Expand(
    const CalendarEvent& e, const absl::TimeZone& zone = absl::UTCTimeZone(),
    FreeBusyInterval window = kWindow) {
  absl::StatusOr<std::vector<FreeBusyInterval>> out =
      ExpandCalendarEvent(e, zone, window);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.value_or(std::vector<FreeBusyInterval>{});
}

CalendarEvent Series(absl::Time start, absl::Duration length,
                     const std::string& rrule, const std::string& zone = "") {
  CalendarEvent e;
  e.start = start;
  e.end = start + length;
  e.recurrence = ParseRecurrenceRule(rrule).value();
  e.time_zone = zone;
  return e;
}

TEST(RecurrenceRuleTest, ParsesTheSupportedParts) {
  RecurrenceRule r =
      ParseRecurrenceRule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10").value();
  EXPECT_EQ(r.frequency, Frequency::kWeekly);
  EXPECT_EQ(r.count, 10);
  EXPECT_THAT(
      r.by_day,
      ElementsAre(RecurrenceRule::WeekdayNum{absl::Weekday::monday, 0},
                  RecurrenceRule::WeekdayNum{absl::Weekday::wednesday, 0}));
  r = ParseRecurrenceRule("freq=monthly;byday=-1fr;interval=2").value();
  EXPECT_EQ(r.interval, 2);
  EXPECT_THAT(r.by_day, ElementsAre(RecurrenceRule::WeekdayNum{
                            absl::Weekday::friday, -1}));
  r = ParseRecurrenceRule("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;WKST=SU").value();
  EXPECT_THAT(r.by_month, ElementsAre(11));
  r = ParseRecurrenceRule("FREQ=DAILY;UNTIL=20261231").value();
  EXPECT_EQ(r.until, Utc(2026, 12, 31, 23, 59) + absl::Seconds(59));
  r = ParseRecurrenceRule("FREQ=DAILY;UNTIL=20261231T170000Z").value();
  EXPECT_EQ(r.until, Utc(2026, 12, 31, 17));
  r = ParseRecurrenceRule("FREQ=MONTHLY;BYMONTHDAY=1,-1").value();
  EXPECT_THAT(r.by_month_day, ElementsAre(1, -1));
}

TEST(RecurrenceRuleTest, RefusesWhatItDoesNotSupportByName) {
  const auto refused = [](const char* text, const char* why) {
    absl::StatusOr<RecurrenceRule> r = ParseRecurrenceRule(text);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(why)) << text;
  };
  refused("", "empty");
  refused("COUNT=3", "FREQ: is required");
  refused("FREQ=HOURLY", "not supported");
  refused("FREQ=DAILY;BYSETPOS=1", "BYSETPOS: is not supported");
  refused("FREQ=DAILY;COUNT=3;UNTIL=20261231", "cannot both");
  refused("FREQ=DAILY;COUNT=0", "COUNT: must be");
  refused("FREQ=DAILY;INTERVAL=0", "INTERVAL: must be");
  refused("FREQ=DAILY;INTERVAL=2;INTERVAL=3", "given twice");
  refused("FREQ=WEEKLY;BYDAY=XX", "\"XX\" is not a valid value");
  refused("FREQ=WEEKLY;BYDAY=2TU", "need FREQ=MONTHLY");
  refused("FREQ=YEARLY;BYDAY=1MO", "need BYMONTH");
  refused("FREQ=MONTHLY;BYMONTHDAY=0", "not a valid value");
  refused("FREQ=MONTHLY;BYMONTH=13", "not a valid value");
  refused("FREQ=DAILY;UNTIL=20260230", "UNTIL: must be");
  refused("FREQ=DAILY;;COUNT=1", "expected NAME=VALUE");
  refused("FREQ=", "has no value");
}

TEST(CalendarExpandTest, ATimedEventIsItsMinutes) {
  CalendarEvent e;
  e.start = Utc(2026, 11, 3, 9) + absl::Seconds(20);  // rounds down
  e.end = Utc(2026, 11, 3, 10) + absl::Seconds(1);    // rounds up
  EXPECT_THAT(Expand(e), ElementsAre(FreeBusyInterval{M(2026, 11, 3, 9),
                                                      M(2026, 11, 3, 10, 1)}));
  e.status = BusyStatus::kFree;
  EXPECT_TRUE(Expand(e).empty());
  e.status = BusyStatus::kWorkingElsewhere;
  EXPECT_TRUE(Expand(e).empty());
}

TEST(CalendarExpandTest, ClipsToTheWindow) {
  CalendarEvent e;
  e.start = Utc(2026, 10, 30);
  e.end = Utc(2026, 11, 2);
  EXPECT_THAT(Expand(e),
              ElementsAre(FreeBusyInterval{M(2026, 11, 1), M(2026, 11, 2)}));
  e.start = Utc(2027, 1, 1);
  e.end = Utc(2027, 1, 2);
  EXPECT_TRUE(Expand(e).empty());
}

TEST(CalendarExpandTest, WeeklyMeetingKeepsItsWallClockAcrossDst) {
  // Mondays 9:00-10:00 in Los Angeles; DST ends Sunday Nov 1, 2026.
  const absl::TimeZone la = Zone("America/Los_Angeles");
  const absl::Time first =
      absl::FromCivil(absl::CivilMinute(2026, 10, 26, 9, 0), la);
  const CalendarEvent e = Series(first, absl::Hours(1), "FREQ=WEEKLY;COUNT=3");
  EXPECT_THAT(
      Expand(e, la, {M(2026, 10, 1), M(2027, 1, 1)}),
      ElementsAre(I(Utc(2026, 10, 26, 16), Utc(2026, 10, 26, 17)),  // PDT
                  I(Utc(2026, 11, 2, 17), Utc(2026, 11, 2, 18)),    // PST
                  I(Utc(2026, 11, 9, 17), Utc(2026, 11, 9, 18))));
  // The series' own zone wins over the user's.
  const CalendarEvent own = Series(first, absl::Hours(1), "FREQ=WEEKLY;COUNT=2",
                                   "America/Los_Angeles");
  EXPECT_EQ(
      Expand(own, absl::UTCTimeZone(), {M(2026, 10, 1), M(2027, 1, 1)})[1],
      I(Utc(2026, 11, 2, 17), Utc(2026, 11, 2, 18)));
}

TEST(CalendarExpandTest, AllDayEventsRunFromLocalMidnightToLocalMidnight) {
  CalendarEvent e;
  e.all_day = true;
  e.start = Utc(2026, 11, 1);  // the date of the DST change in Los Angeles
  e.end = Utc(2026, 11, 2);
  // 25 hours: 07:00Z (PDT midnight) to 08:00Z (PST midnight).
  EXPECT_THAT(Expand(e, Zone("America/Los_Angeles")),
              ElementsAre(I(Utc(2026, 11, 1, 7), Utc(2026, 11, 2, 8))));
  // Spring forward in Berlin, March 29, 2026: 23 hours.
  e.start = Utc(2026, 3, 29);
  e.end = Utc(2026, 3, 30);
  EXPECT_THAT(Expand(e, Zone("Europe/Berlin"), {M(2026, 3, 1), M(2026, 5, 1)}),
              ElementsAre(I(Utc(2026, 3, 28, 23), Utc(2026, 3, 29, 22))));
  // In UTC it is exactly the date.
  e.start = Utc(2026, 12, 24);
  e.end = Utc(2026, 12, 27);
  EXPECT_THAT(Expand(e), ElementsAre(I(Utc(2026, 12, 24), Utc(2026, 12, 27))));
}

TEST(CalendarExpandTest, MonthlyYearlyIntervalsExceptionsAndUntil) {
  // The last Friday of each month, 14:00-15:00 UTC.
  CalendarEvent last_friday =
      Series(Utc(2026, 1, 30, 14), absl::Hours(1), "FREQ=MONTHLY;BYDAY=-1FR");
  EXPECT_THAT(Expand(last_friday),
              ElementsAre(I(Utc(2026, 11, 27, 14), Utc(2026, 11, 27, 15)),
                          I(Utc(2026, 12, 25, 14), Utc(2026, 12, 25, 15))));
  last_friday.exceptions = {Utc(2026, 12, 25, 14)};
  EXPECT_EQ(Expand(last_friday).size(), 1u);
  // Every other day from Nov 28, until Dec 3 (inclusive).
  const CalendarEvent until = Series(Utc(2026, 11, 28, 8), absl::Minutes(30),
                                     "FREQ=DAILY;INTERVAL=2;UNTIL=20261203");
  EXPECT_THAT(Expand(until),
              ElementsAre(I(Utc(2026, 11, 28, 8), Utc(2026, 11, 28, 8, 30)),
                          I(Utc(2026, 11, 30, 8), Utc(2026, 11, 30, 8, 30)),
                          I(Utc(2026, 12, 2, 8), Utc(2026, 12, 2, 8, 30))));
  // February 29 exists in leap years only.
  CalendarEvent leap = Series(Utc(2024, 2, 29, 12), absl::Hours(1),
                              "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29");
  EXPECT_THAT(Expand(leap, absl::UTCTimeZone(), {M(2024, 3, 1), M(2029, 1, 1)}),
              ElementsAre(I(Utc(2028, 2, 29, 12), Utc(2028, 2, 29, 13))));
  // Thanksgiving: the fourth Thursday of November.
  CalendarEvent thanks = Series(Utc(2020, 11, 26), absl::Hours(24),
                                "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH");
  thanks.all_day = true;
  EXPECT_THAT(Expand(thanks),
              ElementsAre(I(Utc(2026, 11, 26), Utc(2026, 11, 27))));
}

TEST(CalendarExpandTest, CountCountsFromTheFirstOccurrence) {
  // Daily from Oct 28, 10 times: Oct 28 .. Nov 6; the window sees 6.
  const CalendarEvent e =
      Series(Utc(2026, 10, 28, 9), absl::Hours(1), "FREQ=DAILY;COUNT=10");
  const std::vector<FreeBusyInterval> got = Expand(e);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got.back(), I(Utc(2026, 11, 6, 9), Utc(2026, 11, 6, 10)));
  // Weekly on Tuesday and Thursday; DTSTART (a Monday) counts as the first.
  const CalendarEvent w = Series(Utc(2026, 11, 2, 9), absl::Hours(1),
                                 "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=3");
  EXPECT_THAT(Expand(w),
              ElementsAre(I(Utc(2026, 11, 2, 9), Utc(2026, 11, 2, 10)),
                          I(Utc(2026, 11, 3, 9), Utc(2026, 11, 3, 10)),
                          I(Utc(2026, 11, 5, 9), Utc(2026, 11, 5, 10))));
}

TEST(CalendarExpandTest, AnOldOpenEndedSeriesOnlyExpandsTheWindow) {
  // Daily since 1990, no end: 61 occurrences in the window, reached without
  // walking 36 years of days one by one.
  const CalendarEvent e =
      Series(Utc(1990, 1, 1, 7), absl::Hours(1), "FREQ=DAILY");
  const std::vector<FreeBusyInterval> got = Expand(e);
  ASSERT_EQ(got.size(), 61u);
  EXPECT_EQ(got.front(), I(Utc(2026, 11, 1, 7), Utc(2026, 11, 1, 8)));
  // An occurrence that began before the window and reaches into it counts.
  const CalendarEvent night =
      Series(Utc(2000, 1, 1, 22), absl::Hours(4), "FREQ=DAILY");
  EXPECT_EQ(Expand(night).front(), I(Utc(2026, 11, 1), Utc(2026, 11, 1, 2)));
}

Item Appointment() {
  Item item;
  item.message_class = "IPM.Appointment";
  EXPECT_TRUE(item.properties
                  .Set(kPropAppointmentStart,
                       FileTime::FromAbslTime(Utc(2026, 11, 3, 9)))
                  .ok());
  EXPECT_TRUE(item.properties
                  .Set(kPropAppointmentEnd,
                       FileTime::FromAbslTime(Utc(2026, 11, 3, 10)))
                  .ok());
  return item;
}

TEST(ReadCalendarEventTest, ReadsAndRefusesWithReasons) {
  Item item = Appointment();
  absl::StatusOr<CalendarEvent> e = ReadCalendarEvent(item);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->status, BusyStatus::kBusy);  // the default
  EXPECT_FALSE(e->recurrence.has_value());
  const auto refused = [](const Item& i, const char* why) {
    absl::StatusOr<CalendarEvent> r = ReadCalendarEvent(i);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << why;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(why));
  };
  Item bad = Appointment();
  ASSERT_TRUE(bad.properties.Set(kPropBusyStatus, int32_t{7}).ok());
  refused(bad, "PidLidBusyStatus 7");
  bad = Appointment();
  ASSERT_TRUE(bad.properties.Set(kPropAllDay, true).ok());
  refused(bad, "must be dates");
  bad = Appointment();
  ASSERT_TRUE(
      bad.properties.Set(kPropTimeZoneId, std::string("Mars/Olympus")).ok());
  refused(bad, "\"Mars/Olympus\" is unknown");
  bad = Appointment();
  ASSERT_TRUE(
      bad.properties.Set(kPropRecurrenceRule, std::string("FREQ=SOMETIMES"))
          .ok());
  refused(bad, "RRULE: FREQ");
  bad = Appointment();
  bad.properties.Remove(kPropAppointmentEnd);
  refused(bad, "no start or end");
  bad = Appointment();
  ASSERT_TRUE(
      bad.properties
          .Set(kPropAppointmentEnd, FileTime::FromAbslTime(Utc(2026, 11, 2)))
          .ok());
  refused(bad, "ends before it starts");
  // PidTagStartDate / EndDate stand in for the named properties.
  Item legacy;
  legacy.message_class = "IPM.Appointment";
  ASSERT_TRUE(legacy.properties
                  .Set(PropTag(0x0060, PropType::kTime),
                       FileTime::FromAbslTime(Utc(2026, 11, 3, 9)))
                  .ok());
  ASSERT_TRUE(legacy.properties
                  .Set(PropTag(0x0061, PropType::kTime),
                       FileTime::FromAbslTime(Utc(2026, 11, 3, 10)))
                  .ok());
  EXPECT_TRUE(ReadCalendarEvent(legacy).ok());
}

}  // namespace
}  // namespace ioreplication
