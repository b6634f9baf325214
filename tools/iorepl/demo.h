// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// `iorepl demo DIR`: two organizations as SQLite stores in DIR, a
// configuration with a one-way and a bidirectional session between them,
// two passes with edits on both sides (one of them a conflict) in between,
// and the statistics lines. What the README's first command runs.

#ifndef IOREPLICATION_TOOLS_IOREPL_DEMO_H_
#define IOREPLICATION_TOOLS_IOREPL_DEMO_H_

#include <ostream>
#include <string>

namespace ioreplication::iorepl {

// Returns the exit status (cli.h). DIR is created if missing; demo files
// from an earlier run in it are replaced, nothing else is touched.
int DemoCommand(const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_DEMO_H_
