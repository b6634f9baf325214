// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// CommandLine: positional arguments and --options, in any order.

#ifndef IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_
#define IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_

#include <map>
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
  // Values of options that take one, in the order given (an option may
  // repeat: --session A --session B).
  std::map<std::string, std::vector<std::string>> values;

  bool Has(const std::string& flag) const {
    return flags.count(flag) != 0 || values.count(flag) != 0;
  }
  // The option's values; empty when not given.
  std::vector<std::string> All(const std::string& option) const {
    auto it = values.find(option);
    return it == values.end() ? std::vector<std::string>() : it->second;
  }
  // The option's last value, or `fallback`.
  std::string Value(const std::string& option,
                    const std::string& fallback = "") const {
    auto it = values.find(option);
    return it == values.end() ? fallback : it->second.back();
  }
};

// Splits `args` (without the program name). Anything starting with "--" is an
// option, wherever it stands, up to a lone "--" after which everything is
// positional (so a value may start with "-"). Options must be among `known`
// (flags) or `with_value` (which take the next argument, or "--name=value");
// returns InvalidArgumentError naming the first that is not, or that lacks
// its value.
absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const std::set<std::string>& known,
    const std::set<std::string>& with_value = {});

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_COMMAND_LINE_H_
