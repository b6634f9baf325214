// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl: the ioreplication command-line tool. See `iorepl --help`.

#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return ioreplication::iorepl::RunCli(args, std::cout, std::cerr,
                                       isatty(STDERR_FILENO) == 1);
}
