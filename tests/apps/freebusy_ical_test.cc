// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/freebusy_ical.h"

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

int64_t At(int y, int mo, int d, int h, int mi) {
  return FreeBusyMinutes(
      absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone()));
}

FreeBusyMessage Sample() {
  FreeBusyMessage m;
  m.smtp_address = "jdoe@contoso.com";
  m.display_name = "Doe, Jane";
  m.publish_start = At(2026, 11, 1, 0, 0);
  m.publish_end = At(2027, 1, 1, 0, 0);
  m.count_months = 2;
  m.range_timestamp = FileTime::FromAbslTime(absl::FromCivil(
      absl::CivilSecond(2026, 11, 22, 8, 30, 0), absl::UTCTimeZone()));
  m.busy = {{At(2026, 11, 30, 23, 0), At(2026, 12, 1, 1, 0)}};
  m.tentative = {{At(2026, 12, 2, 9, 0), At(2026, 12, 2, 9, 30)}};
  m.out_of_office = {{At(2026, 12, 20, 0, 0), At(2027, 1, 1, 0, 0)}};
  return m;
}

TEST(FreeBusyIcalTest, RendersRfc5545) {
  const std::string text = RenderVFreeBusy(Sample());
  EXPECT_EQ(
      text,
      "BEGIN:VCALENDAR\r\n"
      "VERSION:2.0\r\n"
      "PRODID:-//ioreplication//iorepl//EN\r\n"
      "METHOD:PUBLISH\r\n"
      "BEGIN:VFREEBUSY\r\n"
      "DTSTAMP:20261122T083000Z\r\n"
      "UID:freebusy-jdoe@contoso.com\r\n"
      "ORGANIZER;CN=\"Doe, Jane\":mailto:jdoe@contoso.com\r\n"
      "DTSTART:20261101T000000Z\r\n"
      "DTEND:20270101T000000Z\r\n"
      "FREEBUSY;FBTYPE=BUSY:20261130T230000Z/20261201T010000Z\r\n"
      "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261202T090000Z/20261202T093000Z\r\n"
      "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20261220T000000Z/20270101T000000Z\r\n"
      "END:VFREEBUSY\r\n"
      "END:VCALENDAR\r\n");
}

TEST(FreeBusyIcalTest, RoundTripsAndFoldsLongLines) {
  FreeBusyMessage m = Sample();
  m.display_name =
      "Zoë Ångström-Ōtani, Head of Überlong Display Names Department";
  m.busy.clear();
  for (int day = 2; day < 28; ++day) {
    m.busy.push_back({At(2026, 11, day, 9, 0), At(2026, 11, day, 10, 15)});
  }
  const std::string text = RenderVFreeBusy(m);
  for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
  }
  EXPECT_EQ(ParseVFreeBusy(text).value(), m);
}

TEST(FreeBusyIcalTest, ReadsWhatOtherServersWrite) {
  // LF line ends, folding with a tab, lower-case names, an ATTENDEE instead
  // of an ORGANIZER, durations, FREE and unknown types, dates, a VTIMEZONE,
  // a period past the range (clipped) and seconds (widened to minutes).
  const std::string text =
      "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
      "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nEND:VTIMEZONE\n"
      "begin:vfreebusy\n"
      "dtstamp:20261122T080000Z\n"
      "attendee;cn=Bob:MAILTO:bob@fabrikam.com\n"
      "DTSTART;VALUE=DATE:20261201\nDTEND;VALUE=DATE:20261231\n"
      "FREEBUSY:20261202T090000Z/PT1H,20261203T090030Z/20261203T0930\n"
      "\t59Z\n"
      "FREEBUSY;FBTYPE=FREE:20261204T090000Z/PT1H\n"
      "FREEBUSY;FBTYPE=X-MEETING:20261205T090000Z/P1DT2H\n"
      "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261230T000000Z/P1W\n"
      "END:VFREEBUSY\nEND:VCALENDAR\n";
  const FreeBusyMessage m = ParseVFreeBusy(text).value();
  EXPECT_EQ(m.smtp_address, "bob@fabrikam.com");
  EXPECT_EQ(m.display_name, "Bob");
  EXPECT_EQ(m.publish_start, At(2026, 12, 1, 0, 0));
  EXPECT_EQ(m.publish_end, At(2026, 12, 31, 0, 0));
  EXPECT_EQ(m.count_months, 1);
  EXPECT_EQ(m.busy, (std::vector<FreeBusyInterval>{
                        {At(2026, 12, 2, 9, 0), At(2026, 12, 2, 10, 0)},
                        {At(2026, 12, 3, 9, 0), At(2026, 12, 3, 9, 31)},
                        {At(2026, 12, 5, 9, 0), At(2026, 12, 6, 11, 0)}}));
  EXPECT_EQ(m.tentative,
            (std::vector<FreeBusyInterval>{
                {At(2026, 12, 30, 0, 0), At(2026, 12, 31, 0, 0)}}));
  EXPECT_TRUE(m.out_of_office.empty());
}

TEST(FreeBusyIcalTest, RefusesBadCalendarsNamingTheLine) {
  const std::string head =
      "BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nDTSTAMP:20261122T080000Z\r\n"
      "ORGANIZER:mailto:a@x.com\r\n";
  const std::string tail = "END:VFREEBUSY\r\nEND:VCALENDAR\r\n";
  struct Case {
    std::string text;
    const char* error;
  } cases[] = {
      {"", "does not start with BEGIN:VCALENDAR"},
      {"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "the calendar has none"},
      {head + "FREEBUSY:20261202T090000/PT1H\r\n" + tail,
       "line 5: FREEBUSY: \"20261202T090000\" is a local time"},
      {head + "DTSTART;TZID=Europe/Berlin:20261202T090000\r\n" + tail,
       "line 5: DTSTART: \"20261202T090000\" is a local time"},
      {head + "FREEBUSY:20261202T090000Z/20261202T080000Z\r\n" + tail,
       "does not end after it starts"},
      {head + "FREEBUSY:20261202T090000Z/-PT1H\r\n" + tail, "is negative"},
      {head + "FREEBUSY:20261202T090000Z/PT\r\n" + tail, "is empty"},
      {head + "FREEBUSY:20261202T090000Z/P1H\r\n" + tail, "is malformed"},
      {head + "FREEBUSY:20261202T090000Z\r\n" + tail, "not a start/end period"},
      {head + "FREEBUSY:20261302T090000Z/PT1H\r\n" + tail, "not a valid date"},
      {head + "FREEBUSY:15001202T090000Z/PT1H\r\n" + tail, "before 1601"},
      {head + "FREEBUSY:90001202T090000Z/PT1H\r\n" + tail, "year 5684"},
      {head + "DTSTART:20261201T000000Z\r\nDTEND:90000101T000000Z\r\n" + tail,
       "line 6: DTEND: a time after what free/busy data can hold"},
      {head + "DTSTART:20261201T000000Z\r\nDTEND:20261201T000000Z\r\n" + tail,
       "DTEND is not after DTSTART"},
      {head + "DTSTART:20261201T000000Z\r\n" + tail,
       "DTSTART and DTEND come together"},
      {head + "DTSTAMP:20261122T080000Z\r\n" + tail,
       "line 5: DTSTAMP appears twice"},
      {head + "FREEBUSY;FBTYPE=\"BUSY:20261202T090000Z/PT1H\r\n" + tail,
       "an unclosed quote"},
      {head + "no colon here\r\n" + tail, "line 5: no ':' after NO"},
      {head + ":value\r\n" + tail, "line 5: a line without a property"},
      {head + "BEGIN:VALARM\r\n" + tail, "a VALARM inside VFREEBUSY"},
      {head + tail, "no busy periods: nothing says which range"},
      {head + "FREEBUSY:20261202T090000Z/PT1H\r\nEND:VFREEBUSY\r\n",
       "VCALENDAR is not closed"},
      {head + "FREEBUSY:20261202T090000Z/PT1H\r\n" + tail + "X:y\r\n",
       "text after END:VCALENDAR"},
      {"BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nDTSTAMP:20261122T080000Z\r\n"
       "FREEBUSY:20261202T090000Z/PT1H\r\n" +
           tail,
       "no ORGANIZER, and 0 ATTENDEEs"},
      {"BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nDTSTAMP:20261122T080000Z\r\n"
       "ORGANIZER:http://x\r\nFREEBUSY:20261202T090000Z/PT1H\r\n" +
           tail,
       "is not a mailto: URI"},
      {"BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nORGANIZER:mailto:a@x.com\r\n"
       "FREEBUSY:20261202T090000Z/PT1H\r\n" +
           tail,
       "no DTSTAMP"},
      {head + "X-A:b\rc\r\n" + tail, "a carriage return without a line feed"},
      {head + std::string("X-A:b\0c\r\n", 9) + tail,
       "line 5: a control character"},
      {head + "FREEBUSY:20261202T090000Z/PT1H\r\n" + tail.substr(0, 15) +
           "BEGIN:VFREEBUSY\r\n" + tail,
       "a second VFREEBUSY"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ParseVFreeBusy(c.text).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.text;
  }
}

}  // namespace
}  // namespace ioreplication
