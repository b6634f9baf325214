// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The iorepl command line, callable in-process.

#ifndef IOREPLICATION_TOOLS_IOREPL_CLI_H_
#define IOREPLICATION_TOOLS_IOREPL_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace ioreplication::iorepl {

// Exit statuses, documented in `iorepl --help` and docs/iorepl.md.
inline constexpr int kExitOk = 0;
// A session pass had errors: objects or folders that failed (retried on the
// next pass), or a store that failed.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;        // bad usage, configuration or input
inline constexpr int kExitRefused = 3;      // an exchange file was refused
inline constexpr int kExitInterrupted = 4;  // run --once stopped by a signal

// Runs iorepl with `args` (without the program name), writing results to
// `out` and diagnostics to `err`. Returns the process exit status.
// `terminal`: the error stream is a terminal (progress is shown).
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, bool terminal = false);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_CLI_H_
