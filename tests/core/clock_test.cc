// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/clock.h"

#include <set>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

TEST(FileTimeTest, UnixEpochAndConversions) {
  EXPECT_EQ(FileTime::FromAbslTime(absl::UnixEpoch()).ticks(),
            116444736000000000u);
  // 2008-02-01 00:00 UTC is 214104960 minutes after 1601 (SPEC-NOTES TV-9).
  const absl::Time feb2008 =
      absl::FromCivil(absl::CivilMinute(2008, 2, 1, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FileTime::FromAbslTime(feb2008).ticks() / (60 * 10000000ull),
            214104960u);
  const absl::Time t = absl::FromUnixNanos(1763752851123456700);
  EXPECT_EQ(FileTime::FromAbslTime(t).ToAbslTime(), t);
  EXPECT_EQ(FileTime::FromAbslTime(t).ToString(),
            "2025-11-21T19:20:51.1234567Z");
}

TEST(FileTimeTest, ClampsBefore1601AndRoundsDown) {
  EXPECT_EQ(FileTime::FromAbslTime(absl::InfinitePast()).ticks(), 0u);
  EXPECT_EQ(FileTime::FromAbslTime(
                absl::FromCivil(absl::CivilSecond(1500, 1, 1, 0, 0, 0),
                                absl::UTCTimeZone()))
                .ticks(),
            0u);
  EXPECT_GT(FileTime::FromAbslTime(absl::InfiniteFuture()).ticks(),
            FileTime::FromAbslTime(absl::Now()).ticks());
  const absl::Time t = absl::UnixEpoch() + absl::Nanoseconds(199);
  EXPECT_EQ(FileTime::FromAbslTime(t).ticks(), FileTime::kUnixEpochTicks + 1);
  const absl::Time before = absl::UnixEpoch() - absl::Nanoseconds(1);
  EXPECT_EQ(FileTime::FromAbslTime(before).ticks(),
            FileTime::kUnixEpochTicks - 1);
  EXPECT_EQ(FileTime().ToString(), "1601-01-01T00:00:00.0000000Z");
}

TEST(ClockTest, FollowsTheSourceWhileItMovesForward) {
  absl::Time now = absl::UnixEpoch() + absl::Hours(24);
  Clock clock([&] { return now; });
  EXPECT_EQ(clock.Now(), FileTime::FromAbslTime(now));
  now += absl::Seconds(1);
  EXPECT_EQ(clock.Now(), FileTime::FromAbslTime(now));
}

TEST(ClockTest, NeverGoesBackwardsWhenTheSourceDoes) {
  absl::Time now = absl::UnixEpoch() + absl::Hours(24);
  Clock clock([&] { return now; });
  const FileTime first = clock.Now();
  now -= absl::Hours(1);  // the wall clock steps back
  const FileTime second = clock.Now();
  EXPECT_EQ(second.ticks(), first.ticks() + 1);
  const FileTime third = clock.Now();  // still stuck in the past
  EXPECT_EQ(third.ticks(), first.ticks() + 2);
  now += absl::Hours(2);  // catches up again
  EXPECT_EQ(clock.Now(), FileTime::FromAbslTime(now));
}

TEST(ClockTest, ObserveRaisesTheFloorOnly) {
  const absl::Time now = absl::UnixEpoch() + absl::Hours(24);
  Clock clock([&] { return now; });
  const FileTime later = FileTime::FromAbslTime(now + absl::Hours(5));
  clock.Observe(later);  // e.g. the last timestamp a store persisted
  EXPECT_EQ(clock.last(), later);
  EXPECT_EQ(clock.Now().ticks(), later.ticks() + 1);
  clock.Observe(FileTime::FromTicks(5));
  EXPECT_EQ(clock.last().ticks(), later.ticks() + 1);
}

TEST(ClockTest, ConcurrentCallersGetUniqueIncreasingTimes) {
  Clock clock([] { return absl::UnixEpoch(); });  // a frozen wall clock
  constexpr int kThreads = 4, kPerThread = 5000;
  std::vector<std::vector<uint64_t>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        results[t].push_back(clock.Now().ticks());
    });
  }
  for (auto& t : threads) t.join();
  std::set<uint64_t> all;
  for (const auto& r : results) {
    for (size_t i = 1; i < r.size(); ++i) EXPECT_LT(r[i - 1], r[i]);
    all.insert(r.begin(), r.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(ClockTest, RealClockIsNearNow) {
  Clock clock;
  const FileTime t = clock.Now();
  EXPECT_LT(absl::AbsDuration(t.ToAbslTime() - absl::Now()), absl::Seconds(5));
}

}  // namespace
}  // namespace ioreplication
