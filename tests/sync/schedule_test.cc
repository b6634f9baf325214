// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/schedule.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::session_internal {
namespace {

using ::testing::HasSubstr;

// Saturday 2026-11-21 in UTC.
absl::Time At(int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(2026, 11, day, hour, minute),
                         absl::UTCTimeZone());
}

Schedule Parse(ScheduleConfig config) {
  absl::StatusOr<Schedule> s = Schedule::Parse(config);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Schedule();
}

TEST(ScheduleTest, IntervalCountsFromTheLastStart) {
  const Schedule s = Parse({absl::Seconds(900), {}, "", ""});
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(s.NextRun(std::nullopt, At(21, 10, 0), utc), At(21, 10, 0));
  EXPECT_EQ(s.NextRun(At(21, 10, 0), At(21, 10, 5), utc), At(21, 10, 15));
  // Overdue (a long pass): due at once.
  EXPECT_EQ(s.NextRun(At(21, 10, 0), At(21, 11, 0), utc), At(21, 10, 15));
}

TEST(ScheduleTest, DaysAndWindowsMoveTheRunToTheNextAllowedMinute) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  // Weekdays 08:00-18:00; 2026-11-21 is a Saturday.
  const Schedule s = Parse({absl::Seconds(600),
                            {"mon", "tue", "wed", "thu", "FRI"},
                            "08:00",
                            "18:00"});
  EXPECT_FALSE(s.Allows(At(21, 12, 0), utc));
  EXPECT_EQ(s.NextRun(std::nullopt, At(21, 12, 0), utc), At(23, 8, 0));
  EXPECT_TRUE(s.Allows(At(23, 17, 59), utc));
  EXPECT_FALSE(s.Allows(At(23, 18, 0), utc));
  EXPECT_EQ(s.NextRun(At(23, 17, 55), At(23, 17, 56), utc), At(24, 8, 0));
  // A window across midnight.
  const Schedule night = Parse({absl::Seconds(60), {}, "22:00", "06:00"});
  EXPECT_TRUE(night.Allows(At(21, 23, 30), utc));
  EXPECT_TRUE(night.Allows(At(22, 5, 59), utc));
  EXPECT_FALSE(night.Allows(At(22, 6, 0), utc));
  EXPECT_EQ(night.NextRun(std::nullopt, At(22, 12, 0), utc), At(22, 22, 0));
}

TEST(ScheduleTest, NoIntervalMeansByHandOnly) {
  const Schedule s = Parse({});
  EXPECT_FALSE(s.automatic());
  EXPECT_EQ(s.NextRun(std::nullopt, At(21, 1, 0), absl::UTCTimeZone()),
            absl::InfiniteFuture());
}

TEST(ScheduleTest, SchedulesThatNeverFireAreRefused) {
  auto problems = [](ScheduleConfig c) {
    absl::StatusOr<Schedule> s = Schedule::Parse(c);
    EXPECT_FALSE(s.ok());
    return std::string(s.status().message());
  };
  EXPECT_THAT(problems({absl::Seconds(60), {}, "09:00", "09:00"}),
              HasSubstr("the window 09:00 to 09:00 is empty, so the session "
                        "never fires"));
  EXPECT_THAT(problems({absl::ZeroDuration(), {"mon"}, "", ""}),
              HasSubstr("interval_seconds is 0, so the session never fires"));
  EXPECT_THAT(problems({absl::Seconds(60), {"monday"}, "", ""}),
              HasSubstr("unknown day \"monday\""));
  EXPECT_THAT(problems({absl::Seconds(60), {}, "24:00", "25:61"}),
              HasSubstr("\"24:00\" is not a time of day"));
  EXPECT_THAT(problems({absl::Seconds(60), {}, "8:00", ""}),
              HasSubstr("needs both window_start and window_end"));
  // Two problems, two lines.
  EXPECT_THAT(problems({absl::Seconds(60), {"xyz"}, "7", "8"}),
              ::testing::AllOf(HasSubstr("unknown day"), HasSubstr("\n")));
}

}  // namespace
}  // namespace ioreplication::session_internal
