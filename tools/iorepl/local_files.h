// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What the tool reads from the local disk: whole input files, and stores
// that must exist already (a sqlite: URI whose file is missing would
// otherwise be created, empty, by opening it).

#ifndef IOREPLICATION_TOOLS_IOREPL_LOCAL_FILES_H_
#define IOREPLICATION_TOOLS_IOREPL_LOCAL_FILES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/store.h"

namespace ioreplication::iorepl {

// The bytes of the file at `path`, at most `max_bytes` of them (the limit
// the library's parser has for such text). NotFoundError when it does not
// exist or cannot be opened, InvalidArgumentError for a directory,
// OutOfRangeError when it holds more, DataLossError when reading fails;
// each names `what` and the path.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          const std::string& what,
                                          size_t max_bytes);

// True for a sqlite: URI whose file does not exist.
bool StoreNotCreated(const std::string& uri);

// Opens the store at `uri`; NotFoundError "<uri>: no such store" for a
// sqlite: file that does not exist.
absl::StatusOr<std::unique_ptr<Store>> OpenExistingStore(
    const std::string& uri);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_LOCAL_FILES_H_
