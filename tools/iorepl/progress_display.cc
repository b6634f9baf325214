// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "progress_display.h"

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace ioreplication::iorepl {

void ProgressDisplay::Start(const std::string& session, uint64_t total) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  pass_ = Pass{session, total, 0, absl::Now()};
}

void ProgressDisplay::Advance(const std::string& session, uint64_t done) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (pass_.session != session) pass_ = Pass{session, 0, 0, absl::Now()};
  pass_.done += done;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(100)) return;
  last_draw_ = now;
  Draw(pass_);
}

void ProgressDisplay::Draw(const Pass& pass) {
  const double seconds = absl::ToDoubleSeconds(absl::Now() - pass.start);
  const uint64_t rate =
      seconds > 0 ? static_cast<uint64_t>(pass.done / seconds) : 0;
  std::string line =
      pass.total > 0
          ? absl::StrFormat("%s: %d / %d changes, %d/s", pass.session,
                            pass.done, pass.total, rate)
          : absl::StrFormat("%s: %d changes, %d/s", pass.session, pass.done,
                            rate);
  // \r and clear-to-end-of-line: the line rewrites itself.
  err_ << "\r" << line << "\x1b[K" << std::flush;
  drawn_ = true;
}

void ProgressDisplay::Finish(const std::string& session) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (pass_.session == session) pass_ = Pass();
  if (drawn_) err_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

}  // namespace ioreplication::iorepl
