// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "local_files.h"

#include <filesystem>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "core/bounded_file.h"

namespace ioreplication::iorepl {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          const std::string& what,
                                          size_t max_bytes) {
  return core_internal::ReadBoundedFile(path, what, max_bytes);
}

bool StoreNotCreated(const std::string& uri) {
  constexpr std::string_view kSqlite = "sqlite:";
  return uri.rfind(kSqlite, 0) == 0 &&
         !std::filesystem::exists(uri.substr(kSqlite.size()));
}

absl::StatusOr<std::unique_ptr<Store>> OpenExistingStore(
    const std::string& uri) {
  if (StoreNotCreated(uri)) {
    return absl::NotFoundError(absl::StrCat(RedactStoreUri(uri), ": no such store"));
  }
  return OpenStore(uri);
}

}  // namespace ioreplication::iorepl
