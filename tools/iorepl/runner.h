// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// RunPass: one pass of one session as the service runs it. The subscribers
// are served by up to max_tasks tasks at a time; each task holds the folder
// locks of what it writes for the whole of its pass (FolderLocks), opens
// its own store handles, and stops after the current batch once a stop is
// requested.

#ifndef IOREPLICATION_TOOLS_IOREPL_RUNNER_H_
#define IOREPLICATION_TOOLS_IOREPL_RUNNER_H_

#include <functional>

#include "folder_locks.h"
#include "ioreplication/session.h"
#include "logger.h"
#include "progress_display.h"

namespace ioreplication::iorepl {

struct RunEnvironment {
  Logger* logger = nullptr;
  FolderLocks* locks = nullptr;
  ProgressDisplay* progress = nullptr;  // may be null
  std::function<bool()> stop_requested;
};

// Runs the pass and reports it (Logger::Pass). The statistics are those of
// every subscriber together.
PassOutcome RunPass(const SessionConfig& config, RunEnvironment& env);

// The session restricted to subscriber `i` (and its credentials).
SessionConfig ForSubscriber(const SessionConfig& config, size_t i);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_RUNNER_H_
