// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Files that hold one message each, as the spool and mail transports keep
// them: read bounded, written whole and synced, listed oldest first.

#ifndef IOREPLICATION_SRC_REPL_MESSAGE_FILES_H_
#define IOREPLICATION_SRC_REPL_MESSAGE_FILES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ioreplication::repl_internal {

// The bytes of the regular file at `path`, or nullopt when it is gone, not
// a regular file (symbolic links are not followed) or larger than
// `max_bytes`: such a file is for the caller to drop, not an error.
std::optional<std::string> ReadBoundedFile(const std::string& path,
                                           size_t max_bytes);

// Writes `bytes` to `fd`, retrying short writes; the errno text on failure.
absl::Status WriteAll(int fd, std::string_view bytes);

// Names in `dir` that do not start with '.', sorted (oldest first for names
// that begin with a time). UnavailableError when `dir` cannot be read.
absl::StatusOr<std::vector<std::string>> ListMessageFiles(
    const std::string& dir);

// Makes the directory entries of `dir` durable (fsync of the directory), so
// that a file renamed into it survives a power loss.
absl::Status SyncDirectory(const std::string& dir);

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_MESSAGE_FILES_H_
