// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FileTime and Clock: timestamps in FILETIME units that never go backwards.
//
// MAPI stamps last-modification times as FILETIME: 100-nanosecond ticks since
// 1601-01-01 00:00 UTC. Last-writer-wins conflict resolution compares them,
// so a replica whose wall clock steps back (NTP, a VM restore) must still
// stamp each change later than the one before. Clock::Now() returns
// max(wall clock, last + 1 tick) (DESIGN.md invariant 6); a store seeds it
// with the last timestamp it persisted through Observe().
//
// Thread safety: FileTime is a value. A Clock may be shared by threads: Now()
// and Observe() are lock-free and every Now() result is unique and larger than
// all earlier ones.

#ifndef IOREPLICATION_CLOCK_H_
#define IOREPLICATION_CLOCK_H_

#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "ioreplication/export.h"

namespace ioreplication {

class IOREPL_EXPORT FileTime {
 public:
  // FILETIME of 1970-01-01 00:00 UTC.
  static constexpr uint64_t kUnixEpochTicks = 116444736000000000ULL;
  static constexpr uint64_t kTicksPerSecond = 10000000ULL;

  // 1601-01-01 00:00 UTC.
  constexpr FileTime() = default;
  static constexpr FileTime FromTicks(uint64_t ticks) {
    return FileTime(ticks);
  }

  // Converts with 100 ns resolution, rounding down. Times before 1601 give
  // 1601; absl::InfiniteFuture() saturates tens of millennia ahead.
  static FileTime FromAbslTime(absl::Time t);
  absl::Time ToAbslTime() const;

  // RFC 3339 in UTC with 100 ns digits, e.g. "2026-11-21T19:20:51.1234567Z".
  std::string ToString() const;

  constexpr uint64_t ticks() const { return ticks_; }

  friend constexpr bool operator==(FileTime a, FileTime b) = default;
  friend constexpr std::strong_ordering operator<=>(FileTime a,
                                                    FileTime b) = default;

 private:
  explicit constexpr FileTime(uint64_t ticks) : ticks_(ticks) {}

  uint64_t ticks_ = 0;
};

class IOREPL_EXPORT Clock {
 public:
  // Where wall-clock time comes from; tests inject their own.
  using TimeSource = std::function<absl::Time()>;

  // A clock over absl::Now().
  Clock();
  explicit Clock(TimeSource source);

  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  // max(source time, last result + 1 tick). Strictly increasing across all
  // callers.
  FileTime Now();

  // Raises the floor: later Now() results are after `t`. Never lowers it.
  void Observe(FileTime t);

  // The latest time handed out or observed.
  FileTime last() const;

 private:
  TimeSource source_;
  std::atomic<uint64_t> last_ticks_{0};
};

}  // namespace ioreplication

#endif  // IOREPLICATION_CLOCK_H_
