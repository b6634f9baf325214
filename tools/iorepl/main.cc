// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl: the ioreplication command-line tool. See `iorepl --help`.

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "cli.h"

int main(int argc, char** argv) {
  // Damaged input (an exchange file, a store record) makes Protobuf log
  // what it could not parse; iorepl reports the refusal itself, once.
  google::protobuf::SetLogHandler(nullptr);
  std::vector<std::string> args(argv + 1, argv + argc);
  return ioreplication::iorepl::RunCli(args, std::cout, std::cerr,
                                       isatty(STDERR_FILENO) == 1);
}
