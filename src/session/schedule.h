// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// When a session's schedule lets it run (ScheduleConfig in session.h).
//
// A session fires every `interval` counted from the start of its last pass,
// but only on the allowed days and inside the daily window, both in the
// service's local time zone. A window whose end is before its start wraps
// past midnight ("22:00" to "06:00"); the day rule applies to the calendar
// day of the moment itself. A moment that is due but outside the days or
// window waits for the next minute that is inside them.

#ifndef IOREPLICATION_SRC_SESSION_SCHEDULE_H_
#define IOREPLICATION_SRC_SESSION_SCHEDULE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/session.h"

namespace ioreplication::session_internal {

class Schedule {
 public:
  // InvalidArgumentError listing every problem (one per line) when the
  // schedule is malformed or can never fire.
  static absl::StatusOr<Schedule> Parse(const ScheduleConfig& config);

  // False for interval 0: the session runs only when started by hand.
  bool automatic() const { return interval_ > absl::ZeroDuration(); }

  // True when `t` is on an allowed day and inside the window.
  bool Allows(absl::Time t, absl::TimeZone zone) const;

  // When the session should start next: at `now` when it never ran,
  // otherwise at last_start + interval, moved forward to the first allowed
  // minute. InfiniteFuture when not automatic.
  absl::Time NextRun(std::optional<absl::Time> last_start, absl::Time now,
                     absl::TimeZone zone) const;

 private:
  absl::Duration interval_;
  // Indexed by absl::Weekday (Monday = 0).
  bool days_[7] = {true, true, true, true, true, true, true};
  // Minutes after midnight; no window when equal to -1.
  int window_start_ = -1;
  int window_end_ = -1;
};

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_SCHEDULE_H_
