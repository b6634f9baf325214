// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The iorepl command line, callable in-process.

#ifndef IOREPLICATION_TOOLS_IOREPL_CLI_H_
#define IOREPLICATION_TOOLS_IOREPL_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace ioreplication::iorepl {

// Exit statuses, documented in `iorepl --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // a run that had errors (later verbs)
inline constexpr int kExitUsage = 2;    // bad usage or bad input

// Runs iorepl with `args` (without the program name), writing results to
// `out` and diagnostics to `err`. Returns the process exit status.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_CLI_H_
