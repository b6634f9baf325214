// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica group verbs of iorepl.

#ifndef IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_
#define IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace ioreplication::iorepl {

// Exit status for a mail iorepl receive could not keep: the MTA keeps it
// and delivers it again later (sysexits.h EX_TEMPFAIL).
inline constexpr int kExitTempFail = 75;

// `iorepl receive --spool DIR`: reads one mail from `in`, as an MTA
// delivers to a program, and puts the replication message it carries into
// the spool directory DIR, where the member's spool transport reads it.
// A mail that is not a replication mail (or is too large for frames of
// `max_message_bytes`) is dropped with a line on `err` and exit 0: bouncing
// it would only send mail back to whoever forged it. kExitTempFail when
// the spool cannot be written.
int ReceiveCommand(std::istream& in, const std::string& spool,
                   size_t max_message_bytes, std::ostream& err);

// `iorepl repl keygen PREFIX`: a new Ed25519 key pair for a member; the
// private key (base64) goes to PREFIX.key, readable by its owner only
// (never over an existing file unless `force`), and the config line with
// the public key to `out`.
int KeygenCommand(const std::string& prefix, bool force, std::ostream& out,
                  std::ostream& err);

// `iorepl repl tick FILE`: one tick of each named group (all when empty)
// of the file (GroupMember::Tick), and a line of what it did. Exit 1 when
// a store or transport failed.
int GroupTickCommand(const std::string& file,
                     const std::vector<std::string>& groups, std::ostream& out,
                     std::ostream& err);

// `iorepl repl status FILE`: per group, folder and peer what is seen,
// missing, parked and waiting for backfill, with ages; `json`: one JSON
// object per group and line.
int GroupStatusCommand(const std::string& file,
                       const std::vector<std::string>& groups, bool json,
                       std::ostream& out, std::ostream& err);

// `iorepl repl leave FILE`: whether this member may leave each named group
// (GroupMember::LeaveReadiness): it asks every peer for its status and runs
// one tick (sending what is unsent), then says which peers have not yet
// confirmed holding every change it made. Exit 0 when it may leave (take it
// out of every member's configuration then), 1 while it may not (run it
// again when the peers have answered, or let `iorepl run` go on first).
int GroupLeaveCommand(const std::string& file,
                      const std::vector<std::string>& groups, std::ostream& out,
                      std::ostream& err);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_
