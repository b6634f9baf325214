// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Loading the configuration file the way every iorepl verb does, and the
// starter file `iorepl config new` writes.

#ifndef IOREPLICATION_TOOLS_IOREPL_CONFIG_FILE_H_
#define IOREPLICATION_TOOLS_IOREPL_CONFIG_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/group_config.h"
#include "ioreplication/session.h"

namespace ioreplication::iorepl {

struct LoadedConfig {
  std::string path;
  std::vector<SessionConfig> sessions;
  std::string status_path;  // where pass results are recorded
  std::string lock_path;    // where processes take turns (file locks)
};

// Reads and validates the file. Relative "sqlite:" paths, log files and the
// status file are taken relative to the file's directory. Errors are
// InvalidArgumentError (syntax with line and column, or every semantic
// problem on its own line) or NotFoundError for an unreadable file.
absl::StatusOr<LoadedConfig> LoadConfigFile(const std::string& path);

// The replica groups of the file named in `names` (all when empty), with
// relative paths (sqlite: stores, spool directories and spool addresses,
// Maildirs, key and log files) taken relative to the file's directory.
// ParseGroupConfigs' errors, InvalidArgumentError naming an unknown group
// or (unless `allow_none`) a file without any.
absl::StatusOr<std::vector<GroupFileConfig>> LoadGroupConfigs(
    const std::string& path, const std::vector<std::string>& names,
    bool allow_none = false);

// The sessions named in `names` (all when empty), in file order.
// InvalidArgumentError naming an unknown one.
absl::StatusOr<std::vector<SessionConfig>> SelectSessions(
    const LoadedConfig& config, const std::vector<std::string>& names);

// One session: the one named, or the only one in the file.
absl::StatusOr<SessionConfig> OneSession(const LoadedConfig& config,
                                         const std::string& name);

// `status`'s message with "PATH: " before each of its lines.
std::string ProblemsIn(const std::string& path, const absl::Status& status);

// A commented configuration that validates as it is.
extern const char kStarterConfig[];

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_CONFIG_FILE_H_
