// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "command_line.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ioreplication::iorepl {

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const std::set<std::string>& known) {
  CommandLine line;
  bool options_done = false;
  for (const std::string& arg : args) {
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg.size() > 2 && arg.rfind("--", 0) == 0) {
      const std::string name = arg.substr(2);
      if (known.count(name) == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown option '", arg, "'"));
      }
      line.flags.insert(name);
    } else {
      line.positional.push_back(arg);
    }
  }
  return line;
}

}  // namespace ioreplication::iorepl
