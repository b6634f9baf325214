// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica group verbs of iorepl.

#ifndef IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_
#define IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

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

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_REPL_COMMANDS_H_
