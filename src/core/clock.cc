// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/clock.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace ioreplication {

FileTime FileTime::FromAbslTime(absl::Time t) {
  // 100 ns ticks relative to the Unix epoch; an infinite or far-off time
  // saturates at the int64 limits, which stay inside the uint64 range below.
  absl::Duration remainder;  // this Abseil writes it unconditionally
  const int64_t ticks_since_unix = absl::IDivDuration(
      absl::Floor(t - absl::UnixEpoch(), absl::Nanoseconds(100)),
      absl::Nanoseconds(100), &remainder);
  if (ticks_since_unix < -static_cast<int64_t>(kUnixEpochTicks)) {
    return FileTime(0);
  }
  // Modular arithmetic gives the right result for negative offsets too.
  return FileTime(kUnixEpochTicks + static_cast<uint64_t>(ticks_since_unix));
}

absl::Time FileTime::ToAbslTime() const {
  const uint64_t seconds = ticks_ / kTicksPerSecond;
  const uint64_t rest = ticks_ % kTicksPerSecond;
  constexpr uint64_t kUnixEpochSeconds = kUnixEpochTicks / kTicksPerSecond;
  return absl::UnixEpoch() +
         absl::Seconds(static_cast<int64_t>(seconds) -
                       static_cast<int64_t>(kUnixEpochSeconds)) +
         absl::Nanoseconds(static_cast<int64_t>(rest) * 100);
}

std::string FileTime::ToString() const {
  const absl::Time t = ToAbslTime();
  return absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%S", t, absl::UTCTimeZone()), ".",
      absl::StrFormat("%07d", ticks_ % kTicksPerSecond), "Z");
}

Clock::Clock() : Clock([] { return absl::Now(); }) {}

Clock::Clock(TimeSource source) : source_(std::move(source)) {}

FileTime Clock::Now() {
  const uint64_t wall = FileTime::FromAbslTime(source_()).ticks();
  uint64_t last = last_ticks_.load(std::memory_order_relaxed);
  while (true) {
    const uint64_t next = wall > last ? wall : last + 1;
    if (last_ticks_.compare_exchange_weak(last, next,
                                          std::memory_order_relaxed)) {
      return FileTime::FromTicks(next);
    }
  }
}

void Clock::Observe(FileTime t) {
  uint64_t last = last_ticks_.load(std::memory_order_relaxed);
  while (last < t.ticks() && !last_ticks_.compare_exchange_weak(
                                 last, t.ticks(), std::memory_order_relaxed)) {
  }
}

FileTime Clock::last() const {
  return FileTime::FromTicks(last_ticks_.load(std::memory_order_relaxed));
}

}  // namespace ioreplication
