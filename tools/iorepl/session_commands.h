// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The verbs that work on a configuration file: validate, config new,
// status, export and import. Each returns the process exit status (cli.h).

#ifndef IOREPLICATION_TOOLS_IOREPL_SESSION_COMMANDS_H_
#define IOREPLICATION_TOOLS_IOREPL_SESSION_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace ioreplication::iorepl {

// "FILE: N sessions, no problems" or every problem on its own line.
int ValidateCommand(const std::string& path, std::ostream& out,
                    std::ostream& err);

// Writes the starter configuration to `path` (refusing to overwrite an
// existing file unless `force`), or to `out` when `path` is empty.
int ConfigNewCommand(const std::string& path, bool force, std::ostream& out,
                     std::ostream& err);

// Per session: the last pass (time, result, statistics) and what waits at
// the publisher, computed from the stores.
int StatusCommand(const std::string& path,
                  const std::vector<std::string>& sessions, bool json,
                  std::ostream& out, std::ostream& err);

// `iorepl verify FILE`: Session::Verify of each selected session; exit 1
// when replicas differ (and --repair was not given).
int VerifyCommand(const std::string& path,
                  const std::vector<std::string>& sessions, bool repair,
                  bool json, std::ostream& out, std::ostream& err);

// `iorepl conflicts FILE`: the conflict items of each selected session.
int ConflictsCommand(const std::string& path,
                     const std::vector<std::string>& sessions, bool json,
                     std::ostream& out, std::ostream& err);
// `iorepl resolve FILE KEY --keep mine|theirs|both`.
int ResolveCommand(const std::string& path,
                   const std::vector<std::string>& sessions,
                   const std::string& key_text, const std::string& keep,
                   std::ostream& out, std::ostream& err);

// `iorepl skip FILE KEY`: the refused version of source key KEY is taken
// as seen by the next pass of every selected session that refused it.
int SkipCommand(const std::string& path,
                const std::vector<std::string>& sessions,
                const std::string& key_text, std::ostream& out,
                std::ostream& err);

// `iorepl export FILE --out PATH`: refuses (exit 2) a PATH that exists
// unless `force`.
int ExportCommand(const std::string& path, const std::string& session,
                  const std::string& file, bool full, bool force,
                  std::ostream& out, std::ostream& err);

int ImportCommand(const std::string& path, const std::string& session,
                  const std::string& file, bool json, std::ostream& out,
                  std::ostream& err);

// Lists the folder at `path` in the store at `uri`: its subfolders, then
// its items (message class, subject, size, and "in conflict" marks).
int ListCommand(const std::string& uri, const std::string& path,
                std::ostream& out, std::ostream& err);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_SESSION_COMMANDS_H_
