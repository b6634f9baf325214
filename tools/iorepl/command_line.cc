// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "command_line.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ioreplication::iorepl {

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const std::set<std::string>& known,
    const std::set<std::string>& with_value) {
  CommandLine line;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg.size() > 2 && arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      const size_t equals = name.find('=');
      if (equals != std::string::npos) {
        const std::string value = name.substr(equals + 1);
        name.resize(equals);
        if (with_value.count(name) == 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              known.count(name) ? "option '--" : "unknown option '--", name,
              known.count(name) ? "' takes no value" : "'"));
        }
        line.values[name].push_back(value);
      } else if (with_value.count(name) != 0) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("option '", arg, "' needs a value"));
        }
        line.values[name].push_back(args[++i]);
      } else if (known.count(name) != 0) {
        line.flags.insert(name);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown option '", arg, "'"));
      }
    } else {
      line.positional.push_back(arg);
    }
  }
  return line;
}

}  // namespace ioreplication::iorepl
