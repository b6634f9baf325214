// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// OpenStore: the one entry point that maps a URI to a store implementation.

#include "absl/strings/str_cat.h"
#include "ioreplication/store.h"
#include "stores/memory_store.h"
#include "stores/sqlite_store.h"

namespace ioreplication {

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri,
                                                 const StoreOptions& options) {
  const size_t colon = uri.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("store URI \"", std::string(uri),
                     "\" has no scheme (expected e.g. memory:)"));
  }
  const std::string_view scheme = uri.substr(0, colon);
  const std::string_view rest = uri.substr(colon + 1);
  if (scheme == "memory") {
    if (!rest.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("store URI \"", std::string(uri),
                       "\": memory: takes nothing after the colon"));
    }
    return std::make_unique<stores_internal::MemoryStore>(options);
  }
  if (scheme == "sqlite") {
    if (rest.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("store URI \"", std::string(uri),
                       "\": sqlite: needs a file path, e.g. sqlite:org.db"));
    }
    absl::StatusOr<std::unique_ptr<stores_internal::SqliteStore>> store =
        stores_internal::SqliteStore::Open(std::string(rest), options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("store URI \"", std::string(uri), "\": unknown scheme \"",
                   std::string(scheme), "\" (known: memory, sqlite)"));
}

}  // namespace ioreplication
