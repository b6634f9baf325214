// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading a whole input file with a ceiling on what it may hold, so that no
// input (a huge file, /dev/zero, a directory) can exhaust memory or hang.

#ifndef IOREPLICATION_SRC_CORE_BOUNDED_FILE_H_
#define IOREPLICATION_SRC_CORE_BOUNDED_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ioreplication::core_internal {

// The bytes of the file at `path`, which may be a pipe or a device as long
// as it ends within `max_bytes`. `what` names the file in messages
// ("configuration file"). Errors, none of which reads more than
// max_bytes + 1 bytes:
//   NotFoundError       "<what> <path> does not exist" / "cannot be read: why"
//   InvalidArgumentError "<what> <path> is a directory"
//   OutOfRangeError     "<what> <path> holds more than N bytes (the limit ...)"
//   DataLossError       when reading fails midway
absl::StatusOr<std::string> ReadBoundedFile(const std::string& path,
                                            std::string_view what,
                                            size_t max_bytes);

// "16 MiB", "512 KiB", "100 bytes": a limit as messages show it.
std::string ByteSizeText(size_t bytes);

}  // namespace ioreplication::core_internal

#endif  // IOREPLICATION_SRC_CORE_BOUNDED_FILE_H_
