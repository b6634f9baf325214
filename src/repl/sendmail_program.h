// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Hands a mail to a sendmail-compatible program.

#ifndef IOREPLICATION_SRC_REPL_SENDMAIL_PROGRAM_H_
#define IOREPLICATION_SRC_REPL_SENDMAIL_PROGRAM_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace ioreplication::repl_internal {

// Runs `command` (argv; looked up on PATH when command[0] has no '/') with
// "--" and `recipients` appended, no shell, `mail` on its standard input
// and standard output discarded; waits for it. OK when it exits 0.
// UnavailableError naming the program and its exit status or signal and the
// start of what it wrote to standard error, or saying it could not start;
// DeadlineExceededError (the program is killed) when it runs past
// `timeout`. Never raises SIGPIPE in the caller.
absl::Status RunSendmail(std::span<const std::string> command,
                         std::span<const std::string> recipients,
                         std::string_view mail,
                         absl::Duration timeout = absl::Seconds(60));

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_SENDMAIL_PROGRAM_H_
