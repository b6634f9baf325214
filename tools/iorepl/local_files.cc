// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "local_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace ioreplication::iorepl {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(what, " ", path, " cannot be read"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(what, " ", path, ": read failed"));
  }
  return text.str();
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
