// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ProgressDisplay: one self-rewriting line on a terminal during long passes
// ("Sales share: 12,000 / 40,000 changes, 8,100/s"), nothing at all when the
// error stream is not a terminal. Safe to call from session threads.

#ifndef IOREPLICATION_TOOLS_IOREPL_PROGRESS_DISPLAY_H_
#define IOREPLICATION_TOOLS_IOREPL_PROGRESS_DISPLAY_H_

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

#include "absl/time/time.h"

namespace ioreplication::iorepl {

class ProgressDisplay {
 public:
  ProgressDisplay(std::ostream& err, bool enabled)
      : err_(err), enabled_(enabled) {}

  bool enabled() const { return enabled_; }

  // A pass of `session` starts with `total` changes to send.
  void Start(const std::string& session, uint64_t total);
  // `done` more changes of `session` are handled (rate-limited redraws).
  void Advance(const std::string& session, uint64_t done);
  // The pass ended: the line is cleared.
  void Finish(const std::string& session);

 private:
  struct Pass {
    std::string session;
    uint64_t total = 0;
    uint64_t done = 0;
    absl::Time start;
  };
  void Draw(const Pass& pass);

  std::ostream& err_;
  const bool enabled_;
  std::mutex mu_;
  Pass pass_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool drawn_ = false;
};

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_PROGRESS_DISPLAY_H_
