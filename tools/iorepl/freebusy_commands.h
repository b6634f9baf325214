// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The verbs of free/busy replication: the recipient list a subscriber keeps
// (recipients import / list) and the free/busy messages of a store
// (freebusy status / export / import). Each returns the process exit status
// (cli.h).

#ifndef IOREPLICATION_TOOLS_IOREPL_FREEBUSY_COMMANDS_H_
#define IOREPLICATION_TOOLS_IOREPL_FREEBUSY_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ioreplication::iorepl {

// Reads a recipients CSV file and imports it into the list at `folder` of
// the store at `uri` (created if missing): nothing is written when the file
// has a problem. `replace` also removes recipients the file does not list.
int RecipientsImportCommand(const std::string& file, const std::string& uri,
                            const std::string& folder, bool replace,
                            std::ostream& out, std::ostream& err);

// "ADDRESS<TAB>DISPLAY NAME" per recipient, ordered by address; a JSON
// array with `json`.
int RecipientsListCommand(const std::string& uri, const std::string& folder,
                          bool json, std::ostream& out, std::ostream& err);

struct FreeBusyStatusOptions {
  std::string uri;
  std::string root;                             // the free/busy folder
  absl::Duration older_than = absl::Hours(24);  // stale when published before
  absl::Duration ends_within = absl::Hours(24 * 7);
  absl::Time now = absl::Now();
  bool json = false;
};

// Lists users whose free/busy data is stale (published more than
// older_than ago), whose published range ends within ends_within, or whose
// message cannot be read; then a summary line. Exit 0 when none is listed,
// 1 when some are.
int FreeBusyStatusCommand(const FreeBusyStatusOptions& options,
                          std::ostream& out, std::ostream& err);

// Prints the VFREEBUSY of `user` (an SMTP address) from the store.
int FreeBusyExportCommand(const std::string& uri, const std::string& root,
                          const std::string& user, std::ostream& out,
                          std::ostream& err);

// Writes a VFREEBUSY file as its user's free/busy message in the site
// folder `folder`, or in the one `legacy_dn` names (FreeBusySiteFolderName).
int FreeBusyImportCommand(const std::string& file, const std::string& uri,
                          const std::string& folder,
                          const std::string& legacy_dn, std::ostream& out,
                          std::ostream& err);

// "36h", "90m", "7d", "2d12h": absl's duration syntax plus days.
absl::StatusOr<absl::Duration> ParseDays(const std::string& text);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_FREEBUSY_COMMANDS_H_
