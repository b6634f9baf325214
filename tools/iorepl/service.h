// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// `iorepl run`: the selected sessions once each (--once), or as a service
// that runs each on its schedule until SIGTERM or SIGINT.
//
// Service rules: a session never overlaps itself (its next pass is due
// `interval` after the start of the last one, and waits for it to end);
// its subscribers are served by up to max_tasks tasks; tasks that write the
// same destination folders take turns (FolderLocks). SIGTERM and SIGINT
// let running passes finish their current batch, then the service exits 0.
// SIGHUP rereads the configuration file: a bad file is logged and the
// previous configuration kept; sessions keep their last start times.
// Every pass is recorded in the status file.

#ifndef IOREPLICATION_TOOLS_IOREPL_SERVICE_H_
#define IOREPLICATION_TOOLS_IOREPL_SERVICE_H_

#include <ostream>
#include <string>
#include <vector>

namespace ioreplication::iorepl {

struct RunOptions {
  std::string config_path;
  std::vector<std::string> sessions;  // empty: all
  bool once = false;
  bool json = false;
  // Show progress on a terminal (the error stream's file descriptor).
  bool terminal = false;
};

// Returns the exit status (cli.h).
int RunSessions(const RunOptions& options, std::ostream& out,
                std::ostream& err);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_SERVICE_H_
