// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// CommandLine: positional arguments and --options, in any order.

#ifndef IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_
#define IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ioreplication::iorepl {

struct CommandLine {
  // Arguments that are not options, in order.
  std::vector<std::string> positional;
  // Options given, without their leading "--".
  std::set<std::string> flags;

  bool Has(const std::string& flag) const { return flags.count(flag) != 0; }
};

// Splits `args` (without the program name). Anything starting with "--" is an
// option, wherever it stands, up to a lone "--" after which everything is
// positional (so a value may start with "-"). Options must be among `known`;
// returns InvalidArgumentError naming the first that is not.
absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const std::set<std::string>& known);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_
