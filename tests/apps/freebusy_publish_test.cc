// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Publishing a user's free/busy message from the user's calendar.

#include "ioreplication/freebusy_publish.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/calendar.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi),
                         absl::UTCTimeZone());
}

FreeBusyUser User(std::string smtp, std::string name = "") {
  FreeBusyUser user;
  user.smtp_address = std::move(smtp);
  user.display_name = std::move(name);
  return user;
}

FreeBusyInterval I(absl::Time a, absl::Time b) {
  return {FreeBusyMinutes(a), FreeBusyMinutes(b)};
}

Item Appointment(absl::Time start, absl::Time end,
                 BusyStatus status = BusyStatus::kBusy, uint64_t key = 1) {
  Item item;
  item.source_key =
      SourceKey(Guid::Parse("{0A000000-0000-0000-0000-00000000000A}").value(),
                GlobCnt::FromValue(key).value());
  item.message_class = "IPM.Appointment";
  EXPECT_TRUE(
      item.properties.Set(kPropAppointmentStart, FileTime::FromAbslTime(start))
          .ok());
  EXPECT_TRUE(
      item.properties.Set(kPropAppointmentEnd, FileTime::FromAbslTime(end))
          .ok());
  EXPECT_TRUE(
      item.properties.Set(kPropBusyStatus, static_cast<int32_t>(status)).ok());
  return item;
}

TEST(FreeBusyPublishRangeTest, StartsAtTheEarlierOfMonthAndWeek) {
  // Sunday Nov 22, 2026: the month started earlier (Nov 1).
  EXPECT_EQ(FreeBusyPublishRange(Utc(2026, 11, 22, 15), 2),
            I(Utc(2026, 11, 1), Utc(2027, 1, 1)));
  // Wednesday Dec 2: the week started on Sunday Nov 29, before the month.
  EXPECT_EQ(FreeBusyPublishRange(Utc(2026, 12, 2, 8), 2),
            I(Utc(2026, 11, 29), Utc(2027, 1, 29)));
  // Sunday Mar 1, 2026: both start today; 36 months.
  EXPECT_EQ(FreeBusyPublishRange(Utc(2026, 3, 1, 23, 59), 36),
            I(Utc(2026, 3, 1), Utc(2029, 3, 1)));
  // Started on the 31st: the end is the last day of a shorter month.
  EXPECT_EQ(FreeBusyPublishRange(Utc(2027, 2, 3), 1),  // a Wednesday
            I(Utc(2027, 1, 31), Utc(2027, 2, 28)));
}

TEST(PublishFreeBusyTest, KindsMergedAndTheRangeStamped) {
  PublishOptions options;
  options.now = Utc(2026, 11, 22, 15);
  const std::vector<Item> calendar = {
      Appointment(Utc(2026, 11, 23, 9), Utc(2026, 11, 23, 10)),
      // Overlaps the first: one busy block 9:00-11:00.
      Appointment(Utc(2026, 11, 23, 9, 30), Utc(2026, 11, 23, 11)),
      Appointment(Utc(2026, 11, 24, 9), Utc(2026, 11, 24, 10),
                  BusyStatus::kTentative),
      Appointment(Utc(2026, 12, 21), Utc(2026, 12, 24),
                  BusyStatus::kOutOfOffice),
      Appointment(Utc(2026, 11, 25, 9), Utc(2026, 11, 25, 10),
                  BusyStatus::kFree),
      // Outside the range.
      Appointment(Utc(2027, 3, 1, 9), Utc(2027, 3, 1, 10)),
  };
  absl::StatusOr<PublishedFreeBusy> p =
      PublishFreeBusy(User("jdoe@contoso.com", "Jo Doe"), calendar, options);
  ASSERT_TRUE(p.ok()) << p.status();
  const FreeBusyMessage& m = p->message;
  EXPECT_THAT(m.busy,
              ElementsAre(I(Utc(2026, 11, 23, 9), Utc(2026, 11, 23, 11))));
  EXPECT_THAT(m.tentative,
              ElementsAre(I(Utc(2026, 11, 24, 9), Utc(2026, 11, 24, 10))));
  EXPECT_THAT(m.out_of_office,
              ElementsAre(I(Utc(2026, 12, 21), Utc(2026, 12, 24))));
  EXPECT_EQ(m.publish_start, FreeBusyMinutes(Utc(2026, 11, 1)));
  EXPECT_EQ(m.publish_end, FreeBusyMinutes(Utc(2027, 1, 1)));
  EXPECT_EQ(m.count_months, 2);
  EXPECT_EQ(m.range_timestamp, FileTime::FromAbslTime(options.now));
  EXPECT_EQ(m.smtp_address, "jdoe@contoso.com");
  EXPECT_TRUE(p->skipped.empty());
  // And it writes as a message.
  PropertyBag bag;
  ASSERT_TRUE(WriteFreeBusyProperties(m, &bag).ok());
  EXPECT_EQ(ReadFreeBusyProperties(bag).value(), m);
}

TEST(PublishFreeBusyTest, SkipsUnreadableItemsAndIgnoresOthers) {
  PublishOptions options;
  options.now = Utc(2026, 11, 22);
  Item post;
  post.message_class = "IPM.Post";
  Item broken = Appointment(Utc(2026, 11, 23, 9), Utc(2026, 11, 23, 10),
                            BusyStatus::kBusy, 7);
  ASSERT_TRUE(broken.properties
                  .Set(kPropRecurrenceRule, std::string("FREQ=FORTNIGHTLY"))
                  .ok());
  Item meeting = Appointment(Utc(2026, 11, 24, 9), Utc(2026, 11, 24, 10));
  meeting.message_class = "IPM.Appointment.Meeting";
  absl::StatusOr<PublishedFreeBusy> p = PublishFreeBusy(
      User("a@b.c"), std::vector<Item>{post, broken, meeting}, options);
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->message.busy,
              ElementsAre(I(Utc(2026, 11, 24, 9), Utc(2026, 11, 24, 10))));
  ASSERT_EQ(p->skipped.size(), 1u);
  EXPECT_EQ(p->skipped[0].item, broken.source_key);
  EXPECT_THAT(p->skipped[0].reason, HasSubstr("FORTNIGHTLY"));
}

TEST(PublishFreeBusyTest, RecurringAllDayInTheUsersZone) {
  PublishOptions options;
  options.now = Utc(2026, 11, 22);
  absl::TimeZone tokyo;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &tokyo));
  options.time_zone = tokyo;
  // Every Friday, all day, from Nov 27: Tokyo's day is 15:00Z to 15:00Z.
  Item fridays = Appointment(Utc(2026, 11, 27), Utc(2026, 11, 28),
                             BusyStatus::kOutOfOffice);
  ASSERT_TRUE(fridays.properties.Set(kPropAllDay, true).ok());
  ASSERT_TRUE(
      fridays.properties.Set(kPropRecurrenceRule, std::string("FREQ=WEEKLY"))
          .ok());
  absl::StatusOr<PublishedFreeBusy> p =
      PublishFreeBusy(User("k@t.jp"), std::vector<Item>{fridays}, options);
  ASSERT_TRUE(p.ok());
  // Nov 27 .. Dec 25, and Friday Jan 1 in Tokyo, whose first nine hours
  // fall before the range ends at Jan 1 00:00 UTC.
  ASSERT_EQ(p->message.out_of_office.size(), 6u);
  EXPECT_EQ(p->message.out_of_office[0],
            I(Utc(2026, 11, 26, 15), Utc(2026, 11, 27, 15)));
  EXPECT_EQ(p->message.out_of_office[5],
            I(Utc(2026, 12, 31, 15), Utc(2027, 1, 1)));
}

TEST(PublishFreeBusyTest, RefusesAMonthCountOutOfRange) {
  PublishOptions options;
  options.months = 0;
  EXPECT_FALSE(PublishFreeBusy({}, {}, options).ok());
  options.months = 37;
  EXPECT_FALSE(PublishFreeBusy({}, {}, options).ok());
}

}  // namespace
}  // namespace ioreplication
